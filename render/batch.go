package render

import (
	"math"

	"github.com/sdfrender/render/scene"
)

// Batched evaluation. The interpreter in compile.go pays, for every point, a
// switch per instruction and the loads of the instruction's fields; evaluating a
// batch of points together pays them once per batch, and the work per point is
// a short loop over fixed-size arrays that the compiler keeps in registers and
// free of bounds checks (the design of mkeeter/fidget's bulk evaluator).
//
// Every point of a batch goes through every instruction with exactly the
// operations, in the same order, as the one-point interpreter, so the
// distances are the same bits (no product fused into an addition on either
// side: see scene.Vec3). Where the interpreter jumps over a subtree whose
// bound is far (opSkipFar), a batch jumps only when every point may; otherwise
// the points that may skip go through the subtree too. Folding in a subtree
// that a point may skip leaves its distance as it was: that is what makes the
// skip exact (compile.go), since the subtree is farther than the distance so
// far by more than the rounding of either. So a batch asks its points, up to
// the first that may not, whether all may skip (kernel.far), and goes on with
// them all if not. Where that reasoning about rounding does not hold, for a
// program or points beyond the moderate range (program.skipsExact,
// kernel.moderate; a frame whose camera puts every point its waves evaluate
// within the range need not look, framePlan.near), the batch tests every
// point and folds the subtree in only where the point may not skip (the
// instruction's mask), as the interpreter would: what a batch computes for
// each point is then what the interpreter computes for it alone, whatever
// else is in the batch, even were a bound wrong.

// batchLanes is the most points in a batch. Batches are filled to a multiple of
// laneGroup, so that a vector kernel runs over whole vectors.
const (
	batchLanes = 128
	laneGroup  = 4
)

// groupRays is the most neighbouring rays tested together for having nothing
// ahead (program.escapedFrom, program.unshadedFrom).
const groupRays = 64

// lanes holds one number per point of a batch.
type lanes = [batchLanes]float64

// batch is a batch of points and the evaluator's working memory: each worker
// has its own.
type batch struct {
	n int // points in use: a multiple of laneGroup, at most batchLanes
	// The points, x[0], y[0], z[0], and the points in the space of each
	// transform the evaluation is in: a transform reads one level and writes the
	// next, so restoring the point a subtree was entered with costs nothing.
	x, y, z [stackDepth + 1]lanes
	// x0, y0 and z0, where set, are the untransformed points in place of
	// x[0], y[0] and z[0]: the rows of a queue that holds them so (points.rows).
	x0, y0, z0 []float64
	ds         [stackDepth]lanes
	skip       [stackDepth][batchLanes]uint64 // per mask slot: all ones where a point may skip
	// The box around the untransformed points (points(0, n)), and the
	// most the program's floor plane can be from any of them (boxSkips).
	lo, hi   scene.Vec3
	floorMax float64
	// near is whether the points are known to be within moderate of zero
	// (framePlan.near), so that the evaluator need not look (kernel.moderate).
	near bool
}

// kernel is the arithmetic of the batched evaluation, over all the points of a
// batch at once: eval runs a program, and asks a kernel for each instruction's
// work. Every kernel computes, for every point, the bits the interpreter does.
type kernel interface {
	name() string
	// shape writes the distance of in's shape at the points (x, y, z) into d.
	shape(in *instruction, x, y, z, d []float64)
	// combine folds distances c into a by in's operation, only where mask is
	// clear (for a nil mask, everywhere).
	combine(in *instruction, a, c []float64, mask []uint64)
	// transform moves the points (x, y, z) into in's subtree's space, (tx, ty, tz).
	transform(pr *program, in *instruction, x, y, z, tx, ty, tz []float64)
	// skip sets m where a point may skip in's subtree, or its parent mask is set,
	// and reports whether every point may.
	skip(in *instruction, x, y, z, top []float64, m, parent []uint64) bool
	// far reports whether every point may skip in's subtree, testing them up
	// to the first that may not.
	far(in *instruction, x, y, z, top []float64) bool
	// moderate reports whether every coordinate of the points is within
	// moderate of zero (so neither infinite nor NaN).
	moderate(x, y, z []float64) bool
	// span returns the least and the greatest of xs, a NaN for both if there
	// is one among them (see batch.bound).
	span(xs []float64) (lo, hi float64)
	// gather copies the coordinates and ceilings of the points at into the
	// lanes x, y, z and c, which hold at least as many.
	gather(at []point, x, y, z, c []float64)
}

// eval evaluates pr at every point of b with kernel k, leaving the distances in
// b.ds[0].
func (b *batch) eval(k kernel, pr *program) { b.run(k, pr, false) }

// capped is pr.capped at every point of b, with the points' ceilings in
// b.ds[0], where it leaves the distances.
func (b *batch) capped(k kernel, pr *program) { b.run(k, pr, true) }

// run is eval, or with capped, capped.
func (b *batch) run(k kernel, pr *program, capped bool) {
	n := b.n
	boxed := false // whether b.bound has been worked out for these points
	from, nd, np := 0, 0, 0
	if capped {
		from, nd = pr.objects, 1
	}
	// Whether skips are tested point by point and folded in under masks:
	// where a skip's exactness is not assured.
	masked := !pr.skipsExact || !b.near && !k.moderate(b.points(0, n))
	code := pr.code
	for i := from; i < len(code); i++ {
		in := &code[i]
		switch in.op {
		case opSphere, opBox, opRoundBox, opTorus, opCapsule, opCylinder, opPlane:
			x, y, z := b.points(np, n)
			k.shape(in, x, y, z, b.ds[nd][:n])
			nd++
		case opNode:
			x, y, z := b.points(np, n)
			d := b.ds[nd][:len(x)]
			node := pr.nodes[in.jump]
			for l := range x {
				d[l] = node.Distance(scene.Vec3{X: x[l], Y: y[l], Z: z[l]})
			}
			nd++
		case opInf:
			d := b.ds[nd][:n]
			for l := range d {
				d[l] = math.Inf(1)
			}
			nd++
		case opMin, opMax, opSubtract, opSmoothMin, opSmoothMax, opSmoothSub:
			nd--
			var mask []uint64
			if masked && in.mask > 0 {
				// The points that could skip the subtree keep the distance below it.
				mask = b.skip[in.mask-1][:n]
			}
			k.combine(in, b.ds[nd-1][:n], b.ds[nd][:n], mask)
		case opTranslate, opRotate, opScale, opRepeat:
			x, y, z := b.points(np, n)
			np++
			tx, ty, tz := b.points(np, n)
			k.transform(pr, in, x, y, z, tx, ty, tz)
		case opRestore:
			np--
		case opUnscale:
			d := b.ds[nd-1][:n]
			for l := range d {
				d[l] *= in.k
			}
			np--
		case opSkipFar:
			if in.floored && !boxed {
				b.bound(k)
				b.floorMax = b.most(k, pr, capped)
				boxed = true
			}
			top := b.ds[nd-1][:n]
			var far bool
			switch {
			case in.floored && b.boxSkips(in):
				far = true
			case !masked:
				x, y, z := b.points(np, n)
				far = k.far(in, x, y, z, top)
			default:
				parent := noSkip[:n]
				if in.mask > 1 {
					parent = b.skip[in.mask-2][:n]
				}
				x, y, z := b.points(np, n)
				far = k.skip(in, x, y, z, top, b.skip[in.mask-1][:n], parent)
			}
			if far {
				i = int(in.jump) - 1
			}
		}
	}
}

// points returns the coordinates of the batch's first n points at level np:
// in the space of the np-th transform the evaluation is in (0, untransformed).
func (b *batch) points(np, n int) (x, y, z []float64) {
	if queueRows && np == 0 && b.x0 != nil {
		return b.x0[:n], b.y0[:n], b.z0[:n]
	}
	return b.x[np][:n], b.y[np][:n], b.z[np][:n]
}

// bound sets the box around the batch's points, by kernel k. A NaN among the
// points makes the box NaN, which fails every test.
func (b *batch) bound(k kernel) {
	x, y, z := b.points(0, b.n)
	b.lo.X, b.hi.X = k.span(x)
	b.lo.Y, b.hi.Y = k.span(y)
	b.lo.Z, b.hi.Z = k.span(z)
}

// most is the most the distance so far can be at any of the batch's points
// when the root union's bounded children begin: the greatest of the
// ceilings, for a capped evaluation (by kernel k), or else the distance to pr's floor
// plane at the corner of the box where it is largest. A NaN makes it NaN.
func (b *batch) most(k kernel, pr *program, capped bool) float64 {
	if capped {
		_, most := k.span(b.ds[0][:b.n])
		return most
	}
	// The plane's distance computed as the kernel computes it at a point:
	// rounding is monotonic, so it is at least the distance at every point
	// of the box.
	floor := &pr.code[pr.floor]
	n, o := floor.a, floor.off
	lo, hi := b.lo, b.hi
	corner := lo
	if n.X > 0 {
		corner.X = hi.X
	}
	if n.Y > 0 {
		corner.Y = hi.Y
	}
	if n.Z > 0 {
		corner.Z = hi.Z
	}
	return float64((corner.X-o.X)*n.X) + float64((corner.Y-o.Y)*n.Y) + float64((corner.Z-o.Z)*n.Z) - floor.k
}

// span compares the coordinates as integers (orderedBits), which the compiler
// does without a branch: as floats, with branches the processor cannot
// predict, the box cost more than the tests it saves. Four pairs of bounds,
// one per lane of a group, keep each comparison from waiting on the one
// before. A NaN orders beyond the infinities, so it ends up as one of the
// two, and then both.
//
//go:noinline
func (*batchKernel) span(xs []float64) (lo, hi float64) {
	l0 := orderedBits(xs[0])
	l1, l2, l3 := l0, l0, l0
	h0, h1, h2, h3 := l0, l0, l0, l0
	for ; len(xs) >= laneGroup; xs = xs[laneGroup:] {
		k0, k1, k2, k3 := orderedBits(xs[0]), orderedBits(xs[1]), orderedBits(xs[2]), orderedBits(xs[3])
		l0, l1, l2, l3 = min(l0, k0), min(l1, k1), min(l2, k2), min(l3, k3)
		h0, h1, h2, h3 = max(h0, k0), max(h1, k1), max(h2, k2), max(h3, k3)
	}
	for _, x := range xs { // a count not a multiple of laneGroup
		k := orderedBits(x)
		l0, h0 = min(l0, k), max(h0, k)
	}
	lo, hi = fromOrderedBits(min(l0, l1, l2, l3)), fromOrderedBits(max(h0, h1, h2, h3))
	if lo != lo || hi != hi {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

//go:noinline
func (*batchKernel) gather(at []point, x, y, z, c []float64) {
	x, y, z, c = x[:len(at)], y[:len(at)], z[:len(at)], c[:len(at)]
	for l, p := range at {
		x[l], y[l], z[l], c[l] = p.x, p.y, p.z, p.c
	}
}

// orderedBits maps x to an integer in the order of the floats: the sign bit
// flipped for a positive number, every bit for a negative one (-0 comes just
// before +0, and NaNs beyond the infinities).
func orderedBits(x float64) uint64 {
	u := math.Float64bits(x)
	return u ^ (uint64(int64(u)>>63) | 1<<63)
}

// fromOrderedBits is the float orderedBits maps to k.
func fromOrderedBits(k uint64) float64 {
	return math.Float64frombits(k ^ (^uint64(int64(k)>>63) | 1<<63))
}

// boxSkips reports whether every untransformed point of the batch may skip
// the subtree of skip test in, one of the root union's, by testing the box
// around them at the most the distance so far can be (the floor's, since the
// root union takes the minimum with it first): one test, not one per point.
// Rounding is monotonic, so each point's own test, with its own distance so
// far, passes wherever the box's does; a NaN fails it.
func (b *batch) boxSkips(in *instruction) bool {
	vx := max(b.lo.X-in.a.X, in.a.X-b.hi.X, 0)
	vy := max(b.lo.Y-in.a.Y, in.a.Y-b.hi.Y, 0)
	vz := max(b.lo.Z-in.a.Z, in.a.Z-b.hi.Z, 0)
	r := b.floorMax + in.k
	return float64(vx*vx)+float64(vy*vy)+float64(vz*vz) >= r*math.Abs(r)
}

// batchKernel is the portable kernel, a loop per instruction over the points.
//
// Its methods that loop over the points are never inlined: a profile-guided
// build (cmd/render/default.pgo) with a profile of a build that inlined them
// into batch.run ran 3 % more instructions than one whose profile was made
// with them kept out, which inlines more of the wave's own code instead.
type batchKernel struct{}

func (*batchKernel) name() string { return "batch" }

//go:noinline
func (*batchKernel) skip(in *instruction, x, y, z, top []float64, m, parent []uint64) bool {
	y, z, top = y[:len(x)], z[:len(x)], top[:len(x)]
	m, parent = m[:len(x)], parent[:len(x)]
	all := uint64(1<<64 - 1)
	for l := range x {
		// Without a branch: the outcome varies from point to point.
		s := -bit(in.skips(x[l], y[l], z[l], top[l])) | parent[l]
		m[l] = s
		all &= s
	}
	return all != 0
}

//go:noinline
func (*batchKernel) far(in *instruction, x, y, z, top []float64) bool {
	y, z, top = y[:len(x)], z[:len(x)], top[:len(x)]
	for l := range x {
		if !in.skips(x[l], y[l], z[l], top[l]) {
			return false
		}
	}
	return true
}

// moderate compares the coordinates' bits, the sign shifted out, as
// integers: in the order of their magnitudes, infinities and NaNs beyond
// every number, without a branch.
//
//go:noinline
func (*batchKernel) moderate(x, y, z []float64) bool {
	y, z = y[:len(x)], z[:len(x)]
	var mx, my, mz uint64
	for l := range x {
		mx = max(mx, math.Float64bits(x[l])<<1)
		my = max(my, math.Float64bits(y[l])<<1)
		mz = max(mz, math.Float64bits(z[l])<<1)
	}
	return max(mx, my, mz) < math.Float64bits(moderate)<<1
}

// noSkip is the mask of a skip test that no other test encloses.
var noSkip [batchLanes]uint64

// bit is 1 for true and 0 for false.
func bit(b bool) uint64 {
	var u uint64
	if b {
		u = 1
	}
	return u
}

//go:noinline
func (*batchKernel) shape(in *instruction, x, y, z, d []float64) {
	y, z, d = y[:len(x)], z[:len(x)], d[:len(x)]
	o := in.off
	switch in.op {
	case opSphere:
		for l := range x {
			px, py, pz := x[l]-o.X, y[l]-o.Y, z[l]-o.Z
			d[l] = math.Sqrt(float64(px*px)+float64(py*py)+float64(pz*pz)) - in.k
		}
	case opBox:
		for l := range x {
			d[l] = boxLane(x[l]-o.X, y[l]-o.Y, z[l]-o.Z, in.a)
		}
	case opRoundBox:
		r := in.k
		half := in.a.Sub(scene.Vec3{X: r, Y: r, Z: r})
		for l := range x {
			d[l] = boxLane(x[l]-o.X, y[l]-o.Y, z[l]-o.Z, half) - r
		}
	case opTorus:
		for l := range x {
			px, py, pz := x[l]-o.X, y[l]-o.Y, z[l]-o.Z
			qx := math.Sqrt(float64(px*px)+float64(pz*pz)) - in.a.X
			d[l] = math.Sqrt(float64(qx*qx)+float64(py*py)) - in.a.Y
		}
	case opCapsule:
		a := in.a
		ba := in.b.Sub(a)
		l2 := ba.Dot(ba)
		for l := range x {
			pax, pay, paz := x[l]-o.X-a.X, y[l]-o.Y-a.Y, z[l]-o.Z-a.Z
			h := 0.0
			if l2 > 0 {
				h = scene.Clamp((float64(pax*ba.X)+float64(pay*ba.Y)+float64(paz*ba.Z))/l2, 0, 1)
			}
			qx, qy, qz := pax-float64(ba.X*h), pay-float64(ba.Y*h), paz-float64(ba.Z*h)
			d[l] = math.Sqrt(float64(qx*qx)+float64(qy*qy)+float64(qz*qz)) - in.k
		}
	case opCylinder:
		for l := range x {
			px, py, pz := x[l]-o.X, y[l]-o.Y, z[l]-o.Z
			dx := math.Sqrt(float64(px*px)+float64(pz*pz)) - in.a.X
			dy := math.Abs(py) - in.a.Y
			mx, my := scene.Max(dx, 0), scene.Max(dy, 0)
			d[l] = scene.Min(scene.Max(dx, dy), 0) + math.Sqrt(float64(mx*mx)+float64(my*my))
		}
	case opPlane:
		n := in.a
		for l := range x {
			d[l] = float64((x[l]-o.X)*n.X) + float64((y[l]-o.Y)*n.Y) + float64((z[l]-o.Z)*n.Z) - in.k
		}
	}
}

// boxLane is scene.Box's distance at (px, py, pz).
func boxLane(px, py, pz float64, half scene.Vec3) float64 {
	qx, qy, qz := math.Abs(px)-half.X, math.Abs(py)-half.Y, math.Abs(pz)-half.Z
	mx, my, mz := scene.Max(qx, 0), scene.Max(qy, 0), scene.Max(qz, 0)
	return math.Sqrt(float64(mx*mx)+float64(my*my)+float64(mz*mz)) + scene.Min(scene.Max(scene.Max(qx, qy), qz), 0)
}

//go:noinline
func (*batchKernel) combine(in *instruction, a, c []float64, mask []uint64) {
	c = c[:len(a)]
	if mask != nil {
		maskedCombine(in, a, c, mask)
		return
	}
	switch in.op {
	case opMin:
		for l := range a {
			a[l] = scene.Min(a[l], c[l])
		}
	case opMax:
		for l := range a {
			a[l] = scene.Max(a[l], c[l])
		}
	case opSmoothMin, opSmoothMax, opSmoothSub:
		if in.k > 0 {
			// SmoothMax(a, b) is -SmoothMin(-a, -b), and the smooth
			// subtraction SmoothMax(a, -b), -SmoothMin(-a, b).
			smoothLanes(a, c, in.k, in.op != opSmoothMin, in.op == opSmoothMax)
			return
		}
		fallthrough
	default:
		for l := range a {
			a[l] = combine(in.op, a[l], c[l], in.k)
		}
	}
}

// smoothLanes sets each a[l] to scene.SmoothMin(a[l], c[l], k), for a blend
// radius k > 0, with its arithmetic written out here: as a call per point it
// cost twice as much. With neg, a[l] is negated before and the result after,
// and with negC, c[l] before: the smooth maximum and subtraction.
func smoothLanes(a, c []float64, k float64, neg, negC bool) {
	c = c[:len(a)]
	for l := range a {
		x, y := a[l], c[l]
		if neg {
			x = -x
		}
		if negC {
			y = -y
		}
		// scene.smoothMin: the weight of y, and the hard minimum outside the
		// blend (no NaN from an infinite distance). At or beyond the blend's
		// edges, |x - y| >= k, the weight is 1 or 0 without the division
		// (rounding is monotonic, so (x - y)/k is then at least 1 or at most
		// -1), which a point outside the blend, as most are, is spared.
		d := x
		if e := x - y; e >= k {
			d = y
		} else if !(e <= -k) {
			h := scene.Clamp(0.5+0.5*e/k, 0, 1)
			if h == 1 {
				d = y
			} else if h != 0 {
				d = float64(x*(1-h)) + float64(y*h) - float64(k*h*(1-h))
			}
		}
		if neg {
			d = -d
		}
		a[l] = d
	}
}

// maskedCombine folds distances c into a by in's operation where m is clear.
func maskedCombine(in *instruction, a, c []float64, m []uint64) {
	c, m = c[:len(a)], m[:len(a)]
	if in.op == opMin {
		for l := range a {
			if m[l] == 0 {
				a[l] = scene.Min(a[l], c[l])
			}
		}
		return
	}
	for l := range a {
		if m[l] == 0 {
			a[l] = combine(in.op, a[l], c[l], in.k)
		}
	}
}

// combine is one operation of the interpreter on two distances.
func combine(op opcode, a, b, k float64) float64 {
	switch op {
	case opMin:
		return scene.Min(a, b)
	case opMax:
		return scene.Max(a, b)
	case opSubtract:
		return scene.Max(a, -b)
	case opSmoothMin:
		return scene.SmoothMin(a, b, k)
	case opSmoothMax:
		return scene.SmoothMax(a, b, k)
	default: // opSmoothSub
		return scene.SmoothMax(a, -b, k)
	}
}

//go:noinline
func (*batchKernel) transform(pr *program, in *instruction, x, y, z, tx, ty, tz []float64) {
	y, z = y[:len(x)], z[:len(x)]
	tx, ty, tz = tx[:len(x)], ty[:len(x)], tz[:len(x)]
	switch in.op {
	case opTranslate:
		for l := range x {
			tx[l], ty[l], tz[l] = x[l]-in.a.X, y[l]-in.a.Y, z[l]-in.a.Z
		}
	case opRotate:
		a, b, c, o := in.a, in.b, in.c, in.off
		for l := range x {
			px, py, pz := x[l]-o.X, y[l]-o.Y, z[l]-o.Z
			tx[l] = float64(a.X*px) + float64(a.Y*py) + float64(a.Z*pz)
			ty[l] = float64(b.X*px) + float64(b.Y*py) + float64(b.Z*pz)
			tz[l] = float64(c.X*px) + float64(c.Y*py) + float64(c.Z*pz)
		}
	case opScale:
		for l := range x {
			tx[l], ty[l], tz[l] = x[l]*in.k, y[l]*in.k, z[l]*in.k
		}
	case opRepeat:
		r := pr.repeats[in.jump]
		repeatLanes(x, tx, r.Period.X, r.Limit.X)
		repeatLanes(y, ty, r.Period.Y, r.Limit.Y)
		repeatLanes(z, tz, r.Period.Z, r.Limit.Z)
	}
}

// repeatLanes maps the coordinates x along one axis of a repetition into their
// cells, as scene.Repeat.Cell does, into t.
func repeatLanes(x, t []float64, period, limit float64) {
	t = t[:len(x)]
	if period <= 0 {
		copy(t, x)
		return
	}
	lim := math.Inf(1)
	if limit >= 1 {
		lim = math.Floor(limit)
	}
	for l := range x {
		i := scene.Clamp(math.Round(x[l]/period), -lim, lim)
		t[l] = x[l] - float64(period*i)
	}
}

// activeKernel is the kernel in use: the portable one, unless a build with a
// vector kernel finds the machine can run it (kernel_avx2.go).
var activeKernel kernel = &batchKernel{}
