//go:build goexperiment.simd && amd64

package render

import (
	"math"
	"simd/archsimd"
	"slices"
	"testing"

	"github.com/sdfrender/render/scene"
)

// TestVectorMinMaxAreScenes checks the vector min and max against scene.Min and
// scene.Max where they could differ: signed zeros, NaNs and infinities.
func TestVectorMinMaxAreScenes(t *testing.T) {
	needAVX2(t)
	vals := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), 1e-310}
	for _, a := range vals {
		for _, b := range vals {
			va, vb := splat(a), splat(b)
			var got [4]float64
			vmin(va, vb).Store(&got)
			if want := scene.Min(a, b); math.Float64bits(got[0]) != math.Float64bits(want) {
				t.Errorf("vmin(%g, %g) = %g, scene.Min %g", a, b, got[0], want)
			}
			vmax(va, vb).Store(&got)
			if want := scene.Max(a, b); math.Float64bits(got[0]) != math.Float64bits(want) {
				t.Errorf("vmax(%g, %g) = %g, scene.Max %g", a, b, got[0], want)
			}
			clamp(va, splat(0), splat(1)).Store(&got)
			if want := scene.Clamp(a, 0, 1); math.Float64bits(got[0]) != math.Float64bits(want) && !(math.IsNaN(got[0]) && math.IsNaN(want)) {
				t.Errorf("clamp(%g, 0, 1) = %g, scene.Clamp %g", a, got[0], want)
			}
		}
	}
	for _, x := range []float64{-2.5, -0.5, -0.3, math.Copysign(0, -1), 0.49999999999999994, 0.5, 1.5, 2.5, -1e300, 1e16 + 1, math.NaN()} {
		var got [4]float64
		round(splat(x)).Store(&got)
		if want := math.Round(x); math.Float64bits(got[0]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(got[0])) {
			t.Errorf("round(%g) = %g, math.Round %g", x, got[0], want)
		}
	}
}

// TestVectorKernelOnOddValues runs the AVX2 kernel's shapes and operations on
// signed zeros, NaNs and infinities, where operand order and blends decide the
// bits, against the portable kernel.
func TestVectorKernelOnOddValues(t *testing.T) {
	needAVX2(t)
	odd := oddValues
	a, c := oddPairs()
	var x, y, z []float64
	for _, u := range odd {
		for _, v := range odd {
			for _, w := range odd {
				x, y, z = append(x, u), append(y, v), append(z, w)
			}
		}
	}
	same := func(p, q float64) bool {
		return math.Float64bits(p) == math.Float64bits(q) || math.IsNaN(p) && math.IsNaN(q)
	}
	for _, op := range []opcode{opMin, opMax, opSubtract, opSmoothMin, opSmoothMax, opSmoothSub} {
		for _, masked := range []bool{false, true} {
			in := &instruction{op: op, k: 0.3}
			mask := everyThird(len(a), masked)
			want, got := slices.Clone(a), slices.Clone(a)
			(&batchKernel{}).combine(in, want, c, mask)
			(&avx2Kernel{}).combine(in, got, c, mask)
			for i := range a {
				if !same(got[i], want[i]) {
					t.Errorf("op %d (masked %v) on %g, %g: avx2 %g, batch %g", op, masked, a[i], c[i], got[i], want[i])
				}
			}
		}
	}
	for _, in := range []instruction{
		{op: opSphere, k: 1}, {op: opBox, a: scene.Vec3{X: 1, Y: 0.5, Z: 0.25}},
		{op: opRoundBox, a: scene.Vec3{X: 1, Y: 0.5, Z: 0.25}, k: 0.1}, {op: opTorus, a: scene.Vec3{X: 1, Y: 0.2}},
		{op: opCylinder, a: scene.Vec3{X: 0.5, Y: 1}}, {op: opPlane, a: scene.Vec3{Y: 1}, k: -0.5},
	} {
		want, got := make([]float64, len(x)), make([]float64, len(x))
		(&batchKernel{}).shape(&in, x, y, z, want)
		(&avx2Kernel{}).shape(&in, x, y, z, got)
		for i := range x {
			if !same(got[i], want[i]) {
				t.Errorf("shape %d at (%g, %g, %g): avx2 %g, batch %g", in.op, x[i], y[i], z[i], got[i], want[i])
			}
		}
	}
}

// needAVX2 skips a test of the AVX2 kernel itself on a processor without AVX2.
func needAVX2(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("this processor has no AVX2: the SIMD build runs the batch kernel")
	}
}

// TestGatherIsPortable holds the AVX2 kernel's gather, which transposes four
// points at a time, to the portable loop, for every count of points up to a
// batch's (whole groups of four and the rest).
func TestGatherIsPortable(t *testing.T) {
	needAVX2(t)
	at := make([]point, batchLanes)
	for i := range at {
		f := float64(i)
		at[i] = point{f + 0.1, -f - 0.2, f * 1e3, math.Copysign(0, -1) - f}
	}
	for n := 0; n <= batchLanes; n++ {
		var want, got [4]lanes
		(&batchKernel{}).gather(at[:n], want[0][:], want[1][:], want[2][:], want[3][:])
		(&avx2Kernel{}).gather(at[:n], got[0][:], got[1][:], got[2][:], got[3][:])
		if got != want {
			t.Fatalf("%d points: avx2 gathered %v, the portable loop %v", n, got, want)
		}
	}
}
