//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package output

import "os"

// lockDir does nothing on systems without flock(2): there, only one process at
// a time may write frames into a directory.
func lockDir(dir string) (unlock func(), err error) {
	return func() {}, nil
}

// renameOpen is false: some systems (Windows) cannot rename an open file.
const renameOpen = false

// lockFile does nothing where there is no flock(2).
func lockFile(f *os.File) error { return nil }

// tryLockFile reports every file free where there is no flock(2).
func tryLockFile(f *os.File) (bool, error) { return true, nil }
