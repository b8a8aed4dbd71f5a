package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/sdfrender/render/internal/output"
	"github.com/sdfrender/render/render"
	"github.com/sdfrender/render/scenefile"
)

// fingerprint identifies a job's pixels: a hash of the scene file and of every
// setting that changes them (burn-in included), and of the renderer's pixel version. Workers, cores,
// tiles and file names change no pixel, so they are left out. It returns the
// settings too, for the manifest's readers.
func fingerprint(sc *scenefile.File, j render.Job, burnIn bool) (string, map[string]any) {
	settings := map[string]any{
		"burn_in":       burnIn,
		"scene":         sc.Name,
		"width":         j.Width,
		"height":        j.Height,
		"samples":       j.Samples,
		"depth":         max(8, j.Depth),
		"fps":           j.FPS,
		"pixel_version": render.PixelVersion,
	}
	if j.Shutter > 0 { // only then, so that a job from before there was a shutter keeps its fingerprint
		settings["shutter"] = j.Shutter
	}
	if j.MaxSamples > 0 { // likewise
		settings["adaptive"], settings["threshold"] = j.MaxSamples, j.Threshold
	}
	h := sha256.New()
	h.Write(sc.Source)
	json.NewEncoder(h).Encode(settings) // map keys are sorted: the same bytes every time
	return hex.EncodeToString(h.Sum(nil)), settings
}

// runVerify is `render verify DIR`: it re-hashes the frames in DIR against its
// manifest and reports missing, corrupt and foreign frames. Exit 0 when all is
// well, 1 when something is wrong, 2 when there is no manifest to check against.
func runVerify(args []string, stdout, _ io.Writer) error {
	fs := pflag.NewFlagSet("render verify", pflag.ContinueOnError)
	if help, err := parseFlags(fs, args, verifyUsage+"\n", true, "", stdout); help || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{verifyUsage}
	}
	dir := fs.Arg(0)
	r, err := output.Verify(dir)
	if err != nil {
		return inputError{fmt.Errorf("render: verify: %w", err)}
	}
	for _, p := range []struct {
		what  string
		files []string
	}{
		{"missing", r.Missing}, {"corrupt (not the bytes the manifest records)", r.Corrupt}, {"foreign (not in the manifest)", r.Foreign},
		{"partial (a write that was killed, or is still going on: the next run of the job removes its own)", r.Partial},
	} {
		for _, f := range p.files {
			fmt.Fprintf(stdout, "%q: %s\n", f, p.what)
		}
	}
	for _, u := range r.Unreadable {
		fmt.Fprintf(stdout, "%s\n", printableString(u))
	}
	for _, u := range r.Invalid {
		fmt.Fprintf(stdout, "manifest: %s: not checked\n", printableString(u))
	}
	if r.Unrendered > 0 {
		fmt.Fprintf(stdout, "frames %s: not rendered (%d of the job's %d frames)\n", r.UnrenderedList, r.Unrendered, r.Wanted)
	}
	for _, u := range r.Unfinished {
		fmt.Fprintf(stdout, "%s: not finished\n", u)
	}
	if !r.OK() {
		return fmt.Errorf("render: verify: %s: %d not rendered, %d missing, %d corrupt, %d unreadable, %d bad records, %d foreign, %d partial, of %d frames in the manifest",
			dir, r.Unrendered, len(r.Missing), len(r.Corrupt), len(r.Unreadable), len(r.Invalid), len(r.Foreign), len(r.Partial), r.Checked)
	}
	if r.Wanted > 0 {
		fmt.Fprintf(stdout, "%s: all %d frames of the job, every one whole and as recorded\n", dir, r.Checked)
	} else {
		fmt.Fprintf(stdout, "%s: %d frames, every one whole and as recorded (the manifest does not say which frames the job has)\n", dir, r.Checked)
	}
	return nil
}

// verifyUsage is `render verify --help`.
const verifyUsage = "Usage: render verify DIR   (checks the frames in DIR against DIR/manifest.json)"
