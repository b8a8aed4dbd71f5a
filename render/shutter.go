package render

import (
	"image"
	"image/draw"

	"github.com/sdfrender/render/scene"
)

// Motion blur: the shutter is open for Settings.Shutter of the frame interval,
// from the frame's time on, and each sample of a pixel sees the scene at a
// moment of its own within it. A frame of n samples has n moments, at the
// middles of n equal slices of the open shutter, each a frame plan of its own
// (the scene built and compiled at that time); every pixel has one sample at
// each moment. Which sample of a pixel goes with which moment turns with the
// pixel and the frame, so that a sample's place in the pixel and its moment
// are not always paired the same way, which would draw the motion in bands.

// SampleTimes returns the moments, in seconds, at which the samples of frame n
// see the scene: the frame's time alone without a shutter, or Samples moments
// within the open shutter.
func (j Job) SampleTimes(n int) []float64 {
	t := j.Time(n)
	if j.Shutter == 0 {
		return []float64{t}
	}
	ts := make([]float64, j.Samples)
	for k := range ts {
		ts[k] = t + j.Shutter/j.FPS*(float64(k)+0.5)/float64(j.Samples)
	}
	return ts
}

// newMomentsPlan returns the plan of a frame whose samples see the scenes
// scenes, one per moment, in order.
func newMomentsPlan(scenes []*scene.Scene, set Settings, frame int) *framePlan {
	f := &framePlan{pattern: samplePattern(set.Samples), frame: frame}
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

// renderMomentsByRay renders the pixels of r into img for a plan with moments,
// ray by ray with a tracer per moment, each sample with its moment's: the
// reference marcher, a scene too deep to compile, and a nil scratch.
// renderWave renders the others.
func (f *framePlan) renderMomentsByRay(img draw.Image, r image.Rectangle) int64 {
	spp := len(f.pattern)
	trs := make([]tracer, len(f.moments))
	for k, m := range f.moments {
		trs[k] = m.tracer()
		if f.reference {
			trs[k].prog, trs[k].reference = nil, true
		}
		if trs[k].prog != nil {
			trs[k].originDist = trs[k].distance(trs[k].origin)
		}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			var sum scene.Vec3
			for j, o := range f.pattern {
				k := f.moment(x, y, j)
				ro, rd := f.moments[k].primary(x, y, j, o)
				sum = sum.Add(toneMapped(trs[k].radiance(ro, rd, 0, maxBounces)))
			}
			setPixel(img, x, y, sum.Scale(1/float64(spp)))
		}
	}
	var evals int64
	for k := range trs {
		evals += trs[k].evals
	}
	return evals
}
