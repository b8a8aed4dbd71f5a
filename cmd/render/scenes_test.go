package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdfrender/render/scenefile"
)

func TestScenesLists(t *testing.T) {
	code, stdout, stderr := renderCLI(t, "scenes")
	if code != exitOK || stderr != "" {
		t.Fatalf("render scenes: exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	builtins := scenefile.Builtins()
	if len(lines) != len(builtins) {
		t.Fatalf("render scenes printed %d lines, want one per built-in (%d):\n%s", len(lines), len(builtins), stdout)
	}
	for i, b := range builtins {
		if !strings.HasPrefix(lines[i], b.Name+" ") || !strings.Contains(lines[i], b.Description) {
			t.Errorf("line %d = %q, want %s and its description", i, lines[i], b.Name)
		}
	}
	if !strings.Contains(lines[0], "(default)") {
		t.Errorf("first line %q does not mark the default", lines[0])
	}
}

func TestScenesDump(t *testing.T) {
	code, stdout, _ := renderCLI(t, "scenes", "--dump", "minimal")
	b, _ := scenefile.Lookup("minimal")
	if code != exitOK || stdout != string(b.Source) {
		t.Errorf("render scenes --dump minimal: exit %d, %d bytes, want 0 and the scene file's %d bytes", code, len(stdout), len(b.Source))
	}
	// What a user copies must render as it is.
	path := filepath.Join(t.TempDir(), "my.yaml")
	os.WriteFile(path, []byte(stdout), 0o644)
	if code, _, stderr := renderCLI(t, "--scene", path, "--frames", "1", "--width", "16", "--height", "9", "--out", t.TempDir(), "-q"); code != exitOK {
		t.Errorf("rendering the dumped scene: exit %d, %s", code, stderr)
	}
	code, _, stderr := renderCLI(t, "scenes", "--dump", "minimall")
	if code != exitUsage || !strings.Contains(stderr, "did you mean `minimal`") {
		t.Errorf("render scenes --dump minimall: exit %d, stderr %q; want %d and a suggestion", code, stderr, exitUsage)
	}
}

const goodScene = `render: {frames: 2, width: 40, height: 20}
camera: {position: [0, 1, 4]}
objects:
  - sphere: {radius: 1}
`

const badScene = `camera: {position: [0, 1, 4]}
objects:
  - sphere: {radius: 1}
  - smooth_union:
      k: -0.5
      objects: [{sphere: {radius: 1}}]
`

func writeScene(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scene.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestValidate(t *testing.T) {
	good, bad := writeScene(t, goodScene), writeScene(t, badScene)
	code, stdout, stderr := renderCLI(t, "validate", good)
	if code != exitOK || !strings.Contains(stdout, good+": ok") || stderr != "" {
		t.Errorf("validate good: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = renderCLI(t, "validate", good, bad)
	want := bad + ":5:10: objects[1].smooth_union.k: must be > 0, got -0.5"
	if code != exitUsage || strings.TrimSpace(stderr) != want || !strings.Contains(stdout, good+": ok") {
		t.Errorf("validate good bad: exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, want)
	}
	if code, _, _ := renderCLI(t, "validate"); code != exitUsage {
		t.Errorf("validate with no files: exit %d, want %d", code, exitUsage)
	}
	if code, _, stderr := renderCLI(t, "validate", filepath.Join(t.TempDir(), "missing.yaml")); code != exitUsage || !strings.Contains(stderr, "no such file") {
		t.Errorf("validate missing file: exit %d, stderr %q", code, stderr)
	}
}

func TestSceneFileRendersWithItsDefaults(t *testing.T) {
	path := writeScene(t, goodScene)
	dir := t.TempDir()
	if code, _, stderr := renderCLI(t, "--scene", path, "--out", dir, "-q"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkFrames(t, dir, 2, 40, 20)
	// Flags override the file's render settings.
	dir = t.TempDir()
	if code, _, stderr := renderCLI(t, "--scene", path, "--out", dir, "-q", "--frames", "3", "--width", "24"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkFrames(t, dir, 3, 24, 20)
}

func TestBadSceneFileRendersNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	bad := writeScene(t, badScene)
	code, _, stderr := renderCLI(t, "--scene", bad, "--out", out)
	if code != exitUsage || !strings.Contains(stderr, bad+":5:10: objects[1].smooth_union.k") {
		t.Errorf("exit %d, stderr %q; want %d with the file, line and column", code, stderr, exitUsage)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was created for an invalid scene", out)
	}
}
