//go:build unix

package live

import "syscall"

// openFlags open a frame without following a link, and without waiting on a
// FIFO or device.
const openFlags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
