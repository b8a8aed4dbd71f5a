package output

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
	if w, _ := OpenManifest(dir, "abc", nil); len(w.recorded) != 3 {
		t.Errorf("reopened for the same job: %d frames, want 3", len(w.recorded))
	}
	if w, _ := OpenManifest(dir, "xyz", nil); len(w.recorded) != 0 {
		t.Errorf("reopened for another job: %d frames, want 0", len(w.recorded))
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

// TestManifestWritersMerge is many processes keeping one directory's manifest:
// each writer has its own lock file descriptor, as a process would, and every
// record of every writer must be in the manifest at the end.
func TestManifestWritersMerge(t *testing.T) {
	dir := t.TempDir()
	const writers, each = 4, 25
	var wg sync.WaitGroup
	for i := range writers {
		w, err := OpenManifest(dir, "job", map[string]any{"width": 8})
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for k := range each {
				n := 1 + i + k*writers // interleaved shares, as --shard takes them
				w.Add(FrameRecord{Number: n, File: fmt.Sprintf("f%d.png", n), SHA256: "x", Size: int64(n)})
				if err := w.Flush(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Frames) != writers*each {
		t.Fatalf("manifest has %d records, want %d: writers lost each other's records", len(m.Frames), writers*each)
	}
	for i, r := range m.Frames {
		if r.Number != i+1 || r.Size != int64(i+1) {
			t.Errorf("record %d is %+v, want frame %d", i, r, i+1)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, ManifestName)); strings.Contains(string(data), "second") {
		t.Errorf("manifest holds timings, want only what makes it the same bytes on every run:\n%s", data)
	}
}

func TestManifestOtherJob(t *testing.T) {
	dir := t.TempDir()
	old, _ := OpenManifest(dir, "old", nil)
	old.Add(FrameRecord{Number: 1, File: "a.png"})
	if err := old.Flush(); err != nil {
		t.Fatal(err)
	}
	// A new job replaces a finished one's records...
	a, _ := OpenManifest(dir, "a", nil)
	b, _ := OpenManifest(dir, "b", nil)
	a.Add(FrameRecord{Number: 2, File: "b.png"})
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	if m, _ := ReadManifest(dir); m.Fingerprint != "a" || len(m.Frames) != 1 || m.Frames[0].Number != 2 {
		t.Errorf("after job a replaced job old: %+v, want job a's frame 2 alone", m)
	}
	// ...but two jobs writing at once is a mistake, said, not a tug of war.
	b.Add(FrameRecord{Number: 3, File: "c.png"})
	if err := b.Flush(); err == nil || !strings.Contains(err.Error(), "its own --out") {
		t.Errorf("a second job writing at the same time: Flush = %v, want an error saying to give each job its own --out", err)
	}
}

func TestManifestFinished(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewSequence(dir, DefaultPattern)
	w, _ := OpenManifest(dir, "job", nil)
	for n := 1; n <= 5; n++ {
		out, err := s.Write(n, testImage(8, 8, uint8(n)))
		if err != nil {
			t.Fatal(err)
		}
		w.Add(FrameRecord{Number: n, File: filepath.Base(out.Path), SHA256: out.SHA256, Size: out.Size})
	}
	w.Flush()
	os.Remove(s.Path(2))                                                    // missing
	os.WriteFile(s.Path(3), []byte("truncated"), 0o644)                     // not the recorded bytes
	os.WriteFile(s.Path(4), append(must(os.ReadFile(s.Path(4))), 0), 0o644) // one byte longer
	os.WriteFile(filepath.Join(dir, ManifestName+".bak"), nil, 0o644)       // noise
	names := map[int]string{1: "frame_0001.png", 2: "frame_0002.png", 3: "frame_0003.png", 4: "frame_0004.png", 5: "other_5.png", 6: "frame_0006.png"}

	w, _ = OpenManifest(dir, "job", nil)
	got, err := w.Finished(names, 3)
	if err != nil || !slices.Equal(got, []int{1}) {
		t.Errorf("Finished = %v, %v; want [1]: 2 is missing, 3 and 4 are not the recorded bytes, 5 has another name, 6 was never recorded", got, err)
	}
	if w, _ := OpenManifest(dir, "another job", nil); len(must(w.Finished(names, 3))) != 0 {
		t.Error("Finished for another job found frames done, want none")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewSequence(dir, DefaultPattern)
	for _, name := range []string{".frame_0001.png.123.partial", ".frame_0002.png.789.partial", ".manifest.json.1.partial", "frame_0001.png", ".hidden"} {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644)
	}
	// A writer at work, as another process's would be: its file is locked.
	busy, err := CreateAtomic(s.Path(3))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := Verify(dir); err == nil || !strings.Contains(err.Error(), "manifest") {
		t.Fatalf("Verify without a manifest = %+v, %v", r, err)
	}
	w, _ := OpenManifest(dir, "job", nil)
	sum, size, _ := HashFile(filepath.Join(dir, "frame_0001.png"))
	w.Add(FrameRecord{Number: 1, File: "frame_0001.png", SHA256: sum, Size: size})
	w.Flush()
	if r, err := Verify(dir); err != nil || len(r.Partial) != 4 || r.OK() {
		t.Errorf("Verify found partial files %v (%v), want the 3 dead writers' and the busy one, and not OK", r.Partial, err)
	}

	n, err := RemoveTemps(dir)
	if err != nil || n != 3 {
		t.Errorf("RemoveTemps removed %d (%v), want the 3 that no writer holds", n, err)
	}
	var left []string
	for _, e := range must(os.ReadDir(dir)) {
		left = append(left, e.Name())
	}
	want := []string{".hidden", ".manifest.lock", filepath.Base(busy.Name()), "frame_0001.png", "manifest.json"}
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("left %v, want %v: the busy writer's file stays", left, want)
	}
	busy.Write([]byte("a frame"))
	if err := busy.Commit(); err != nil {
		t.Errorf("the busy writer's Commit after RemoveTemps: %v", err)
	}
}
