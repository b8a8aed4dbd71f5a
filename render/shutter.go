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

// moment is the moment that sample j of pixel (x, y) sees, of n.
func (f *framePlan) moment(x, y, j int) int {
	n := len(f.moments)
	return (j + int(mix(pixelKey(f.frame, x, y)^0x5bd1e995)%uint64(n))) % n
}

// renderMoments renders the pixels of r into img for a plan with moments: a
// pass per moment, each tracing the one sample of every pixel that sees it
// with that moment's plan, the samples' colours kept, then summed pixel by
// pixel in the order of the samples, as a plan without moments sums them.
func (f *framePlan) renderMoments(img draw.Image, r image.Rectangle, s *scratch) int64 {
	spp := len(f.pattern)
	var evals int64
	if s == nil || f.reference || f.moments[0].prog == nil {
		// Ray by ray, a tracer per moment.
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
		for k := range trs {
			evals += trs[k].evals
		}
		return evals
	}
	perWave := max(1, waveRays/spp)
	width := r.Dx()
	total := width * r.Dy()
	for first := 0; first < total; first += perWave {
		n := min(perWave, total-first)
		s.colors = grow(s.colors, n*spp)
		for k, m := range f.moments {
			w := wave{tracer: m.tracer(), scratch: s, pinhole: m.view.pinhole()}
			if w.pinhole {
				w.originDist = w.tracer.distance(w.origin)
			}
			lv := &w.levels[0]
			lv.rays = grow(lv.rays, n)
			slot := s.slots[:0]
			for i := range n {
				x, y := r.Min.X+(first+i)%width, r.Min.Y+(first+i)/width
				for j, o := range f.pattern {
					if f.moment(x, y, j) == k {
						ro, rd := m.primary(x, y, j, o)
						lv.rays[len(slot)] = waveRay{ro: ro, rd: rd}
						slot = append(slot, int32(i*spp+j))
					}
				}
			}
			s.slots = slot
			lv.rays = lv.rays[:len(slot)]
			w.trace(0, maxBounces)
			for i, ray := range lv.rays {
				s.colors[slot[i]] = toneMapped(ray.color)
			}
			evals += w.evals
		}
		for i := range n {
			x, y := r.Min.X+(first+i)%width, r.Min.Y+(first+i)/width
			var sum scene.Vec3
			for _, c := range s.colors[i*spp : (i+1)*spp] {
				sum = sum.Add(c)
			}
			setPixel(img, x, y, sum.Scale(1/float64(spp)))
		}
	}
	return evals
}
