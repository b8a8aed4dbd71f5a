package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"render/output"
	"render/render"
	"render/scene"
)

// fingerprint identifies a job's pixels: a hash of the scene file and of every
// setting that changes them (burn-in included), and of the renderer's pixel version. Workers, cores,
// tiles and file names change no pixel, so they are left out. It returns the
// settings too, for the manifest's readers.
func fingerprint(sc *scene.File, j render.Job, burnIn bool) (string, map[string]any) {
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
	h := sha256.New()
	h.Write(sc.Source)
	json.NewEncoder(h).Encode(settings) // map keys are sorted: the same bytes every time
	return hex.EncodeToString(h.Sum(nil)), settings
}

// runVerify is `render verify DIR`: it re-hashes the frames in DIR against its
// manifest and reports missing, corrupt and foreign frames. Exit 0 when all is
// well, 1 when something is wrong, 2 when there is no manifest to check against.
func runVerify(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		w, code := stderr, exitUsage
		if len(args) == 1 && (args[0] == "--help" || args[0] == "-h") {
			w, code = stdout, exitOK
		}
		fmt.Fprintln(w, "Usage: render verify DIR   (checks the frames in DIR against DIR/manifest.json)")
		return code
	}
	dir := args[0]
	r, err := output.Verify(dir)
	if err != nil {
		fmt.Fprintf(stderr, "render: verify: %v\n", err)
		return exitUsage
	}
	for _, p := range []struct {
		what  string
		files []string
	}{
		{"missing", r.Missing}, {"corrupt (not the bytes the manifest records)", r.Corrupt}, {"foreign (not in the manifest)", r.Foreign},
		{"partial (a write that was killed, or is still going on: the next run of the job removes it)", r.Partial},
	} {
		for _, f := range p.files {
			fmt.Fprintf(stdout, "%s: %s\n", f, p.what)
		}
	}
	if !r.OK() {
		fmt.Fprintf(stderr, "render: verify: %s: %d missing, %d corrupt, %d foreign, %d partial, of %d frames in the manifest\n",
			dir, len(r.Missing), len(r.Corrupt), len(r.Foreign), len(r.Partial), r.Checked)
		return exitFailure
	}
	fmt.Fprintf(stdout, "%s: %d frames, every one whole and as recorded\n", dir, r.Checked)
	return exitOK
}
