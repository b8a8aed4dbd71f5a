package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManifestWriter(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenManifest(dir, "abc", map[string]any{"width": 32})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{3, 1, 2, 1} { // out of order, and frame 1 twice
		if err := w.Add(FrameRecord{Number: n, File: "f", Size: int64(10 * n)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []int
	for _, f := range m.Frames {
		numbers = append(numbers, f.Number)
	}
	if len(numbers) != 3 || numbers[0] != 1 || numbers[1] != 2 || numbers[2] != 3 || m.Fingerprint != "abc" {
		t.Errorf("manifest frames %v, fingerprint %q; want 1, 2, 3 once each and abc", numbers, m.Fingerprint)
	}
	// Reopened for the same job, the records stay; for another, they go.
	if w, _ := OpenManifest(dir, "abc", nil); len(w.m.Frames) != 3 {
		t.Errorf("reopened for the same job: %d frames, want 3", len(w.m.Frames))
	}
	if w, _ := OpenManifest(dir, "xyz", nil); len(w.m.Frames) != 0 {
		t.Errorf("reopened for another job: %d frames, want 0", len(w.m.Frames))
	}
	os.WriteFile(filepath.Join(dir, ManifestName), []byte("{not json"), 0o644)
	if _, err := OpenManifest(dir, "abc", nil); err == nil || !strings.Contains(err.Error(), "move it away") {
		t.Errorf("OpenManifest on a broken manifest = %v, want an error saying what to do", err)
	}
}

func TestSequenceWriteHashes(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewSequence(dir, DefaultPattern)
	w, err := s.Write(1, testImage(20, 10, 7))
	if err != nil {
		t.Fatal(err)
	}
	sum, size, err := HashFile(w.Path)
	if err != nil || sum != w.SHA256 || size != w.Size {
		t.Errorf("Write reported %s, %d bytes; the file hashes to %s, %d bytes (%v)", w.SHA256, w.Size, sum, size, err)
	}
}
