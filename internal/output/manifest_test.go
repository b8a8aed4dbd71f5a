package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

var run1 = RunRecord{Frames: 3, Range: "1-3", Shards: 1}

func openManifest(t *testing.T, d *Dir, fp string, force bool) *ManifestWriter {
	t.Helper()
	w, err := OpenManifest(d, fp, map[string]any{"width": 32}, run1, force)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestManifestWriter(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	w := openManifest(t, d, "abc", false)
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
	if !slices.Equal(m.Runs, []RunRecord{run1}) {
		t.Errorf("manifest runs %+v, want %+v", m.Runs, run1)
	}
	// Reopened for the same job, the records stay; another job is refused
	// unless forced, and then its records go.
	if w := openManifest(t, d, "abc", false); len(w.recorded) != 3 {
		t.Errorf("reopened for the same job: %d frames, want 3", len(w.recorded))
	}
	var other *OtherJobError
	if _, err := OpenManifest(d, "xyz", nil, run1, false); !errors.As(err, &other) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("opened for another job: %v, want an OtherJobError that says --force", err)
	}
	if w := openManifest(t, d, "xyz", true); len(w.recorded) != 0 {
		t.Errorf("forced for another job: %d frames, want 0", len(w.recorded))
	}
	if m, _ := ReadManifest(dir); m.Fingerprint != "xyz" || len(m.Frames) != 0 {
		t.Errorf("after --force the manifest is %+v, want xyz's, empty", m)
	}
	os.WriteFile(filepath.Join(dir, ManifestName), []byte("{not json"), 0o644)
	if _, err := OpenManifest(d, "abc", nil, run1, false); err == nil || !strings.Contains(err.Error(), "move it away") {
		t.Errorf("OpenManifest on a broken manifest = %v, want an error saying what to do", err)
	}
}

func TestSequenceWriteHashes(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewSequence(testDir(t, dir), DefaultPattern)
	w, err := s.Write(1, testImage(20, 10, 7))
	if err != nil {
		t.Fatal(err)
	}
	sum, size, err := HashFile(w.Path)
	if err != nil || sum != w.SHA256 || size != w.Size {
		t.Errorf("Write reported %s, %d bytes; the file hashes to %s, %d bytes (%v)", w.SHA256, w.Size, sum, size, err)
	}
	if fi, err := os.Stat(w.Path); err != nil || !os.SameFile(fi, w.Info) {
		t.Errorf("Write reported file %v, the frame on disk is %v (%v)", w.Info, fi, err)
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
		w := openManifest(t, testDir(t, dir), "job", false)
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

// TestManifestTakenOver is a job whose directory another takes over with
// --force while it runs: its next frame is not renamed into place, and its next
// manifest write says why.
func TestManifestTakenOver(t *testing.T) {
	dir := t.TempDir()
	a := openManifest(t, testDir(t, dir), "a", false)
	s, _ := NewSequence(testDir(t, dir), DefaultPattern)
	s.Guard = a.Hold
	if _, err := s.Write(1, testImage(4, 4, 1)); err != nil {
		t.Fatal(err)
	}
	openManifest(t, testDir(t, dir), "b", true)
	if _, err := s.Write(2, testImage(4, 4, 2)); err == nil || !strings.Contains(err.Error(), "took") {
		t.Errorf("a frame written after another job took the directory: %v, want an error", err)
	}
	if _, err := os.Lstat(s.Path(2)); err == nil {
		t.Error("frame 2 was renamed into a directory another job holds")
	}
	a.Add(FrameRecord{Number: 1, File: "frame_0001.png"})
	if err := a.Flush(); err == nil || !strings.Contains(err.Error(), "its own --out") {
		t.Errorf("Flush after another job took over = %v, want an error saying to give each job its own --out", err)
	}
	if m, _ := ReadManifest(dir); m.Fingerprint != "b" {
		t.Errorf("the manifest is job %s's, want b's", m.Fingerprint)
	}
}

func TestManifestFinished(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	s, _ := NewSequence(d, DefaultPattern)
	w := openManifest(t, d, "job", false)
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

	w = openManifest(t, d, "job", false)
	got, err := w.Finished(names, 3)
	if err != nil || !slices.Equal(got, []int{1}) {
		t.Errorf("Finished = %v, %v; want [1]: 2 is missing, 3 and 4 are not the recorded bytes, 5 has another name, 6 was never recorded", got, err)
	}
	if w := openManifest(t, d, "another job", true); len(must(w.Finished(names, 3))) != 0 {
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
	d := testDir(t, dir)
	dead := []string{".frame_0001.png." + testTag + "-0000abcd.partial", ".frame_0002.png." + testTag + "-00001234.partial", ".manifest.json." + testTag + "-ffffffff.partial"}
	others := []string{
		".frame_0001.png.fedcba9876543210-0000abcd.partial", // another job's
		".notes.partial", ".frame_0001.png.partial", // a user's
		"frame_0001.png", ".hidden",
	}
	for _, name := range append(slices.Clone(dead), others...) {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644)
	}
	// A writer at work, as another process's would be: its file is locked.
	busy, err := d.Create("frame_0003.png")
	if err != nil {
		t.Fatal(err)
	}
	if r, err := Verify(dir); err == nil || !strings.Contains(err.Error(), "manifest") {
		t.Fatalf("Verify without a manifest = %+v, %v", r, err)
	}
	w := openManifest(t, d, "job", false)
	sum, size, _ := HashFile(filepath.Join(dir, "frame_0001.png"))
	w.Add(FrameRecord{Number: 1, File: "frame_0001.png", SHA256: sum, Size: size})
	w.Flush()
	if r, err := Verify(dir); err != nil || len(r.Partial) != 5 || r.OK() {
		t.Errorf("Verify found partial files %v (%v), want the 3 dead writers', the other job's and the busy one, and not OK", r.Partial, err)
	}

	n, err := d.RemoveTemps()
	if err != nil || n != 3 {
		t.Errorf("RemoveTemps removed %d (%v), want the 3 of this job's that no writer holds", n, err)
	}
	var left []string
	for _, e := range must(os.ReadDir(dir)) {
		left = append(left, e.Name())
	}
	want := append([]string{".manifest.lock", busy.temp, "manifest.json"}, others...)
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("left %v, want %v: the busy writer's file, the other job's and the user's stay", left, want)
	}
	busy.Write([]byte("a frame"))
	if err := busy.Commit(); err != nil {
		t.Errorf("the busy writer's Commit after RemoveTemps: %v", err)
	}
}

// TestRemoveTempsWhileWritersCommit runs RemoveTemps over and over while a
// writer of the same job creates, writes and commits frames, as the array
// tasks of a farm job sharing a directory do: a temporary file committed
// between RemoveTemps's open of it and its second look is gone, not an error;
// one taken for a dead writer's in the moment before its writer locks it, the
// writer makes again; and every frame is there at the end, whole, with no
// temporary file left.
func TestRemoveTempsWhileWritersCommit(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	done := make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		defer close(done)
		for i := range 1000 {
			f, err := d.Create(fmt.Sprintf("frame_%04d.png", i%50))
			if err == nil {
				f.Write([]byte("a frame"))
				err = f.Commit()
			}
			if err != nil {
				errs <- err
				return
			}
		}
	}()
	scans := 0
	for {
		select {
		case <-done:
			select {
			case err := <-errs:
				t.Fatalf("a writer: %v", err)
			default:
			}
			if scans < 100 {
				t.Fatalf("RemoveTemps ran %d times while the writer worked, want 100 or more", scans)
			}
			for _, e := range must(os.ReadDir(dir)) {
				if _, temp := isTemp(e.Name()); temp {
					t.Errorf("%s left behind", e.Name())
				}
			}
			for i := range 50 {
				if b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("frame_%04d.png", i))); string(b) != "a frame" {
					t.Errorf("frame %d: %q, %v; want the frame written", i, b, err)
				}
			}
			return
		default:
		}
		if _, err := d.RemoveTemps(); err != nil {
			t.Fatalf("RemoveTemps while a writer works: %v", err)
		}
		scans++
	}
}
