//go:build !unix

package main

// freeDisk is not known here: render then gives no warning about disk space.
func freeDisk(string) (uint64, bool) { return 0, false }
