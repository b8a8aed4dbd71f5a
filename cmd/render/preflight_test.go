package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdfrender/render/internal/output"
)

func TestCheckMemory(t *testing.T) {
	const gib = 1 << 30
	for _, c := range []struct {
		inFlight, width, height int
		available               uint64
		known                   bool
		want                    string // "" for no error
	}{
		{4, 480, 270, 8 * gib, true, ""},
		{4, 16384, 16384, 4 * gib, true, "about 4.0 GiB, but only 4.0 GiB"}, // over four fifths
		{4, 16384, 16384, 4.5 * gib, true, "lower --workers, --width or --height"},
		{3, 16384, 16384, 4 * gib, true, ""}, // 3 GiB of 4: fits
		{1026, 16384, 16384, 0, false, ""},   // unknown: no check
		{1026, 16384, 16384, 24 * gib, true, "holds up to 1026 frames of 16384x16384"},
	} {
		err := checkMemory(c.inFlight, c.width, c.height, 8, c.available, c.known)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("checkMemory(%d, %dx%d, %d) = %v, want nil", c.inFlight, c.width, c.height, c.available, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("checkMemory(%d, %dx%d, %d) = %v, want an error containing %q", c.inFlight, c.width, c.height, c.available, err, c.want)
		}
	}
}

func TestCheckMemoryAtDepth16(t *testing.T) {
	const gib = 1 << 30
	// 3 frames of 16384² fit in 4 GiB at 8 bits (3 GiB) but not at 16 (6 GiB).
	if err := checkMemory(3, 16384, 16384, 8, 4*gib, true); err != nil {
		t.Errorf("8 bits: %v, want nil", err)
	}
	if err := checkMemory(3, 16384, 16384, 16, 4*gib, true); err == nil {
		t.Error("16 bits: nil, want the job refused")
	}
}

func TestFormatBytes(t *testing.T) {
	for _, c := range []struct {
		n    uint64
		want string
	}{{0, "0.0 B"}, {1536, "1.5 KiB"}, {5 << 30, "5.0 GiB"}, {3 << 40, "3.0 TiB"}} {
		if got := formatBytes(c.n); got != c.want {
			t.Errorf("formatBytes(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestWarnDisk(t *testing.T) {
	dir := t.TempDir()
	var w bytes.Buffer
	warnDisk(&w, dir, 10, 64, 36, 8)
	if w.Len() != 0 {
		t.Errorf("warnDisk for 10 small frames printed %q, want nothing", w.String())
	}
	if _, ok := freeDisk(dir); !ok {
		t.Skip("free disk space is not known on this system")
	}
	warnDisk(&w, dir, 1_000_000, 16384, 16384, 16) // 512 TiB
	if !strings.Contains(w.String(), "warning") || !strings.Contains(w.String(), dir) {
		t.Errorf("warnDisk for 512 TiB of frames printed %q, want a warning naming %s", w.String(), dir)
	}
}

func TestJobTooBigForMemory(t *testing.T) {
	if _, known := availableMemory(); !known {
		t.Skip("available memory is not known on this system")
	}
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := renderCLI(t, "--width", "16384", "--height", "16384", "--workers", "1024", "--out", out)
	if code != exitUsage || !strings.Contains(stderr, "1026 frames of 16384x16384") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want %d and one line with the estimate", code, stderr, exitUsage)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was created for a job refused before rendering", out)
	}
}

// TestFeatureMemoryCountsTheEncoders checks that the preflight counts a PNG
// encoder per frame encoded at once: one per core, or per worker if fewer.
func TestFeatureMemoryCountsTheEncoders(t *testing.T) {
	for _, c := range []struct{ workers, cores, want int }{{8, 2, 2}, {1, 4, 1}, {3, 3, 3}} {
		o := &options{width: 64, height: 36, tile: 32, workers: c.workers, cores: c.cores}
		var got uint64
		for _, it := range featureMemory(o, 10, 0) {
			if strings.Contains(it.what, "PNG encoders") {
				got += it.bytes
			}
		}
		if want := uint64(c.want) * output.EncoderBytes; got != want {
			t.Errorf("%d workers on %d cores: the encoders count %d bytes, want %d (%d encoders)", c.workers, c.cores, got, want, c.want)
		}
	}
}
