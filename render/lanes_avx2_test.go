//go:build goexperiment.simd && amd64

package render

import (
	"fmt"
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// TestLanesMarchAsStructs marches the same waves of rays in lanes, four at a
// time (lanes_avx2.go), and as structs, a ray at a time, and wants every
// ray's t and hit bit for bit, and the same evaluations: primary rays from the
// camera of every built-in scene (at the camera and from further on, as their
// cones start them), and rays from anywhere in the scene, inside objects too,
// in waves of every size up to a few quads and of a whole tile.
func TestLanesMarchAsStructs(t *testing.T) {
	needAVX2(t)
	files := scenefile.Builtins()
	f, err := scenefile.Load("../testdata/scenes/spinning-top.yaml")
	if err != nil {
		t.Fatal(err)
	}
	laned := 0
	for _, f := range append(files, f) {
		for _, time := range []float64{0.3, 2.1} {
			plan := newFramePlan(f.At(time), Settings{Width: 64, Height: 36, Samples: 1}, nil)
			tr := plan.tracer()
			tr.originDist = tr.stepDistance(tr.origin, math.Inf(1))
			r := rand.New(rand.NewPCG(uint64(len(f.Name)), uint64(1000*time)))
			for _, n := range []int{1, 2, 3, 4, 5, 7, 9, 13, waveRays - 1, waveRays} {
				for _, primary := range []bool{true, false} {
					rays := make([]waveRay, n)
					for i := range rays {
						rays[i] = randomRay(r, tr.origin, primary)
					}
					name := fmt.Sprintf("%s at %g, %d rays, primary %v", f.Name, time, n, primary)
					if marchBoth(t, name, tr, rays, primary) {
						laned++
					}
				}
			}
		}
	}
	if laned == 0 {
		t.Error("no wave was marched in lanes")
	}
}

// randomRay is a ray for TestLanesMarchAsStructs: for a primary ray, from
// the camera ahead, at the camera or further on; for another, from anywhere
// around the scene, anywhere.
func randomRay(r *rand.Rand, camera scene.Vec3, primary bool) waveRay {
	d := scene.Vec3{X: r.NormFloat64(), Y: r.NormFloat64(), Z: r.NormFloat64()}.Normalize()
	if r.IntN(8) == 0 { // along the floor (y = 0 in every built-in scene): a rate of zero, of either sign
		d = scene.Vec3{X: d.X, Y: math.Copysign(0, d.Y), Z: d.Z}.Normalize()
	}
	if primary {
		ray := waveRay{ro: camera, rd: d}
		if r.IntN(2) == 0 {
			ray.t = 10 * r.Float64() * r.Float64()
		}
		return ray
	}
	o := scene.Vec3{X: 8 * (r.Float64() - 0.5), Y: 4 * r.Float64(), Z: 8 * (r.Float64() - 0.5)}
	return waveRay{ro: o, rd: d, t: float64(r.IntN(2)) * r.Float64()}
}

// marchBoth marches rays in lanes and as structs and reports whether the
// lanes took them.
func marchBoth(t *testing.T, name string, tr tracer, rays []waveRay, primary bool) bool {
	t.Helper()
	var got [2][]waveRay
	var evals [2]int64
	took := false
	defer func(on bool) { laneMarch = on }(laneMarch)
	for i, on := range []bool{true, false} {
		laneMarch = on
		w := wave{tracer: tr, scratch: newScratch(waveRays), pinhole: primary}
		level := &w.levels[0]
		level.rays = append(level.rays[:0], rays...)
		if on {
			took = w.lanesFit(len(rays))
		}
		w.march(level, primary)
		got[i], evals[i] = level.rays, w.evals
	}
	for k := range rays {
		a, b := &got[0][k], &got[1][k]
		if math.Float64bits(a.t) != math.Float64bits(b.t) || a.hit != b.hit {
			t.Fatalf("%s: ray %d from %v along %v at %g: in lanes t %.17g, hit %v; as a struct t %.17g, hit %v",
				name, k, rays[k].ro, rays[k].rd, rays[k].t, a.t, a.hit, b.t, b.hit)
		}
	}
	if evals[0] != evals[1] {
		t.Errorf("%s: %d evaluations in lanes, %d as structs", name, evals[0], evals[1])
	}
	return took
}

// TestGoMin holds goMin to Go's min on every pair of a set of numbers with
// NaNs, zeros of both signs, infinities and ties, lane by lane.
func TestGoMin(t *testing.T) {
	needAVX2(t)
	odd := []float64{math.NaN(), 0, math.Copysign(0, -1), 1, -1, 2, math.Inf(1), math.Inf(-1), 5e-324, 1e300}
	for _, a := range odd {
		for _, b := range odd {
			var got [4]float64
			goMin(splat(a), splat(b)).Store(&got)
			want := min(a, b)
			for _, g := range got {
				if math.Float64bits(g) != math.Float64bits(want) && !(g != g && want != want) {
					t.Errorf("goMin(%g, %g) = %g, want %g", a, b, g, want)
				}
			}
		}
	}
}

// TestLaneTables checks expand and the compressing permutation for every
// mask: compressing then expanding by a mask gives back the lanes it sets.
func TestLaneTables(t *testing.T) {
	needAVX2(t)
	v := [4]float64{1, 2, 3, 4}
	for m := range uint8(16) {
		var packed, spread [4]float64
		permute(archsimd.LoadFloat64x4(&v), &compressing[m]).Store(&packed)
		n := 0
		for j := range 4 {
			if m>>j&1 != 0 {
				if packed[n] != v[j] {
					t.Errorf("mask %04b: lane %d compressed to %v", m, j, packed)
				}
				n++
			}
		}
		expand(archsimd.LoadFloat64x4(&packed), m).Store(&spread)
		for j := range 4 {
			if m>>j&1 != 0 && spread[j] != v[j] {
				t.Errorf("mask %04b: %v expanded to %v", m, packed, spread)
			}
		}
	}
}
