package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sdfrender/render/render"
)

// TestAdaptive checks --adaptive and --threshold through the command: out of
// range is exit 2 and nothing made; a scene file's settings are the defaults
// the flags override; the summary says the frames were adaptive; and the
// job's fingerprint holds both, so that frames of other settings are not
// taken as done, while a job without them keeps the fingerprint it had.
func TestAdaptive(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, c := range []struct{ args []string }{
		{[]string{"--adaptive", "1"}},
		{[]string{"--samples", "4", "--adaptive", "4"}},
		{[]string{"--adaptive", "257"}},
		{[]string{"--adaptive", "16", "--threshold", "0"}},
		{[]string{"--adaptive", "16", "--threshold", "1"}},
		{[]string{"--adaptive", "16", "--threshold", "NaN"}},
		{[]string{"--threshold", "0.1"}}, // without --adaptive it would do nothing
	} {
		code, _, stderr := renderCLI(t, small(out, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, "--adaptive must be") && !strings.Contains(stderr, "--threshold must be") && !strings.Contains(stderr, "--threshold is for adaptive anti-aliasing, which is off") {
			t.Errorf("%v: exit %d, stderr %q; want %d and what is wrong", c.args, code, stderr, exitUsage)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was made for a refused job", out)
	}

	file := writeScene(t, `render: {adaptive: 8, threshold: 0.2}
camera: {position: [0, 1, 5]}
objects: [{sphere: {radius: 1}}]
`)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, `"adaptive":8,`},
		{[]string{"--adaptive", "4"}, `"adaptive":4,`},
		{[]string{"--threshold", "0.1"}, `"threshold":0.1`},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		args := append([]string{"--scene", file, "--frames", "1", "--width", "16", "--height", "8", "--out", dir}, c.args...)
		code, stdout, stderr := renderCLI(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if m, _ := os.ReadFile(filepath.Join(dir, "manifest.json")); !strings.Contains(string(m), c.want) {
			t.Errorf("%v: the manifest's settings %s, want %s", args, m, c.want)
		}
		if !regexp.MustCompile(`at 1 sample, adaptive to [48] \([1-8]\.[0-9][0-9] a pixel\)`).MatchString(stdout + stderr) {
			t.Errorf("%v: the summary %q does not say the frames were adaptive, with the samples a pixel took", args, stdout+stderr)
		}
	}

	sc, err := loadScene("showcase")
	if err != nil {
		t.Fatal(err)
	}
	job := render.Job{FPS: 24, Settings: render.Settings{Width: 8, Height: 8, Samples: 1}}
	plain, settings := fingerprint(sc, job, false)
	if _, ok := settings["adaptive"]; ok {
		t.Error("a job without adaptive anti-aliasing has it in its settings, want not: older jobs' fingerprints would change")
	}
	job.MaxSamples, job.Threshold = 16, 0.05
	a, _ := fingerprint(sc, job, false)
	job.Threshold = 0.1
	b, _ := fingerprint(sc, job, false)
	job.MaxSamples = 8
	c, _ := fingerprint(sc, job, false)
	if plain == a || a == b || b == c {
		t.Error("jobs differing in adaptive samples or threshold share a fingerprint, want one each")
	}
}
