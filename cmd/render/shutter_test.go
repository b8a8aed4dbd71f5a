package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdfrender/render/render"
)

// TestShutter checks --shutter through the command: out of range is exit 2 and
// nothing made; a camera valid at every frame's time but not at a moment its
// samples see with the shutter open is refused before rendering; the scene
// file's shutter is the default the flag overrides; and the job's fingerprint
// holds the shutter, so that frames of another shutter are not taken as done.
func TestShutter(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, v := range []string{"-0.1", "1.5", "NaN"} {
		code, _, stderr := renderCLI(t, small(out, "--shutter", v)...)
		if code != exitUsage || !strings.Contains(stderr, "--shutter must be between 0 and 1") {
			t.Errorf("--shutter %s: exit %d, stderr %q; want %d and the range", v, code, stderr, exitUsage)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was made for a refused job", out)
	}

	// The camera meets its target at t = 0.5 s only, which no frame time of a
	// job at 1 fps is, and which the loader's checks over the 1.1 s miss.
	crossing := writeScene(t, `duration: 1.1
camera:
  position: {keys: [{t: 0, value: [-1, 0, 0]}, {t: 1, value: [1, 0, 0]}]}
  target: [0, 0, 0]
objects:
  - sphere: {radius: 0.2}
    translate: [0, 0, -3]
`)
	args := []string{"--scene", crossing, "--fps", "1", "--frames", "2", "--width", "16", "--height", "8", "--out", filepath.Join(t.TempDir(), "x")}
	if code, _, stderr := renderCLI(t, args...); code != exitOK {
		t.Fatalf("the crossing camera without a shutter: exit %d, stderr %q; want 0", code, stderr)
	}
	code, _, stderr := renderCLI(t, append(args, "--shutter", "1", "--force")...)
	if code != exitUsage || !strings.Contains(stderr, "frame 1, at t = 0.5s") || !strings.Contains(stderr, "equals its position") {
		t.Errorf("the crossing camera with --shutter 1: exit %d, stderr %q; want %d naming frame 1 at t = 0.5s", code, stderr, exitUsage)
	}

	// The focus scene's own shutter is the default; the flag overrides it.
	for _, c := range []struct {
		args []string
		want string
	}{{nil, `"shutter":0.5`}, {[]string{"--shutter", "0.25"}, `"shutter":0.25`}} {
		dir := filepath.Join(t.TempDir(), "focus")
		args := append([]string{"--scene", "focus", "--range", "1", "--width", "16", "--height", "8", "--samples", "2", "--out", dir}, c.args...)
		if code, _, stderr := renderCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if m, _ := os.ReadFile(filepath.Join(dir, "manifest.json")); !strings.Contains(string(m), c.want) {
			t.Errorf("%v: the manifest's settings %s, want %s", args, m, c.want)
		}
	}

	sc, err := loadScene("focus")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Render.Shutter != 0.5 {
		t.Fatalf("the focus scene's shutter is %g, want 0.5", sc.Render.Shutter)
	}
	job := render.Job{FPS: 24, Settings: render.Settings{Width: 8, Height: 8, Samples: 2}}
	closed, settings := fingerprint(sc, job, false)
	if _, ok := settings["shutter"]; ok {
		t.Error("a job without a shutter has one in its settings, want none: older jobs' fingerprints would change")
	}
	job.Shutter = 0.5
	open, _ := fingerprint(sc, job, false)
	job.Shutter = 0.25
	other, _ := fingerprint(sc, job, false)
	if closed == open || open == other {
		t.Error("jobs with shutters 0, 0.5 and 0.25 share a fingerprint, want three")
	}
}
