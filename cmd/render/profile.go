package main

import (
	"fmt"
	"io"
	"runtime/pprof"

	"github.com/sdfrender/render/internal/output"
)

// profile is --cpuprofile: a pprof CPU profile of the run, started before the
// first frame.
type profile struct{ f *output.AtomicFile }

// newProfile starts a CPU profile into file.
func newProfile(file string, _ options, _ job, _ io.Writer) (extra, error) {
	f, err := temps.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Abort()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return profile{f}, nil
}

// Finish stops the profile and puts it in place.
func (p profile) Finish(ending) error {
	pprof.StopCPUProfile()
	return p.f.Commit()
}

// Abort stops the profile and removes it: the job failed.
func (p profile) Abort() {
	pprof.StopCPUProfile()
	p.f.Abort()
}
