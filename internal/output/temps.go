package output

import "sync"

// Temps is the files a program is writing, each under its temporary name until
// it is committed: a program that must exit at once (on a second Ctrl-C) calls
// RemoveAll first, so that what was committed stays, whole, and nothing
// half-written is left. The program owns it and writes every file through it
// (OpenDir, Create, WriteFile, WritePNG). The zero value is ready to use, and
// its methods may be called from many goroutines. A nil *Temps writes the same
// way and keeps no record.
type Temps struct {
	mu    sync.Mutex
	files map[*AtomicFile]bool
}

// add records f as being written.
func (t *Temps) add(f *AtomicFile) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.files == nil {
		t.files = map[*AtomicFile]bool{}
	}
	t.files[f] = true
}

// forget drops f: it has been renamed into place or removed.
func (t *Temps) forget(f *AtomicFile) {
	if t == nil {
		return
	}
	t.mu.Lock()
	delete(t.files, f)
	t.mu.Unlock()
}

// RemoveAll removes every file still being written, for a program about to
// exit at once: what was committed stays, whole, and nothing half-written is
// left. A file removed so fails to commit.
func (t *Temps) RemoveAll() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for f := range t.files {
		f.dir.root.Remove(f.temp)
		delete(t.files, f)
	}
}
