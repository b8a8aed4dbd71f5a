package render

import (
	"image"
	"image/draw"
	"math"

	"github.com/sdfrender/render/scene"
)

// How a tile's pixels get their colours. A pixel's colour is the mean of its
// samples' tone-mapped colours, each sample a pure function of the pixel's
// position, its index and the frame: the same bits however the pixels are
// grouped into tiles, bands and waves. With adaptive anti-aliasing
// (Settings.MaxSamples), a tile is rendered in two passes (adaptive.go).

// bandPixels bounds the pixels whose sums a worker holds at once outside the
// adaptive pass: a larger tile is rendered in bands of whole rows.
const bandPixels = 4096

// pixelSet is n pixels of rectangle r: the first n in raster order, or, with a
// list, those whose raster indices in r the list holds.
type pixelSet struct {
	r    image.Rectangle
	list []int32
	n    int
}

// allOf is every pixel of r.
func allOf(r image.Rectangle) pixelSet { return pixelSet{r: r, n: r.Dx() * r.Dy()} }

// index is the raster index in r of the set's pixel i.
func (p *pixelSet) index(i int) int {
	if p.list != nil {
		return int(p.list[i])
	}
	return i
}

// at is the set's pixel i. It and index take the set by pointer: by value,
// its 64 bytes were copied for every pixel, twice.
func (p *pixelSet) at(i int) (x, y int) {
	k, w := p.index(i), p.r.Dx()
	return p.r.Min.X + k%w, p.r.Min.Y + k/w
}

// sampler traces the samples of one tile's pixels: in waves, with a worker's
// scratch memory, or ray by ray (the reference marcher, a scene too deep to
// compile, and no scratch), with a tracer per moment.
type sampler struct {
	f       *framePlan
	s       *scratch // for waves; nil to trace ray by ray
	tracers []tracer
	cones   cones // where the primary rays of the set being sampled start
	evals   int64
}

// newSampler returns a sampler of f's samples for one tile.
func (f *framePlan) newSampler(s *scratch) *sampler {
	compiled := f.prog != nil || f.moments != nil && f.moments[0].prog != nil
	if compiled && !f.reference && s != nil {
		s.sampler = sampler{f: f, s: s, cones: cones{starts: s.sampler.cones.starts, marches: s.sampler.cones.marches}} // the cones' memory kept
		sm := &s.sampler
		// The distance at the camera, once per moment for the tile.
		s.origins = grow(s.origins, max(1, len(f.moments)))
		for k := range s.origins {
			tr := f.momentPlan(k).tracer()
			s.origins[k] = tr.stepDistance(tr.origin, math.Inf(1))
			sm.evals += tr.evals
		}
		return sm
	}
	sm := &sampler{f: f, tracers: make([]tracer, max(1, len(f.moments)))}
	for k := range sm.tracers {
		tr := &sm.tracers[k]
		*tr = f.momentPlan(k).tracer()
		if f.reference {
			tr.prog = nil // and tracer made it march as the reference marcher
		}
		if tr.prog != nil {
			tr.originDist = tr.stepDistance(tr.origin, math.Inf(1))
		}
	}
	return sm
}

// momentPlan is the plan of moment k: the plan itself when it has no moments.
func (f *framePlan) momentPlan(k int) *framePlan {
	if f.moments == nil {
		return f
	}
	return f.moments[k]
}

// sums adds, for each pixel i of set, the tone-mapped colours of its samples
// from to to of pattern to sums[i], in the order of the samples, and with
// spreads, their display levels to spreads[i].
func (sm *sampler) sums(set pixelSet, pattern []offset, from, to int, sums []scene.Vec3, spreads []spread) {
	f := sm.f
	sm.cones.reset(set.r, max(1, len(f.moments)))
	if sm.s != nil {
		sm.evals += sm.waveSums(set, pattern, from, to, sums, spreads)
		return
	}
	for i := range set.n {
		x, y := set.at(i)
		sum := sums[i]
		for j := from; j < to; j++ {
			k := f.moment(x, y, j)
			m, tr := f.momentPlan(k), &sm.tracers[k]
			ro, rd := m.primary(x, y, j, pattern[j])
			// Tone-map each sample before averaging, so an edge against a
			// bright highlight is smoothed as the eye sees it.
			cones := &sm.cones.starts[sm.cones.at(m, tr, k, x, y)]
			c := toneMapped(tr.radiance(ro, rd, tr.rayStart(rd, cones.start), &cones.mirror, maxBounces))
			sum = sum.Add(c)
			if spreads != nil {
				spreads[i].add(c)
			}
		}
		sums[i] = sum
	}
}

// total is the distance evaluations the sampler has made.
func (sm *sampler) total() int64 {
	n := sm.evals
	for k := range sm.tracers {
		n += sm.tracers[k].evals
	}
	return n
}

// pixelMemory is the pixel memory of scratch s, or new memory for a tile
// rendered without scratch memory.
func pixelMemory(s *scratch) *tileMemory {
	if s == nil {
		return new(tileMemory)
	}
	return &s.tileMemory
}

// zeroSums returns n sums, zero, in the memory's room for them.
func (m *tileMemory) zeroSums(n int) []scene.Vec3 {
	m.sums = grow(m.sums, n)
	clear(m.sums)
	return m.sums
}

// renderTile renders the pixels of r into img and returns how many distance
// evaluations that took. Different tiles of one image may be rendered at once by
// different goroutines: each writes only its own pixels, with scratch memory of
// its own.
func (f *framePlan) renderTile(img draw.Image, r image.Rectangle, s *scratch) int64 {
	if f.refine != nil {
		return f.renderAdaptive(img, r, s)
	}
	sm, m := f.newSampler(s), pixelMemory(s)
	spp := len(f.pattern)
	rows := max(1, bandPixels/r.Dx())
	per := 1 / float64(spp)
	for y := r.Min.Y; y < r.Max.Y; y += rows {
		band := image.Rect(r.Min.X, y, r.Max.X, min(y+rows, r.Max.Y))
		set := allOf(band)
		sums := m.zeroSums(set.n)
		sm.sums(set, f.pattern, 0, spp, sums, nil)
		// The band's pixels in raster order, the order of the sums.
		for y := band.Min.Y; y < band.Max.Y; y++ {
			k := (y - band.Min.Y) * band.Dx()
			setRow(img, band.Min.X, y, sums[k:k+band.Dx()], per)
		}
	}
	m.samples += int64(r.Dx() * r.Dy() * spp)
	return sm.total()
}
