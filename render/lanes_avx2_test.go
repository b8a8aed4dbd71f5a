//go:build goexperiment.simd && amd64

package render

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"slices"
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
	got, evals, took := bothWays(tr, rays, func(w *wave, level *waveLevel) {
		w.pinhole = primary
		w.march(level, primary)
	})
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

// bothWays runs stage on a wave of the rays given, in lanes and as structs,
// and returns the wave's rays after each and the evaluations each made, and
// whether the lanes took them.
func bothWays(tr tracer, rays []waveRay, stage func(*wave, *waveLevel)) (got [2][]waveRay, evals [2]int64, took bool) {
	defer func(on bool) { laneMarch = on }(laneMarch)
	for i, on := range []bool{true, false} {
		laneMarch = on
		w := wave{tracer: tr, scratch: newScratch(waveRays)}
		level := &w.levels[0]
		level.rays = append(level.rays[:0], rays...)
		took = took || on && w.lanesFit(len(rays))
		stage(&w, level)
		got[i], evals[i] = level.rays, w.evals
	}
	return got, evals, took
}

// TestShadowLanesAsStructs marches the same shadow rays in lanes and as
// structs (wave.shadows), towards each light that casts shadows of every
// built-in scene: from the hits of a frame's primary rays that are in shadow
// or penumbra, where shadow rays take many steps, and from points anywhere
// in the scene; it wants every ray's penumbra term bit for bit, and the same
// evaluations.
func TestShadowLanesAsStructs(t *testing.T) {
	needAVX2(t)
	laned := 0
	for _, f := range scenefile.Builtins() {
		for _, time := range []float64{1.3, 4.1} {
			set := Settings{Width: 64, Height: 36, Samples: 1}
			plan := newFramePlan(f.At(time), set, nil)
			tr := plan.tracer()
			tr.originDist = tr.stepDistance(tr.origin, math.Inf(1))
			r := rand.New(rand.NewPCG(uint64(len(f.Name)), uint64(10*time)))
			for li, l := range tr.lights {
				if l.shadow <= 0 {
					continue
				}
				var shaded []waveRay // hits, lifted off the surface as the tracer lifts them, not in full light
				for y := range set.Height {
					for x := range set.Width {
						ro, rd := plan.primary(x, y, 0, offset{0.5, 0.5})
						if d, hit := tr.march(ro, rd, 0); hit {
							n := tr.normal(ro.Add(rd.Scale(d)), d)
							p := ro.Add(rd.Scale(d)).Add(n.Scale(tr.lift(d)))
							if n.Dot(l.dir) > 0 && tr.softShadow(p, l.dir, l.shadow) < 1 {
								shaded = append(shaded, waveRay{p: p, n: n})
							}
						}
					}
				}
				for _, n := range []int{1, 2, 3, 5, 9, waveRays} {
					hits := make([]waveRay, n)
					for i := range hits {
						if ray := randomRay(r, tr.origin, false); len(shaded) == 0 || r.IntN(4) == 0 {
							hits[i] = waveRay{p: ray.ro, n: ray.rd}
						} else {
							hits[i] = shaded[r.IntN(len(shaded))]
						}
					}
					name := fmt.Sprintf("%s at %g, light %d, %d rays (%d shaded)", f.Name, time, li, n, len(shaded))
					if shadowBoth(t, name, tr, hits, l) {
						laned++
					}
				}
			}
		}
	}
	if laned == 0 {
		t.Error("no shadow rays were marched in lanes")
	}
}

// shadowBoth marches the shadow rays of hits towards l in lanes and as
// structs and reports whether the lanes took them.
func shadowBoth(t *testing.T, name string, tr tracer, hits []waveRay, l light) bool {
	t.Helper()
	got, evals, took := bothWays(tr, hits, func(w *wave, level *waveLevel) {
		level.hits = level.hits[:0]
		for k := range hits {
			level.hits = append(level.hits, int32(k))
		}
		w.shadows(level, l)
	})
	for k := range hits {
		a, b := got[0][k], got[1][k]
		if math.Float64bits(a.shadowRes) != math.Float64bits(b.shadowRes) || a.ndl != b.ndl {
			t.Fatalf("%s: ray %d from %v, normal %v: in lanes res %.17g, as a struct %.17g", name, k, hits[k].p, hits[k].n, a.shadowRes, b.shadowRes)
		}
	}
	if evals[0] != evals[1] {
		t.Errorf("%s: %d evaluations in lanes, %d as structs", name, evals[0], evals[1])
	}
	return took
}

// TestGoMinMax holds goMin and goMax to Go's min and max on every pair of a
// set of numbers with NaNs, zeros of both signs, infinities and ties, lane by
// lane.
func TestGoMinMax(t *testing.T) {
	needAVX2(t)
	odd := []float64{math.NaN(), 0, math.Copysign(0, -1), 1, -1, 2, math.Inf(1), math.Inf(-1), 5e-324, 1e300}
	for _, a := range odd {
		for _, b := range odd {
			for _, c := range []struct {
				name  string
				lanes func(a, b f4) f4
				want  float64
			}{{"goMin", goMin, min(a, b)}, {"goMax", goMax, max(a, b)}} {
				var got [4]float64
				c.lanes(splat(a), splat(b)).Store(&got)
				for _, g := range got {
					if math.Float64bits(g) != math.Float64bits(c.want) && !(g != g && c.want != c.want) {
						t.Errorf("%s(%g, %g) = %g, want %g", c.name, a, b, g, c.want)
					}
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

// TestLaneChecksAreScalar holds the checks of four rays at a time
// (leavingLanes, unshadedLanes) to program.leaving and program.unshaded, ray
// by ray, on every built-in scene with a floor and on floors with a few
// balls, with and without a row of them bounded by parts: for rays anywhere,
// many of them near a bound, at odd values too (NaNs, infinities, zeros,
// huge coordinates), in quads with every mask of rays on their way.
func TestLaneChecksAreScalar(t *testing.T) {
	needAVX2(t)
	progs := checkPrograms(0, 6)
	r := rand.New(rand.NewPCG(8, 9))
	pick := oddPicker(r, 32)
	checked := 0
	for _, name := range slices.Sorted(maps.Keys(progs)) { // in order: the cases share r
		pr := progs[name]
		fl := onlyPlane(pr)
		if fl == nil || !pr.canEscape {
			continue
		}
		// A point anywhere, or near a bound: on a sphere, give or take a
		// little.
		point := func() scene.Vec3 {
			if len(pr.spheres) > 0 && r.IntN(2) == 0 {
				sp := pr.spheres[r.IntN(len(pr.spheres))]
				v := scene.Vec3{X: r.NormFloat64(), Y: r.NormFloat64(), Z: r.NormFloat64()}.Normalize()
				return sp.center.Add(v.Scale(sp.radius * (1 + 0.2*r.NormFloat64())))
			}
			return scene.Vec3{X: pick(r.Float64()*30 - 15), Y: pick(r.Float64()*8 - 1), Z: pick(r.Float64()*30 - 15)}
		}
		direction := func() scene.Vec3 {
			d := scene.Vec3{X: r.NormFloat64(), Y: r.NormFloat64(), Z: r.NormFloat64()}.Normalize()
			d.X = pick(d.X)
			return d
		}
		for range 1500 {
			slope := pick(r.Float64() * 0.01)
			if r.IntN(8) == 0 {
				slope = []float64{0.5, 0.999, 1, 1.5, -0.1}[r.IntN(5)]
			}
			w := wave{tracer: tracer{prog: pr, floor: fl, slope: slope, minHit: minHitDist}, scratch: newScratch(8)}
			ls := &w.lanes
			ls.n = 1
			ls.constants(&w)
			l := light{dir: direction(), shadow: pick(1 + r.Float64()*15)}
			ls.lx, ls.ly, ls.lz, ls.rate, ls.k = splat(l.dir.X), splat(l.dir.Y), splat(l.dir.Z), splat(planeRate(fl, l.dir)), splat(l.shadow)
			alive := uint8(r.IntN(16))
			qd, sh := &ls.quads[0], &ls.shadows[0]
			var at, from [4]scene.Vec3
			for j := range 4 {
				o, d := point(), direction()
				qd.ox[j], qd.oy[j], qd.oz[j], qd.dx[j], qd.dy[j], qd.dz[j] = o.X, o.Y, o.Z, d.X, d.Y, d.Z
				qd.t[j], qd.rate[j] = pick(r.Float64()*20), planeRate(fl, d)
				from[j] = point()
				sh.px[j], sh.py[j], sh.pz[j] = from[j].X, from[j].Y, from[j].Z
				sh.t[j], sh.res[j] = pick(0.02+r.Float64()*10), pick(r.Float64())
				at[j] = o
			}
			qd.alive, qd.ended, qd.planes, sh.alive, sh.ended = alive, 0, 0, alive, 0
			archsimd.ClearAVXUpperBits()
			w.leavingLanes()
			w.unshadedLanes(l)
			for j := range 4 {
				if alive>>j&1 == 0 {
					if (qd.ended|qd.planes|sh.ended)>>j&1 != 0 {
						t.Fatalf("%s: lane %d, empty, ended", name, j)
					}
					continue
				}
				checked++
				d, tt := scene.Vec3{X: qd.dx[j], Y: qd.dy[j], Z: qd.dz[j]}, qd.t[j]
				var blocker int32
				escaped, planes := pr.leaving(at[j].Add(d.Scale(tt)), d, tt, minHitDist, slope, false, &blocker)
				if got, want := qd.ended>>j&1 != 0, escaped || planes; got != want || qd.planes>>j&1 != 0 != (planes && !escaped) {
					t.Fatalf("%s: ray from %v along %v at t %g, slope %g: leaving %v, %v; in lanes ended %v, planes only %v",
						name, at[j], d, tt, slope, escaped, planes, got, qd.planes>>j&1 != 0)
				}
				unshaded := pr.unshaded(from[j].Add(l.dir.Scale(sh.t[j])), l.dir, sh.t[j], l.shadow, sh.res[j], &blocker)
				if got := sh.ended>>j&1 != 0; got != unshaded {
					t.Fatalf("%s: shadow ray from %v along %v at t %g, k %g, res %g: unshaded %v, in lanes %v",
						name, from[j], l.dir, sh.t[j], l.shadow, sh.res[j], unshaded, got)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no program with a floor")
	}
}

// TestAimLanesIsScalar aims primary rays four at a time (aimLanes) and one
// at a time (view.ray, then tracer.rayStart), and wants the same directions
// and starts, bit for bit: through points all over the image and beyond it,
// from the camera of every built-in scene, with and without the floor the
// marcher takes itself, with cones that start at the camera, further on,
// beyond the floor, behind the camera, at +Inf or at NaN, in waves of every
// size up to a few quads and more than the scratch memory was made for;
// through a view whose every ray is the zero vector, which Normalize leaves
// as it is; from a camera at NaN, whose rays meet no floor; and with a floor
// below the origin.
func TestAimLanesIsScalar(t *testing.T) {
	needAVX2(t)
	r := rand.New(rand.NewPCG(7, 11))
	for _, f := range scenefile.Builtins() {
		plan := newFramePlan(f.At(0.7), Settings{Width: 64, Height: 36, Samples: 1}, nil)
		for _, v := range []view{plan.view, {}} {
			for _, c := range []string{"as it is", "without the floor", "from a camera at NaN", "with the floor lowered"} {
				tr := plan.tracer()
				switch {
				case c == "without the floor":
					tr.floor = nil
				case c == "from a camera at NaN":
					tr.origin.Y = math.NaN()
				case c == "with the floor lowered" && tr.floor != nil:
					lowered := *tr.floor
					lowered.Offset = -0.37
					tr.floor = &lowered
				}
				for _, n := range []int{1, 3, 4, 5, 7, 8, 13, 64} {
					w := wave{tracer: tr, scratch: newScratch(4)}
					xs, ys, cones := make([]float64, n), make([]float64, n), make([]float64, n)
					for i := range n {
						xs[i], ys[i] = 80*r.Float64()-8, 50*r.Float64()-7
						switch r.IntN(6) {
						case 0:
							cones[i] = 0
						case 1:
							cones[i] = math.Inf(1)
						case 2:
							cones[i] = math.NaN()
						case 3:
							cones[i] = -r.Float64()
						default:
							cones[i] = 20 * r.Float64() * r.Float64()
						}
						w.lanes.aimAt(i, xs[i], ys[i], cones[i])
					}
					rays := make([]waveRay, n)
					w.aimLanes(&v, rays)
					for i := range rays {
						rd := v.ray(xs[i], ys[i])
						start := tr.rayStart(rd, cones[i])
						got := rays[i]
						if !sameBits(got.rd.X, rd.X) || !sameBits(got.rd.Y, rd.Y) || !sameBits(got.rd.Z, rd.Z) || !sameBits(got.t, start) {
							t.Fatalf("%s %s, %d rays, ray %d through (%g, %g), cone at %g: in lanes %v from %g, one at a time %v from %g",
								f.Name, c, n, i, xs[i], ys[i], cones[i], got.rd, got.t, rd, start)
						}
					}
				}
			}
		}
	}
}

// TestExp4IsMathExp wants math.Exp's bits from exp4 in every lane, where
// math.Exp takes the fused path exp4 makes: over its whole range, at numbers
// of every size, where k rounds half way (x·log2(e) near n + ½), and at its
// ends.
func TestExp4IsMathExp(t *testing.T) {
	needAVX2(t)
	if !fusedExp {
		t.Skip("math.Exp takes its unfused path on this processor (no FMA): exp4 is not used")
	}
	r := rand.New(rand.NewPCG(21, 22))
	xs := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1, -1, expRange, -expRange, math.Nextafter(expRange, 0), -0.01, -1e-17}
	for range 100000 {
		switch r.IntN(3) {
		case 0:
			xs = append(xs, (2*r.Float64()-1)*expRange)
		case 1:
			xs = append(xs, (2*r.Float64()-1)*math.Pow(10, float64(r.IntN(20)-17)))
		default: // half way between two k
			n := float64(r.IntN(2*int(expRange)) - int(expRange))
			xs = append(xs, math.Nextafter((n+0.5)/expLog2E, math.Inf(r.IntN(2)*2-1)))
		}
	}
	for len(xs)%4 != 0 {
		xs = append(xs, 0.5)
	}
	got := make([]float64, len(xs))
	for i := 0; i < len(xs); i += 4 {
		store(exp4(load(xs, i)), got, i)
	}
	archsimd.ClearAVXUpperBits()
	for i, x := range xs {
		if want := math.Exp(x); math.Float64bits(got[i]) != math.Float64bits(want) {
			t.Fatalf("exp4(%v) = %v, math.Exp %v", x, got[i], want)
		}
	}
}

// TestFogLanesIsFog blends the hits of waves into the fog with fogLanes and
// wants tracer.fog's colours, bit for bit: in waves of every size up to a
// few quads, with no fog, the usual fog and fog so thick that math.Exp's
// argument leaves exp4's range, and hits near and far.
func TestFogLanesIsFog(t *testing.T) {
	needAVX2(t)
	if !fusedExp {
		t.Skip("math.Exp takes its unfused path on this processor (no FMA): fogLanes is not used")
	}
	r := rand.New(rand.NewPCG(23, 24))
	for _, fog := range []float64{0, 0.01, 0.5, 30, 1e6} {
		for n := range 14 {
			w := wave{tracer: tracer{sky: scene.Sky{Horizon: scene.Vec3{X: 0.5, Y: 0.6, Z: 0.78}, Fog: fog}}, scratch: newScratch(4)}
			rays := make([]waveRay, 2*n)
			var hits []int32
			for i := range rays {
				rays[i] = waveRay{t: math.Pow(10, 4*r.Float64()-2), color: scene.Vec3{X: r.Float64(), Y: 2 * r.Float64(), Z: 0.1}}
				if r.IntN(2) == 0 {
					hits = append(hits, int32(i))
				}
			}
			want := slices.Clone(rays)
			for _, i := range hits {
				want[i].color = w.fog(want[i].color, want[i].t)
			}
			if !w.fogLanes(rays, hits) {
				t.Fatal("fogLanes did not blend, with AVX2 and FMA")
			}
			for i := range rays {
				if g, w := rays[i].color, want[i].color; !sameBits(g.X, w.X) || !sameBits(g.Y, w.Y) || !sameBits(g.Z, w.Z) {
					t.Fatalf("fog %g, %d rays: ray %d at %g is %v, want %v", fog, len(rays), i, rays[i].t, g, w)
				}
			}
		}
	}
}

// TestToneMapLanesIsToneMapped tone-maps the colours of waves with
// toneMapLanes and wants toneMapped's, bit for bit, in the slots given: in
// waves of every size up to a few quads and a whole wave's, with channels
// negative, of both zeros, tiny, huge, infinite and NaN.
func TestToneMapLanesIsToneMapped(t *testing.T) {
	needAVX2(t)
	r := rand.New(rand.NewPCG(25, 26))
	special := []float64{0, math.Copysign(0, -1), -1, 5e-324, 1e-300, 0.5, 1, 1e300, math.Inf(1), math.Inf(-1), math.NaN()}
	channel := func() float64 {
		if r.IntN(3) == 0 {
			return special[r.IntN(len(special))]
		}
		return math.Pow(10, 6*r.Float64()-4)
	}
	w := wave{scratch: newScratch(waveRays)}
	for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 9, 13, waveRays} {
		rays := make([]waveRay, n)
		for i := range rays {
			rays[i].color = scene.Vec3{X: channel(), Y: channel(), Z: channel()}
		}
		slot := make([]int32, n)
		for i, k := range r.Perm(n) {
			slot[i] = int32(k)
		}
		got := make([]scene.Vec3, n)
		if !w.toneMapLanes(rays, slot, got) {
			t.Fatal("toneMapLanes did not map, with AVX2")
		}
		for i := range rays {
			want, g := toneMapped(rays[i].color), got[slot[i]]
			if !sameBits(g.X, want.X) || !sameBits(g.Y, want.Y) || !sameBits(g.Z, want.Z) {
				t.Fatalf("%d rays: ray %d's %v maps to %v, want %v", n, i, rays[i].color, g, want)
			}
		}
	}
}

// TestSkyLanesIsSky colours the rays of waves that hit nothing with skyLanes
// and wants tracer.skyColor's colours, bit for bit, the hits' left as they
// were: in waves of every size up to a few quads and a whole wave's, under no
// sun, one and two (and a light that casts no shadow, which draws none), with
// directions anywhere, near each sun and in its disc, straight up and down,
// of both zeros and NaN.
func TestSkyLanesIsSky(t *testing.T) {
	needAVX2(t)
	r := rand.New(rand.NewPCG(27, 28))
	sun := light{dir: scene.Vec3{X: -0.55, Y: 0.75, Z: 0.45}.Normalize(), color: scene.Vec3{X: 1.25, Y: 1.125, Z: 0.9375}, shadow: 10}
	low := light{dir: scene.Vec3{X: 0.3, Y: 0.1, Z: -0.9}.Normalize(), color: scene.Vec3{X: 0.2, Y: 0.3, Z: 0.9}, shadow: 4}
	fill := light{dir: scene.Vec3{X: 0.6, Y: 0.35, Z: -0.7}.Normalize(), color: scene.Vec3{X: 0.165, Y: 0.195, Z: 0.255}}
	special := []scene.Vec3{{Y: 1}, {Y: -1}, {X: math.Copysign(0, -1), Y: math.Copysign(0, -1), Z: 1}, {}, {X: math.NaN(), Y: 0.5, Z: 0.5}, {Y: math.NaN()}}
	for _, lights := range [][]light{nil, {sun}, {sun, fill}, {fill, low, sun}} {
		for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 13, waveRays} {
			w := wave{tracer: tracer{sky: scene.Sky{Horizon: scene.Vec3{X: 0.5, Y: 0.6, Z: 0.78}, Zenith: scene.Vec3{X: 0.1, Y: 0.25, Z: 0.62}}, lights: lights}, scratch: newScratch(waveRays)}
			rays := make([]waveRay, n)
			for i := range rays {
				var d scene.Vec3
				switch k := r.IntN(8); {
				case k == 0:
					d = special[r.IntN(len(special))]
				case k <= 2 && len(lights) > 0: // near a light, in its disc or its halo
					l := lights[r.IntN(len(lights))].dir
					d = l.Add(scene.Vec3{X: r.NormFloat64(), Y: r.NormFloat64(), Z: r.NormFloat64()}.Scale(0.3 * r.Float64())).Normalize()
				default:
					d = scene.Vec3{X: r.NormFloat64(), Y: r.NormFloat64(), Z: r.NormFloat64()}.Normalize()
				}
				rays[i] = waveRay{rd: d, hit: r.IntN(3) == 0, color: scene.Vec3{X: 7, Y: 8, Z: 9}}
			}
			want := slices.Clone(rays)
			for i := range want {
				if !want[i].hit {
					want[i].color = w.skyColor(want[i].rd)
				}
			}
			if !w.skyLanes(rays) {
				t.Fatal("skyLanes did not colour the sky, with AVX2")
			}
			for i := range rays {
				if g, w := rays[i].color, want[i].color; !sameBits(g.X, w.X) || !sameBits(g.Y, w.Y) || !sameBits(g.Z, w.Z) {
					t.Fatalf("%d lights, %d rays: ray %d along %v (hit %t) is %v, want %v", len(lights), n, i, rays[i].rd, rays[i].hit, g, w)
				}
			}
		}
	}
}

// TestLightLanesIsLight lights the hits of waves with lightLanes and wants
// light.add's colours, bit for bit, where it lights them (a positive cosine,
// and for a light that casts shadows, a penumbra not 0), and the colours as
// they were elsewhere: in waves of every size up to a few chunks, for a light
// with shadows and one without, with finishes without a highlight, with whole
// exponents from 0 to 2²⁰, exponents that are not whole, and weights so
// small that the peak is 0, and with colours, normals and directions of
// both zeros, huge, infinite and NaN.
func TestLightLanesIsLight(t *testing.T) {
	needAVX2(t)
	r := rand.New(rand.NewPCG(29, 30))
	special := []float64{0, math.Copysign(0, -1), 5e-324, 1e300, math.Inf(1), math.NaN(), -1}
	num := func(f func() float64) float64 {
		if r.IntN(40) == 0 {
			return special[r.IntN(len(special))]
		}
		return f()
	}
	unit := func() scene.Vec3 {
		return scene.Vec3{X: num(r.NormFloat64), Y: num(r.NormFloat64), Z: num(r.NormFloat64)}.Normalize()
	}
	finishes := []finish{
		{}, {Specular: 0.25, Shininess: 60, Reflect: 0.12}, {Specular: 1, Shininess: 250}, {Specular: 0.5, Shininess: 40},
		{Specular: 0.9, Shininess: 0}, {Specular: 0.6, Shininess: 1 << 20}, {Specular: 0.6, Shininess: 1<<20 + 2},
		{Specular: 0.4, Shininess: 37.5}, {Specular: 5e-324, Shininess: 8}, {Specular: -1, Shininess: 30},
		{Specular: math.NaN(), Shininess: 30}, {Specular: 0.3, Shininess: math.NaN()}, {Specular: 0.3, Shininess: -9},
	}
	for _, l := range []light{
		{dir: scene.Vec3{X: -0.55, Y: 0.75, Z: 0.45}.Normalize(), color: scene.Vec3{X: 1.25, Y: 1.125, Z: 0.9375}, shadow: 10},
		{dir: scene.Vec3{X: 0.6, Y: 0.35, Z: -0.7}.Normalize(), color: scene.Vec3{X: 0.165, Y: 0.195, Z: 0.255}},
	} {
		// Hits made to tell the lanes' tests apart: a colour of -0, which
		// an added +0 would change, under a highlight whose peak is 0 and
		// under none; and a hit seen along the light, whose half vector is 0.
		negZero := scene.Vec3{X: math.Copysign(0, -1), Y: math.Copysign(0, -1), Z: math.Copysign(0, -1)}
		crafted := []waveRay{
			{rd: scene.Vec3{Y: -1}, n: scene.Vec3{Y: 1}, m: finish{Specular: 5e-324, Shininess: 0}, ndl: 0.5, shadowRes: 1, color: negZero, albedo: negZero},
			{rd: scene.Vec3{Y: -1}, n: scene.Vec3{Y: 1}, m: finish{}, ndl: 0.5, shadowRes: 1, color: negZero, albedo: negZero},
			{rd: l.dir, n: scene.Vec3{Y: 1}, m: finish{Specular: 0.5, Shininess: 16}, ndl: 0.5, shadowRes: 1, albedo: scene.Vec3{X: 0.5, Y: 0.5, Z: 0.5}},
		}
		for _, n := range []int{0, 1, 3, 4, 5, 9, litChunk - 1, litChunk, litChunk + 1, 3*litChunk + 7, waveRays} {
			w := wave{scratch: newScratch(waveRays)}
			rays := make([]waveRay, n+n/3)
			var hits []int32
			for i := range rays {
				m := finishes[r.IntN(len(finishes))]
				nrm := unit()
				rays[i] = waveRay{
					rd: unit(), n: nrm, m: m, ndl: nrm.Dot(l.dir),
					albedo:    scene.Vec3{X: num(r.Float64), Y: num(r.Float64), Z: num(r.Float64)},
					color:     scene.Vec3{X: num(r.Float64), Y: num(r.Float64), Z: num(r.Float64)},
					shadowRes: []float64{0, 1, r.Float64(), math.NaN(), -0.5}[r.IntN(5)],
				}
				if r.IntN(4) == 0 { // the highlight alone, each of its bits in sight
					rays[i].color, rays[i].albedo = scene.Vec3{}, scene.Vec3{}
				}
				if i < len(crafted) {
					rays[i] = crafted[i]
				}
				if i < len(crafted) || r.IntN(4) != 0 {
					hits = append(hits, int32(i))
				}
			}
			want := slices.Clone(rays)
			for _, i := range hits {
				h := &want[i]
				vis, lit := l.lights(h)
				if !lit {
					continue
				}
				l.add(&h.color, &h.albedo, &h.n, &h.rd, &h.m, peakOf(h.m), h.ndl, vis)
			}
			if !w.lightLanes(rays, hits, &l) {
				t.Fatal("lightLanes did not light, with AVX2")
			}
			for i := range rays {
				if g, w := rays[i].color, want[i].color; !sameBits(g.X, w.X) || !sameBits(g.Y, w.Y) || !sameBits(g.Z, w.Z) {
					t.Fatalf("shadow %g, %d rays: ray %d (finish %+v, cosine %g) is %v, want %v", l.shadow, len(rays), i, rays[i].m, rays[i].ndl, g, w)
				}
			}
		}
	}
}

// TestFlatLanesAreThePlanes checks the normals and the occluded ambient light
// that normalLanes and occludeLanes work out four hits at a time, where only
// the floor is near, against the scalar code's (tapsAround's or aoTapsAt's
// taps, planeDistances, normalFrom; occlusion, ambient), bit for bit, with
// the evaluations they count: for floors tilted and not, hits anywhere, at
// any distance, with normals of any length and albedos of any sign, some of
// their numbers zeros of either sign, tiny, huge, infinite or NaN, and as
// many hits as a chunk of rows holds and more.
func TestFlatLanesAreThePlanes(t *testing.T) {
	needAVX2(t)
	r := rand.New(rand.NewPCG(31, 32))
	special := []float64{0, math.Copysign(0, -1), 5e-324, 1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN()}
	num := func(f func() float64) float64 {
		if r.IntN(40) == 0 {
			return special[r.IntN(len(special))]
		}
		return f()
	}
	vec := func(f func() float64) scene.Vec3 { return scene.Vec3{X: num(f), Y: num(f), Z: num(f)} }
	wide := func() float64 { return (r.Float64() - 0.5) * 20 }
	sky := scene.Sky{Zenith: scene.Vec3{X: 0.1, Y: 0.25, Z: 0.62}, Ground: scene.Vec3{X: 0.25, Y: 0.21, Z: 0.18}, Ambient: 0.4}
	floors := []scene.Plane{
		{Normal: scene.Vec3{Y: 1}},
		{Normal: scene.Vec3{Y: 1}, Offset: -0.3},
		{Normal: scene.Vec3{X: 0.3, Y: 0.9, Z: -0.1}.Normalize(), Offset: 0.7},
	}
	for _, fl := range floors {
		for _, n := range []int{0, 1, 3, 4, 5, litChunk - 1, litChunk, litChunk + 1, 3*litChunk + 7, waveRays} {
			w := wave{scratch: newScratch(waveRays)}
			w.floor, w.sky = &fl, sky
			rays := make([]waveRay, n+n/3)
			for i := range rays {
				ray := waveRay{ro: vec(wide), rd: vec(r.NormFloat64).Normalize(), t: num(r.ExpFloat64), n: vec(r.NormFloat64), albedo: vec(wide)}
				if r.IntN(3) != 0 {
					ray.n = ray.n.Normalize()
				}
				ray.p = ray.ro.Add(ray.rd.Scale(ray.t))
				rays[i] = ray
			}
			want := slices.Clone(rays)
			tr := tracer{floor: &fl, sky: sky}
			var listed int64
			for i := range rays {
				if r.IntN(4) == 0 {
					continue // not the floor's alone
				}
				h := &want[i]
				var taps [len(tetrahedron)]point
				normalTapsInto(&taps, h)
				var d [4]float64
				tr.planeDistances(taps[:], d[:])
				h.n = normalFrom(&d)
				if !w.normalLanes(rays, int32(i)) {
					t.Fatal("normalLanes did not list a hit, with AVX2 and a floor")
				}
				listed++
			}
			w.normalRows(rays)
			if w.evals != listed*int64(len(tetrahedron)) || tr.evals != w.evals {
				t.Errorf("%d normals: %d evaluations counted, want %d", listed, w.evals, tr.evals)
			}
			for i := range rays {
				if g, w := rays[i].n, want[i].n; !sameBits(g.X, w.X) || !sameBits(g.Y, w.Y) || !sameBits(g.Z, w.Z) {
					t.Fatalf("floor %v, %d hits: the normal at %v (t %g) is %v, want %v", fl, len(rays), rays[i].p, rays[i].t, g, w)
				}
			}

			w.evals, tr.evals, listed = 0, 0, 0
			for i := range rays {
				if r.IntN(4) == 0 {
					continue
				}
				h := &want[i]
				var taps [aoTaps]point
				aoTapsInto(&taps, h)
				var d [aoTaps]float64
				tr.planeDistances(taps[:], d[:])
				h.color = tr.ambient(h.albedo, h.n, occlusion(&d))
				if !w.occludeLanes(rays, int32(i)) {
					t.Fatal("occludeLanes did not list a hit, with AVX2 and a floor")
				}
				listed++
			}
			w.occludeRows(rays)
			if w.evals != listed*aoTaps || tr.evals != w.evals {
				t.Errorf("%d occlusions: %d evaluations counted, want %d", listed, w.evals, tr.evals)
			}
			for i := range rays {
				if g, w := rays[i].color, want[i].color; !sameBits(g.X, w.X) || !sameBits(g.Y, w.Y) || !sameBits(g.Z, w.Z) {
					t.Fatalf("floor %v, %d hits: the light at %v (normal %v, albedo %v) is %v, want %v", fl, len(rays), rays[i].p, rays[i].n, rays[i].albedo, g, w)
				}
			}
		}
		// Without a floor (no plane, or several), the scalar code's.
		w := wave{scratch: newScratch(waveRays)}
		if w.normalLanes([]waveRay{{}}, 0) || w.occludeLanes([]waveRay{{}}, 0) {
			t.Error("the lanes listed a hit without a floor")
		}
	}
}

// TestSurfaceLanesIsTheFloor checks what surfaceLanes sets of a hit where
// only the planes can be nearest, four hits at a time, against wave.trace's
// scalar code (tracer.surface, the lift, roomMoved, finishOf and Albedo),
// bit for bit: floors with checkers of any size and none, points anywhere,
// near the edges of the checker's squares, beyond 2⁵³ squares and beyond
// int64, some numbers zeros of either sign, infinite or NaN; and that it
// lists nothing where the root's unbounded child is not a plane alone.
func TestSurfaceLanesIsTheFloor(t *testing.T) {
	needAVX2(t)
	r := rand.New(rand.NewPCG(33, 34))
	special := []float64{0, math.Copysign(0, -1), 5e-324, 1e300, -1e300, 0x1p53, -0x1p53 - 2, 0x1p63, -0x1p64, math.Inf(1), math.Inf(-1), math.NaN()}
	num := func(f func() float64) float64 {
		if r.IntN(30) == 0 {
			return special[r.IntN(len(special))]
		}
		return f()
	}
	wide := func() float64 { return (r.Float64() - 0.5) * 40 }
	edge := func() float64 { return math.Round(wide()) + float64(r.IntN(3)-1)*1e-12 } // by a square's edge
	ball := &scene.Translate{Offset: scene.Vec3{Y: 1}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 1}, Material: scene.Material{Color: scene.Vec3{X: 1}}}}
	for _, m := range []scene.Material{
		{Color: scene.Vec3{X: 0.62, Y: 0.6, Z: 0.56}, Checker: scene.Vec3{X: 0.08, Y: 0.08, Z: 0.1}, CheckerSize: 1, Specular: 0.25, Shininess: 60, Reflect: 0.12},
		{Color: scene.Vec3{X: 0.2, Y: 0.3, Z: 0.4}, Checker: scene.Vec3{Z: math.Copysign(0, -1)}, CheckerSize: 0.3},
		{Color: scene.Vec3{X: 0.2, Y: 0.3, Z: 0.4}, Checker: scene.Vec3{X: 1}, CheckerSize: 1e-300},
		{Color: scene.Vec3{X: 0.5, Y: 0.5, Z: 0.5}, Specular: 1, Shininess: 250},
	} {
		for _, pl := range []scene.Plane{{Normal: scene.Vec3{Y: 1}}, {Normal: scene.Vec3{X: 0.3, Y: 0.9, Z: -0.1}.Normalize(), Offset: 0.7}} {
			floor := &scene.Solid{Shape: pl, Material: m}
			tr := compiledTracer(scene.Union{ball, floor}, 0.002)
			w := wave{tracer: tr, scratch: newScratch(waveRays)}
			for _, n := range []int{1, 5, litChunk, 3*litChunk + 7} {
				rays := make([]waveRay, n)
				for i := range rays {
					coord := []func() float64{wide, edge}[r.IntN(2)]
					ray := waveRay{
						p: scene.Vec3{X: num(coord), Y: num(coord), Z: num(coord)},
						n: scene.Vec3{X: num(r.NormFloat64), Y: num(r.NormFloat64), Z: num(r.NormFloat64)}.Normalize(),
						t: num(r.ExpFloat64), room: num(r.ExpFloat64),
					}
					rays[i] = ray
				}
				want := slices.Clone(rays)
				for i := range rays {
					h := &want[i]
					var mat scene.Material
					tr.surface(h.p, true, &mat)
					lift := tr.lift(h.t)
					h.p = h.p.Add(h.n.Scale(lift))
					h.room = roomMoved(h.room, lift)
					h.m, h.albedo = finishOf(&mat), mat.Albedo(h.p)
					if !w.surfaceLanes(rays, int32(i)) {
						if pl.Distance(rays[i].p) < math.Inf(1) {
							t.Fatalf("surfaceLanes did not list a hit at %v, with AVX2 and a floor", rays[i].p)
						}
						rays[i] = *h // the scalar code's, as trace has it
					}
				}
				w.surfaceRows(rays)
				for i := range rays {
					g, h := &rays[i], &want[i]
					same := sameBits(g.room, h.room) && g.m == h.m
					for _, v := range [][2]scene.Vec3{{g.p, h.p}, {g.albedo, h.albedo}} {
						same = same && sameBits(v[0].X, v[1].X) && sameBits(v[0].Y, v[1].Y) && sameBits(v[0].Z, v[1].Z)
					}
					if !same {
						t.Fatalf("material %+v, floor %v: hit %d at %v (t %g): point %v, room %g, finish %+v, albedo %v; want %v, %g, %+v, %v",
							m, pl, i, want[i].p, g.t, g.p, g.room, g.m, g.albedo, h.p, h.room, h.m, h.albedo)
					}
				}
			}
		}
	}
	// Not a floor alone among the unbounded children: two planes, or none.
	for _, root := range []scene.Node{
		scene.Union{&scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}}}, &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{X: 1}, Offset: -3}}, ball},
		scene.Union{ball, &scene.Translate{Offset: scene.Vec3{X: 3}, Child: ball}},
	} {
		w := wave{tracer: compiledTracer(root, 0.002), scratch: newScratch(waveRays)}
		if w.surfaceLanes([]waveRay{{}}, 0) {
			t.Errorf("surfaceLanes listed a hit of %v", root)
		}
	}
}
