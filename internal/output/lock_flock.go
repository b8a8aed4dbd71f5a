//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package output

import "syscall"

// openFlags are added to every open of a file in an output directory: never
// through a symbolic link, and never waiting on a FIFO or device.
const openFlags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// renameOpen says that a file can be renamed while open, as Commit does to keep
// its lock to the end.
const renameOpen = true

// lockFile takes the exclusive lock on f, waiting for it. It is held until f is
// closed, or until the process dies: a temporary file that nobody holds locked
// is a dead writer's. The lock is flock(2), which Linux also honours on NFS.
func lockFile(f interface{ Fd() uintptr }) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

// tryLockFile takes the exclusive lock on f if nobody holds it, and reports
// whether it did.
func tryLockFile(f interface{ Fd() uintptr }) (bool, error) {
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
