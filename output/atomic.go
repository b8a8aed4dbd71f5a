// Package output owns where rendered frames go: PNG sequences written atomically
// into a directory, and (in time) previews, pictures and manifests. It knows images
// and files, never what an SDF is or how a frame was rendered.
package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// tempSuffix ends every file being written. It does not end in ".png", so a glob
// such as *.png never picks up a half-written frame.
const tempSuffix = ".partial"

// AtomicFile is a file being written under a temporary name in its directory, to
// appear at its path, whole, only when committed.
type AtomicFile struct {
	*os.File
	path string
}

// open holds the temporary names of the files being written, for RemovePartial.
var open = struct {
	sync.Mutex
	names map[string]bool
}{names: map[string]bool{}}

// CreateAtomic starts writing the file at path. The temporary file is locked
// while it is written (see RemoveTemps), by this process and any other.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	var f *os.File
	for {
		var err error
		if f, err = os.CreateTemp(dir, "."+base+".*"+tempSuffix); err != nil {
			return nil, fmt.Errorf("output: writing %s: %w", path, cause(err))
		}
		if err := lockFile(f); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, fmt.Errorf("output: writing %s: cannot lock %s: %w", path, f.Name(), err)
		}
		// Another process's RemoveTemps may have taken the file for a dead
		// writer's in the moment between its creation and the lock, and
		// removed it: then start again with a new one.
		if mine, err := os.Stat(f.Name()); err == nil {
			if held, err := f.Stat(); err == nil && os.SameFile(mine, held) {
				break
			}
		}
		f.Close()
	}
	open.Lock()
	open.names[f.Name()] = true
	open.Unlock()
	return &AtomicFile{f, path}, nil
}

// done forgets the file's temporary name: it has been renamed or removed.
func (f *AtomicFile) done() {
	open.Lock()
	delete(open.names, f.Name())
	open.Unlock()
}

// RemovePartial removes every file still being written, for a program about to
// exit at once (a second Ctrl-C): what was committed stays, whole, and nothing
// half-written is left.
func RemovePartial() {
	open.Lock()
	defer open.Unlock()
	for name := range open.names {
		os.Remove(name)
		delete(open.names, name)
	}
}

// Commit syncs the file to disk and renames it into place. After a power cut the
// new name could otherwise point at an empty file on some file systems.
func (f *AtomicFile) Commit() error {
	defer f.done()
	err := f.Sync()
	if err == nil {
		err = f.Chmod(0o644)
	}
	if renameOpen {
		// Renamed while still open, and so still locked: once closed, it could
		// be taken for a dead writer's by another process's RemoveTemps.
		if err == nil {
			err = os.Rename(f.Name(), f.path)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	} else {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), f.path)
		}
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("output: writing %s: %w", f.path, cause(err))
	}
	return nil
}

// Abort closes and removes the temporary file: nothing appears at the path.
func (f *AtomicFile) Abort() {
	defer f.done()
	f.Close()
	os.Remove(f.Name())
}

// WriteFileAtomic writes a file by calling write on an AtomicFile and committing
// it. A reader, a crash or an interruption sees either the old file (or none) or
// the whole new one, never part of it. On any error nothing is left behind.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	f, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Abort()
		return fmt.Errorf("output: writing %s: %w", path, cause(err))
	}
	return f.Commit()
}

// isTemp reports whether name is a temporary file of CreateAtomic's.
func isTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.HasSuffix(name, tempSuffix)
}

// RemoveTemps removes the temporary files in dir left by writers that died (by
// SIGKILL, say, or a power cut), and returns how many it removed. A writer holds
// its temporary file locked until it is done, so the files of writers still at
// work, in this process or in any other sharing the directory, are left alone.
func RemoveTemps(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("output: %w", err)
	}
	removed := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTemp(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			continue // committed or removed meanwhile
		}
		if err != nil {
			return removed, fmt.Errorf("output: %w", err)
		}
		free, err := tryLockFile(f)
		if err == nil && free {
			err = os.Remove(path)
			if err == nil {
				removed++
			} else if errors.Is(err, fs.ErrNotExist) {
				err = nil
			}
		}
		f.Close()
		if err != nil {
			return removed, fmt.Errorf("output: %w", err)
		}
	}
	return removed, nil
}

// cause strips the operation and paths from a file system error, for messages
// that name the path themselves.
func cause(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	if le, ok := errors.AsType[*os.LinkError](err); ok {
		return le.Err
	}
	return err
}
