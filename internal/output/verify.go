package output

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
)

// Bounds on what Verify makes of a hostile manifest.
const (
	maxRuns   = 32     // distinct runs checked: a job is started a few ways at most
	maxListed = 100000 // unrendered frames listed by number
)

// Report is what Verify found.
type Report struct {
	Checked    int      // frames recorded in the manifest
	Missing    []string // in the manifest, not on disk
	Corrupt    []string // on disk, but not the bytes the manifest records
	Unreadable []string // in the manifest, but not a file that can be read: "name: why"
	Invalid    []string // manifest records that name no file in the directory: "why"
	Foreign    []string // PNG files on disk that the manifest does not know
	Partial    []string // temporary files of writers that were killed, or are still writing
	// Wanted is how many frames the job is made of (0 for a manifest that does
	// not record its runs); Unrendered is how many of them no record has, and
	// UnrenderedList which (see FormatFrames).
	Wanted         int
	Unrendered     int
	UnrenderedList string
	// Unfinished says which shards of the job have frames missing: "shard 1/3
	// of frames 1-24: 8 of 8 frames missing".
	Unfinished []string
}

// OK reports whether every frame of the job is there, whole, and nothing else is.
func (r Report) OK() bool {
	return len(r.Missing)+len(r.Corrupt)+len(r.Unreadable)+len(r.Invalid)+len(r.Foreign)+len(r.Partial)+r.Unrendered+len(r.Unfinished) == 0
}

// Verify re-hashes the frames in dir against its manifest, and checks that the
// manifest records every frame of the job. It goes on past every problem file,
// and returns an error only when there is no manifest to check against.
func Verify(dir string) (Report, error) {
	d, err := openDir(dir, "", nil)
	if err != nil {
		return Report{}, err
	}
	defer d.Close()
	m, _, problems, err := readManifestLoose(d)
	if err != nil {
		return Report{}, err
	}
	r := Report{Checked: len(m.Frames)}
	for _, p := range problems {
		r.Invalid = append(r.Invalid, p.Error())
	}
	known := map[string]bool{}
	bad := map[int]bool{} // frames whose record is not a whole file on disk
	for _, f := range m.Frames {
		known[f.File] = true
		sum, size, err := d.hashFile(f.File, f.Size)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			r.Missing = append(r.Missing, f.File)
		case err != nil:
			r.Unreadable = append(r.Unreadable, fmt.Sprintf("%q: %v", f.File, strings.TrimPrefix(err.Error(), d.join(f.File)+" ")))
		case sum != f.SHA256 || size != f.Size:
			r.Corrupt = append(r.Corrupt, f.File)
		default:
			continue
		}
		bad[f.Number] = true
	}
	var recorded, wanted bitset
	for _, f := range m.Frames {
		recorded.set(f.Number)
	}
	isDone := func(n int) bool { return recorded.has(n) && !bad[n] }
	runs := slices.Clone(m.Runs)
	slices.SortFunc(runs, func(a, b RunRecord) int {
		return cmp.Or(cmp.Compare(a.Range, b.Range), cmp.Compare(a.Shards, b.Shards), cmp.Compare(a.Frames, b.Frames))
	})
	for k, run := range slices.Compact(runs) {
		if k == maxRuns {
			r.Invalid = append(r.Invalid, fmt.Sprintf("runs: more than %d, more than render writes: the rest not checked", maxRuns))
			break
		}
		count, err := eachFrame(run.Range, func(int, int) {})
		if err != nil || run.Shards < 1 || run.Shards > max(1, count) {
			r.Invalid = append(r.Invalid, fmt.Sprintf("run of frames %q in %d shards: not a frame range and shard count render wrote", run.Range, run.Shards))
			continue
		}
		missing := map[int]int{} // by shard
		eachFrame(run.Range, func(pos, n int) {
			wanted.set(n)
			if !isDone(n) {
				missing[pos%run.Shards]++
			}
		})
		if run.Shards == 1 {
			continue
		}
		for _, i := range slices.Sorted(maps.Keys(missing)) {
			of := (count - i + run.Shards - 1) / run.Shards
			r.Unfinished = append(r.Unfinished, fmt.Sprintf("shard %d/%d of frames %q: %d of %d frames missing", i, run.Shards, run.Range, missing[i], of))
		}
	}
	var unrendered []int
	for n := range wanted.members() {
		r.Wanted++
		if !recorded.has(n) {
			r.Unrendered++
			if len(unrendered) < maxListed {
				unrendered = append(unrendered, n)
			}
		}
	}
	r.UnrenderedList = FormatFrames(unrendered)
	if r.Unrendered > len(unrendered) {
		r.UnrenderedList += ",…"
	}
	entries, err := d.readDir()
	if err != nil {
		return r, err
	}
	for _, e := range entries {
		name := e.Name()
		switch _, temp := isTemp(name); {
		case temp:
			r.Partial = append(r.Partial, name)
		case e.IsDir():
		case strings.HasSuffix(strings.ToLower(name), ".png") && !known[name]:
			r.Foreign = append(r.Foreign, name)
		}
	}
	return r, nil
}
