//go:build !linux

package output

// nameMax is the longest file name, in bytes, most file systems allow.
func nameMax(dir string) int { return 255 }
