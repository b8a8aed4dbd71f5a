package output

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
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
	// not record its runs), and Unrendered those of them that no record has.
	Wanted     int
	Unrendered []int
	// Unfinished says which shards of the job have frames missing: "shard 1/3
	// of frames 1-24: 8 of 8 frames missing".
	Unfinished []string
}

// OK reports whether every frame of the job is there, whole, and nothing else is.
func (r Report) OK() bool {
	return len(r.Missing)+len(r.Corrupt)+len(r.Unreadable)+len(r.Invalid)+len(r.Foreign)+len(r.Partial)+len(r.Unrendered)+len(r.Unfinished) == 0
}

// Verify re-hashes the frames in dir against its manifest, and checks that the
// manifest records every frame of the job. It goes on past every problem file,
// and returns an error only when there is no manifest to check against.
func Verify(dir string) (Report, error) {
	d, err := openDir(dir, "")
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
	recorded := map[int]bool{}
	for _, f := range m.Frames {
		recorded[f.Number] = true
	}
	wanted := map[int]bool{}
	for _, run := range m.Runs {
		frames, err := ParseFrames(run.Range)
		if err != nil || run.Shards < 1 || run.Shards > max(1, len(frames)) {
			r.Invalid = append(r.Invalid, fmt.Sprintf("run of frames %q in %d shards: not a frame range and shard count render wrote", run.Range, run.Shards))
			continue
		}
		for _, n := range frames {
			wanted[n] = true
		}
		if run.Shards == 1 {
			continue
		}
		for i := range run.Shards {
			missing, of := 0, 0
			for k := i; k < len(frames); k += run.Shards {
				of++
				if n := frames[k]; !recorded[n] || bad[n] {
					missing++
				}
			}
			if missing > 0 {
				r.Unfinished = append(r.Unfinished, fmt.Sprintf("shard %d/%d of frames %s: %d of %d frames missing", i, run.Shards, run.Range, missing, of))
			}
		}
	}
	r.Wanted = len(wanted)
	for n := range wanted {
		if !recorded[n] {
			r.Unrendered = append(r.Unrendered, n)
		}
	}
	slices.Sort(r.Unrendered)
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
