package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"

	"github.com/sdfrender/render/internal/output"
	"github.com/sdfrender/render/render"
	"github.com/sdfrender/render/scenefile"
)

// prepareDir opens the output directory for the job and claims it, before any
// frame is rendered: the job's manifest goes in first, so that a second job
// started into the directory is refused before it renames a frame; then it
// finds the frames already done and removes the job's own temporary files left
// by a run that was killed.
func prepareDir(ctx context.Context, o *options, sc *scenefile.File, rj render.Job, selected []int, sh shard, stderr io.Writer) (j job, err error) {
	fp, settings := fingerprint(sc, rj, o.burnIn)
	dir, err := temps.OpenDir(o.out, output.TagOf(fp))
	if err != nil {
		return job{}, dirError(err)
	}
	defer func() {
		if err != nil {
			dir.Close()
		}
	}()
	dir.SetWaiting(ctx, func(msg string) { fmt.Fprintf(stderr, "render: %s\n", msg) })
	seq, err := output.NewSequence(dir, o.name)
	if err != nil {
		return job{}, usageError{err.Error()}
	}
	seq.Reserve(encoders(o))
	run := output.RunRecord{Frames: o.frames, Range: output.FormatFrames(selected), Shards: sh.count}
	manifest, err := output.OpenManifest(dir, fp, settings, run, o.force)
	if other := (*output.OtherJobError)(nil); errors.As(err, &other) {
		return job{}, usageError{other.Error()}
	}
	if err != nil {
		return job{}, ioFailure{err}
	}
	seq.Guard = manifest.Hold
	j = job{Job: rj, dir: dir, seq: seq, manifest: manifest, share: rj.Frames}
	if !o.force {
		names := make(map[int]string, len(j.share))
		for _, n := range j.share {
			names[n] = seq.Name(n)
		}
		if j.finished, err = manifest.Finished(names, o.cores); err != nil {
			return job{}, ioFailure{err}
		}
		j.Frames = slices.DeleteFunc(slices.Clone(j.share), func(n int) bool { _, done := slices.BinarySearch(j.finished, n); return done })
	}
	if j.removed, err = dir.RemoveTemps(); err != nil {
		return job{}, ioFailure{err}
	}
	return j, nil
}

// checkName checks --name, and that the names of the frames and the manifest
// fit in --out.
func checkName(o *options) error {
	if err := output.CheckPattern(o.name); err != nil {
		return usageError{err.Error()}
	}
	if err := output.CheckNameLength(o.out, fmt.Sprintf(o.name, o.frames), output.ManifestName); err != nil {
		return usagef("--out %s, --name %s: %v", o.out, o.name, err)
	}
	return nil
}

// dirError is the error of a failure to create or open --out: a usage error
// where --out, or a directory on its way, is a file; an I/O failure otherwise
// (no permission, a read-only or full file system), which running again may
// mend.
func dirError(err error) error {
	if errno, ok := errors.AsType[syscall.Errno](err); ok && errno != syscall.ENOTDIR {
		return ioFailure{err}
	}
	return usageError{err.Error()}
}

// maxPNGSize bounds the size of a PNG frame of width × height at depth bits a
// channel: its pixels stored without compression, and room for the rest.
func maxPNGSize(width, height, depth int) int64 {
	raw := int64(width) * int64(height) * 4 * int64(max(depth, 8)/8)
	return 2*raw + 1<<20
}

// checkOutputsApart checks that no output file named on the command line is a
// file the job keeps in --out (a frame, the manifest, its lock), the scene, or
// another output: each would destroy the other.
func checkOutputsApart(o *options) error {
	var outs []struct{ flag, path string }
	for _, e := range extras {
		if path := e.file(o); path != "" {
			outs = append(outs, struct{ flag, path string }{e.flag, path})
		}
	}
	outDir, outErr := os.Stat(o.out)
	for i, f := range outs {
		base := filepath.Base(f.path)
		if outErr == nil {
			if dir, err := os.Stat(filepath.Dir(f.path)); err == nil && os.SameFile(dir, outDir) {
				what := ""
				switch _, frame := frameNumber(o.name, base); {
				case base == output.ManifestName:
					what = "the job's manifest"
				case base == output.LockName:
					what = "the manifest's lock"
				case frame:
					what = "a frame of the sequence"
				}
				if what != "" {
					return usagef("%s %q would overwrite %s in %s: write it elsewhere, or under another name", f.flag, f.path, what, o.out)
				}
			}
		}
		if same(f.path, o.scene) {
			return usagef("%s %q would overwrite the scene file: write it elsewhere", f.flag, f.path)
		}
		for _, g := range outs[:i] {
			if g.path != "" && same(f.path, g.path) {
				return usagef("%s and %s both write %q: give each its own file", g.flag, f.flag, f.path)
			}
		}
	}
	return nil
}

// same reports whether paths a and b name the same file, existing or not.
func same(a, b string) bool {
	if fa, err := os.Stat(a); err == nil {
		fb, err := os.Stat(b)
		return err == nil && os.SameFile(fa, fb)
	}
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}

// frameNumber reports whether name is the name pattern gives some frame, and
// which: a run of digits in it that pattern turns back into name.
func frameNumber(pattern, name string) (int, bool) {
	for i := 0; i < len(name); {
		if name[i] < '0' || name[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(name) && name[j] >= '0' && name[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(name[i:j]); err == nil && n >= 1 && fmt.Sprintf(pattern, n) == name {
			return n, true
		}
		i = j
	}
	return 0, false
}
