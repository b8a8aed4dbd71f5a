//go:build unix

package main

import "syscall"

// freeDisk returns the space free to this user on dir's file system.
func freeDisk(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}
