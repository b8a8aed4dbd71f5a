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

// lockTemp does nothing where there is no flock(2).
func lockTemp(f *os.File) error { return nil }

// tryLockTemp reports every file free where there is no flock(2).
func tryLockTemp(f *os.File) (bool, error) { return true, nil }
