//go:build goexperiment.simd && amd64

package render

import (
	"math"
	"math/bits"
	"simd/archsimd"
	"unsafe"

	"github.com/sdfrender/render/scene"
)

// The AVX2 build marches a wave's rays four at a time. wave.march lists the
// rays and tests them in groups for having nothing ahead, as in the default
// build; the steps are taken here, on the rays' numbers kept four rays to a
// quad, each number of the four in a row (laneQuad), so that four rays' t, or
// four rays' origins' x, load as one vector. (As structs, four rays' fields
// gathered into vectors ran 7 % slower than the scalar loop.) A step is one
// pass over the quads (movePass), in vector code, which reads each ray's
// distance from the queue, takes tracer.step's move, hit and far plane, then
// planeAhead and meets, and queues the point of each ray that goes on, in the
// rays' order. At a step that checks for escapes, the pass stops after the
// move, leavingLanes makes the checks, four rays at a time against a bounding
// sphere at a time, and a second pass takes the rest. The shadow rays go the
// same way (shadowLanes).
//
// Each lane makes the scalar code's operations in its order, on the same
// numbers (the AVX2 kernel's exactly rounded ones, kernel_avx2.go), so each
// ray steps exactly as wave.march steps it as a struct:
// TestLanesMarchAsStructs and TestShadowLanesAsStructs march the same rays
// both ways, and TestLaneChecksAreScalar holds the checks to the scalar ones.
// A ray that is done leaves its lane empty; the quads close up once half
// their lanes are (closeUp), not at every step as the structs do.

// laneState is the rays of a march in quads of four lanes, a ray per lane.
type laneState struct {
	quads      []laneQuad
	shadows    []shadowQuad
	n          int       // quads in use
	x, y, z, c []float64 // the queue's rows (points.inRows), where the passes queue points
	// Per primary ray of a wave: its point on the image (x, y) and its
	// cone's start, then its direction (x, y, z) and its start (aimLanes).
	aim [4][]float64
	// For the passes: the tracer's and the march's constants, the floor's,
	// and the light's.
	slope, minHit, far, fine               f4
	steady, infinity, origin               f4
	normalX, normalY, normalZ, up          f4
	dark, minStep, maxStep, shadowFar, two f4
	lx, ly, lz, rate, k                    f4
	suns                                   []sun4 // skyLanes' lights
	lit                                    litRows
	flat                                   int // the hits normalLanes, surfaceLanes or occludeLanes has listed in lit
}

// litRows is what lightLanes reads of up to litChunk hits, a row per number
// (litX and its neighbours name the rows), and where each is in the wave.
type litRows struct {
	v   [litRows_][litChunk + 4]float64
	ray [litChunk]int32
}

// litChunk is how many hits lightLanes lights at a time.
const litChunk = 64

// The rows of litRows: a hit's colour, albedo, normal and direction, its
// cosine and visibility, its highlight's peak and exponent (0 for none).
const (
	litCX = iota
	litCY
	litCZ
	litAX
	litAY
	litAZ
	litNX
	litNY
	litNZ
	litDX
	litDY
	litDZ
	litNdl
	litVis
	litPeak
	litExp
	litRows_
)

// The rows of litRows as normalLanes, surfaceLanes and occludeLanes use
// them, before the lights: a hit's point, its normal (normalRows' answer),
// its albedo (surfaceRows' answer, and where occludeRows writes its colour),
// its normal's taps' spacing (or its distance along its ray), and its room.
const (
	flatPX = iota
	flatPY
	flatPZ
	flatNX
	flatNY
	flatNZ
	flatAX
	flatAY
	flatAZ
	flatH
	flatRoom
)

// sun4 is a light that casts shadows, its direction and colour splatted, for
// skyLanes.
type sun4 struct{ x, y, z, r, g, b f4 }

// laneQuad is four rays of a march, each of its numbers a list of four, so
// that the four load as a vector. The bit masks say which lanes hold a ray on
// its way (alive), which rays ended at the step and which of those hit
// (ended, hits), and which primary rays start at the camera (camera), whose
// first distance is known.
type laneQuad struct {
	ox, oy, oz, dx, dy, dz     [4]float64
	t, last, prev, plane, rate [4]float64
	atCamera                   [4]float64 // for a ray at the camera, how far ahead the planes are
	closing                    [4]int64   // all ones where the ray closed in at the step before
	ray                        [4]int32
	alive, ended, hits, camera uint8
	planes                     uint8 // rays that only the planes can still be nearest to (leavingLanes)
	seed                       int32 // the sphere leavingLanes looks at first
}

// laneBytes is what the lanes cost per ray of a wave.
const laneBytes = uint64((unsafe.Sizeof(laneQuad{})+unsafe.Sizeof(shadowQuad{}))/4 + 4*unsafe.Sizeof(float64(0)))

// make makes room for waves of up to rays rays.
func (ls *laneState) make(rays int) {
	ls.quads, ls.shadows = make([]laneQuad, (rays+3)/4), make([]shadowQuad, (rays+3)/4)
	for k := range ls.aim {
		ls.aim[k] = make([]float64, rays+3) // and a quad's spare lanes (skyLanes)
	}
}

// lanesFit reports whether the lanes take the march of a wave of rays rays:
// with AVX2, where the marcher takes the scene's one plane, a floor, itself,
// and the wave fits the lanes, and the queue has a quad's room to spare for
// the passes' unchecked loads and stores (kernel_avx2.go's load and store).
func (w *wave) lanesFit(rays int) bool {
	q := &w.points
	return laneMarch && w.floor != nil && w.prog != nil && !w.reference &&
		rays <= 4*len(w.lanes.quads) && cap(q.at) >= rays+4 && cap(q.d) >= rays+4
}

// queueRows is whether the lanes may queue points in rows (points.rows):
// with the SIMD experiment.
const queueRows = true

// laneMarch is whether the march takes its steps in lanes: set where the
// processor has AVX2 (kernel_avx2.go's init); the tests turn it off to
// compare.
var laneMarch bool

// marchLanes marches the rays active of the wave rays from their t, which
// wave.march found in no group with nothing ahead, and sets each one's t and
// hit in rays; with primary, those at t = 0 start at a pinhole camera.
func (w *wave) marchLanes(rays []waveRay, active []marchRay, primary bool) {
	ls := &w.lanes
	q := &w.points
	ls.load(active, primary, w)
	q.rows = true // until the march is done
	// The first step's points, but for rays at the camera, whose distance is
	// known, and rays that meet the floor where they start, which hit there.
	queued, live := w.movePass(false, true)
	q.at = q.at[:queued]
	ls.finish(rays)
	for step := 0; step < maxSteps && live > 0; step++ {
		w.flush(true)
		if step > 0 && 2*live < 4*ls.n {
			ls.closeUp() // the distances read next are in the rays' order: it keeps it
		}
		if step == 0 || step%marchCheck == marchCheck-1 {
			w.movePass(true, false)
			w.checkLanes(step)
			queued, live = w.movePass(false, true)
		} else {
			queued, live = w.movePass(true, true)
		}
		q.at = q.at[:queued]
		ls.finish(rays)
	}
	quads := ls.quads[:ls.n]
	for i := range quads { // out of steps: a miss
		qd := &quads[i]
		for a := qd.alive; a != 0; a &= a - 1 {
			j := bits.TrailingZeros8(a) & 3
			rays[qd.ray[j]].t = qd.t[j]
		}
	}
	q.rows = false
}

// load puts the rays active in the lanes, in their order, and sets the
// passes' constants.
func (ls *laneState) load(active []marchRay, primary bool, w *wave) {
	ls.n = fillQuads(ls.quads, active)
	if !primary {
		for i := range ls.quads[:ls.n] {
			ls.quads[i].camera = 0
		}
	}
	ls.constants(w)
	archsimd.ClearAVXUpperBits()
}

// constants sets the passes' constants of wave w, and where they queue
// points.
func (ls *laneState) constants(w *wave) {
	q := &w.points
	ls.x, ls.y, ls.z, ls.c = q.inRows()
	fl := w.floor
	ls.slope, ls.minHit, ls.far, ls.fine = splat(w.slope), splat(w.minHit), splat(farPlane), splat(hitFine)
	ls.steady, ls.infinity, ls.origin = splat(1+steadyRatio), splat(inf), splat(w.originDist)
	ls.normalX, ls.normalY, ls.normalZ, ls.up = splat(fl.Normal.X), splat(fl.Normal.Y), splat(fl.Normal.Z), splat(fl.Offset)
	ls.dark, ls.minStep, ls.maxStep, ls.shadowFar, ls.two = splat(shadowDark), splat(shadowMinStep), splat(shadowMaxStep), splat(shadowFar), splat(2)
}

// closeUp moves the rays on their way to the first lanes, in their order.
func (ls *laneState) closeUp() { ls.n = closeUpQuads[laneQuad, marchRay](ls.quads[:ls.n]) }

// quad is what fillQuads and closeUpQuads need of a quad of rays of type R,
// Q: to start with lanes alive holding a ray on its way, and the mask of
// those; to take a ray into lane j, and a ray from another quad's lane k.
type quad[Q, R any] interface {
	*Q
	start(alive uint8)
	aliveMask() *uint8
	take(j int, r *R)
	move(j int, from *Q, k int)
}

// fillQuads puts rays in quads, in their order, and returns how many quads
// they fill.
func fillQuads[Q, R any, P quad[Q, R]](quads []Q, rays []R) int {
	n := (len(rays) + 3) / 4
	for i := range quads[:n] {
		qd, rs := P(&quads[i]), rays[4*i:min(4*i+4, len(rays))]
		qd.start(1<<len(rs) - 1)
		for j := range rs {
			qd.take(j, &rs[j])
		}
	}
	return n
}

// closeUpQuads moves the rays on their way in quads to the first lanes, in
// their order, and returns how many quads they fill.
func closeUpQuads[Q, R any, P quad[Q, R]](quads []Q) int {
	n, j := 0, 0 // the quad and the lane the next ray goes to
	for i := range quads {
		from := &quads[i]
		for a := *P(from).aliveMask(); a != 0; a &= a - 1 {
			to := P(&quads[n])
			to.move(j, from, bits.TrailingZeros8(a)&3)
			if j++; j == 4 {
				*to.aliveMask(), n, j = 0xf, n+1, 0
			}
		}
	}
	if j > 0 {
		*P(&quads[n]).aliveMask(), n = 1<<j-1, n+1
	}
	return n
}

// start, aliveMask, take and move make a laneQuad a quad of marchRays. A ray
// at t = 0 starts at the camera (load leaves that to primary rays).
func (qd *laneQuad) start(alive uint8) {
	qd.alive, qd.ended, qd.hits, qd.camera, qd.planes, qd.seed = alive, 0, 0, 0, 0, 0
}

func (qd *laneQuad) aliveMask() *uint8 { return &qd.alive }

func (qd *laneQuad) take(j int, r *marchRay) {
	j &= 3
	qd.ox[j], qd.oy[j], qd.oz[j] = r.ro.X, r.ro.Y, r.ro.Z
	qd.dx[j], qd.dy[j], qd.dz[j] = r.rd.X, r.rd.Y, r.rd.Z
	qd.t[j], qd.last[j], qd.prev[j], qd.rate[j] = r.t, r.last, r.prev, r.rate
	qd.closing[j] = -int64(bit(r.closing))
	qd.ray[j] = r.ray
	qd.camera |= uint8(bit(r.t == 0)) << j
}

func (qd *laneQuad) move(j int, from *laneQuad, k int) {
	j, k = j&3, k&3
	qd.ox[j], qd.oy[j], qd.oz[j] = from.ox[k], from.oy[k], from.oz[k]
	qd.dx[j], qd.dy[j], qd.dz[j] = from.dx[k], from.dy[k], from.dz[k]
	qd.t[j], qd.last[j], qd.prev[j], qd.plane[j], qd.rate[j] = from.t[k], from.last[k], from.prev[k], from.plane[k], from.rate[k]
	qd.closing[j], qd.ray[j] = from.closing[k], from.ray[k]
}

// finish sets t and hit in rays for the rays that ended at the step.
func (ls *laneState) finish(rays []waveRay) {
	quads := ls.quads[:ls.n]
	for i := range quads {
		qd := &quads[i]
		if qd.ended == 0 {
			continue
		}
		for e := qd.ended; e != 0; e &= e - 1 {
			j := bits.TrailingZeros8(e) & 3
			r := &rays[qd.ray[j]]
			r.t, r.hit = qd.t[j], qd.hits>>j&1 != 0
		}
		qd.ended, qd.hits = 0, 0
	}
}

// checkLanes makes the check of step of each ray on its way, as tracer.step
// makes it after the ray moves: a ray that has escaped ends, a miss, and one
// that only the planes can still be nearest to marches to its end, as
// wave.march marches it (planesTo).
func (w *wave) checkLanes(step int) {
	if !w.prog.canEscape {
		return // no ray escapes, and none is planes only (program.leaving)
	}
	w.leavingLanes()
	ls := &w.lanes
	quads := ls.quads[:ls.n]
	for i := range quads {
		qd := &quads[i]
		for a := qd.planes; a != 0; a &= a - 1 {
			j := bits.TrailingZeros8(a) & 3
			r := marchRay{ro: scene.Vec3{X: qd.ox[j], Y: qd.oy[j], Z: qd.oz[j]}, rd: scene.Vec3{X: qd.dx[j], Y: qd.dy[j], Z: qd.dz[j]}}
			r.progress = progress{t: qd.t[j], planesOnly: true, last: qd.last[j], prev: qd.prev[j], closing: qd.closing[j] != 0}
			if w.planesTo(&r, step+1) {
				qd.hits |= 1 << j
			}
			qd.t[j] = r.t
		}
		qd.planes = 0
	}
}

// leavingLanes is program.leaving for every ray on its way, four rays at a
// time, each lane testing a bounding sphere at a time: it ends the rays that
// have escaped, and marks in planes those that only the planes can still be
// nearest to and have not, which it ends too, for checkLanes. None of the
// rays is planes only yet (such a ray ends at the check that finds it), and
// the program's one plane is the floor.
//
// The answers are leaving's, which do not depend on the order the spheres
// are looked at in: where leaving looks first at the sphere that held the ray
// before (the blocker), a quad of rays goes through the spheres in order
// until each of its rays is held by one.
//
//go:noinline
func (w *wave) leavingLanes() {
	ls, pr := &w.lanes, w.prog
	sq, spheres := &pr.quads, len(pr.spheres)
	// clearance.march's tests, the same for every ray but for t.
	passable := w.slope >= 0 && w.slope < 1
	cosine, tangent := slopeAngle(w.slope)
	minHit, cos, tan, slack := splat(minHitDist), splat(cosine), splat(tangent), splat(boundSlack)
	quads := ls.quads[:ls.n]
	for i := range quads {
		qd := &quads[i]
		a := qd.alive
		if a == 0 {
			continue
		}
		t := archsimd.LoadFloat64x4(&qd.t)
		dx, dy, dz := archsimd.LoadFloat64x4(&qd.dx), archsimd.LoadFloat64x4(&qd.dy), archsimd.LoadFloat64x4(&qd.dz)
		px, py, pz := qd.point(t)
		st := ls.slope.Mul(t)
		thr := goMax(minHit, st)
		// The floor: clearance.ok, and the nearest plane.
		dist := ls.floorDistance(px, py, pz)
		rate := archsimd.LoadFloat64x4(&qd.rate)
		escaped := a &^ dist.LessEqual(zero4).ToBits() & rate.GreaterEqual(ls.slope).ToBits() & dist.GreaterEqual(thr).ToBits()
		planes := a
		below := dist.Less(ls.infinity)
		nearer := dist.Merge(ls.infinity, below).Add(slack)
		nearRate := rate.Merge(zero4, below)
		s := int(qd.seed)
		for range spheres {
			if s == spheres {
				s = 0
			}
			r := splat(sq.r[s])
			vv, vd, l := approach4(px.Sub(splat(sq.x[s])), py.Sub(splat(sq.y[s])), pz.Sub(splat(sq.z[s])), dx, dy, dz)
			behind := vd.LessEqual(zero4).ToBits() | vv.LessEqual(splat(sq.rr[s])).ToBits()
			gap := l.Sub(r)
			if escaped != 0 {
				recedes := ^behind & vd.GreaterEqual(ls.slope.Mul(l)).ToBits() & gap.GreaterEqual(thr).ToBits()
				if rest := escaped &^ recedes; rest != 0 {
					if passable {
						rest &^= passes4(vv, vd, l, r, minHit, ls.slope, cos, tan, st)
					}
					escaped &^= rest
				}
			}
			planes &^= behind | gap.Less(nearer).ToBits() | vd.Less(nearRate.Mul(l)).ToBits()
			if escaped|planes == 0 {
				qd.seed = int32(s) // the sphere that held the last of the quad's rays: the next check looks there first
				break
			}
			s++
		}
		planes &^= escaped
		qd.alive = a &^ (escaped | planes)
		qd.ended |= escaped | planes
		qd.planes = planes
	}
	archsimd.ClearAVXUpperBits()
}

// movePass takes a step of every ray on its way, four rays at a time: with
// move, tracer.step but for its check, with the distance at the ray's
// point, the queue's next (or at the camera, the one known there); with
// plane, the floor ahead (planeAhead) and whether the ray meets it
// (tracer.meets), and the point of its next step, queued. A ray that hits,
// or passes the far plane, ends. It returns how many points it queued and
// how many rays are on their way.
//
//go:noinline
func (w *wave) movePass(move, plane bool) (queued, live int) {
	ls := &w.lanes
	dist := w.points.d
	next := 0
	quads := ls.quads[:ls.n]
	for i := range quads {
		qd := &quads[i]
		a := qd.alive
		if a == 0 {
			continue
		}
		t := archsimd.LoadFloat64x4(&qd.t)
		if move {
			cam := qd.camera
			d := expand(load(dist, next), a&^cam)
			next += bits.OnesCount8(a &^ cam)
			if cam != 0 { // the first step
				d = goMin(ls.origin, archsimd.LoadFloat64x4(&qd.atCamera)).Merge(d, maskOf(cam))
				qd.camera = 0
			}
			last := archsimd.LoadFloat64x4(&qd.last)
			by := d // how far the ray may move
			d = goMin(by, archsimd.LoadFloat64x4(&qd.plane))
			// tracer.step's closing, but for its i > 0: at the first step
			// last is 0, and a ray with d < 0 hits (d·hitFine < thr).
			closing := d.Less(last)
			thr := hitThreshold4(t, ls.slope, ls.minHit)
			moved := t.Add(by)
			var hit uint8
			if near := d.Less(thr).ToBits() & a; near != 0 {
				// tracer.step's tests of a ray near a surface (not planes
				// only: such a ray ended at the check that found it).
				hit = near & d.Mul(ls.fine).Less(thr).ToBits()
				if rest := near &^ hit & closing.ToBits() & archsimd.LoadInt64x4(&qd.closing).ToMask().ToBits(); rest != 0 {
					prev := archsimd.LoadFloat64x4(&qd.prev)
					hit |= rest & d.Div(last).LessEqual(last.Div(prev).Mul(ls.steady)).ToBits()
				}
				if hit != 0 {
					moved = t.Merge(moved, maskOf(hit)) // a hit stays where it is
				}
			}
			t = moved
			gone := t.Greater(ls.far).ToBits() & a &^ hit
			t.Store(&qd.t)
			last.Store(&qd.prev)
			d.Store(&qd.last)
			closing.ToInt64x4().Store(&qd.closing)
			a &^= hit | gone
			qd.ended, qd.hits = hit|gone, hit
		}
		if plane {
			rate := archsimd.LoadFloat64x4(&qd.rate)
			px, py, pz := qd.point(t)
			h, along := ls.floorAhead(px, py, pz, rate)
			h.Store(&qd.plane)
			// meets, for a ray that is not planes only
			thr := hitThreshold4(t, ls.slope, ls.minHit)
			meets := h.Less(thr).ToBits() & h.Mul(ls.fine).Less(thr).ToBits() & a
			a &^= meets
			qd.ended |= meets
			qd.hits |= meets
			goes := a
			if cam := qd.camera; cam != 0 { // before the first step
				along.Store(&qd.atCamera)
				goes &^= cam
			}
			queued += ls.queue(queued, px, py, pz, along, goes)
		}
		qd.alive = a
		live += bits.OnesCount8(a)
	}
	archsimd.ClearAVXUpperBits()
	return queued, live
}

// floorAhead is planeAhead in each lane, for the floor, at the points (x, y,
// z) of rays whose planeRate is rate.
func (ls *laneState) floorAhead(x, y, z, rate f4) (h, along f4) {
	h = ls.floorDistance(x, y, z)
	along = h.Div(neg(rate))
	along = along.Merge(ls.infinity, rate.Less(zero4).And(along.Less(ls.infinity)))
	return h.Merge(ls.infinity, h.Less(ls.infinity)), along
}

// floorDistance is the floor's distance (scene.Plane.Distance) in each lane,
// at the points (x, y, z).
func (ls *laneState) floorDistance(x, y, z f4) f4 {
	return x.Mul(ls.normalX).Add(y.Mul(ls.normalY)).Add(z.Mul(ls.normalZ)).Sub(ls.up)
}

// point is where the quad's rays are at t along them, in each lane.
func (qd *laneQuad) point(t f4) (x, y, z f4) {
	x = archsimd.LoadFloat64x4(&qd.ox).Add(archsimd.LoadFloat64x4(&qd.dx).Mul(t))
	y = archsimd.LoadFloat64x4(&qd.oy).Add(archsimd.LoadFloat64x4(&qd.dy).Mul(t))
	z = archsimd.LoadFloat64x4(&qd.oz).Add(archsimd.LoadFloat64x4(&qd.dz).Mul(t))
	return x, y, z
}

// queue writes the points (x, y, z) with the ceilings c of the lanes set in
// goes to the queue's rows, from point n on, and returns how many: the lanes
// are moved together, and each vector goes to its row as it is, as the
// batches read them (flush), not transposed into points and back. It writes
// four lanes whatever their number.
func (ls *laneState) queue(n int, x, y, z, c f4, goes uint8) int {
	idx := &compressing[goes&0xf]
	store(permute(x, idx), ls.x, n)
	store(permute(y, idx), ls.y, n)
	store(permute(z, idx), ls.z, n)
	store(permute(c, idx), ls.c, n)
	return bits.OnesCount8(goes)
}

// goMin is Go's min of two float64s in each lane: a NaN if either is, and of
// two zeros, -0 if either is.
func goMin(a, b f4) f4 {
	m := a.Merge(b, a.Less(b))
	m = a.AsUint64x4().Or(b.AsUint64x4()).AsFloat64x4().Merge(m, a.Equal(b)) // equal: the same bits, or two zeros
	return a.Merge(m, a.IsNaN())
}

// hitThreshold4 is tracer.hitThreshold in each lane.
func hitThreshold4(t, slope, minHit f4) f4 {
	h := slope.Mul(t)
	return h.Merge(minHit, h.Greater(minHit))
}

// maskOf is the vector mask of the lanes whose bits are set in m.
func maskOf(m uint8) archsimd.Mask64x4 { return archsimd.LoadInt64x4(&laneMasks[m&0xf]).ToMask() }

// expand spreads the first of v's numbers over the lanes whose bits are set
// in m, in their order.
func expand(v f4, m uint8) f4 { return permute(v, &expanding[m&0xf]) }

// permute is v with its lanes taken from those idx names, as pairs of 32-bit
// halves (AVX2 permutes 64-bit lanes only by constants).
func permute(v f4, idx *[8]uint32) f4 {
	return v.AsFloat32x8().Permute(archsimd.LoadUint32x8(idx)).AsFloat64x4()
}

// The tables of the lanes' masks and permutations, for each mask of four
// lanes: laneMasks, the mask itself; expanding, the permutation that spreads
// the first lanes over those set (expand); compressing, the one that gathers
// the lanes set into the first (movePass).
var laneMasks, expanding, compressing = func() (masks [16][4]int64, expanding, compressing [16][8]uint32) {
	for m := range 16 {
		n := 0
		for j := range 4 {
			if m>>j&1 == 0 {
				continue
			}
			masks[m][j] = -1
			expanding[m][2*j], expanding[m][2*j+1] = uint32(2*n), uint32(2*n+1)
			compressing[m][2*n], compressing[m][2*n+1] = uint32(2*j), uint32(2*j+1)
			n++
		}
	}
	return masks, expanding, compressing
}()

// The shadow rays of a wave's hits towards a light go in lanes too, after
// wave.shadows has tested them in groups for being unshaded from the start:
// shadowPass is tracer.shadowMove, planeAhead and the ceiling of the next
// step, four rays at a time, and unshadedLanes the checks, every shadowCheck
// steps, four rays at a time against a bounding sphere at a time.

// shadowQuad is four shadow rays, as laneQuad is four rays of a march: where
// each starts, how far it has gone and its penumbra term so far.
type shadowQuad struct {
	px, py, pz    [4]float64
	t, res, plane [4]float64
	ray           [4]int32
	alive, ended  uint8
	seed          int32 // the sphere unshadedLanes looks at first
}

// shadowLanes marches the shadow rays active towards light l in lanes, and
// sets the penumbra term of each one's hit in rays. It reports false, doing
// nothing, where the lanes do not take them (lanesFit).
func (w *wave) shadowLanes(rays []waveRay, active []shadowRay, l light) bool {
	ls := &w.lanes
	if !w.lanesFit(len(active)) || len(active) > 4*len(ls.shadows) {
		return false
	}
	q := &w.points
	ls.loadShadows(active, l, w)
	q.rows = true // until the march is done
	queued, live := w.shadowPass(l.shadow, false, true)
	q.at = q.at[:queued]
	for step := 0; step < shadowSteps && live > 0; step++ {
		w.flush(true)
		if 2*live < 4*ls.n {
			ls.closeUpShadows()
		}
		if step == 0 || step%shadowCheck == shadowCheck-1 {
			w.shadowPass(l.shadow, true, false)
			w.unshadedLanes(l)
			queued, live = w.shadowPass(l.shadow, false, true)
		} else {
			queued, live = w.shadowPass(l.shadow, true, true)
		}
		q.at = q.at[:queued]
		ls.finishShadows(rays)
	}
	quads := ls.shadows[:ls.n]
	for i := range quads { // out of steps
		qd := &quads[i]
		for a := qd.alive; a != 0; a &= a - 1 {
			j := bits.TrailingZeros8(a) & 3
			rays[qd.ray[j]].shadowRes = qd.res[j]
		}
	}
	q.rows = false
	return true
}

// loadShadows puts the shadow rays active in the lanes, in their order, and
// sets the passes' constants for light l.
func (ls *laneState) loadShadows(active []shadowRay, l light, w *wave) {
	ls.n = fillQuads(ls.shadows, active)
	ls.constants(w)
	ls.lx, ls.ly, ls.lz = splat(l.dir.X), splat(l.dir.Y), splat(l.dir.Z)
	ls.rate, ls.k = splat(planeRate(w.floor, l.dir)), splat(l.shadow)
	archsimd.ClearAVXUpperBits()
}

// closeUpShadows is closeUp for the shadow rays.
func (ls *laneState) closeUpShadows() { ls.n = closeUpQuads[shadowQuad, shadowRay](ls.shadows[:ls.n]) }

// point is where the quad's shadow rays are at t along d, in each lane.
func (qd *shadowQuad) point(t, dx, dy, dz f4) (x, y, z f4) {
	x = archsimd.LoadFloat64x4(&qd.px).Add(dx.Mul(t))
	y = archsimd.LoadFloat64x4(&qd.py).Add(dy.Mul(t))
	z = archsimd.LoadFloat64x4(&qd.pz).Add(dz.Mul(t))
	return x, y, z
}

// start, aliveMask, take and move make a shadowQuad a quad of shadowRays.
func (qd *shadowQuad) start(alive uint8) { qd.alive, qd.ended, qd.seed = alive, 0, 0 }

func (qd *shadowQuad) aliveMask() *uint8 { return &qd.alive }

func (qd *shadowQuad) take(j int, r *shadowRay) {
	j &= 3
	qd.px[j], qd.py[j], qd.pz[j] = r.p.X, r.p.Y, r.p.Z
	qd.t[j], qd.res[j], qd.ray[j] = r.t, r.res, r.ray
}

func (qd *shadowQuad) move(j int, from *shadowQuad, k int) {
	j, k = j&3, k&3
	qd.px[j], qd.py[j], qd.pz[j] = from.px[k], from.py[k], from.pz[k]
	qd.t[j], qd.res[j], qd.plane[j], qd.ray[j] = from.t[k], from.res[k], from.plane[k], from.ray[k]
}

// finishShadows sets the penumbra term in rays of the shadow rays that ended
// at the step.
func (ls *laneState) finishShadows(rays []waveRay) {
	quads := ls.shadows[:ls.n]
	for i := range quads {
		qd := &quads[i]
		for e := qd.ended; e != 0; e &= e - 1 {
			j := bits.TrailingZeros8(e) & 3
			rays[qd.ray[j]].shadowRes = qd.res[j]
		}
		qd.ended = 0
	}
}

// unshadedLanes is program.unshaded for every shadow ray on its way towards
// light l, four rays at a time, each lane testing a bounding sphere at a
// time, as leavingLanes is leaving: it ends the rays that can no longer
// darken. A part of a child bounded by parts that a ray is not clear of is
// passed where the ray is clear of the sphere around them all, as in
// program.clear.
//
//go:noinline
func (w *wave) unshadedLanes(l light) {
	ls, pr := &w.lanes, w.prog
	if !pr.canEscape {
		return
	}
	sq, spheres := &pr.quads, len(pr.spheres)
	k := l.shadow
	dx, dy, dz := ls.lx, ls.ly, ls.lz
	quads := ls.shadows[:ls.n]
	for i := range quads {
		qd := &quads[i]
		a := qd.alive
		if a == 0 {
			continue
		}
		t, res := archsimd.LoadFloat64x4(&qd.t), archsimd.LoadFloat64x4(&qd.res)
		px, py, pz := qd.point(t, dx, dy, dz)
		// clearance.shadowed: the threshold's slope res/k, where k > 0, and
		// passes only for a slope in [0, 1).
		slope := res.Div(ls.k)
		cos := one4.Sub(slope.Mul(slope)).Sqrt()
		tan := slope.Div(cos)
		passable := uint8(0)
		if k > 0 {
			passable = slope.GreaterEqual(zero4).ToBits() & slope.Less(one4).ToBits()
		}
		least, st := res.Mul(t), slope.Mul(t)
		// The floor: clearance.ok, k·min(dist/t, rate) >= res, for a ray
		// above it receding.
		dist := ls.floorDistance(px, py, pz)
		clear := a &^ dist.LessEqual(zero4).ToBits() & ls.rate.GreaterEqual(zero4).ToBits() &
			ls.k.Mul(goMin(dist.Div(t), ls.rate)).GreaterEqual(res).ToBits()
		lastGroup, groupClear := int32(-1), uint8(0)
		s := int(qd.seed)
		for range spheres {
			if s == spheres {
				s = 0
			}
			// sphereClear, written out: as a call, its arguments went
			// through memory.
			r := splat(sq.r[s])
			vv, vd, l := approach4(px.Sub(splat(sq.x[s])), py.Sub(splat(sq.y[s])), pz.Sub(splat(sq.z[s])), dx, dy, dz)
			ok := shadowRecedes4(vv, vd, l, r, splat(sq.rr[s]), ls.k, res, least)
			if rest := passable &^ ok; rest != 0 {
				ok |= rest & passes4(vv, vd, l, r, zero4, slope, cos, tan, st)
			}
			fail := clear &^ ok
			if fail == 0 {
				s++
				continue
			}
			if g := pr.groupOf[s]; g >= 0 {
				if g != lastGroup {
					b := &pr.groups[g].bound
					lastGroup = g
					groupClear = sphereClear(px.Sub(splat(b.center.X)), py.Sub(splat(b.center.Y)), pz.Sub(splat(b.center.Z)), dx, dy, dz,
						splat(b.radius), splat(float64(b.radius*b.radius)), ls.k, res, least, slope, cos, tan, st, passable)
				}
				fail &^= groupClear
			}
			if clear &^= fail; clear == 0 {
				qd.seed = int32(s) // as in leavingLanes
				break
			}
			s++
		}
		qd.alive = a &^ clear
		qd.ended |= clear
	}
	archsimd.ClearAVXUpperBits()
}

// sphereClear is clearance.clearOf for a shadow ray in each lane, at v from
// the sphere's centre, going along d: it recedes from the sphere of radius r
// (r² rr) fast enough, or passes it by far enough (passes4), where passable.
// least is res·t and st slope·t.
func sphereClear(vx, vy, vz, dx, dy, dz, r, rr, k, res, least, slope, cos, tan, st f4, passable uint8) uint8 {
	vv, vd, l := approach4(vx, vy, vz, dx, dy, dz)
	ok := shadowRecedes4(vv, vd, l, r, rr, k, res, least)
	if rest := passable &^ ok; rest != 0 {
		ok |= rest & passes4(vv, vd, l, r, zero4, slope, cos, tan, st)
	}
	return ok
}

// approach4 is sphere.approach in each lane, for a ray at v from the centre
// going along d: |v|², v·d and |v|.
func approach4(vx, vy, vz, dx, dy, dz f4) (vv, vd, l f4) {
	vv = vx.Mul(vx).Add(vy.Mul(vy)).Add(vz.Mul(vz))
	return vv, vx.Mul(dx).Add(vy.Mul(dy)).Add(vz.Mul(dz)), vv.Sqrt()
}

// shadowRecedes4 is clearance.recedes for a shadow ray in each lane, whose
// approach to a sphere of radius r (r² rr) is vv, vd and l: k·(l - r) >= least
// (res·t) and k·vd >= res·l, for a ray outside the sphere going away from its
// centre.
func shadowRecedes4(vv, vd, l, r, rr, k, res, least f4) uint8 {
	return k.Mul(l.Sub(r)).GreaterEqual(least).ToBits() & k.Mul(vd).GreaterEqual(res.Mul(l)).ToBits() &^
		(vd.LessEqual(zero4).ToBits() | vv.LessEqual(rr).ToBits())
}

// shadowPass takes a step of every shadow ray on its way towards a light of
// sharpness k, four rays at a time: with move, tracer.shadowMove with the
// distance at the ray's point, the queue's next; with plane, the floor ahead
// and the point of the ray's next step, queued with its ceiling (the lesser
// of the floor's and shadowReach). A ray that is fully dark, or has gone
// shadowFar, ends. It returns how many points it queued and how many rays
// are on their way.
//
//go:noinline
func (w *wave) shadowPass(k float64, move, plane bool) (queued, live int) {
	ls := &w.lanes
	dist := w.points.d
	sk := splat(k)
	next := 0
	quads := ls.shadows[:ls.n]
	for i := range quads {
		qd := &quads[i]
		a := qd.alive
		if a == 0 {
			continue
		}
		t, res := archsimd.LoadFloat64x4(&qd.t), archsimd.LoadFloat64x4(&qd.res)
		if move {
			h := expand(load(dist, next), a)
			next += bits.OnesCount8(a)
			res = goMin(res, sk.Mul(goMin(h, archsimd.LoadFloat64x4(&qd.plane))).Div(t))
			dark := res.Less(ls.dark).ToBits() & a
			res = zero4.Merge(res, maskOf(dark))
			t = t.Add(clamp(h, ls.minStep, ls.maxStep))
			gone := t.Greater(ls.shadowFar).ToBits() & a &^ dark
			t.Store(&qd.t)
			res.Store(&qd.res)
			a &^= dark | gone
			qd.ended = dark | gone
		}
		if plane {
			px, py, pz := qd.point(t, ls.lx, ls.ly, ls.lz)
			h, along := ls.floorAhead(px, py, pz, ls.rate)
			h.Store(&qd.plane)
			// min(ahead, shadowReach(t, k, res))
			c := goMin(along, goMax(ls.maxStep, ls.two.Mul(res).Mul(t).Div(sk)))
			queued += ls.queue(queued, px, py, pz, c, a)
		}
		qd.alive = a
		live += bits.OnesCount8(a)
	}
	archsimd.ClearAVXUpperBits()
	return queued, live
}

// goMax is Go's max of two float64s in each lane: a NaN if either is, and of
// two zeros, +0 if either is.
func goMax(a, b f4) f4 {
	m := a.Merge(b, a.Greater(b))
	m = a.AsUint64x4().And(b.AsUint64x4()).AsFloat64x4().Merge(m, a.Equal(b)) // equal: the same bits, or two zeros
	return a.Merge(m, a.IsNaN())
}

// aimsLanes reports whether aimLanes aims a pinhole's primary rays: with AVX2.
func (w *wave) aimsLanes() bool { return laneMarch }

// aimAt notes primary ray i's point (x, y) on the image and its cone's start
// for aimLanes.
func (ls *laneState) aimAt(i int, x, y, start float64) {
	ls.aimRoom(i + 1)
	a := &ls.aim
	a[0][i], a[1][i], a[2][i] = x, y, start
}

// aimRoom makes room for n rays' aims.
func (ls *laneState) aimRoom(n int) {
	a := &ls.aim
	if n > len(a[0]) { // a wave larger than make made room for
		for k := range a {
			a[k] = append(a[k], make([]float64, max(n, 2*len(a[k]))-len(a[k]))...)
		}
	}
}

// aimPixels starts a ray at origin through each pixel of order, at offset o
// within it, at the cone's start of its block at moment k, for aimLanes:
// waveSums' loop for one sample a pixel at one moment, without its tests of
// samples and moments (which cost it some 100 instructions a pixel). Ray i
// is order[i]'s, and its colour goes to its pixel's slot, slot[i].
func (w *wave) aimPixels(origin scene.Vec3, order []wavePixel, o offset, c *cones, k int, rays []waveRay, slot []int32) {
	ls := &w.lanes
	ls.aimRoom(len(order))
	a := &ls.aim
	px, py, start := a[0][:len(order)], a[1][:len(order)], a[2][:len(order)]
	rays, slot = rays[:len(order)], slot[:len(order)]
	for i, p := range order {
		x, y := int(p.x), int(p.y)
		ci := c.index(k, x, y)
		r := &rays[i]
		r.ro, r.cones = origin, int32(ci)
		px[i], py[i], start[i] = float64(x)+o.x, float64(y)+o.y, c.starts[ci].start
		slot[i] = p.i
	}
}

// aimLanes aims the primary rays of a pinhole camera of view v, four rays at
// a time, from their points on the image and their cones' starts (aimAt): each
// gets view.ray's direction through its point and tracer.rayStart's start
// along it. Each lane makes the scalar code's operations in its order, so the
// rays are theirs, bit for bit (TestAimLanesIsScalar); the square roots and
// the divisions of four rays go as one. A wave's last rays, fewer than four,
// are aimed one at a time. The vector code writes the directions and starts
// in a row, and a loop of scalar code copies them into the rays: scalar code
// among the vector code would pay, on some processors, for the switch
// between the two.
func (w *wave) aimLanes(v *view, rays []waveRay) {
	n := len(rays)
	a := &w.lanes.aim
	px, py, cone, dz := a[0][:n], a[1][:n], a[2][:n], a[3][:n]
	two := splat(2)
	invW, invH := splat(v.invWidth), splat(v.invHeight)
	fx, fy, fz := splat(v.forward.X), splat(v.forward.Y), splat(v.forward.Z)
	rx, ry, rz := splat(v.right.X), splat(v.right.Y), splat(v.right.Z)
	ux, uy, uz := splat(v.up.X), splat(v.up.Y), splat(v.up.Z)
	// tracer.rayStart for the floor: planeAhead at the camera, whose
	// distance from the floor is the same for every ray.
	floor := w.floor != nil
	var h, nx, ny, nz, inf4 f4
	if floor {
		up, o := &w.floor.Normal, w.origin
		h = splat(float64(o.X*up.X) + float64(o.Y*up.Y) + float64(o.Z*up.Z) - w.floor.Offset)
		nx, ny, nz, inf4 = splat(up.X), splat(up.Y), splat(up.Z), splat(inf)
	}
	i := 0
	for ; i+4 <= n; i += 4 {
		// view.ray
		u := two.Mul(load(px, i)).Mul(invW).Sub(one4)
		wv := one4.Sub(two.Mul(load(py, i)).Mul(invH))
		dx := fx.Add(rx.Mul(u)).Add(ux.Mul(wv))
		dy := fy.Add(ry.Mul(u)).Add(uy.Mul(wv))
		dz4 := fz.Add(rz.Mul(u)).Add(uz.Mul(wv))
		// scene.Vec3.Normalize: the zero vector stays zero.
		l := dx.Mul(dx).Add(dy.Mul(dy)).Add(dz4.Mul(dz4)).Sqrt()
		s, zero := one4.Div(l), l.Equal(zero4)
		dx, dy, dz4 = dx.Merge(dx.Mul(s), zero), dy.Merge(dy.Mul(s), zero), dz4.Merge(dz4.Mul(s), zero)
		if floor {
			// planeRate, planeAhead's along, and rayStart's clamp.
			rate := nx.Mul(dx).Add(ny.Mul(dy)).Add(nz.Mul(dz4))
			along := h.Div(neg(rate))
			along = along.Merge(inf4, rate.Less(zero4).And(along.Less(inf4)))
			store(goMax(zero4, goMin(load(cone, i), along)), cone, i)
		}
		store(dx, px, i)
		store(dy, py, i)
		store(dz4, dz, i)
	}
	archsimd.ClearAVXUpperBits()
	started := i // the rays whose start is found: none without the floor
	if !floor {
		started = 0
	}
	for ; i < n; i++ {
		d := v.ray(px[i], py[i])
		px[i], py[i], dz[i] = d.X, d.Y, d.Z
	}
	for i := range rays {
		r := &rays[i]
		r.rd, r.t = scene.Vec3{X: px[i], Y: py[i], Z: dz[i]}, cone[i]
		if i >= started {
			r.t = w.rayStart(r.rd, r.t)
		}
	}
}

// aoTapsLanes is aoTapsInto with AVX2, and reports whether it has set the
// taps: a tap, its three numbers and its ceiling, is a vector, r.p's and
// r.n's numbers, the next number masked off, are two (each lane makes the
// scalar code's operations), and the taps' stores go straight to the queue.
func aoTapsLanes(taps *[aoTaps]point, r *waveRay) bool {
	if !fourWide {
		return false
	}
	p, n := xyz(&r.p), xyz(&r.n)
	for i := range taps {
		p.Add(n.Mul(splat(aoHeights[i]))).Store((*[4]float64)(unsafe.Pointer(&taps[i])))
	}
	archsimd.ClearAVXUpperBits()
	return true
}

// normalTapsLanes is normalTapsInto's taps with AVX2, for the spacing h, as
// aoTapsLanes is aoTapsInto: the spacing's and the distance's fourth lanes
// are 0 (splatXYZ), so that the ceilings are 0 whatever they are. The point hit
// is worked out again in a vector, from the ray, as r.p's numbers are: loaded
// from r.p, just stored a number at a time, the vector would wait for the
// stores to reach the cache (a load that spans several stores is not
// forwarded from them; 0.8 % of the time by perf).
func normalTapsLanes(taps *[len(tetrahedron)]point, r *waveRay, h float64) bool {
	if !fourWide {
		return false
	}
	p := xyz(&r.ro).Add(xyz(&r.rd).Mul(splatXYZ(r.t)))
	hv := splatXYZ(h)
	for i := range taps {
		p.Add(tetrahedron4[i].Mul(hv)).Store((*[4]float64)(unsafe.Pointer(&taps[i])))
	}
	archsimd.ClearAVXUpperBits()
	return true
}

// fogLanes sets the colour of each of the hits of rays to its blend into the
// fog (tracer.fog), with math.Exp four hits at a time (exp4), and reports
// whether it has: with AVX2, where math.Exp takes its fused path. As
// aimLanes, it reads the hits' distances in a loop of scalar code into a row,
// the queue's distances (free once the hits are lit and reflected), works out
// the blends there in a loop of vector code, and blends the colours in another
// of scalar code. A hit beyond exp4's range has its blend worked out by
// tracer.fogBlend.
func (w *wave) fogLanes(rays []waveRay, hits []int32) bool {
	if !fourWide || !fusedExp {
		return false
	}
	n, q := len(hits), &w.points
	q.d = grow(q.d, (n+3)&^3) // to a whole quad
	u := q.d
	for k, i := range hits {
		u[k] = rays[i].t
	}
	clear(u[n:]) // a quad's spare lanes: 0, not what a wave before left, which may be slow to work with (denormal)
	f, lim := splat(-w.sky.Fog), splat(expRange)
	within := one4.Less(lim) // all true
	for k := 0; k < len(u); k += 4 {
		x := f.Mul(load(u, k))
		within = within.And(abs(x).LessEqual(lim)) // false for a NaN
		store(one4.Sub(exp4(x)), u, k)
	}
	var in [4]int64
	within.ToInt64x4().Store(&in) // not ToBits, which the compiler moves past the clearing (see moderate)
	archsimd.ClearAVXUpperBits()
	beyond := in != [4]int64{-1, -1, -1, -1}
	for k, i := range hits {
		r := &rays[i]
		blend := u[k]
		if beyond {
			if x := -w.sky.Fog * r.t; !(math.Abs(x) <= expRange) {
				blend = w.fogBlend(r.t)
			}
		}
		r.color = r.color.Lerp(w.sky.Horizon, blend)
	}
	return true
}

// skyLanes sets the colour of each ray of rays that hits nothing to the
// sky's (tracer.skyColor), four rays at a time, and reports whether it has:
// with AVX2. A loop of scalar code lists the rays' directions in rows (the
// aims', free once the primary rays are aimed), the vector code works out the
// gradient and each sun's halo in each lane with skyColor's operations in
// its order, and a loop of scalar code sets the colours; a ray within a
// sun's disc (sunDisc), rare, takes skyColor itself.
func (w *wave) skyLanes(rays []waveRay) bool {
	if !fourWide {
		return false
	}
	ls := &w.lanes
	ls.aimRoom(len(rays) + 3) // a whole quad
	a := &ls.aim
	dx, dy, dz, disc := a[0], a[1], a[2], a[3]
	n := 0
	for i := range rays {
		if r := &rays[i]; !r.hit {
			dx[n], dy[n], dz[n] = r.rd.X, r.rd.Y, r.rd.Z
			n++
		}
	}
	if n == 0 {
		return true
	}
	for k := n; k < (n+3)&^3; k++ { // a quad's spare lanes: the zenith's
		dx[k], dy[k], dz[k] = 0, 1, 0
	}
	ls.suns = ls.suns[:0]
	for _, l := range w.lights {
		if l.shadow != 0 { // only shadow-casting lights are suns worth drawing
			ls.suns = append(ls.suns, sun4{splat(l.dir.X), splat(l.dir.Y), splat(l.dir.Z), splat(l.color.X), splat(l.color.Y), splat(l.color.Z)})
		}
	}
	h, z := w.sky.Horizon, w.sky.Zenith
	hx, hy, hz, zx, zy, zz := splat(h.X), splat(h.Y), splat(h.Z), splat(z.X), splat(z.Y), splat(z.Z)
	quarter, edge := splat(0.25), splat(sunDisc)
	for k := 0; k < n; k += 4 {
		x, y, zd := load(dx, k), load(dy, k), load(dz, k)
		// Horizon.Lerp(Zenith, u): each channel a·(1-u) + b·u.
		u := clamp(y, zero4, one4).Sqrt()
		v := one4.Sub(u)
		cx, cy, cz := hx.Mul(v).Add(zx.Mul(u)), hy.Mul(v).Add(zy.Mul(u)), hz.Mul(v).Add(zz.Mul(u))
		in := zero4
		for i := range ls.suns {
			l := &ls.suns[i]
			s := x.Mul(l.x).Add(y.Mul(l.y)).Add(zd.Mul(l.z))
			lit := s.Greater(zero4)
			s2 := s.Mul(s)
			s4 := s2.Mul(s2)
			g := quarter.Mul(s4.Mul(s4)) // glow's halo: 0.25·s⁸, powInt's squarings
			cx, cy, cz = cx.Add(l.r.Mul(g)).Merge(cx, lit), cy.Add(l.g.Mul(g)).Merge(cy, lit), cz.Add(l.b.Mul(g)).Merge(cz, lit)
			in = one4.Merge(in, s.GreaterEqual(edge))
		}
		store(cx, dx, k)
		store(cy, dy, k)
		store(cz, dz, k)
		store(in, disc, k)
	}
	archsimd.ClearAVXUpperBits()
	k := 0
	for i := range rays {
		if r := &rays[i]; !r.hit {
			if disc[k] != 0 {
				r.color = w.skyColor(r.rd)
			} else {
				r.color = scene.Vec3{X: dx[k], Y: dy[k], Z: dz[k]}
			}
			k++
		}
	}
	return true
}

// lightLanes adds light l to the colour of each of the hits of rays that it
// lights (light.add, where the cosine is positive and, for a light that casts
// shadows, the penumbra is not 0), four hits at a time, and reports whether it
// has: with AVX2. A loop of scalar code lists up to litChunk lit hits' numbers
// in rows; the vector code makes light.add's operations in each lane in its
// order, powInt's squarings for the highlight's whole exponent, the lanes'
// bits taken off their exponents as numbers; and a loop of scalar code sets
// the colours. A hit whose highlight's exponent is not a whole number (math.Pow
// takes it) is lit by light.add itself.
func (w *wave) lightLanes(rays []waveRay, hits []int32, l *light) bool {
	if !fourWide {
		return false
	}
	lr := &w.lanes.lit
	v := &lr.v
	var pk peaks
	n := 0
	for _, i := range hits {
		r := &rays[i]
		vis, lit := l.lights(r)
		if !lit {
			continue
		}
		peak, e := 0.0, 0.0
		if r.m.Specular > 0 {
			// The lanes tell a highlight by its peak: one that is 0 (or
			// less), and an exponent math.Pow takes, go the scalar way.
			if peak, e = pk.of(&r.m), r.m.Shininess; !pk.whole {
				l.add(&r.color, &r.albedo, &r.n, &r.rd, &r.m, peak, r.ndl, vis)
				continue
			}
		}
		v[litCX][n], v[litCY][n], v[litCZ][n] = r.color.X, r.color.Y, r.color.Z
		v[litAX][n], v[litAY][n], v[litAZ][n] = r.albedo.X, r.albedo.Y, r.albedo.Z
		v[litNX][n], v[litNY][n], v[litNZ][n] = r.n.X, r.n.Y, r.n.Z
		v[litDX][n], v[litDY][n], v[litDZ][n] = r.rd.X, r.rd.Y, r.rd.Z
		v[litNdl][n], v[litVis][n], v[litPeak][n], v[litExp][n] = r.ndl, vis, peak, e
		lr.ray[n] = i
		if n++; n == litChunk {
			w.lightRows(rays, l, n)
			n = 0
		}
	}
	if n > 0 {
		w.lightRows(rays, l, n)
	}
	return true
}

// lightRows is lightLanes for the n hits listed in its rows.
func (w *wave) lightRows(rays []waveRay, l *light, n int) {
	lr := &w.lanes.lit
	v := &lr.v
	for k := n; k < (n+3)&^3; k++ { // a quad's spare lanes: unlit
		for j := range v {
			v[j][k] = 0
		}
	}
	lx, ly, lz := splat(l.dir.X), splat(l.dir.Y), splat(l.dir.Z)
	cr, cg, cb := splat(l.color.X), splat(l.color.Y), splat(l.color.Z)
	for k := 0; k < n; k += 4 {
		row := func(j int) f4 { return load(v[j][:], k) }
		ndl, vis := row(litNdl), row(litVis)
		nv := ndl.Mul(vis)
		// c + color·albedo·(ndl·vis)
		cx := row(litCX).Add(cr.Mul(row(litAX)).Mul(nv))
		cy := row(litCY).Add(cg.Mul(row(litAY)).Mul(nv))
		cz := row(litCZ).Add(cb.Mul(row(litAZ)).Mul(nv))
		e := row(litExp)
		if spec := row(litPeak).Greater(zero4); spec.ToBits() != 0 {
			// The half vector, normalised (scene.Vec3.Normalize: the zero
			// vector stays zero).
			hx, hy, hz := lx.Sub(row(litDX)), ly.Sub(row(litDY)), lz.Sub(row(litDZ))
			h := hx.Mul(hx).Add(hy.Mul(hy)).Add(hz.Mul(hz)).Sqrt()
			inv, zero := one4.Div(h), h.Equal(zero4)
			hx, hy, hz = hx.Merge(hx.Mul(inv), zero), hy.Merge(hy.Mul(inv), zero), hz.Merge(hz.Mul(inv), zero)
			x := goMax(row(litNX).Mul(hx).Add(row(litNY).Mul(hy)).Add(row(litNZ).Mul(hz)), zero4)
			// powInt(x, e), a bit of e at a time from the lowest.
			p := one4
			for e.Greater(zero4).ToBits() != 0 {
				half := e.Mul(half4).Floor()
				p = p.Mul(x.Merge(one4, e.Sub(half.Add(half)).Equal(one4)))
				x, e = x.Mul(x), half
			}
			s := row(litPeak).Mul(p).Mul(ndl).Mul(vis)
			cx = cx.Add(cr.Mul(s)).Merge(cx, spec)
			cy = cy.Add(cg.Mul(s)).Merge(cy, spec)
			cz = cz.Add(cb.Mul(s)).Merge(cz, spec)
		}
		store(cx, v[litCX][:], k)
		store(cy, v[litCY][:], k)
		store(cz, v[litCZ][:], k)
	}
	archsimd.ClearAVXUpperBits()
	for k, i := range lr.ray[:n] {
		rays[i].color = scene.Vec3{X: v[litCX][k], Y: v[litCY][k], Z: v[litCZ][k]}
	}
}

// normalLanes lists hit i of rays, where only the planes can be nearest
// every tap of its normal, for normalRows to work out the normal with three
// others, and reports whether it has: with AVX2, where the one plane is the
// floor. As lightLanes, a loop of scalar code lists hits' numbers in rows,
// and vector code makes the scalar code's operations in each lane. The taps
// count as evaluations, as planeDistances counts them.
func (w *wave) normalLanes(rays []waveRay, i int32) bool {
	if !fourWide || w.floor == nil {
		return false
	}
	ls := &w.lanes
	r := &rays[i]
	ls.lit.v[flatH][ls.listFlat(r, i)] = normalSpacing(r.t)
	w.evals += int64(len(tetrahedron))
	if ls.flat == litChunk {
		w.normalRows(rays)
	}
	return true
}

// listFlat lists hit r, rays[i], in the next of the flat rows, its point and
// its place in the wave, and returns that row.
func (ls *laneState) listFlat(r *waveRay, i int32) int {
	n, v := ls.flat, &ls.lit.v
	v[flatPX][n], v[flatPY][n], v[flatPZ][n] = r.p.X, r.p.Y, r.p.Z
	ls.lit.ray[n] = i
	ls.flat++
	return n
}

// takeFlat returns how many hits the flat rows list, and empties them.
func (ls *laneState) takeFlat() int {
	n := ls.flat
	ls.flat = 0
	return n
}

// normalRows sets the normal of each hit normalLanes has listed, four at a
// time: tapsAround's taps, the floor's distance at each (planeDistances),
// and normalFrom's sum of the taps' directions, normalised.
func (w *wave) normalRows(rays []waveRay) {
	ls := &w.lanes
	n, v := ls.takeFlat(), &ls.lit.v
	if n == 0 {
		return
	}
	spareLanes(v, n, flatPX, flatPY, flatPZ, flatH)
	fl := w.floor
	fx, fy, fz, off := splat(fl.Normal.X), splat(fl.Normal.Y), splat(fl.Normal.Z), splat(fl.Offset)
	for k := 0; k < n; k += 4 {
		px, py, pz, h := load(v[flatPX][:], k), load(v[flatPY][:], k), load(v[flatPZ][:], k), load(v[flatH][:], k)
		nx, ny, nz := zero4, zero4, zero4
		for i := range tetrahedron {
			tp := &tetrahedron[i]
			dx, dy, dz := splat(tp.X), splat(tp.Y), splat(tp.Z)
			x, y, z := px.Add(dx.Mul(h)), py.Add(dy.Mul(h)), pz.Add(dz.Mul(h))
			d := x.Mul(fx).Add(y.Mul(fy)).Add(z.Mul(fz)).Sub(off)
			if i == 0 {
				nx, ny, nz = dx.Mul(d), dy.Mul(d), dz.Mul(d)
			} else {
				nx, ny, nz = nx.Add(dx.Mul(d)), ny.Add(dy.Mul(d)), nz.Add(dz.Mul(d))
			}
		}
		// scene.Vec3.Normalize: the zero vector stays zero.
		l := nx.Mul(nx).Add(ny.Mul(ny)).Add(nz.Mul(nz)).Sqrt()
		inv, zero := one4.Div(l), l.Equal(zero4)
		store(nx.Merge(nx.Mul(inv), zero), v[flatNX][:], k)
		store(ny.Merge(ny.Mul(inv), zero), v[flatNY][:], k)
		store(nz.Merge(nz.Mul(inv), zero), v[flatNZ][:], k)
	}
	archsimd.ClearAVXUpperBits()
	for k, i := range ls.lit.ray[:n] {
		rays[i].n = scene.Vec3{X: v[flatNX][k], Y: v[flatNY][k], Z: v[flatNZ][k]}
	}
}

// surfaceLanes lists hit i of rays, where only the planes can be nearest,
// for surfaceRows to set its material and lift it off the surface with three
// others (as wave.trace does), and reports whether it has: with AVX2, where
// the one plane, the floor, is the root union's one unbounded child (then
// the material is the floor's, program.surface's, wherever the floor's
// distance is less than +Inf, which a hit the lanes take must be).
func (w *wave) surfaceLanes(rays []waveRay, i int32) bool {
	if !fourWide || w.floor == nil || w.prog.flat == nil {
		return false
	}
	r := &rays[i]
	if !(w.floor.Distance(r.p) < inf) {
		return false // no material there
	}
	ls := &w.lanes
	v, n := &ls.lit.v, ls.listFlat(r, i)
	v[flatNX][n], v[flatNY][n], v[flatNZ][n] = r.n.X, r.n.Y, r.n.Z
	v[flatH][n], v[flatRoom][n] = r.t, r.room
	if ls.flat == litChunk {
		w.surfaceRows(rays)
	}
	return true
}

// surfaceRows sets the finish and the albedo of each hit surfaceLanes has
// listed, four at a time, and lifts the hit and its room off the surface
// (tracer.lift, roomMoved). The albedo is scene.Material.Albedo's checker
// at the lifted point: the parity of each int64(math.Floor(x·s)), which is
// the parity of the sum of the three, worked out as a number, f - 2·⌊f/2⌋
// (0 where the conversion's answer is even: beyond 2⁵³, and for the
// infinities and NaN, which amd64 converts to -2⁶³).
func (w *wave) surfaceRows(rays []waveRay) {
	ls := &w.lanes
	n, v := ls.takeFlat(), &ls.lit.v
	if n == 0 {
		return
	}
	spareLanes(v, n, flatPX, flatPY, flatPZ, flatNX, flatNY, flatNZ, flatH, flatRoom)
	m := &w.prog.flat.Material
	slope, minHit, lift4 := splat(w.slope), splat(w.minHit), splat(surfaceLift)
	ratio, slack := splat(1+1e-9), splat(1e-12) // roomMoved's
	checker, s := m.CheckerSize > 0, splat(1/m.CheckerSize)
	cx, cy, cz := splat(m.Color.X), splat(m.Color.Y), splat(m.Color.Z)
	kx, ky, kz := splat(m.Checker.X), splat(m.Checker.Y), splat(m.Checker.Z)
	two := splat(2)
	odd := func(x f4) uint8 { // the parity of int64(math.Floor(x·s))
		f := x.Mul(s).Floor()
		return f.Sub(two.Mul(f.Mul(half4).Floor())).Equal(one4).ToBits()
	}
	for k := 0; k < n; k += 4 {
		row := func(j int) f4 { return load(v[j][:], k) }
		lift := lift4.Mul(hitThreshold4(row(flatH), slope, minHit))
		px := row(flatPX).Add(row(flatNX).Mul(lift))
		py := row(flatPY).Add(row(flatNY).Mul(lift))
		pz := row(flatPZ).Add(row(flatNZ).Mul(lift))
		store(px, v[flatPX][:], k)
		store(py, v[flatPY][:], k)
		store(pz, v[flatPZ][:], k)
		store(row(flatRoom).Sub(two.Mul(lift).Mul(ratio)).Sub(slack), v[flatRoom][:], k)
		ax, ay, az := cx, cy, cz
		if checker {
			c := maskOf(odd(px) ^ odd(py) ^ odd(pz))
			ax, ay, az = kx.Merge(cx, c), ky.Merge(cy, c), kz.Merge(cz, c)
		}
		store(ax, v[flatAX][:], k)
		store(ay, v[flatAY][:], k)
		store(az, v[flatAZ][:], k)
	}
	archsimd.ClearAVXUpperBits()
	fin := finishOf(m)
	for k, i := range ls.lit.ray[:n] {
		r := &rays[i]
		r.p = scene.Vec3{X: v[flatPX][k], Y: v[flatPY][k], Z: v[flatPZ][k]}
		r.room, r.m = v[flatRoom][k], fin
		r.albedo = scene.Vec3{X: v[flatAX][k], Y: v[flatAY][k], Z: v[flatAZ][k]}
	}
}

// occludeLanes lists hit i of rays, where only the planes can be nearest
// every tap of its occlusion, for occludeRows to set its colour to the
// ambient light with three others, and reports whether it has: with AVX2,
// where the one plane is the floor. The taps count as evaluations, as
// planeDistances counts them.
func (w *wave) occludeLanes(rays []waveRay, i int32) bool {
	if !fourWide || w.floor == nil {
		return false
	}
	ls := &w.lanes
	r := &rays[i]
	v, n := &ls.lit.v, ls.listFlat(r, i)
	v[flatNX][n], v[flatNY][n], v[flatNZ][n] = r.n.X, r.n.Y, r.n.Z
	v[flatAX][n], v[flatAY][n], v[flatAZ][n] = r.albedo.X, r.albedo.Y, r.albedo.Z
	w.evals += aoTaps
	if ls.flat == litChunk {
		w.occludeRows(rays)
	}
	return true
}

// occludeRows sets the colour of each hit occludeLanes has listed to the
// ambient light (tracer.ambient), occluded, four at a time: aoTapsAt's taps,
// the floor's distance at each (planeDistances), and occlusion's sum.
func (w *wave) occludeRows(rays []waveRay) {
	ls := &w.lanes
	n, v := ls.takeFlat(), &ls.lit.v
	if n == 0 {
		return
	}
	spareLanes(v, n, flatPX, flatPY, flatPZ, flatNX, flatNY, flatNZ, flatAX, flatAY, flatAZ)
	fl, sky := w.floor, &w.sky
	fx, fy, fz, off := splat(fl.Normal.X), splat(fl.Normal.Y), splat(fl.Normal.Z), splat(fl.Offset)
	gx, gy, gz := splat(sky.Ground.X), splat(sky.Ground.Y), splat(sky.Ground.Z)
	zx, zy, zz := splat(sky.Zenith.X), splat(sky.Zenith.Y), splat(sky.Zenith.Z)
	ambient, scale := splat(sky.Ambient), splat(aoScale)
	for k := 0; k < n; k += 4 {
		row := func(j int) f4 { return load(v[j][:], k) }
		px, py, pz, nx, ny, nz := row(flatPX), row(flatPY), row(flatPZ), row(flatNX), row(flatNY), row(flatNZ)
		occ := zero4
		for i := range aoTaps {
			h := splat(aoHeights[i])
			x, y, z := px.Add(nx.Mul(h)), py.Add(ny.Mul(h)), pz.Add(nz.Mul(h))
			d := x.Mul(fx).Add(y.Mul(fy)).Add(z.Mul(fz)).Sub(off)
			occ = occ.Add(h.Sub(d).Mul(splat(aoWeights[i])))
		}
		ao := clamp(one4.Sub(scale.Mul(occ)), zero4, one4)
		// The sky's light, Ground.Lerp(Zenith, u), on the albedo.
		u := half4.Add(half4.Mul(ny))
		rest, f := one4.Sub(u), ambient.Mul(ao)
		store(row(flatAX).Mul(gx.Mul(rest).Add(zx.Mul(u))).Mul(f), v[flatAX][:], k)
		store(row(flatAY).Mul(gy.Mul(rest).Add(zy.Mul(u))).Mul(f), v[flatAY][:], k)
		store(row(flatAZ).Mul(gz.Mul(rest).Add(zz.Mul(u))).Mul(f), v[flatAZ][:], k)
	}
	archsimd.ClearAVXUpperBits()
	for k, i := range ls.lit.ray[:n] {
		rays[i].color = scene.Vec3{X: v[flatAX][k], Y: v[flatAY][k], Z: v[flatAZ][k]}
	}
}

// spareLanes sets to 0 the rows' numbers from the n-th to the end of the
// quad: not what hits before left, which may be slow to work with
// (denormal).
func spareLanes(v *[litRows_][litChunk + 4]float64, n int, rows ...int) {
	for k := n; k < (n+3)&^3; k++ {
		for _, j := range rows {
			v[j][k] = 0
		}
	}
}

// toneMapLanes sets colors[slot[i]] to the tone-mapped colour of rays[i]
// (toneMapped) for every ray, a ray's three channels a vector (the ACES
// curve's division once a ray, not once a channel), and reports whether it
// has: with AVX2. Each lane makes toneMap's operations in its order. As in
// aimLanes, the vector code writes into a row, the queue's points (free once
// the trace is done), and a loop of scalar code copies them to their slots.
func (w *wave) toneMapLanes(rays []waveRay, slot []int32, colors []scene.Vec3) bool {
	if !fourWide {
		return false
	}
	q := &w.points
	q.resize(len(rays))
	at := q.at
	a, b, c, d, e := splat(2.51), splat(0.03), splat(2.43), splat(0.59), splat(0.14)
	for i := range rays {
		x := goMax(xyz(&rays[i].color), zero4) // max(x, 0)
		x = clamp(x.Mul(a.Mul(x).Add(b)).Div(x.Mul(c.Mul(x).Add(d)).Add(e)), zero4, one4)
		x.Store((*[4]float64)(unsafe.Pointer(&at[i])))
	}
	archsimd.ClearAVXUpperBits()
	for i, p := range at {
		colors[slot[i]] = p.vec()
	}
	return true
}

// exp4 is math.Exp in each lane, bit for bit where math.Exp takes its fused
// path (fusedExp), for x within ±expRange: exp_amd64.s's operations in its
// order, its multiply-adds fused as its are. It makes none of math.Exp's
// special cases (infinities, NaNs, overflow, results below the normal
// range), which lie beyond that range.
func exp4(x f4) f4 {
	k := x.Mul(splat(expLog2E)).RoundToEven() // CVTSD2SL rounds to the nearest, ties to even
	nk := neg(k)
	r := nk.MulAdd(splat(expLn2Hi), x)
	r = nk.MulAdd(splat(expLn2Lo), r).Mul(splat(0.0625))
	p := splat(2.4801587301587301587e-5).MulAdd(r, splat(1.9841269841269841270e-4))
	p = p.MulAdd(r, splat(1.3888888888888888889e-3))
	p = p.MulAdd(r, splat(8.3333333333333333333e-3))
	p = p.MulAdd(r, splat(4.1666666666666666667e-2))
	p = p.MulAdd(r, splat(1.6666666666666666667e-1))
	p = p.MulAdd(r, half4)
	r = r.Mul(p.MulAdd(r, one4))
	two := splat(2)
	r = r.Mul(r.Add(two))
	r = r.Mul(r.Add(two))
	r = r.Mul(r.Add(two))
	r = r.Add(two).MulAdd(r, one4)
	// Times 2^k: k+1023 in the low bits of a float's mantissa, moved to its
	// exponent.
	return r.Mul(k.Add(splat(1023 + 1<<52)).AsUint64x4().ShiftAllLeft(52).AsFloat64x4())
}

// The constants of exp_amd64.s, as it writes them (exp4 has its series'
// terms, from the last to the first).
const (
	expLog2E = 1.4426950408889634073599246810018920
	expLn2Hi = 0.69314718055966295651160180568695068359375
	expLn2Lo = 0.28235290563031577122588448175013436025525412068e-12
	expRange = 700 // within it, math.Exp's result is a normal number and k is far from its limits
)

// splatXYZ is v in three lanes and 0 in the fourth, where a product with it
// is 0 whatever the other vector's fourth lane is (0·v is NaN for an
// infinite v).
func splatXYZ(v float64) f4 { return splat(v).AsUint64x4().And(xyzMask).AsFloat64x4() }

// xyz loads the numbers of v and a fourth of 0 as a vector: v must be
// followed by eight bytes of memory (a field of a struct, not the last), which
// it loads and masks off.
func xyz(v *scene.Vec3) f4 {
	return archsimd.LoadFloat64x4((*[4]float64)(unsafe.Pointer(v))).AsUint64x4().And(xyzMask).AsFloat64x4()
}
