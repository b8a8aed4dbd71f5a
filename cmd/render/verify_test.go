package main

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdfrender/render/internal/golden"
	"github.com/sdfrender/render/internal/output"
	"github.com/sdfrender/render/internal/preview"
	"github.com/sdfrender/render/render"
	"github.com/sdfrender/render/scenefile"
)

func TestVerifyCatchesDamage(t *testing.T) {
	for _, c := range []struct {
		name   string
		damage func(dir string)
		want   string
	}{
		{"truncated", func(dir string) {
			os.Truncate(filepath.Join(dir, "frame_0002.png"), 100)
		}, `"frame_0002.png": corrupt`},
		{"changed byte", func(dir string) {
			p := filepath.Join(dir, "frame_0003.png")
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 1
			os.WriteFile(p, b, 0o644)
		}, `"frame_0003.png": corrupt`},
		{"missing", func(dir string) {
			os.Remove(filepath.Join(dir, "frame_0001.png"))
		}, `"frame_0001.png": missing`},
		{"foreign", func(dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, "frame_0001.png"))
			os.WriteFile(filepath.Join(dir, "frame_0099.png"), b, 0o644)
		}, `"frame_0099.png": foreign`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if code, _, stderr := renderCLI(t, small(dir, "-q")...); code != exitOK {
				t.Fatal(stderr)
			}
			code, stdout, _ := renderCLI(t, "verify", dir)
			if code != exitOK || !strings.Contains(stdout, "all 3 frames of the job, every one whole") {
				t.Fatalf("verify before the damage: exit %d, %q; want 0 and all whole", code, stdout)
			}
			c.damage(dir)
			code, stdout, stderr := renderCLI(t, "verify", dir)
			if code != exitFailure || !strings.Contains(stdout, c.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("verify after %s: exit %d, stdout %q, stderr %q; want %d and %q", c.name, code, stdout, stderr, exitFailure, c.want)
			}
		})
	}
	code, _, stderr := renderCLI(t, "verify", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "manifest.json") {
		t.Errorf("verify without a manifest: exit %d, stderr %q; want %d naming manifest.json", code, stderr, exitUsage)
	}
}

func TestFingerprint(t *testing.T) {
	sc, _ := scenefile.Lookup("showcase")
	other, _ := scenefile.Lookup("minimal")
	base := render.Job{FPS: 30, Settings: render.Settings{Width: 64, Height: 36, Samples: 1}, Tile: 32, Workers: 2}
	want, _ := fingerprint(sc, base, false)
	same := base
	same.Workers, same.Tile = 8, 8
	if got, _ := fingerprint(sc, same, false); got != want {
		t.Error("workers and tile size changed the fingerprint, want them left out: they change no pixel")
	}
	for name, j := range map[string]render.Job{
		"samples": {FPS: 30, Settings: render.Settings{Width: 64, Height: 36, Samples: 4}},
		"size":    {FPS: 30, Settings: render.Settings{Width: 65, Height: 36, Samples: 1}},
		"fps":     {FPS: 24, Settings: render.Settings{Width: 64, Height: 36, Samples: 1}},
	} {
		if got, _ := fingerprint(sc, j, false); got == want {
			t.Errorf("another %s gave the same fingerprint, want a different one", name)
		}
	}
	if got, _ := fingerprint(other, base, false); got == want {
		t.Error("another scene gave the same fingerprint, want a different one")
	}
	if got, _ := fingerprint(sc, base, true); got == want {
		t.Error("burn-in gave the same fingerprint, want a different one: it changes pixels")
	}
}

func TestManifestAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	renderCLI(t, "--frames", "3", "--width", "32", "--height", "18", "--out", dir, "-q")
	first, _ := output.ReadManifest(dir)
	// The same job, fewer frames: the frames of the first run stay recorded.
	renderCLI(t, "--frames", "2", "--width", "32", "--height", "18", "--out", dir, "-q")
	if m, _ := output.ReadManifest(dir); len(m.Frames) != 3 || m.Fingerprint != first.Fingerprint {
		t.Errorf("after a second run of the same job the manifest has %d frames, want 3 under the same fingerprint", len(m.Frames))
	}
	// Another job is refused, and says how to go on.
	another := []string{"--frames", "2", "--width", "32", "--height", "18", "--samples", "2", "--out", dir, "-q"}
	if code, _, stderr := renderCLI(t, another...); code != exitUsage || !strings.Contains(stderr, "another job") || !strings.Contains(stderr, "--force") {
		t.Errorf("another job into the directory: exit %d, stderr %q; want %d, saying --force takes it over", code, stderr, exitUsage)
	}
	if m, _ := output.ReadManifest(dir); m.Fingerprint != first.Fingerprint {
		t.Error("a refused job changed the manifest")
	}
	// With --force it replaces the old job: the old frames are foreign to it.
	renderCLI(t, append(another, "--force")...)
	m, _ := output.ReadManifest(dir)
	if len(m.Frames) != 2 || m.Fingerprint == first.Fingerprint {
		t.Errorf("after another job the manifest has %d frames, fingerprint changed %v; want 2 and a new one", len(m.Frames), m.Fingerprint != first.Fingerprint)
	}
	for _, f := range m.Frames {
		if f.Size <= 0 || len(f.SHA256) != 64 {
			t.Errorf("frame record %+v: want a size and a SHA-256", f)
		}
	}
}

func TestBurnInAndContactSheet(t *testing.T) {
	plain, burnt := t.TempDir(), t.TempDir()
	sheet := filepath.Join(t.TempDir(), "sheet.png")
	renderCLI(t, "--frames", "3", "--width", "96", "--height", "54", "--out", plain, "-q")
	code, _, stderr := renderCLI(t, "--frames", "3", "--width", "96", "--height", "54", "--out", burnt, "-q", "--burn-in", "--contact-sheet", sheet)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(plain, "frame_0002.png"))
	b, _ := os.ReadFile(filepath.Join(burnt, "frame_0002.png"))
	if bytes.Equal(a, b) {
		t.Error("--burn-in left the frame unchanged")
	}
	// Exactly the plain frame with its caption and time code drawn on: frame
	// 2 of 30 fps is 00:00:00:01 (frame 1 is 00:00:00:00, as editors count).
	want, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	wantRGBA := image.NewRGBA(want.Bounds())
	draw.Draw(wantRGBA, wantRGBA.Rect, want, image.Point{}, draw.Src)
	preview.BurnIn(wantRGBA, "showcase   frame 2", "00:00:00:01")
	got, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if msg := golden.Compare(got, wantRGBA); msg != "" {
		t.Errorf("frame 2 burnt in differs from the plain frame with \"showcase   frame 2\" and 00:00:00:01 drawn on: %s", msg)
	}
	checkManifest(t, burnt, false)
	f, err := os.Open(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	// Three thumbnails 96 px wide in one row, between margins.
	if err != nil || cfg.Width != 2*16+3*96+2*10 {
		t.Errorf("contact sheet %dx%d, %v; want %d px wide", cfg.Width, cfg.Height, err, 2*16+3*96+2*10)
	}
	if code, _, _ := renderCLI(t, small(t.TempDir(), "--contact-sheet", filepath.Join(t.TempDir(), "sheet.jpg"))...); code != exitUsage {
		t.Errorf("--contact-sheet sheet.jpg: exit %d, want %d", code, exitUsage)
	}
}

func TestGIFPreview(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "preview.gif")
	code, _, stderr := renderCLI(t, "--frames", "4", "--width", "96", "--height", "54", "--fps", "20", "--out", dir, "-q", "--gif", path, "--gif-width", "48")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	anim, err := gif.DecodeAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(anim.Image) != 4 || anim.Image[0].Rect.Dx() != 48 || anim.Image[0].Rect.Dy() != 27 || anim.Delay[0] != 5 {
		t.Errorf("GIF: %d frames of %v, delay %d; want 4 of 48x27 at 5 hundredths", len(anim.Image), anim.Image[0].Rect, anim.Delay[0])
	}
	for _, args := range [][]string{{"--gif", filepath.Join(dir, "p.png")}, {"--gif", path, "--gif-width", "4"}} {
		if code, _, _ := renderCLI(t, small(t.TempDir(), args...)...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestDepth16(t *testing.T) {
	dir := t.TempDir()
	sheet := filepath.Join(t.TempDir(), "sheet.png")
	preview := filepath.Join(t.TempDir(), "p.gif")
	code, _, stderr := renderCLI(t, append(small(dir, "-q", "--depth", "16", "--burn-in", "--contact-sheet", sheet, "--gif", preview), "--width", "48", "--height", "27")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, _ := os.Open(filepath.Join(dir, "frame_0001.png"))
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.ColorModel != color.RGBA64Model {
		t.Errorf("frame at --depth 16: %v, %v; want a 16-bit RGBA PNG", cfg.ColorModel, err)
	}
	checkManifest(t, dir, false)
	for _, p := range []string{sheet, preview} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s at --depth 16: %v", p, err)
		}
	}
	sc, _ := scenefile.Lookup("showcase")
	j8 := render.Job{FPS: 30, Settings: render.Settings{Width: 48, Height: 27, Samples: 1}}
	j16 := j8
	j16.Depth = 16
	if a, _ := fingerprint(sc, j8, false); a == func() string { b, _ := fingerprint(sc, j16, false); return b }() {
		t.Error("--depth 16 gave the same fingerprint as 8, want another")
	}
	if code, _, stderr := renderCLI(t, small(t.TempDir(), "--depth", "12")...); code != exitUsage || !strings.Contains(stderr, "--depth must be 8 or 16") {
		t.Errorf("--depth 12: exit %d, stderr %q", code, stderr)
	}
}
