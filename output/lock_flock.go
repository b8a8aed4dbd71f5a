//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package output

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDir takes the exclusive lock on dir's manifest, waiting for it, and
// returns the function that releases it. The kernel releases it too when the
// process dies, so a killed writer never leaves the directory locked. The lock
// is flock(2), which Linux also honours on NFS.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output: cannot lock the manifest in %s: %w", dir, cause(err))
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("output: cannot lock the manifest in %s: %w", dir, err)
	}
	return func() { f.Close() }, nil
}

// renameOpen says that a file can be renamed while open, as Commit does to keep
// its lock to the end.
const renameOpen = true

// lockFile takes the exclusive lock on f, waiting for it. It is held until f is
// closed, or until the process dies: a temporary file that nobody holds locked
// is a dead writer's.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

// tryLockFile takes the exclusive lock on f if nobody holds it, and reports
// whether it did.
func tryLockFile(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch err {
		case nil:
			return true, nil
		case syscall.EWOULDBLOCK:
			return false, nil
		case syscall.EINTR:
			continue
		}
		return false, err
	}
}
