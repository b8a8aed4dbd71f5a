package render

import "github.com/sdfrender/render/scene"

// Motion blur: the shutter is open for Settings.Shutter of the frame interval,
// from the frame's time on, and each sample of a pixel sees the scene at a
// moment of its own within it. A frame of n samples per pixel (with adaptive
// anti-aliasing, n is the most a pixel gets) has n moments, at the middles of
// n equal slices of the open shutter, each a frame plan of its own (the scene
// built and compiled at that time); a pixel with n samples has one at each
// moment. Which sample of a pixel goes with which moment turns with the
// pixel and the frame, so that a sample's place in the pixel and its moment
// are not always paired the same way, which would draw the motion in bands.

// SampleTimes returns the moments, in seconds, at which the samples of frame n
// see the scene: the frame's time alone without a shutter, or PixelSamples
// moments within the open shutter.
func (j Job) SampleTimes(n int) []float64 {
	t := j.Time(n)
	if j.Shutter == 0 {
		return []float64{t}
	}
	count := j.PixelSamples()
	ts := make([]float64, count)
	for k := range ts {
		ts[k] = t + j.Shutter/j.FPS*(float64(k)+0.5)/float64(count)
	}
	return ts
}

// newMomentsPlan returns the plan of a frame whose samples see the scenes
// scenes, one per moment, in order.
func newMomentsPlan(scenes []*scene.Scene, set Settings, frame int) *framePlan {
	f := (&framePlan{pattern: samplePattern(set.Samples), frame: frame}).adapt(set)
	for _, s := range scenes {
		m := newFramePlan(s, set, nil)
		m.frame = frame
		f.moments = append(f.moments, m)
	}
	return f
}

// moment is the moment that sample j of pixel (x, y) sees, of n; 0 for a plan
// without moments, whose samples all see its own scene.
func (f *framePlan) moment(x, y, j int) int {
	n := len(f.moments)
	if n <= 1 {
		return 0
	}
	return (j + int(mix(pixelKey(f.frame, x, y)^0x5bd1e995)%uint64(n))) % n
}
