//go:build goexperiment.simd && amd64

package render

import (
	"math/bits"
	"simd/archsimd"

	"github.com/sdfrender/render/scene"
)

// The AVX2 build's escape checks test the bounding spheres four at a time,
// from the program's quads, with the exactly rounded operations of the
// kernel (kernel_avx2.go) in the scalar code's order: each lane's tests are
// the scalar code's, bit for bit, and so are the answers
// (TestVectorChecksAreEach). A check computes a whole quad where the scalar
// loop, looking first at the sphere that held the ray last, often stops
// after one or two; even so the march's checks take 14 % less time, the
// shadow rays' 7 % (BenchmarkChecks), and the job 2-3 %. The same for
// planesRoom gained nothing: most of its calls stop at the first sphere.
//
// Like the kernel's, these methods are never inlined, so that their vector
// code stays out of the scalar loops that call them, and they clear the
// vector registers' upper halves before any scalar arithmetic that follows
// (see avx2Kernel.shape). Vectors are kept in variables, not in structs:
// a struct of them went through memory, and the checks ran slower than the
// scalar loops.

// fourWide is whether the checks test four spheres at a time: set with the
// kernel's constants, where the processor has AVX2 (kernel_avx2.go's init);
// without it they test one at a time, as the default build's do.
var fourWide bool

// leavingSpheres is leavingEach, four spheres at a time. It leaves in
// *blocker the first sphere of the quad that decided the check, and starts
// from the quad that holds it.
//
//go:noinline
func (pr *program) leavingSpheres(q, d scene.Vec3, c *clearance, escaped, planesOnly bool, nearer, nearRate float64, blocker *int32) (bool, bool) {
	if !fourWide {
		return pr.leavingEach(q, d, c, escaped, planesOnly, nearer, nearRate, blocker)
	}
	n := len(pr.spheres)
	sq, quads, first := &pr.quads, (n+3)/4, int(*blocker)/4
	passable := c.slope >= 0 && c.slope < 1
	st := float64(c.slope * c.t)
	// Every scalar computation comes before the first vector one (see
	// avx2Kernel.shape).
	qx, qy, qz, dx, dy, dz := splat(q.X), splat(q.Y), splat(q.Z), splat(d.X), splat(d.Y), splat(d.Z)
	slope, thr, cos, tan := splat(c.slope), splat(c.thr), splat(c.cos), splat(c.tan)
	minHit, st4, nearer4, rate := splat(c.minHit), splat(st), splat(nearer), splat(nearRate)
	for i := range quads {
		l0 := 4 * ((first + i) % quads)
		// sphere.approach, and the spheres' radii
		vx, vy, vz := qx.Sub(load(sq.x, l0)), qy.Sub(load(sq.y, l0)), qz.Sub(load(sq.z, l0))
		vv := vx.Mul(vx).Add(vy.Mul(vy)).Add(vz.Mul(vz))
		vd, l, r, rr := vx.Mul(dx).Add(vy.Mul(dy)).Add(vz.Mul(dz)), vv.Sqrt(), load(sq.r, l0), load(sq.rr, l0)
		behind := vd.LessEqual(zero4).ToBits() | vv.LessEqual(rr).ToBits()
		dist := l.Sub(r)
		valid := lanesOf(n, l0)
		if planesOnly && valid&(behind|dist.Less(nearer4).ToBits()|vd.Less(rate.Mul(l)).ToBits()) != 0 {
			planesOnly = false
		}
		if escaped {
			recedes := ^behind & vd.GreaterEqual(slope.Mul(l)).ToBits() & dist.GreaterEqual(thr).ToBits()
			if rest := valid &^ recedes; rest != 0 && (!passable || rest&^passes4(vv, vd, l, r, minHit, slope, cos, tan, st4) != 0) {
				escaped = false
			}
		}
		if !escaped && !planesOnly {
			*blocker = int32(l0)
			break
		}
	}
	archsimd.ClearAVXUpperBits()
	return escaped, planesOnly
}

// clearSpheres is clearEach, four spheres at a time. It leaves in *blocker
// the sphere that failed, and starts from the quad that holds it.
//
//go:noinline
func (pr *program) clearSpheres(q, d scene.Vec3, c *clearance, blocker *int32) bool {
	if !fourWide {
		return pr.clearEach(q, d, c, blocker)
	}
	n := len(pr.spheres)
	sq, quads, first := &pr.quads, (n+3)/4, int(*blocker)/4
	shadow, passable := c.shadow, c.passable && c.slope >= 0 && c.slope < 1
	// recedes: a shadow ray's k·dist >= res·t and k·vd >= res·l; another's
	// vd >= slope·l and dist >= thr.
	least := c.thr
	if shadow {
		least = float64(c.res * c.t)
	}
	st := float64(c.slope * c.t)
	lastGroup, groupClear := int32(-1), false
	qx, qy, qz, dx, dy, dz := splat(q.X), splat(q.Y), splat(q.Z), splat(d.X), splat(d.Y), splat(d.Z)
	k, res, least4 := splat(c.k), splat(c.res), splat(least)
	slope, cos, tan, minHit, st4 := splat(c.slope), splat(c.cos), splat(c.tan), splat(c.minHit), splat(st)
	for i := range quads {
		l0 := 4 * ((first + i) % quads)
		// sphere.approach, and the spheres' radii
		vx, vy, vz := qx.Sub(load(sq.x, l0)), qy.Sub(load(sq.y, l0)), qz.Sub(load(sq.z, l0))
		vv := vx.Mul(vx).Add(vy.Mul(vy)).Add(vz.Mul(vz))
		vd, l, r, rr := vx.Mul(dx).Add(vy.Mul(dy)).Add(vz.Mul(dz)), vv.Sqrt(), load(sq.r, l0), load(sq.rr, l0)
		dist := l.Sub(r)
		var recedes uint8
		if shadow {
			recedes = k.Mul(dist).GreaterEqual(least4).ToBits() & k.Mul(vd).GreaterEqual(res.Mul(l)).ToBits()
		} else {
			recedes = vd.GreaterEqual(slope.Mul(l)).ToBits() & dist.GreaterEqual(least4).ToBits()
		}
		recedes &^= vd.LessEqual(zero4).ToBits() | vv.LessEqual(rr).ToBits()
		fail := lanesOf(n, l0) &^ recedes
		if fail != 0 && passable {
			fail &^= passes4(vv, vd, l, r, minHit, slope, cos, tan, st4)
		}
		// A part of a child bounded by parts may fail where the ray is
		// clear of the bound around them all, as clearEach has it.
		for ; fail != 0; fail &= fail - 1 {
			at := l0 + bits.TrailingZeros8(fail)
			g := pr.groupOf[at]
			if g >= 0 && g != lastGroup {
				archsimd.ClearAVXUpperBits()
				lastGroup, groupClear = g, c.clearOf(pr.groups[g].bound, q, d)
			}
			if g < 0 || !groupClear {
				archsimd.ClearAVXUpperBits()
				*blocker = int32(at)
				return false
			}
		}
	}
	archsimd.ClearAVXUpperBits()
	return true
}

// passes4 is sphere.passes in each lane, for a slope in [0, 1) (the caller
// tests it), as bits: st is slope·t.
func passes4(vv, vd, l, r, minHit, slope, cos, tan, st f4) uint8 {
	s0 := neg(vd)
	b := vv.Sub(s0.Mul(s0)).Sub(eps4.Mul(vv))
	b = zero4.Merge(b, b.Less(zero4)).Sqrt() // max(b, 0), as Go's keeping a NaN
	room := nano4.Mul(one4.Add(l).Add(r))
	nearest := b.Merge(l, s0.Greater(zero4))
	least := b.Mul(cos).Sub(slope.Mul(s0)).Merge(l, s0.Add(b.Mul(tan)).GreaterEqual(zero4))
	return ^nearest.Sub(r).Less(minHit.Add(room)).ToBits() & least.Sub(r).GreaterEqual(st.Add(room)).ToBits()
}

// lanesOf is the lanes of the quad from sphere l0 that hold one of n spheres.
func lanesOf(n, l0 int) uint8 {
	if n-l0 >= 4 {
		return 0xf
	}
	return 1<<(n-l0) - 1
}
