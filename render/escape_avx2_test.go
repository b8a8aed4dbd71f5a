//go:build goexperiment.simd && amd64

package render

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// TestVectorChecksAreEach holds the AVX2 build's escape checks, four bounding
// spheres at a time, to the checks one sphere at a time: the same answers for
// the built-in scenes and for lists of one to nine spheres (whole quads and
// part-filled ones, with and without a child bounded by parts), for rays
// anywhere, at odd values too (NaNs, infinities, zeros, huge coordinates,
// slopes outside [0, 1)), whichever sphere each starts from.
func TestVectorChecksAreEach(t *testing.T) {
	needAVX2(t)
	progs := checkPrograms(1, 9)
	r := rand.New(rand.NewPCG(3, 4))
	pick := oddPicker(r, 16)
	for _, name := range slices.Sorted(maps.Keys(progs)) { // in order: the cases share r
		pr := progs[name]
		if len(pr.spheres) == 0 {
			continue
		}
		cases := [4]int{}
		for range 30000 {
			q := scene.Vec3{X: pick(r.Float64()*30 - 15), Y: pick(r.Float64()*8 - 1), Z: pick(r.Float64()*30 - 15)}
			d := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}.Normalize()
			d.X = pick(d.X)
			tt, slope := pick(r.Float64()*20), pick(r.Float64()*0.01)
			if r.IntN(8) == 0 {
				slope = []float64{0.5, 0.999, 1, 1.5, -0.1}[r.IntN(5)]
			}
			nearer, rate := pick(r.Float64()*3), pick(r.Float64()*2-1)
			from := int32(r.IntN(len(pr.spheres)))
			var c clearance
			c.march(tt, minHitDist, slope)
			escaped, planes := r.IntN(4) != 0, r.IntN(4) != 0
			b1, b2 := from, from
			e1, p1 := pr.leavingSpheres(q, d, &c, escaped, planes, nearer, rate, &b1)
			e2, p2 := pr.leavingEach(q, d, &c, escaped, planes, nearer, rate, &b2)
			if e1 != e2 || p1 != p2 {
				t.Fatalf("%s: leaving at %v along %v, t %g, slope %g, nearer %g, rate %g (escaped %v, planes %v): four at a time %v, %v; one at a time %v, %v",
					name, q, d, tt, slope, nearer, rate, escaped, planes, e1, p1, e2, p2)
			}
			if b1 < 0 || int(b1) >= len(pr.spheres) {
				t.Fatalf("%s: leaving four at a time left blocker %d of %d spheres", name, b1, len(pr.spheres))
			}
			if r.IntN(2) == 0 {
				c.shadowed(tt, pick(1+r.Float64()*15), pick(r.Float64()))
			}
			b1, b2 = from, from
			if got, want := pr.clearSpheres(q, d, &c, &b1), pr.clearEach(q, d, &c, &b2); got != want {
				t.Fatalf("%s: clear at %v along %v with %+v: four at a time %v, one at a time %v", name, q, d, c, got, want)
			}
			if b1 < 0 || int(b1) >= len(pr.spheres) {
				t.Fatalf("%s: clear four at a time left blocker %d of %d spheres", name, b1, len(pr.spheres))
			}
			cases[bit2(e1)*2+bit2(p1)]++
		}
		t.Log(name, cases)
	}
}

// checkPrograms returns the programs the checks are tested on: every
// built-in scene's, and a floor with from to to balls, with and without a row
// of them bounded by parts.
func checkPrograms(from, to int) map[string]*program {
	progs := map[string]*program{}
	for _, f := range scenefile.Builtins() {
		progs[f.Name] = compile(f.At(1.5).Root, nil)
	}
	m := scene.Material{Color: scene.Vec3{X: 0.5, Y: 0.5, Z: 0.5}}
	floor := &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}}, Material: m}
	ball := func(x, z, r float64) scene.Node {
		return &scene.Translate{Offset: scene.Vec3{X: x, Y: r, Z: z}, Child: &scene.Solid{Shape: scene.Sphere{Radius: r}, Material: m}}
	}
	for n := from; n <= to; n++ {
		u := scene.Union{floor}
		for i := range n {
			u = append(u, ball(float64(2*i-n), float64(i%3), 0.3+0.1*float64(i)))
		}
		progs[fmt.Sprint(n, " balls")] = compile(u, nil)
		row := &scene.Repeat{Period: scene.Vec3{X: 1.5}, Limit: scene.Vec3{X: 2}, Child: ball(0, -3, 0.5)}
		progs[fmt.Sprint(n, " balls and a row")] = compile(append(u[:1:1], append(scene.Union{row}, u[1:]...)...), nil)
	}
	return progs
}

// oddPicker returns a function that gives back the number it is given, or
// one time in every an odd one: a zero of either sign, an infinity, a NaN,
// a huge or a tiny number.
func oddPicker(r *rand.Rand, every int) func(float64) float64 {
	odd := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e300, -1e300, 1e-300}
	return func(x float64) float64 {
		if r.IntN(every) == 0 {
			return odd[r.IntN(len(odd))]
		}
		return x
	}
}

// TestPassesFourIsPasses holds passes4 to sphere.passes where the answer
// turns: for rays that pass a sphere by about their hit threshold, a few
// hundred ulps either side of the offset where passes changes its mind (so
// the rounding room and the margin for cancellation must both be the scalar
// code's), and on the odd values.
func TestPassesFourIsPasses(t *testing.T) {
	needAVX2(t)
	r := rand.New(rand.NewPCG(5, 6))
	check := func(sp sphere, q, d scene.Vec3, minHit, slope, tt float64) {
		t.Helper()
		var c clearance
		c.march(tt, minHit, slope)
		a := sp.approach(q, d)
		want := sp.passes(a, minHit, slope, c.cos, c.tan, tt)
		got := passes4(splat(a.vv), splat(a.vd), splat(a.l), splat(sp.radius), splat(minHit), splat(slope), splat(c.cos), splat(c.tan), splat(float64(slope*tt)))
		if (got == 0xf) != want || got != 0 && got != 0xf {
			t.Fatalf("sphere %v, ray at %v along %v, minHit %g, slope %g, t %g: passes4 %04b, passes %v", sp, q, d, minHit, slope, tt, got, want)
		}
	}
	turns := 0
	for range 300 {
		sp := sphere{scene.Vec3{X: r.Float64()*10 - 5, Y: r.Float64() * 3, Z: r.Float64()*10 - 5}, 0.2 + r.Float64()*2}
		d := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}.Normalize()
		side := d.Cross(scene.Vec3{X: 0.3, Y: 1, Z: 0.2}).Normalize() // across the ray
		back := r.Float64()*20 - 4                                    // how far before its nearest point the ray is
		minHit, slope, tt := minHitDist, r.Float64()*0.01, r.Float64()*20
		at := func(h float64) scene.Vec3 { return sp.center.Add(side.Scale(h)).Sub(d.Scale(back)) }
		var c clearance
		c.march(tt, minHit, slope)
		passesAt := func(h float64) bool { return sp.passes(sp.approach(at(h), d), minHit, slope, c.cos, c.tan, tt) }
		lo, hi := sp.radius, sp.radius+2
		if passesAt(lo) || !passesAt(hi) {
			continue
		}
		for range 200 { // where passes turns true
			mid := (lo + hi) / 2
			if mid == lo || mid == hi {
				break
			}
			if passesAt(mid) {
				hi = mid
			} else {
				lo = mid
			}
		}
		turns++
		h := hi
		for range 400 {
			h = math.Nextafter(h, 0)
		}
		for range 800 {
			check(sp, at(h), d, minHit, slope, tt)
			h = math.Nextafter(h, math.Inf(1))
		}
	}
	if turns < 100 {
		t.Errorf("only %d of 300 rays found where passes turns", turns)
	}
	for _, v := range []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e300, 1e-300} {
		sp := sphere{scene.Vec3{X: 1, Y: 2, Z: 3}, 0.5}
		d := scene.Vec3{X: 0.6, Y: 0.8}
		for _, q := range []scene.Vec3{{X: v}, {X: v, Y: v, Z: v}, {Y: 2, Z: v}} {
			for _, slope := range []float64{0, 1e-3, 0.5, 0.999} {
				check(sp, q, d, minHitDist, slope, 1)
				check(sp, scene.Vec3{}, d, minHitDist, slope, v)
			}
		}
	}
}
