package output

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckPattern(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    string // part of the error, "" for none
	}{
		{"frame_%04d.png", ""},
		{"shot_%05d.png", ""},
		{"%d.png", ""},
		{"100%%_%03d.PNG", ""},
		{"frame.png", "exactly one frame-number verb"},
		{"frame_%d_%d.png", "exactly one frame-number verb"},
		{"frame_%s.png", "exactly one frame-number verb"},
		{"frame_%d%s.png", "only one verb"},
		{"frame_%04d.jpg", "must end in .png"},
		{"sub/frame_%04d.png", "not a path"},
	} {
		err := CheckPattern(c.pattern)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckPattern(%q) = %v, want nil", c.pattern, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckPattern(%q) = %v, want an error containing %q", c.pattern, err, c.want)
		}
	}
}

func TestSequenceNames(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		pattern string
		n       int
		want    string
	}{
		{DefaultPattern, 1, "frame_0001.png"},
		{DefaultPattern, 12345, "frame_12345.png"},
		{"shot_%05d.png", 42, "shot_00042.png"},
		{"%d.png", 7, "7.png"},
	} {
		s, err := NewSequence(testDir(t, dir), c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := filepath.Base(s.Path(c.n)); got != c.want {
			t.Errorf("Sequence(%q).Path(%d) = %s, want %s", c.pattern, c.n, got, c.want)
		}
	}
}

func testImage(w, h int, shade uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), shade, 255})
		}
	}
	return img
}

func TestSequenceWritesPNGsAtomically(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b") // created on demand
	s, err := NewSequence(testDir(t, dir), DefaultPattern)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for n := 1; n <= 8; n++ {
		wg.Go(func() {
			if _, err := s.Write(n, testImage(40, 30, uint8(n))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 8 {
		t.Errorf("%d files in the directory, want 8: %v", len(entries), entries)
	}
	for n := 1; n <= 8; n++ {
		f, err := os.Open(s.Path(n))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("frame %d: %v", n, err)
		}
		if _, _, b, _ := img.At(3, 4).RGBA(); b>>8 != uint32(n) {
			t.Errorf("frame %d: blue = %d, want %d", n, b>>8, n)
		}
	}
}

// TestReserveMakesTheBuffersOnce checks Reserve: it makes its writers'
// buffers up front, within EncoderBytes each, and frames written after it,
// as many at once as reserved, make no new ones and write the same bytes.
func TestReserveMakesTheBuffersOnce(t *testing.T) {
	const writers = 3
	dir := t.TempDir()
	s, err := NewSequence(testDir(t, dir), DefaultPattern)
	if err != nil {
		t.Fatal(err)
	}
	allocated := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.TotalAlloc
	}
	before := allocated()
	s.Reserve(writers)
	if per := (allocated() - before) / writers; per > EncoderBytes || per < EncoderBytes/2 {
		t.Errorf("Reserve made %d bytes per writer, want them within EncoderBytes = %d and more than half of it", per, EncoderBytes)
	}
	img := testImage(40, 30, 7)
	write := func(from int) {
		var wg sync.WaitGroup
		for n := range writers {
			wg.Go(func() {
				if _, err := s.Write(from+n, img); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	write(1) // the first frames size the encoders' rows
	before = allocated()
	for i := range 10 {
		write(10 + writers*i)
	}
	if per := (allocated() - before) / (10 * writers); per > 64<<10 {
		t.Errorf("a frame written after Reserve allocates %d bytes, want far less than a compressor or a write buffer", per)
	}
	want, err := os.ReadFile(s.Path(1))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := NewSequence(testDir(t, t.TempDir()), DefaultPattern)
	w, err := plain.Write(1, img)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(w.Path); !bytes.Equal(got, want) {
		t.Errorf("a frame written after Reserve differs from one written without it")
	}
}

// TestReserveBoundsTheEncodes checks that a sequence with Reserve(2) encodes at
// most two frames at once: a third waits until one of them is done.
func TestReserveBoundsTheEncodes(t *testing.T) {
	s, err := NewSequence(testDir(t, t.TempDir()), DefaultPattern)
	if err != nil {
		t.Fatal(err)
	}
	s.Reserve(2)
	img := testImage(40, 30, 7)
	release := make(chan struct{})
	var running, most atomic.Int32
	held := func() io.Writer {
		return writerFunc(func(p []byte) (int, error) {
			n := running.Add(1)
			defer running.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			<-release
			return len(p), nil
		})
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if err := s.encode(held(), img); err != nil {
				t.Error(err)
			}
		})
	}
	deadline := time.Now().Add(5 * time.Second)
	for running.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // time for a third to start, were it let in
	if n := running.Load(); n != 2 {
		t.Errorf("%d encodes writing at once with Reserve(2), want 2", n)
	}
	close(release)
	wg.Wait()
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d encodes wrote at once, want 2", m)
	}
}

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestWriteFileLeavesNothingOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "frame_0001.png")
	os.WriteFile(path, []byte("old"), 0o644)
	boom := errors.New("encoder failed")
	err := new(Temps).WriteFile(path, func(w io.Writer) error {
		w.Write([]byte("half a fra"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the old file holds %q, want it untouched", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries in the directory, want only the old file: %v", len(entries), entries)
	}
}

func TestTempNamesNeverMatchPNGGlobs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "frame_0001.png")
	err := new(Temps).WriteFile(path, func(w io.Writer) error {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.png"))
		if len(matches) != 0 {
			t.Errorf("while writing, *.png matches %v, want nothing", matches)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), tempSuffix) {
			t.Errorf("while writing, the directory holds %v, want one %s file", entries, tempSuffix)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPrepareDir(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file")
	os.WriteFile(file, nil, 0o644)
	if err := PrepareDir(file); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("PrepareDir(a file) = %v, want an 'is a file' error", err)
	}
	if err := PrepareDir(filepath.Join(file, "sub")); err == nil || !strings.Contains(err.Error(), "cannot create") {
		t.Errorf("PrepareDir(under a file) = %v, want a 'cannot create' error", err)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(root, "ro")
		os.Mkdir(ro, 0o555)
		if err := PrepareDir(ro); err == nil || !strings.Contains(err.Error(), "cannot write") {
			t.Errorf("PrepareDir(read-only) = %v, want a 'cannot write' error", err)
		}
	}
	if err := PrepareDir(filepath.Join(root, "new", "dir")); err != nil {
		t.Errorf("PrepareDir(new nested dir) = %v, want nil", err)
	}
}

func TestTempsRemoveAll(t *testing.T) {
	dir := t.TempDir()
	var temps, others Temps
	whole := filepath.Join(dir, "whole.png")
	if err := temps.WriteFile(whole, func(w io.Writer) error { _, err := w.Write([]byte("whole")); return err }); err != nil {
		t.Fatal(err)
	}
	partial, err := temps.Create(filepath.Join(dir, "partial.png"))
	if err != nil {
		t.Fatal(err)
	}
	partial.Write([]byte("half"))
	d, err := temps.OpenDir(dir, testTag)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	frame, err := d.Create("frame.png")
	if err != nil {
		t.Fatal(err)
	}
	frame.Write([]byte("half"))
	// Another owner's file being written is its own: RemoveAll leaves it.
	theirs, err := others.Create(filepath.Join(dir, "theirs.png"))
	if err != nil {
		t.Fatal(err)
	}
	temps.RemoveAll()
	if err := theirs.Commit(); err != nil {
		t.Errorf("committing another Temps' file after RemoveAll: %v, want it whole", err)
	}
	if err := frame.Commit(); err == nil {
		t.Error("committing a removed frame succeeded, want an error")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"theirs.png", "whole.png"}; !slices.Equal(names, want) {
		t.Errorf("after RemoveAll the directory holds %v, want %v", names, want)
	}
	if err := partial.Commit(); err == nil {
		t.Error("committing a removed file succeeded, want an error")
	}
	if _, err := os.Stat(filepath.Join(dir, "partial.png")); err == nil {
		t.Error("partial.png appeared after its temporary file was removed")
	}
}

// testDir opens dir, creating it, for a job tagged "0123456789abcdef".
func testDir(t *testing.T, dir string) *Dir {
	t.Helper()
	d, err := new(Temps).OpenDir(dir, testTag)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

const testTag = "0123456789abcdef"
