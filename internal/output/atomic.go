// Package output owns where rendered frames go: sequences of frame files, in a
// Format (PNG), written atomically into a directory, their manifest and its
// verification. It knows images and files, never what an SDF is or how a frame
// was rendered, and keeps no state of its own: the files being written are kept
// in a Temps that the program owns. The directory is shared storage and its
// files are untrusted: see Dir. Previews are package preview's, charts and
// traces package report's.
package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// tempSuffix ends every file being written. It does not end in ".png", so a glob
// such as *.png never picks up a half-written frame.
const tempSuffix = ".partial"

// AtomicFile is a file being written under a temporary name in its directory, to
// appear under its name, whole, only when committed.
type AtomicFile struct {
	*os.File
	dir  *Dir
	name string // the file's name in dir
	temp string // the temporary name it is written under
	own  bool   // dir was opened for this file alone, and is closed with it
	info fs.FileInfo
}

// disk is how a Dir makes data durable: the file is synced before it is renamed
// into place, and its directory after. A Dir uses realDisk unless a test gives it
// one that also records the calls.
type disk struct {
	syncFile func(f *os.File) error
	rename   func(d *Dir, from, to string) error
	syncDir  func(d *Dir) error
}

// realDisk is the disk of every Dir outside tests. It is never modified.
var realDisk = disk{
	syncFile: func(f *os.File) error { return f.Sync() },
	rename:   func(d *Dir, from, to string) error { return d.root.Rename(from, to) },
	syncDir: func(d *Dir) error {
		f, err := d.root.Open(".")
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Sync()
	},
}

// disk returns the Dir's disk.
func (d *Dir) disk() *disk {
	if d.hooks != nil {
		return d.hooks
	}
	return &realDisk
}

// Create starts writing the file at path, whose directory must exist, and keeps
// it in t until it is committed or aborted. The temporary file is locked while
// it is written (see RemoveTemps), by this process and any other.
func (t *Temps) Create(path string) (*AtomicFile, error) {
	d, err := openDir(filepath.Dir(path), "", t)
	if err != nil {
		return nil, fmt.Errorf("output: writing %s: %w", path, err)
	}
	f, err := d.Create(filepath.Base(path))
	if err != nil {
		d.Close()
		return nil, err
	}
	f.own = true
	return f, nil
}

// createTries is how many temporary files Create makes before it gives up.
const createTries = 100

// Create starts writing the file name in the directory, under a temporary name
// tagged with the directory's job (see RemoveTemps), and keeps it in the Temps
// the directory was opened with until it is committed or aborted.
func (d *Dir) Create(name string) (*AtomicFile, error) {
	path := d.join(name)
	if !plainName(name) {
		return nil, fmt.Errorf("output: writing %s: %q is not a file name", path, name)
	}
	// Each try takes a new random name, so a clash or a removal by another
	// process does not happen twice running, short of a directory that fails
	// every way: then give up rather than loop.
	for try := 0; ; try++ {
		if try == createTries {
			return nil, fmt.Errorf("output: writing %s: %d temporary files in a row were taken or vanished: is another program removing files in %s?", path, createTries, d.path)
		}
		temp := tempName(name, d.tag)
		f, err := d.root.OpenFile(temp, os.O_RDWR|os.O_CREATE|os.O_EXCL|openFlags, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("output: writing %s: %w", path, cause(err))
		}
		if err := lockFile(f); err != nil {
			f.Close()
			d.root.Remove(temp)
			return nil, fmt.Errorf("output: writing %s: cannot lock %s: %w", path, temp, err)
		}
		// Another process's RemoveTemps may have taken the file for a dead
		// writer's in the moment between its creation and the lock, and
		// removed it: then start again with a new one.
		if mine, err := d.root.Lstat(temp); err == nil {
			if held, err := f.Stat(); err == nil && os.SameFile(mine, held) {
				af := &AtomicFile{File: f, dir: d, name: name, temp: temp}
				d.temps.add(af)
				return af, nil
			}
		}
		f.Close()
	}
}

// Path returns the path the file appears at when committed.
func (f *AtomicFile) Path() string { return f.dir.join(f.name) }

// Info returns the committed file's identity (device and inode) and size.
func (f *AtomicFile) Info() fs.FileInfo { return f.info }

// done forgets the file: it has been renamed or removed.
func (f *AtomicFile) done() {
	f.dir.temps.forget(f)
	if f.own {
		f.dir.Close()
	}
}

// Commit syncs the file to disk, renames it into place and syncs the directory:
// after a power cut the new name could otherwise point at an empty file, or at
// the old one, on some file systems.
func (f *AtomicFile) Commit() error { return f.commit(nil) }

// commit is Commit with the rename done by guard, when not nil: guard calls the
// rename it is given, or returns why not.
func (f *AtomicFile) commit(guard func(rename func() error) error) error {
	defer f.done()
	err := f.dir.disk().syncFile(f.File)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		f.info, err = f.Stat()
	}
	move := func() error { return f.dir.disk().rename(f.dir, f.temp, f.name) }
	if guard != nil {
		move = func() error { return guard(func() error { return f.dir.disk().rename(f.dir, f.temp, f.name) }) }
	}
	if renameOpen {
		// Renamed while still open, and so still locked: once closed, it could
		// be taken for a dead writer's by another process's RemoveTemps.
		if err == nil {
			err = move()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	} else {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = move()
		}
	}
	if err == nil {
		err = f.dir.disk().syncDir(f.dir)
		if err != nil {
			return fmt.Errorf("output: writing %s: syncing its directory: %w", f.Path(), cause(err))
		}
		return nil
	}
	f.dir.root.Remove(f.temp)
	return fmt.Errorf("output: writing %s: %w", f.Path(), cause(err))
}

// Abort closes and removes the temporary file: nothing appears at the path.
func (f *AtomicFile) Abort() {
	defer f.done()
	f.Close()
	f.dir.root.Remove(f.temp)
}

// WriteFile writes the file at path by calling write on an AtomicFile and
// committing it. A reader, a crash or an interruption sees either the old file
// (or none) or the whole new one, never part of it. On any error nothing is left
// behind.
func (t *Temps) WriteFile(path string, write func(w io.Writer) error) error {
	f, err := t.Create(path)
	if err != nil {
		return err
	}
	return f.write(write)
}

// WriteFile is Temps.WriteFile for the file name in the directory.
func (d *Dir) WriteFile(name string, write func(w io.Writer) error) error {
	f, err := d.Create(name)
	if err != nil {
		return err
	}
	return f.write(write)
}

// write calls write on f and commits it, or aborts it on error.
func (f *AtomicFile) write(write func(w io.Writer) error) error {
	if err := write(f); err != nil {
		f.Abort()
		return fmt.Errorf("output: writing %s: %w", f.Path(), cause(err))
	}
	return f.Commit()
}

// RemoveTemps removes the temporary files in the directory left by this job's
// writers that died (by SIGKILL, say, or a power cut), and returns how many it
// removed. It removes only files it can prove are this job's: their names carry
// the job's tag (see tempName), and nobody holds them locked, as a writer at work
// in this process or in any other sharing the directory does. A user's file, or
// another job's, is left alone (render verify lists them).
func (d *Dir) RemoveTemps() (int, error) {
	entries, err := d.readDir()
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		if tag, ok := isTemp(e.Name()); !ok || tag != d.tag || !e.Type().IsRegular() {
			continue
		}
		f, fi, err := d.openRegular(e.Name(), os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			continue // committed or removed meanwhile
		}
		if err != nil {
			return removed, fmt.Errorf("output: %w", err)
		}
		free, err := tryLockFile(f)
		if err == nil && free {
			// Still the file opened: not one put in its place meanwhile.
			if li, lerr := d.root.Lstat(e.Name()); lerr == nil && os.SameFile(li, fi) {
				err = d.root.Remove(e.Name())
				if err == nil {
					removed++
				} else if errors.Is(err, fs.ErrNotExist) {
					err = nil
				}
			}
		}
		f.Close()
		if err != nil {
			return removed, fmt.Errorf("output: %w", err)
		}
	}
	return removed, nil
}

// readDir lists the directory.
func (d *Dir) readDir() ([]fs.DirEntry, error) {
	f, err := d.root.Open(".")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, fmt.Errorf("output: reading %s: %w", d.path, cause(err))
	}
	return entries, nil
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
