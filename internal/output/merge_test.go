package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// rec is a frame record of the test's: file f<n>.png, size n, hash "h<n>".
func rec(n int) FrameRecord {
	return FrameRecord{Number: n, File: fmt.Sprintf("f%d.png", n), SHA256: fmt.Sprintf("h%d", n), Size: int64(n)}
}

// TestManifestMergesInOrder checks that the records landed are merged with the
// manifest's own in frame order: before the first, between, in place of one of
// the same frame, and after the last; and that of two records of one frame
// landed before a write, the later wins.
func TestManifestMergesInOrder(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	w := openManifest(t, d, "job", false)
	for _, n := range []int{3, 5, 7} {
		w.Add(rec(n))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	newer := rec(5)
	newer.SHA256, newer.Size = "new", 55
	older := rec(5)
	older.SHA256 = "stale"
	for _, r := range []FrameRecord{rec(9), older, rec(1), newer, rec(4), rec(8)} {
		w.Add(r)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []FrameRecord{rec(1), rec(3), rec(4), newer, rec(7), rec(8), rec(9)}
	if !slices.Equal(m.Frames, want) {
		t.Errorf("merged records\n%v\nwant\n%v", m.Frames, want)
	}
	// Pending records are written once: a Flush with nothing new writes nothing.
	before, _ := os.Stat(filepath.Join(dir, ManifestName))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(filepath.Join(dir, ManifestName)); !os.SameFile(before, after) {
		t.Error("a Flush with no new records rewrote the manifest")
	}
}

// TestManifestWriteSpacing checks that Add writes at once when a write is due,
// and leaves the record pending while the last write is recent; after a write
// the next waits at least manifestInterval.
func TestManifestWriteSpacing(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	w := openManifest(t, d, "job", false)
	w.next = time.Time{}
	if err := w.Add(rec(1)); err != nil {
		t.Fatal(err)
	}
	if m, _ := ReadManifest(dir); len(m.Frames) != 1 {
		t.Errorf("after an Add that was due, the manifest has %d records, want 1", len(m.Frames))
	}
	if wait := time.Until(w.next); wait < manifestInterval/2 || wait > manifestInterval+time.Minute {
		t.Errorf("after a write the next waits %v, want about %v", wait, manifestInterval)
	}
	w.next = time.Now().Add(time.Hour)
	if err := w.Add(rec(2)); err != nil {
		t.Fatal(err)
	}
	if m, _ := ReadManifest(dir); len(m.Frames) != 1 || len(w.pending) != 1 {
		t.Errorf("after an Add within the interval, the manifest has %d records and %d are pending, want 1 and 1", len(m.Frames), len(w.pending))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if m, _ := ReadManifest(dir); len(m.Frames) != 2 || len(w.pending) != 0 {
		t.Errorf("after Flush, the manifest has %d records and %d are pending, want 2 and 0", len(m.Frames), len(w.pending))
	}
}

// TestManifestEditedMeanwhile checks that a manifest of this job's that is
// edited while the job runs is refused at the next write, saying so, whatever
// is wrong with it; and that the job's own file stays as it was.
func TestManifestEditedMeanwhile(t *testing.T) {
	head := `{"fingerprint": "job", "job": {}, `
	for _, c := range []struct{ name, manifest, want string }{
		{"frames not a list", head + `"frames": {}}`, "frames is not a list"},
		{"frames out of order", head + `"frames": [` + recJSON(2) + `,` + recJSON(1) + `]}`, "frame 1 is recorded after frame 2"},
		{"a frame twice", head + `"frames": [` + recJSON(1) + `,` + recJSON(1) + `]}`, "frame 1 is recorded after frame 1"},
		{"a path", head + `"frames": [{"number": 1, "file": "../f1.png", "sha256": "h", "size": 1}]}`, "not a file name"},
		{"frame 0", head + `"frames": [{"number": 0, "file": "f0.png", "sha256": "h", "size": 1}]}`, "frame number 0"},
		{"a negative size", head + `"frames": [{"number": 1, "file": "f1.png", "sha256": "h", "size": -1}]}`, "size -1"},
		{"a record not an object", head + `"frames": [1]}`, "cannot unmarshal"},
		{"no frames", `{"fingerprint": "job", "job": {}}`, "records no frames list"},
		{"runs not a list", head + `"frames": [], "runs": 3}`, "cannot unmarshal"},
		{"cut short", head + `"frames": [` + recJSON(1), "EOF"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			d := testDir(t, dir)
			w := openManifest(t, d, "job", false)
			path := filepath.Join(dir, ManifestName)
			os.WriteFile(path, []byte(c.manifest), 0o644)
			w.Add(rec(3))
			err := w.Flush()
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "it was edited") {
				t.Errorf("Flush over an edited manifest = %v, want an error saying %q and that it was edited", err, c.want)
			}
			if got, _ := os.ReadFile(path); string(got) != c.manifest {
				t.Errorf("the manifest holds %q after the refused write, want it untouched", got)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{LockName, ManifestName}) {
				t.Errorf("the directory holds %v, want only the lock and the manifest", names)
			}
		})
	}
}

func recJSON(n int) string {
	return fmt.Sprintf(`{"number": %d, "file": "f%d.png", "sha256": "h%d", "size": %d}`, n, n, n, n)
}

// TestManifestFieldOrder checks that a manifest whose fingerprint is not its
// first key (another version's, or edited by hand) is still read: whole.
func TestManifestFieldOrder(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	os.WriteFile(filepath.Join(dir, ManifestName), []byte(`{"job": {}, "frames": [`+recJSON(1)+`], "fingerprint": "job", "runs": []}`), 0o644)
	w, err := OpenManifest(d, "job", nil, run1, false)
	if err != nil {
		t.Fatalf("OpenManifest over a manifest with its keys in another order: %v", err)
	}
	if r, ok := w.recorded[1]; !ok || r != rec(1) {
		t.Errorf("records kept %v, want frame 1's", w.recorded)
	}
	if _, err := OpenManifest(d, "other", nil, run1, false); err == nil {
		t.Error("another job opened over it: nil error, want it refused")
	}
}

// TestManifestTooBig checks that a manifest bigger than any render writes is
// refused, unread, when opened and when it grows under a running job.
func TestManifestTooBig(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	w := openManifest(t, d, "job", false)
	path := filepath.Join(dir, ManifestName)
	// The fingerprint first, as render writes it, then a sparse hole.
	os.WriteFile(path, []byte(`{"fingerprint": "job", "frames": [`), 0o644)
	if err := os.Truncate(path, MaxManifestSize+1); err != nil {
		t.Fatal(err)
	}
	w.Add(rec(1))
	if err := w.Flush(); err == nil || !strings.Contains(err.Error(), "more than any manifest") {
		t.Errorf("Flush over a %d-byte manifest = %v, want it refused as no manifest", MaxManifestSize+1, err)
	}
	if _, err := OpenManifest(d, "job", nil, run1, false); err == nil || !strings.Contains(err.Error(), "more than any manifest") {
		t.Errorf("OpenManifest over a %d-byte manifest = %v, want it refused as no manifest", MaxManifestSize+1, err)
	}
	if _, err := Verify(dir); err == nil || !strings.Contains(err.Error(), "more than any manifest") {
		t.Errorf("Verify with a %d-byte manifest = %v, want it refused as no manifest", MaxManifestSize+1, err)
	}
	// Exactly the limit is read (and found wanting as JSON).
	if err := os.Truncate(path, MaxManifestSize); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(dir); err == nil || strings.Contains(err.Error(), "more than any manifest") || !strings.Contains(err.Error(), "is not a manifest") {
		t.Errorf("Verify with a %d-byte manifest = %v, want it read and found not a manifest", MaxManifestSize, err)
	}
}

// TestOpenManifestRecordsTheRun checks that a process of a job adds its run to
// the manifest when it opens it, once: a run already recorded leaves the file as
// it is.
func TestOpenManifestRecordsTheRun(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	w := openManifest(t, d, "job", false)
	w.Add(rec(1))
	w.Flush()
	path := filepath.Join(dir, ManifestName)
	before, _ := os.Stat(path)
	openManifest(t, d, "job", false) // run1 again
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) {
		t.Error("reopened with a run already recorded: the manifest was rewritten, want it left as it is")
	}
	shard := RunRecord{Frames: 3, Range: "1-3", Shards: 2}
	w2, err := OpenManifest(d, "job", nil, shard, false)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ReadManifest(dir)
	if !slices.Equal(m.Runs, []RunRecord{run1, shard}) || !slices.Equal(m.Frames, []FrameRecord{rec(1)}) {
		t.Errorf("reopened with a new run: runs %v, frames %v; want both runs and frame 1 kept", m.Runs, m.Frames)
	}
	// The writer holds the file it wrote: a rename under it goes ahead.
	renamed := false
	if err := w2.Hold(func() error { renamed = true; return nil }); err != nil || !renamed {
		t.Errorf("Hold by the manifest's own writer = %v (renamed %v), want the rename done", err, renamed)
	}
}

// TestHoldFollowsItsOwnJob checks Hold: with no manifest, or one rewritten by
// another process of the same job, the rename goes ahead; with another job's,
// it does not.
func TestHoldFollowsItsOwnJob(t *testing.T) {
	dir := t.TempDir()
	w := openManifest(t, testDir(t, dir), "job", false)
	other := openManifest(t, testDir(t, dir), "job", false) // another process of the job
	other.Add(rec(2))
	if err := other.Flush(); err != nil {
		t.Fatal(err)
	}
	calls := 0
	do := func() error { calls++; return nil }
	if err := w.Hold(do); err != nil || calls != 1 {
		t.Errorf("Hold after the job's other process rewrote the manifest = %v (%d renames), want the rename done", err, calls)
	}
	if info, _ := os.Lstat(filepath.Join(dir, ManifestName)); !sameVersion(info, w.owned) {
		t.Error("Hold did not take the other process's manifest as the job's: it would read it again every frame")
	}
	os.Remove(filepath.Join(dir, ManifestName))
	if err := w.Hold(do); err != nil || calls != 2 {
		t.Errorf("Hold with no manifest = %v (%d renames), want the rename done", err, calls)
	}
	os.WriteFile(filepath.Join(dir, ManifestName), []byte(`not JSON`), 0o644)
	if err := w.Hold(do); err == nil || calls != 2 {
		t.Errorf("Hold over a broken manifest = %v (%d renames), want an error and no rename", err, calls)
	}
	os.Remove(filepath.Join(dir, ManifestName))
	openManifest(t, testDir(t, dir), "else", true)
	if err := w.Hold(do); err == nil || calls != 2 {
		t.Errorf("Hold after another job took over = %v (%d renames), want an error and no rename", err, calls)
	}
}

func TestSameVersion(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.WriteFile(a, []byte("x"), 0o644)
	os.WriteFile(b, []byte("x"), 0o644)
	ai, _ := os.Stat(a)
	bi, _ := os.Stat(b)
	if !sameVersion(ai, ai) {
		t.Error("sameVersion(a, a) = false, want true")
	}
	if sameVersion(ai, bi) || sameVersion(nil, ai) || sameVersion(ai, nil) {
		t.Error("sameVersion of two files, or of nil, = true, want false")
	}
	os.WriteFile(a, []byte("xy"), 0o644)
	grown, _ := os.Stat(a)
	if sameVersion(ai, grown) {
		t.Error("sameVersion of a file and itself grown = true, want false")
	}
	os.WriteFile(a, []byte("x"), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(a, old, old)
	touched, _ := os.Stat(a)
	if sameVersion(ai, touched) {
		t.Error("sameVersion of a file and itself rewritten at another time = true, want false")
	}
}

// TestFinishedComparesTheHash is resume's check: a frame on disk of the
// recorded size but other bytes is not finished, and a frame that cannot be
// read is an error, not a frame to skip.
func TestFinishedComparesTheHash(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	s, _ := NewSequence(d, DefaultPattern)
	w := openManifest(t, d, "job", false)
	for n := 1; n <= 2; n++ {
		out, err := s.Write(n, testImage(8, 8, uint8(n)))
		if err != nil {
			t.Fatal(err)
		}
		w.Add(FrameRecord{Number: n, File: filepath.Base(out.Path), SHA256: out.SHA256, Size: out.Size})
	}
	w.Flush()
	data, _ := os.ReadFile(s.Path(2))
	data[len(data)/2] ^= 1 // the same size, one bit off
	os.WriteFile(s.Path(2), data, 0o644)
	names := map[int]string{1: "frame_0001.png", 2: "frame_0002.png"}
	if got, err := openManifest(t, d, "job", false).Finished(names, 2); err != nil || !slices.Equal(got, []int{1}) {
		t.Errorf("Finished = %v, %v; want [1]: frame 2 has the recorded size but not the recorded bytes", got, err)
	}
	os.Remove(s.Path(2))
	os.Mkdir(s.Path(2), 0o755)
	if got, err := openManifest(t, d, "job", false).Finished(names, 2); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Finished with a directory where frame 2 should be = %v, %v; want an error saying so", got, err)
	}
}

// TestHashFileReadsWithABound checks that a frame is read no further than one
// byte past its recorded size, and HashFile the whole file.
func TestHashFileReadsWithABound(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	os.WriteFile(filepath.Join(dir, "f"), []byte("0123456789"), 0o644)
	for _, c := range []struct {
		want     int64
		wantSize int64
	}{{3, 4}, {9, 10}, {10, 10}, {100, 10}, {-5, 1}} {
		if _, size, err := d.hashFile("f", c.want); err != nil || size != c.wantSize {
			t.Errorf("hashFile(f, %d) read %d bytes (%v), want %d", c.want, size, err, c.wantSize)
		}
	}
	sum, size, err := HashFile(filepath.Join(dir, "f"))
	if err != nil || size != 10 || sum != "84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882" {
		t.Errorf("HashFile = %s, %d, %v; want the SHA-256 of 0123456789, 10 bytes", sum, size, err)
	}
	if _, _, err := HashFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("HashFile(missing) = %v, want fs.ErrNotExist", err)
	}
	if _, _, err := HashFile(filepath.Join(dir, "no", "f")); err == nil {
		t.Error("HashFile in a missing directory = nil error")
	}
}

// TestReadManifestErrors checks what ReadManifest says of a missing, broken or
// edited manifest.
func TestReadManifestErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadManifest(dir); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), filepath.Join(dir, ManifestName)) {
		t.Errorf("ReadManifest with none = %v, want fs.ErrNotExist naming the file", err)
	}
	path := filepath.Join(dir, ManifestName)
	os.WriteFile(path, []byte(`{"fingerprint": "job", "frames": [{"number": 1, "file": "../a"}, {"number": 2, "file": "/b"}, `+recJSON(3)+`]}`), 0o644)
	m, err := ReadManifest(dir)
	if err == nil || !strings.Contains(err.Error(), `"../a"`) || !strings.Contains(err.Error(), "and 1 more") {
		t.Errorf("ReadManifest with two bad records = %v, want the first named and 1 more counted", err)
	}
	if !slices.Equal(m.Frames, []FrameRecord{rec(3)}) {
		t.Errorf("ReadManifest kept records %v, want only frame 3's", m.Frames)
	}
	if _, err := ReadManifest(filepath.Join(dir, "missing")); err == nil {
		t.Error("ReadManifest of a missing directory = nil error")
	}
}

func TestFrameRecordCheck(t *testing.T) {
	for _, c := range []struct {
		r    FrameRecord
		want string
	}{
		{FrameRecord{Number: 1, File: "f.png"}, ""},
		{FrameRecord{Number: maxListedFrame, File: "f.png", Size: 0}, ""},
		{FrameRecord{Number: 0, File: "f.png"}, "frame number 0"},
		{FrameRecord{Number: maxListedFrame + 1, File: "f.png"}, "not between 1 and"},
		{FrameRecord{Number: 1, File: "f.png", Size: -1}, "below 0"},
		{FrameRecord{Number: 1, File: "a/f.png"}, "not a file name"},
	} {
		err := c.r.check()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v.check() = %v, want %q", c.r, err, c.want)
		}
	}
}

func TestAfresh(t *testing.T) {
	if got := afresh(fmt.Errorf("bad")).Error(); got != "bad: move it away to start afresh" {
		t.Errorf("afresh(bad) = %q", got)
	}
	if got := afresh(fmt.Errorf("bad: move it away, please")).Error(); got != "bad: move it away, please" {
		t.Errorf("afresh of an error that says what to do = %q, want it unchanged", got)
	}
}

// TestHoldDoesNotRereadItsOwnManifest checks that Hold, which runs for every
// frame, does not read the manifest again while it is the very file this
// writer wrote last (same file, size and time): the check is a stat.
func TestHoldDoesNotRereadItsOwnManifest(t *testing.T) {
	dir := t.TempDir()
	w := openManifest(t, testDir(t, dir), "job", false)
	path := filepath.Join(dir, ManifestName)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// The same file, size and time, but bytes that do not parse: only a
	// reread would see them.
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(bytes.Repeat([]byte("x"), int(fi.Size())))
	f.Close()
	os.Chtimes(path, fi.ModTime(), fi.ModTime())
	renamed := false
	if err := w.Hold(func() error { renamed = true; return nil }); err != nil || !renamed {
		t.Errorf("Hold over its own unchanged manifest = %v (renamed %v), want the rename done without reading it", err, renamed)
	}
}

// TestSlowDiskSpacesTheWrites checks that on a slow disk the manifest is
// written less often: after a write that took d, the next waits
// manifestSpacing × d when that is longer than manifestInterval.
func TestSlowDiskSpacesTheWrites(t *testing.T) {
	const slowSync = 100 * time.Millisecond // a write takes at least this
	d := testDir(t, t.TempDir())
	w := openManifest(t, d, "job", false)
	d.hooks = &disk{
		syncFile: func(f *os.File) error { time.Sleep(slowSync); return realDisk.syncFile(f) }, // the slow disk
		rename:   realDisk.rename,
		syncDir:  realDisk.syncDir,
	}
	w.Add(rec(1))
	start := time.Now()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if wait, least := w.next.Sub(start), manifestSpacing*slowSync; wait < least {
		t.Errorf("after a write of at least %v the next waits until %v after its start, want at least %v (manifestSpacing × the write)", slowSync, wait, least)
	}
}

// TestFingerprintReadFirst checks that a manifest's fingerprint is read from
// its first key without reading on: a manifest of another job that is cut short
// after it (being written by a version that does not rename, say) is that
// job's, refused as such, and replaced with --force.
func TestFingerprintReadFirst(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	os.WriteFile(filepath.Join(dir, ManifestName), []byte(`{"fingerprint": "other", "job": {}, "frames": [`), 0o644)
	var other *OtherJobError
	if _, err := OpenManifest(d, "job", nil, run1, false); !errors.As(err, &other) || other.Fingerprint != "other" {
		t.Errorf("OpenManifest over another job's manifest cut short = %v, want an OtherJobError naming its fingerprint", err)
	}
	if _, err := OpenManifest(d, "job", nil, run1, true); err != nil {
		t.Errorf("OpenManifest with force over another job's manifest cut short = %v, want it replaced", err)
	}
	// A fingerprint that is no string is not one: the manifest is read whole.
	os.WriteFile(filepath.Join(dir, ManifestName), []byte(`{"fingerprint": 5, "job": {}, "frames": []}`), 0o644)
	if _, err := OpenManifest(d, "job", nil, run1, false); err == nil || !strings.Contains(err.Error(), "is not a manifest") {
		t.Errorf("OpenManifest over a manifest whose fingerprint is a number = %v, want it not a manifest", err)
	}
}

// TestManifestBytes pins the manifest's layout, a record a line, which makes a
// finished job's manifest the same bytes however it was made and easy to diff.
func TestManifestBytes(t *testing.T) {
	dir := t.TempDir()
	w := openManifest(t, testDir(t, dir), "job", false)
	path := filepath.Join(dir, ManifestName)
	const empty = "{\n  \"fingerprint\": \"job\",\n  \"job\": {\"width\":32},\n  \"frames\": [],\n  \"runs\": [{\"frames\":3,\"range\":\"1-3\",\"shards\":1}]\n}\n"
	if got, _ := os.ReadFile(path); string(got) != empty {
		t.Errorf("a new manifest is\n%s\nwant\n%s", got, empty)
	}
	w.Add(rec(2))
	w.Add(rec(1))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	const two = "{\n  \"fingerprint\": \"job\",\n  \"job\": {\"width\":32},\n  \"frames\": [\n" +
		"    {\"number\":1,\"file\":\"f1.png\",\"sha256\":\"h1\",\"size\":1},\n" +
		"    {\"number\":2,\"file\":\"f2.png\",\"sha256\":\"h2\",\"size\":2}\n" +
		"  ],\n  \"runs\": [{\"frames\":3,\"range\":\"1-3\",\"shards\":1}]\n}\n"
	if got, _ := os.ReadFile(path); string(got) != two {
		t.Errorf("a manifest of two frames is\n%s\nwant\n%s", got, two)
	}
}
