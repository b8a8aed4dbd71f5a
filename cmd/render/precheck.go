package main

import (
	"math"
	"strings"

	"github.com/sdfrender/render/render"
	"github.com/sdfrender/render/scenefile"
)

// checkFrameTimes checks, before anything is rendered, every frame that will be:
// its time, (n-1)/fps, is finite, and the scene's camera is valid at that time
// and at every moment its samples see with the shutter open.
// The loader checks the camera at a few dozen times and at its keys; a camera
// that passes through its target, or straight over it, between them would
// otherwise fail that frame hours into the job.
func checkFrameTimes(sc *scenefile.File, frames []int, j render.Job) error {
	for _, n := range frames {
		t := j.Time(n)
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return usagef("--fps %g is so small that frame %d's time, (%d-1)/fps, is infinite: raise --fps", j.FPS, n, n)
		}
		// Every moment the frame's samples see: with the shutter open, more
		// than the frame's time.
		for _, at := range j.SampleTimes(n) {
			if err := sc.CameraAt(at).Validate(); err != nil {
				return usagef("%s: frame %d, at t = %gs: %s", sc.Name, n, at, strings.TrimPrefix(err.Error(), "scene: "))
			}
		}
	}
	return nil
}
