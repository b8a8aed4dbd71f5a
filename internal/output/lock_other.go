//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package output

// openFlags adds nothing where there is no O_NOFOLLOW: openRegular's lstat and
// fstat still refuse links and special files.
const openFlags = 0

// renameOpen is false: some systems (Windows) cannot rename an open file.
const renameOpen = false

// lockFile does nothing where there is no flock(2): there, only one process at
// a time may write frames into a directory.
func lockFile(f interface{ Fd() uintptr }) error { return nil }

// tryLockFile reports every file free where there is no flock(2).
func tryLockFile(f interface{ Fd() uintptr }) (bool, error) { return true, nil }
