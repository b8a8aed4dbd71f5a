//go:build goexperiment.simd && amd64

package render

import (
	"math"
	"simd/archsimd"
	"unsafe"

	"github.com/sdfrender/render/scene"
)

// The AVX2 kernel: the batch kernel's arithmetic four points at a time, in
// 256-bit registers. It uses only operations that IEEE 754 rounds exactly (add,
// subtract, multiply, divide, square root, comparisons, min and max in the
// operand order of scene.Min and scene.Max, sign-bit masks, truncation), so each
// lane gets the bits the scalar code gets; nothing is fused into a
// multiply-add. Built with GOEXPERIMENT=simd; on a machine without AVX2 the
// portable kernel is used instead.

func init() {
	if archsimd.X86.AVX2() {
		signBit = archsimd.BroadcastUint64x4(1 << 63)
		xyzMask = archsimd.LoadUint64x4(&[4]uint64{1<<64 - 1, 1<<64 - 1, 1<<64 - 1, 0})
		for i, v := range tetrahedron {
			tetrahedron4[i] = archsimd.LoadFloat64x4(&[4]float64{v.X, v.Y, v.Z, 0})
		}
		zero4, one4, half4 = splat(0), splat(1), splat(0.5)
		eps4, nano4 = splat(4e-16), splat(1e-9)
		activeKernel, fourWide, laneMarch = &avx2Kernel{}, true, true
		fusedExp = archsimd.X86.AVX() && archsimd.X86.FMA()
	}
}

// fusedExp is whether math.Exp takes its path of fused multiply-adds here,
// as it does where the processor has AVX and FMA (math's useFMA), which
// exp4 makes.
var fusedExp bool

// avx2Kernel's methods are never inlined: inlined into batch.eval, as
// profile-guided optimisation does with a profile of the SIMD build, their
// vector code lands in the arms of eval's switch, and the build ran at half
// its speed (cmd/render/default.pgo).
type avx2Kernel struct{}

func (*avx2Kernel) name() string { return "avx2" }

type f4 = archsimd.Float64x4

// load and store move the lanes l to l+3 of s, which must hold them: they
// are not checked. Every loop that calls them runs while l+4 <= len(x), of a
// slice x that the function's other slices were first cut to the length of
// (y = y[:len(x)], which checks that y's memory holds as many), and the
// spheres' quads are padded to whole quads. Checked, as slicing s[l:l+4]
// does, they ran 3 % of the SIMD build's instructions, and about 1.5 % of
// its time. The tests of the kernel and of the checks against the portable
// code (TestKernelsMatchInterpreter, TestGatherIsPortable,
// TestVectorChecksAreEach) run every one of them.
func load(s []float64, l int) f4 {
	return archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), l*8)))
}
func store(v f4, s []float64, l int) {
	v.Store((*[4]float64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), l*8)))
}
func splat(x float64) f4 { return archsimd.BroadcastFloat64x4(x) }
func loadMask(s []uint64, l int) archsimd.Mask64x4 { // unchecked, as load
	return archsimd.LoadUint64x4((*[4]uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), l*8))).AsInt64x4().ToMask()
}

// The kernel's constants, set by init once it has found the processor has AVX2:
// made in their declarations, they would be made at start-up with AVX
// instructions on any processor. (Made in the loops that use them instead, they
// cost six times the kernel's time on the test machine.)
var (
	signBit            archsimd.Uint64x4
	xyzMask            archsimd.Uint64x4    // a vector's first three lanes (xyz)
	tetrahedron4       [len(tetrahedron)]f4 // tetrahedron's, and 0 (normalTapsLanes)
	zero4, one4, half4 f4
	eps4, nano4        f4 // for the checks (escape_avx2.go)
)

// neg is -v: the sign flipped, as Go negates (0 - v would turn -0 into +0).
func neg(v f4) f4 { return v.AsUint64x4().Xor(signBit).AsFloat64x4() }

// abs is math.Abs.
func abs(v f4) f4 { return v.AsUint64x4().AndNot(signBit).AsFloat64x4() }

// vmin and vmax are scene.Min and scene.Max: a < b ? a : b, and a > b ? a : b,
// which give b for a NaN or two zeros. Not VMINPD and VMAXPD, though they
// decide the same way: the compiler takes them for commutative and may swap
// their operands.
func vmin(a, b f4) f4 { return a.Merge(b, a.Less(b)) }
func vmax(a, b f4) f4 { return a.Merge(b, a.Greater(b)) }

// clamp is scene.Clamp.
func clamp(x, lo, hi f4) f4 { return lo.Merge(hi.Merge(x, x.Greater(hi)), x.Less(lo)) }

// round is math.Round, half away from zero, keeping the sign of a zero.
func round(x f4) f4 {
	t := x.Trunc()
	away := abs(x.Sub(t)).GreaterEqual(half4)
	step := one4.AsUint64x4().Or(x.AsUint64x4().And(signBit)).AsFloat64x4() // ±1, the sign of x
	return t.Add(step).Merge(t, away)
}

// length is sqrt(x·x + y·y + z·z), added in the order Vec3.Dot adds.
func length(x, y, z f4) f4 { return x.Mul(x).Add(y.Mul(y)).Add(z.Mul(z)).Sqrt() }

// hypot is scene's hypot, sqrt(x·x + y·y).
func hypot(x, y f4) f4 { return x.Mul(x).Add(y.Mul(y)).Sqrt() }

//go:noinline
func (*avx2Kernel) shape(in *instruction, x, y, z, d []float64) {
	y, z, d = y[:len(x)], z[:len(x)], d[:len(x)]
	// Every scalar computation comes before the first vector one: on some
	// processors an SSE instruction after a 256-bit one, before the upper halves
	// are cleared, costs dozens of cycles.
	var h, ba scene.Vec3
	var l2 float64
	switch in.op {
	case opBox:
		h = in.a
	case opRoundBox:
		h = in.a.Sub(scene.Vec3{X: in.k, Y: in.k, Z: in.k})
	case opCapsule:
		ba = in.b.Sub(in.a)
		if l2 = ba.Dot(ba); !(l2 > 0) {
			// A capsule of zero length, a sphere, is rare: the portable loop.
			// (A test in the vector loop for it, or a second loop, made the
			// loop several times slower on the test machine.)
			(&batchKernel{}).shape(in, x, y, z, d)
			return
		}
	}
	ox, oy, oz := splat(in.off.X), splat(in.off.Y), splat(in.off.Z)
	k := splat(in.k)
	switch in.op {
	case opSphere:
		for l := 0; l+4 <= len(x); l += 4 {
			store(length(load(x, l).Sub(ox), load(y, l).Sub(oy), load(z, l).Sub(oz)).Sub(k), d, l)
		}
	case opBox, opRoundBox:
		hx, hy, hz := splat(h.X), splat(h.Y), splat(h.Z)
		for l := 0; l+4 <= len(x); l += 4 {
			qx := abs(load(x, l).Sub(ox)).Sub(hx)
			qy := abs(load(y, l).Sub(oy)).Sub(hy)
			qz := abs(load(z, l).Sub(oz)).Sub(hz)
			store(length(vmax(qx, zero4), vmax(qy, zero4), vmax(qz, zero4)).Add(vmin(vmax(vmax(qx, qy), qz), zero4)), d, l)
		}
		if in.op == opRoundBox { // less the rounding: a loop of its own (see combine)
			for l := 0; l+4 <= len(d); l += 4 {
				store(load(d, l).Sub(k), d, l)
			}
		}
	case opTorus:
		major, minor := splat(in.a.X), splat(in.a.Y)
		for l := 0; l+4 <= len(x); l += 4 {
			px, py, pz := load(x, l).Sub(ox), load(y, l).Sub(oy), load(z, l).Sub(oz)
			qx := hypot(px, pz).Sub(major)
			store(hypot(qx, py).Sub(minor), d, l)
		}
	case opCapsule:
		ax, ay, az := splat(in.a.X), splat(in.a.Y), splat(in.a.Z)
		bx, by, bz := splat(ba.X), splat(ba.Y), splat(ba.Z)
		vl2 := splat(l2)
		for l := 0; l+4 <= len(x); l += 4 {
			pax := load(x, l).Sub(ox).Sub(ax)
			pay := load(y, l).Sub(oy).Sub(ay)
			paz := load(z, l).Sub(oz).Sub(az)
			h := clamp(pax.Mul(bx).Add(pay.Mul(by)).Add(paz.Mul(bz)).Div(vl2), zero4, one4)
			store(length(pax.Sub(bx.Mul(h)), pay.Sub(by.Mul(h)), paz.Sub(bz.Mul(h))).Sub(k), d, l)
		}
	case opCylinder:
		radius, hh := splat(in.a.X), splat(in.a.Y)
		for l := 0; l+4 <= len(x); l += 4 {
			px, py, pz := load(x, l).Sub(ox), load(y, l).Sub(oy), load(z, l).Sub(oz)
			dx := hypot(px, pz).Sub(radius)
			dy := abs(py).Sub(hh)
			store(vmin(vmax(dx, dy), zero4).Add(hypot(vmax(dx, zero4), vmax(dy, zero4))), d, l)
		}
	case opPlane:
		nx, ny, nz := splat(in.a.X), splat(in.a.Y), splat(in.a.Z)
		for l := 0; l+4 <= len(x); l += 4 {
			px, py, pz := load(x, l).Sub(ox), load(y, l).Sub(oy), load(z, l).Sub(oz)
			store(px.Mul(nx).Add(py.Mul(ny)).Add(pz.Mul(nz)).Sub(k), d, l)
		}
	}
	archsimd.ClearAVXUpperBits()
}

//go:noinline
func (*avx2Kernel) combine(in *instruction, a, c []float64, mask []uint64) {
	c = c[:len(a)]
	if mask == nil && (in.op == opMin || in.op == opMax || in.op == opSubtract) {
		// Without a mask, the commonest operations need no merge: loops of
		// their own, 0.8 % fewer instructions in the build.
		switch in.op {
		case opMin:
			for l := 0; l+4 <= len(a); l += 4 {
				store(vmin(load(a, l), load(c, l)), a, l)
			}
		case opMax:
			for l := 0; l+4 <= len(a); l += 4 {
				store(vmax(load(a, l), load(c, l)), a, l)
			}
		case opSubtract:
			for l := 0; l+4 <= len(a); l += 4 {
				store(vmax(load(a, l), neg(load(c, l))), a, l)
			}
		}
		archsimd.ClearAVXUpperBits()
		return
	}
	if mask == nil {
		mask = noSkip[:len(a)]
	}
	mask = mask[:len(a)]
	if in.k <= 0 && (in.op == opSmoothMin || in.op == opSmoothMax || in.op == opSmoothSub) {
		// A blend radius of 0, which scene files do not allow, is the hard
		// minimum by another formula: the portable loop.
		(&batchKernel{}).combine(in, a, c, mask)
		return
	}
	// One loop per operation, each without a test: a vector set in one arm of
	// a test inside a loop made it many times slower on the test machine. The
	// mask is merged in everywhere, all clear when there is none (but for the
	// loops above).
	k := splat(in.k)
	switch in.op {
	case opMin:
		for l := 0; l+4 <= len(a); l += 4 {
			va := load(a, l)
			store(va.Merge(vmin(va, load(c, l)), loadMask(mask, l)), a, l)
		}
	case opMax:
		for l := 0; l+4 <= len(a); l += 4 {
			va := load(a, l)
			store(va.Merge(vmax(va, load(c, l)), loadMask(mask, l)), a, l)
		}
	case opSubtract:
		for l := 0; l+4 <= len(a); l += 4 {
			va := load(a, l)
			store(va.Merge(vmax(va, neg(load(c, l))), loadMask(mask, l)), a, l)
		}
	case opSmoothMin:
		for l := 0; l+4 <= len(a); l += 4 {
			va := load(a, l)
			store(va.Merge(smoothMin(va, load(c, l), k), loadMask(mask, l)), a, l)
		}
	case opSmoothMax:
		for l := 0; l+4 <= len(a); l += 4 {
			va := load(a, l)
			store(va.Merge(neg(smoothMin(neg(va), neg(load(c, l)), k)), loadMask(mask, l)), a, l)
		}
	case opSmoothSub: // SmoothMax(a, -c)
		for l := 0; l+4 <= len(a); l += 4 {
			va := load(a, l)
			store(va.Merge(neg(smoothMin(neg(va), load(c, l), k)), loadMask(mask, l)), a, l)
		}
	}
	archsimd.ClearAVXUpperBits()
}

// smoothMin is scene.SmoothMin with blend radius k > 0.
func smoothMin(a, b, k f4) f4 {
	h := clamp(half4.Add(half4.Mul(a.Sub(b)).Div(k)), zero4, one4)
	oneMinus := one4.Sub(h)
	blend := a.Mul(oneMinus).Add(b.Mul(h)).Sub(k.Mul(h).Mul(oneMinus))
	return a.Merge(b.Merge(blend, h.Equal(one4)), h.Equal(zero4))
}

//go:noinline
func (*avx2Kernel) transform(pr *program, in *instruction, x, y, z, tx, ty, tz []float64) {
	y, z = y[:len(x)], z[:len(x)]
	tx, ty, tz = tx[:len(x)], ty[:len(x)], tz[:len(x)]
	switch in.op {
	case opTranslate:
		ax, ay, az := splat(in.a.X), splat(in.a.Y), splat(in.a.Z)
		for l := 0; l+4 <= len(x); l += 4 {
			store(load(x, l).Sub(ax), tx, l)
			store(load(y, l).Sub(ay), ty, l)
			store(load(z, l).Sub(az), tz, l)
		}
	case opRotate:
		a, b, c := in.a, in.b, in.c
		ax, ay, az := splat(a.X), splat(a.Y), splat(a.Z)
		bx, by, bz := splat(b.X), splat(b.Y), splat(b.Z)
		cx, cy, cz := splat(c.X), splat(c.Y), splat(c.Z)
		ox, oy, oz := splat(in.off.X), splat(in.off.Y), splat(in.off.Z)
		for l := 0; l+4 <= len(x); l += 4 {
			px, py, pz := load(x, l).Sub(ox), load(y, l).Sub(oy), load(z, l).Sub(oz)
			store(ax.Mul(px).Add(ay.Mul(py)).Add(az.Mul(pz)), tx, l)
			store(bx.Mul(px).Add(by.Mul(py)).Add(bz.Mul(pz)), ty, l)
			store(cx.Mul(px).Add(cy.Mul(py)).Add(cz.Mul(pz)), tz, l)
		}
	case opScale:
		k := splat(in.k)
		for l := 0; l+4 <= len(x); l += 4 {
			store(load(x, l).Mul(k), tx, l)
			store(load(y, l).Mul(k), ty, l)
			store(load(z, l).Mul(k), tz, l)
		}
	case opRepeat:
		r := pr.repeats[in.jump]
		// The scalar work first, for all three axes (see shape).
		limX, limY, limZ := repeatLimit(r.Limit.X), repeatLimit(r.Limit.Y), repeatLimit(r.Limit.Z)
		repeat4(x, tx, r.Period.X, limX)
		repeat4(y, ty, r.Period.Y, limY)
		repeat4(z, tz, r.Period.Z, limZ)
	}
	archsimd.ClearAVXUpperBits()
}

// repeatLimit is how far from the middle copy a repetition with this limit
// goes, in copies: as repeatLanes takes it.
func repeatLimit(limit float64) float64 {
	if limit >= 1 {
		return math.Floor(limit)
	}
	return math.Inf(1)
}

// repeat4 is repeatLanes, four points at a time, with the limit as repeatLimit
// gives it.
func repeat4(x, t []float64, period, lim float64) {
	t = t[:len(x)]
	if period <= 0 {
		copy(t, x)
		return
	}
	p, hi, lo := splat(period), splat(lim), splat(-lim)
	for l := 0; l+4 <= len(x); l += 4 {
		v := load(x, l)
		i := clamp(round(v.Div(p)), lo, hi)
		store(v.Sub(p.Mul(i)), t, l)
	}
	archsimd.ClearAVXUpperBits()
}

//go:noinline
func (*avx2Kernel) skip(in *instruction, x, y, z, top []float64, m, parent []uint64) bool {
	y, z, top = y[:len(x)], z[:len(x)], top[:len(x)]
	m, parent = m[:len(x)], parent[:len(x)]
	ax, ay, az := splat(in.a.X), splat(in.a.Y), splat(in.a.Z)
	reach := splat(in.k)
	all := uint8(0xf)
	for l := 0; l+4 <= len(x); l += 4 {
		s := skips4(x, y, z, top, l, ax, ay, az, reach).Or(loadMask(parent, l))
		s.ToInt64x4().AsUint64x4().Store((*[4]uint64)(m[l : l+4]))
		all &= s.ToBits()
	}
	archsimd.ClearAVXUpperBits()
	return all == 0xf
}

// skips4 is instruction.skips at points l to l+3, with the instruction's
// centre (ax, ay, az) and reach splatted.
func skips4(x, y, z, top []float64, l int, ax, ay, az, reach f4) archsimd.Mask64x4 {
	vx, vy, vz := load(x, l).Sub(ax), load(y, l).Sub(ay), load(z, l).Sub(az)
	r := load(top, l).Add(reach)
	return vx.Mul(vx).Add(vy.Mul(vy)).Add(vz.Mul(vz)).GreaterEqual(r.Mul(abs(r)))
}

//go:noinline
func (*avx2Kernel) far(in *instruction, x, y, z, top []float64) bool {
	y, z, top = y[:len(x)], z[:len(x)], top[:len(x)]
	ax, ay, az := splat(in.a.X), splat(in.a.Y), splat(in.a.Z)
	reach := splat(in.k)
	far := true
	for l := 0; l+4 <= len(x); l += 4 {
		if skips4(x, y, z, top, l, ax, ay, az, reach).ToBits() != 0xf {
			far = false
			break
		}
	}
	archsimd.ClearAVXUpperBits()
	return far
}

// gather loads four points at a time, each one vector, and transposes them
// into a vector of each coordinate and of the ceilings.
//
//go:noinline
func (*avx2Kernel) gather(at []point, x, y, z, c []float64) {
	x, y, z, c = x[:len(at)], y[:len(at)], z[:len(at)], c[:len(at)]
	l := 0
	pts := unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(at))), 4*len(at)) // the points' numbers in a row
	for ; l+4 <= len(at); l += 4 {
		r0, r1, r2, r3 := load(pts, 4*l), load(pts, 4*l+4), load(pts, 4*l+8), load(pts, 4*l+12)
		// Within each half: the x's (and z's) of two points, and their
		// y's (and ceilings); then the halves of two of those.
		t0, t1 := r0.SelectFromPairGrouped(0, 2, r1), r0.SelectFromPairGrouped(1, 3, r1)
		t2, t3 := r2.SelectFromPairGrouped(0, 2, r3), r2.SelectFromPairGrouped(1, 3, r3)
		store(t0.Select128FromPair(0, 2, t2), x, l)
		store(t1.Select128FromPair(0, 2, t3), y, l)
		store(t0.Select128FromPair(1, 3, t2), z, l)
		store(t1.Select128FromPair(1, 3, t3), c, l)
	}
	archsimd.ClearAVXUpperBits()
	if l < len(at) {
		(&batchKernel{}).gather(at[l:], x[l:], y[l:], z[l:], c[l:]) // the rest, fewer than four
	}
}

// moderate compares the coordinates' magnitudes with moderate, four points
// at a time; a NaN compares false.
//
//go:noinline
func (*avx2Kernel) moderate(x, y, z []float64) bool {
	y, z = y[:len(x)], z[:len(x)]
	lim := splat(moderate)
	in := one4.Less(lim) // all true
	for l := 0; l+4 <= len(x); l += 4 {
		in = in.And(abs(load(x, l)).Less(lim)).And(abs(load(y, l)).Less(lim)).And(abs(load(z, l)).Less(lim))
	}
	var ins [4]int64
	in.ToInt64x4().Store(&ins) // not ToBits, which the compiler moves past the clearing
	archsimd.ClearAVXUpperBits()
	return ins == [4]int64{-1, -1, -1, -1}
}

// span is the box's extent along one axis four points at a time: VMINPD and
// VMAXPD, whose choice between two zeros does not matter here, and a mask
// that notes a NaN, which they would drop.
//
//go:noinline
func (*avx2Kernel) span(xs []float64) (lo, hi float64) {
	_ = xs[3] // the first four lanes, loaded unchecked
	l := load(xs, 0)
	h, nan := l, l.NotEqual(l)
	for i := 4; i+4 <= len(xs); i += 4 {
		v := load(xs, i)
		l, h, nan = l.Min(v), h.Max(v), nan.Or(v.NotEqual(v))
	}
	var ls, hs [4]float64
	var ns [4]int64
	l.Store(&ls)
	h.Store(&hs)
	nan.ToInt64x4().Store(&ns) // not ToBits, which the compiler moves past the clearing
	archsimd.ClearAVXUpperBits()
	if ns != [4]int64{} {
		return math.NaN(), math.NaN()
	}
	return min(ls[0], ls[1], ls[2], ls[3]), max(hs[0], hs[1], hs[2], hs[3])
}
