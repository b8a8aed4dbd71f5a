package render

import (
	"image"
	"math"
	"unsafe"

	"github.com/sdfrender/render/scene"
)

// Cone marching. The primary rays of a pinhole camera through a block of
// pixels stay within a thin cone from the camera, and until the cone comes
// near something they cross the same empty space: one march of the cone's
// axis takes them all through it, and each ray then marches on alone from
// where the cone stopped (Keeter's interval pruning and the demoscene's cone
// marching do the same for a region of the image). The blocks are the
// image's own, block pixels square, so where a ray starts depends on its
// pixel and the frame alone, not on the tiles, the waves or the workers.
//
// The cone stops short of coming within the hit threshold of anything, so a
// ray cannot pass by a surface near enough to hit it before the point where it
// starts: it finds every hit the march from the camera finds, though not at
// the same steps, so its pixels differ from that march's by the march's own
// tolerance. Where the marcher takes the planes itself (tracer.planesAhead),
// the cone looks past them, at the rest of the scene, and each ray starts
// where its cone stops or where it meets a plane, whichever comes first
// (rayStart): a block of open ground is hit without a step.

// coneSteps is the most evaluations the march of a cone takes.
const coneSteps = 32

// coneStart returns how far along every primary ray through block (bx, by)
// of the image, pixels [block·bx, block·(bx+1)) across and the like down, the
// distance to the scene stays above the hit threshold: where those rays
// start marching. It is 0 for a lens camera, whose rays start apart, and for
// the reference marcher. The evaluations count in tr's.
func (f *framePlan) coneStart(tr *tracer, bx, by int) float64 {
	c, ok := f.primaryCone(tr, bx, by)
	if !ok {
		return 0
	}
	return c.march(tr)
}

// primaryCone sets up the march of the cone of block (bx, by)'s primary
// rays (coneStart); ok is false where there is none.
func (f *framePlan) primaryCone(tr *tracer, bx, by int) (c coneMarch, ok bool) {
	if !f.view.pinhole() || tr.reference {
		return c, false
	}
	// The cone around the rays through the block's corners.
	axis, corners := f.blockRays(bx, by)
	cos := 1.0
	for _, v := range corners {
		cos = min(cos, v.Dot(axis))
	}
	c = coneMarch{from: f.view.origin, axis: axis}
	c.sin, c.cos, c.chord = widen(cos)

	// No ray goes on past the planes: the cone need not go beyond where
	// the farthest corner's ray meets one, if they all do.
	for _, v := range corners {
		_, ahead := tr.planesAhead(f.view.origin, v)
		c.reach = max(c.reach, ahead)
	}
	return c, true
}

// coneMarch is the march of a cone along its axis from its apex, a step at a
// time: of a block's primary rays from the camera (coneStart), or of their
// reflections from the camera's mirror image (mirrorCone). Marched alone
// (march) or with the others of a wave in its batches (wave.marchCones), it
// takes the same steps.
type coneMarch struct {
	from, axis scene.Vec3
	s          float64 // how far along the axis it is clear
	// The sine and cosine of its half-angle, and the chord (widen); how far
	// the primary rays go at most, and how far from the apex a line of a
	// mirror cone may pass (mirror.margin).
	sin, cos, chord float64
	reach, margin   float64
	mirror          bool  // whether it is a mirror cone
	at              int32 // in a wave's march, its block's cones among the sampler's
	done            bool  // in a wave's march, whether it has stopped
}

// march marches c to its end, with tr's distances, and returns how far it is
// clear.
func (c *coneMarch) march(tr *tracer) float64 {
	for range coneSteps {
		p, ceiling := c.point()
		if c.step(tr, tr.stepDistance(p, ceiling)) {
			break
		}
	}
	return c.s
}

// point is where c's next step looks, and how far the distance there is
// wanted (tracer.stepDistance).
func (c *coneMarch) point() (p scene.Vec3, ceiling float64) {
	p = c.from.Add(c.axis.Scale(c.s))
	if c.mirror {
		return p, inf
	}
	return p, c.reach - c.s
}

// step takes c on from the distance d at its point and reports whether it
// has stopped.
//
// A primary cone's rays are clear up to length s: the ball of radius d around
// the axis at s, emptied of the hit threshold, holds the point at length s of
// every ray if d > chord·s, and every ray then stays in it up to length
// s·cos θ + √(d² - s²·sin² θ).
//
// A mirror cone's lines are clear up to length s: the ball of radius d around
// the axis at s, emptied of the hit threshold, holds the point at length s of
// every line, at most margin + chord·s from the axis, if d is more, and every
// line stays in it for d less that further on. A reflection of the block
// starts about as far along its line as its primary ray went, at most the far
// plane: twice that out, they are all clear to the far plane (and a ray that
// starts past it sees the sky).
func (c *coneMarch) step(tr *tracer, d float64) bool {
	s := c.s
	var next float64
	var done bool
	if c.mirror {
		room := d - tr.hitThreshold(s+d) - float64(c.chord*s*(1+1e-3)) - c.margin
		if !(room > 0) {
			return true
		}
		next = s + room
		done = next < s*(1+1.0/64) || next > 2*farPlane
	} else {
		d -= tr.hitThreshold(s + d) // the threshold anywhere the step can reach
		if !(d > c.chord*s*(1+1e-3)) {
			return true
		}
		next = float64(s*c.cos) + math.Sqrt(float64(d*d)-float64(s*s*c.sin*c.sin))
		done = next < s*(1+1.0/64) || next > min(farPlane, c.reach) // it hardly moves now, or it is out of the scene
	}
	c.s = next
	return done
}

// blockRays returns the directions of the primary rays through the centre of
// block (bx, by) of the image and through its corners: the angle from the
// centre's is largest at a corner of the block, where the sub-pixel positions
// of the samples reach at most.
func (f *framePlan) blockRays(bx, by int) (centre scene.Vec3, corners [4]scene.Vec3) {
	x0, y0 := float64(block*bx), float64(block*by)
	x1, y1 := x0+block, y0+block
	for i, c := range [4][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
		corners[i] = f.view.ray(c[0], c[1])
	}
	// The halves are converted, as products are (scene.Vec3): the compiler
	// takes a half for a product with 0.5, and with view.ray inlined, arm64
	// fused it into ray's 2·x (as x + x).
	return f.view.ray(float64((x0+x1)/2), float64((y0+y1)/2)), corners
}

// widen returns the sine and cosine of a cone whose half-angle has cosine
// cos, a thousandth wider for the rounding of the directions, and its chord,
// 2·sin(θ/2): the distance between two points at the same length on the axis
// and on a ray at angle θ to it, per unit length.
func widen(cos float64) (sin, wider, chord float64) {
	sin = float64(math.Sqrt(max(0, 1-float64(cos*cos)))*1.001) + 1e-12
	wider = math.Sqrt(1 - float64(sin*sin))
	return sin, wider, sin * math.Sqrt(2/(1+wider))
}

// rayStart is where the primary ray from the camera along rd, whose block's
// cone stopped at cone, starts: there, or where it meets a plane, if sooner.
func (tr *tracer) rayStart(rd scene.Vec3, cone float64) float64 {
	_, ahead := tr.planesAhead(tr.origin, rd)
	return max(0, min(cone, ahead))
}

// mirrorCone returns the cone of the reflections, off the program's one
// plane, of the primary rays through block (bx, by) (see mirror): nothing for
// a lens camera, the reference marcher, a program with other than one plane
// the marcher takes itself, a camera on or under the plane, and a block none of
// whose corners' rays meets it. The evaluations count in tr's.
func (f *framePlan) mirrorCone(tr *tracer, bx, by int) mirror {
	m, c, ok := f.mirrorOf(tr, bx, by)
	if ok {
		m.stop = c.march(tr)
	}
	return m
}

// mirrorOf sets up mirrorCone's cone, but for how far it is clear, and its
// march; ok is false where there is none.
func (f *framePlan) mirrorOf(tr *tracer, bx, by int) (m mirror, c coneMarch, ok bool) {
	if !f.view.pinhole() || tr.reference || tr.prog == nil || !tr.prog.split() || len(tr.prog.planes) != 1 {
		return m, c, false
	}
	pl := tr.prog.planes[0]
	n, h := pl.Normal, pl.Distance(f.view.origin)
	if !(h > 0) {
		return m, c, false
	}
	centre, corners := f.blockRays(bx, by)
	axis := reflect(centre, n).Normalize()
	cos, reach, meets := 1.0, 0.0, false
	for _, v := range corners {
		cos = min(cos, reflect(v, n).Dot(axis))
		_, ahead := tr.planesAhead(f.view.origin, v)
		meets = meets || ahead < math.Inf(1)
		reach = max(reach, min(ahead, farPlane))
	}
	if !meets {
		return m, c, false
	}
	_, cos, chord := widen(cos)
	// A reflection leaves a hit lifted off the surface, and a hit may be up
	// to the threshold short of the plane: its line passes the apex by up to
	// surfaceLift + 2 thresholds there, at most at the farthest corner's.
	m = mirror{apex: f.view.origin.Sub(n.Scale(2 * h)), axis: axis, cos: cos}
	m.margin = float64((surfaceLift+2)*tr.hitThreshold(reach)*1.001) + 1e-9
	return m, coneMarch{from: m.apex, axis: axis, chord: chord, margin: m.margin, mirror: true}, true
}

// mirror is the cone of the mirror reflections, off a plane, of the primary
// rays through a block of a pinhole camera's image: those reflections lie
// along the lines from the camera's mirror image, the apex, that the block's
// rays mirrored take, and a cone around those lines, marched as the primary
// rays' cone is, takes every reflection that lies in it through the empty
// space it crosses (mirrorStart). The distance it marches by is to the
// scene but the plane, which a reflection leaves behind.
type mirror struct {
	apex, axis scene.Vec3
	cos        float64 // the least cosine of a line of the cone with the axis
	margin     float64 // how far from the apex a line of the cone may pass
	stop       float64 // how far along the lines the cone is clear; 0 for no cone
}

// mirrorStart is where the reflected ray from p along d starts, given the
// cone m of the reflections of its primary ray's block: along its line from
// the apex, where the cone stops, if it lies in the cone, leaves the plane
// behind for good (its distance from it above the hit threshold all the
// way) and starts beyond the apex; at p otherwise.
func (tr *tracer) mirrorStart(p, d scene.Vec3, m *mirror) float64 {
	if m.stop == 0 {
		return 0
	}
	pl := &tr.prog.planes[0]
	if pl.Normal.Dot(d) < 2*tr.slope || pl.Distance(p) < 2*minHitDist || d.Dot(m.axis) < m.cos {
		return 0
	}
	v := p.Sub(m.apex)
	l := v.Dot(d)
	if w := v.Sub(d.Scale(l)); l < 0 || w.Dot(w) > m.margin*m.margin {
		return 0
	}
	return max(0, m.stop-l)
}

// cones holds where the primary rays of each block of a set of pixels start
// (coneStart), and the cone of their reflections (mirrorCone), worked out once
// for each block and moment the set's samples look through, when the first of
// them needs it.
type cones struct {
	x0, y0, across, down int          // the set's first block, and how many it spans
	starts               []blockCones // per moment and block: a NaN start until worked out
	marches              []coneMarch  // the marches of a wave's cones (wave.marchCones)
}

// blockCones are the cones of a block at a moment.
type blockCones struct {
	start  float64 // where its primary rays start (coneStart)
	mirror mirror
}

// reset makes c ready for a set of pixels within r, with samples at moments
// moments.
func (c *cones) reset(r image.Rectangle, moments int) {
	c.x0, c.y0 = blockOf(r.Min.X), blockOf(r.Min.Y)
	c.across = blockOf(r.Max.X-1) - c.x0 + 1
	c.down = blockOf(r.Max.Y-1) - c.y0 + 1
	c.starts = grow(c.starts, c.across*c.down*moments)
	for i := range c.starts {
		c.starts[i].start = math.NaN()
	}
}

// at returns the index among c.starts of the cones of pixel (x, y) at moment
// k, whose plan is m and whose tracer is tr, working them out the first time.
func (c *cones) at(m *framePlan, tr *tracer, k, x, y int) int {
	i := c.index(k, x, y)
	if s := c.starts[i].start; s != s {
		bx, by := blockOf(x), blockOf(y)
		c.starts[i] = blockCones{start: m.coneStart(tr, bx, by), mirror: m.mirrorCone(tr, bx, by)}
	}
	return i
}

// index is the index among c.starts of the cones of pixel (x, y) at moment k.
func (c *cones) index(k, x, y int) int {
	bx, by := blockOf(x), blockOf(y)
	return (k*c.down+by-c.y0)*c.across + bx - c.x0
}

// marchCones works out, as cones.at would, the cones at moment k (plan m) of
// each block of a wave's pixels, in order, that one of the samples from to
// to of its pixels looks through and that are not worked out yet:
// their marches step together, each step's points evaluated in the wave's
// batches, and take the steps they would alone.
func (w *wave) marchCones(m *framePlan, order []wavePixel, from, to, k int) {
	c, f := &w.sampler.cones, w.sampler.f
	marches := c.marches[:0]
	lastX, lastY := -1, -1 // the block of the pixel looked at before
	for _, px := range order {
		x, y := int(px.x), int(px.y)
		if f.moments != nil && !seesMoment(f, x, y, from, to, k) {
			continue
		}
		bx, by := blockOf(x), blockOf(y)
		if bx == lastX && by == lastY {
			continue // its block's, just looked at: the order goes block by block
		}
		lastX, lastY = bx, by
		at := c.index(k, x, y)
		if s := c.starts[at].start; s == s {
			continue // worked out, or on its way
		}
		c.starts[at] = blockCones{}
		if p, ok := m.primaryCone(&w.tracer, bx, by); ok {
			p.at = int32(at)
			marches = append(marches, p)
		}
		if mr, mc, ok := m.mirrorOf(&w.tracer, bx, by); ok {
			c.starts[at].mirror = mr
			mc.at = int32(at)
			marches = append(marches, mc)
		}
	}
	c.marches = marches
	q := &w.points
	for range coneSteps {
		q.reset()
		for i := range marches {
			if !marches[i].done {
				q.add(marches[i].point())
			}
		}
		if len(q.at) == 0 {
			break
		}
		w.flush(true)
		next := 0
		for i := range marches {
			if cm := &marches[i]; !cm.done {
				cm.done = cm.step(&w.tracer, q.d[next])
				next++
			}
		}
	}
	for i := range marches {
		if cm := &marches[i]; cm.mirror {
			c.starts[cm.at].mirror.stop = cm.s
		} else {
			c.starts[cm.at].start = cm.s
		}
	}
}

// seesMoment reports whether one of the samples from to to of pixel (x, y)
// sees moment k of f.
func seesMoment(f *framePlan, x, y, from, to, k int) bool {
	for j := from; j < to; j++ {
		if f.moment(x, y, j) == k {
			return true
		}
	}
	return false
}

// coneRoom is how many cones a worker holds at once, rendering tiles of
// tile pixels: one per block of the largest set of pixels it samples at once
// (a band of a tile, or with adaptive anti-aliasing a tile and its border)
// and per moment.
func (s Settings) coneRoom(tile int) int {
	w, h := tile+2, tile+2
	if s.MaxSamples <= s.Samples {
		w, h = tile, min(tile, max(1, bandPixels/tile))
	}
	moments := 1
	if s.Shutter > 0 {
		moments = s.PixelSamples()
	}
	return (w/block + 2) * (h/block + 2) * moments
}

// coneBytes is the size of n cones' memory, with their marches.
func coneBytes(n int) uint64 {
	return uint64(n) * uint64(unsafe.Sizeof(blockCones{})+2*unsafe.Sizeof(coneMarch{}))
}
