package output

import "syscall"

// nameMax is the longest file name, in bytes, that the file system holding dir
// allows: statfs's f_namelen, 255 on most.
func nameMax(dir string) int {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil || st.Namelen <= 0 {
		return 255
	}
	return int(st.Namelen)
}
