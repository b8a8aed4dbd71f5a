package output

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestDataReachesTheDisk is rule 10 (docs/guarantees.md): every frame and every
// manifest is synced before it is renamed into place, and its directory after,
// seen through the Dir's disk, which Commit calls.
func TestDataReachesTheDisk(t *testing.T) {
	var mu sync.Mutex
	var events []string
	note := func(e string) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	d := testDir(t, t.TempDir())
	d.hooks = &disk{
		syncFile: func(f *os.File) error {
			name := filepath.Base(f.Name())
			name = name[1:strings.Index(name, "."+testTag)] // the file it becomes
			note("sync " + name)
			return realDisk.syncFile(f)
		},
		rename:  func(d *Dir, from, to string) error { note("rename " + to); return realDisk.rename(d, from, to) },
		syncDir: func(d *Dir) error { note("sync dir"); return realDisk.syncDir(d) },
	}
	s, _ := NewSequence(d, DefaultPattern)
	w := openManifest(t, d, "job", false)
	s.Guard = w.Hold
	out, err := s.Write(1, testImage(8, 8, 1))
	if err != nil {
		t.Fatal(err)
	}
	w.Add(FrameRecord{Number: 1, File: filepath.Base(out.Path), SHA256: out.SHA256, Size: out.Size})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"frame_0001.png", ManifestName} {
		want := []string{"sync " + name, "rename " + name, "sync dir"}
		i := slices.Index(events, want[0])
		if i < 0 || i+3 > len(events) || !slices.Equal(events[i:i+3], want) {
			t.Errorf("events %q, want %q in a row: the file synced, renamed, then its directory synced", events, want)
		}
	}
}
