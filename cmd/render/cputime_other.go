//go:build !unix

package main

import "time"

// cpuTime returns 0 where the process's CPU time is not known: the summary then
// leaves out CPU utilisation.
func cpuTime() time.Duration { return 0 }
