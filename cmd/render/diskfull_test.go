package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskFullMidRun fills a small tmpfs halfway through a job: the job must stop
// with exit 1 and an error naming the file, leaving only whole PNGs behind.
func TestDiskFullMidRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and mounts a file system")
	}
	bin := buildBinary(t)
	job := []string{"--frames", "40", "--width", "240", "--height", "135", "-q"}

	// The disk holds about five frames, whatever size they compress to: measure
	// three first, so that a change to the pixels or the encoder cannot make all
	// forty fit (or none).
	sample := t.TempDir()
	if b, err := bounded(t, cmdLimit, bin, append(job, "--range", "1-3", "--out", sample)...).CombinedOutput(); err != nil {
		t.Fatalf("rendering 3 frames to measure them: %v\n%s", err, b)
	}
	var frameBytes int64
	for n := 1; n <= 3; n++ {
		fi, err := os.Stat(filepath.Join(sample, fmt.Sprintf("frame_%04d.png", n)))
		if err != nil {
			t.Fatal(err)
		}
		frameBytes = max(frameBytes, fi.Size())
	}
	size := (5*frameBytes + 4095) / 4096 * 4096
	dir := t.TempDir()
	if out, err := bounded(t, cmdLimit, "mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root and mount rights): %v: %s", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })

	cmd := bounded(t, cmdLimit, bin, append(job, "--out", dir)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	if got := cmd.ProcessState.ExitCode(); got != exitFailure {
		t.Fatalf("exit %d on a full disk, want %d; stderr %q", got, exitFailure, stderr.String())
	}
	// The preflight warns first that the frames may not fit; then the error.
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "warning") {
		t.Fatalf("stderr = %q, want the disk-space warning, then one error line", stderr.String())
	}
	if msg := lines[1]; !strings.Contains(msg, "no space left on device") || !strings.Contains(msg, filepath.Join(dir, "frame_")) {
		t.Errorf("error = %q, want it to name the frame and say 'no space left on device'", msg)
	}
	// The manifest may have missed the last frame that fitted, if it could not
	// be rewritten itself, but it never records what is not there.
	checkManifest(t, dir, true)
	entries, _ := os.ReadDir(dir)
	if len(entries) <= 1 || len(entries) >= 40 {
		t.Errorf("%d files on the full disk, want some frames but not all", len(entries))
	}
	for _, e := range entries {
		if bookkeeping(e.Name()) {
			continue
		}
		if !strings.HasSuffix(e.Name(), ".png") {
			t.Errorf("%s left behind on the full disk", e.Name())
			continue
		}
		f, _ := os.Open(filepath.Join(dir, e.Name()))
		_, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s is not a whole PNG: %v", e.Name(), err)
		}
	}
}
