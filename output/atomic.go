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
)

// tempSuffix ends every file being written. It does not end in ".png", so a glob
// such as *.png never picks up a half-written frame.
const tempSuffix = ".partial"

// WriteFileAtomic writes a file by calling write on a temporary file in the same
// directory, syncing it to disk and renaming it over path. A reader, a crash or an
// interruption sees either the old file (or none) or the whole new one, never part
// of it. On any error the temporary file is removed.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("output: writing %s: %w", path, cause(err))
		}
	}()
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*"+tempSuffix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	// Sync before the rename, or after a power cut the new name may point at
	// an empty file on some file systems.
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
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
