package render

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// The marcher's steps at their boundaries, on scenes simple enough to work out
// by hand.

// unitSphere is a sphere of radius 1 at the origin.
var unitSphere scene.Node = &scene.Solid{Shape: scene.Sphere{Radius: 1}, Material: scene.Material{Color: scene.Vec3{X: 1, Y: 1, Z: 1}}}

// floor is the plane y = -1, facing up.
var floor scene.Node = &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}, Offset: -1}, Material: scene.Material{Color: scene.Vec3{X: 0.5, Y: 0.5, Z: 0.5}}}

// treeTracer evaluates root as a tree; compiledTracer as a program.
func treeTracer(root scene.Node, slope float64) tracer {
	return tracer{root: root, slope: slope, minHit: minHitDist}
}

func compiledTracer(root scene.Node, slope float64) tracer {
	prog := compile(root, nil)
	return tracer{root: root, prog: prog, floor: onlyPlane(prog), slope: slope, minHit: minHitDist}
}

func TestHitThreshold(t *testing.T) {
	tr := treeTracer(unitSphere, 0.01)
	for _, c := range []struct{ t, want float64 }{
		{0, minHitDist}, {0.005, minHitDist}, {0.01, minHitDist}, {0.02, 2e-4}, {1, 0.01}, {50, 0.5},
	} {
		if got := tr.hitThreshold(c.t); !near(got, c.want) {
			t.Errorf("hitThreshold(%g) at slope 0.01 = %g, want %g", c.t, got, c.want)
		}
	}
	tr.asReference()
	for _, at := range []float64{0, 1, 50, math.Inf(1), math.NaN()} {
		if got := tr.hitThreshold(at); got != referenceEpsilon {
			t.Errorf("reference hitThreshold(%g) = %g, want the fixed %g", at, got, referenceEpsilon)
		}
	}
}

// TestAdvanceIsStep checks advance, step's commonest case inlined in the
// wave's march, against step: where it applies, the ray's progress after it
// is step's to the bit, and step neither hits nor ends; where it does not,
// it leaves the progress as it was. Near the threshold, the far plane and
// the check steps, with a NaN or +Inf among the distances, and at the
// reference threshold.
func TestAdvanceIsStep(t *testing.T) {
	compiled := compiledTracer(scene.Union{floor, unitSphere}, 0.01)
	ref := compiled
	ref.asReference()
	ro, rd := scene.Vec3{Z: -5}, scene.Vec3{Z: 1}
	r := rand.New(rand.NewPCG(7, 8))
	pick := func(near float64) float64 {
		switch r.IntN(8) {
		case 0:
			return math.NaN()
		case 1:
			return math.Inf(1)
		case 2:
			return near * (1 + (r.Float64()-0.5)*1e-6) // at the edge
		}
		return near * r.Float64() * 4
	}
	applied := 0
	for n := range 200000 {
		tr := &compiled
		if n%10 == 0 {
			tr = &ref
		}
		m := progress{t: pick(farPlane / 2), last: pick(0.01), prev: pick(0.01), closing: r.IntN(2) == 0, planesOnly: r.IntN(4) == 0}
		i := r.IntN(3 * marchCheck)
		thr := tr.hitThreshold(m.t)
		move, plane := pick(thr), pick(thr)
		if r.IntN(4) == 0 {
			m.t = farPlane - move*r.Float64()
		}
		fast, slow := m, m
		if !tr.advance(i, move, plane, &fast) {
			if !sameProgress(fast, m) {
				t.Fatalf("advance(%d, %g, %g, %+v) did not apply, but left %+v", i, move, plane, m, fast)
			}
			continue
		}
		applied++
		if hit, done := tr.step(ro, rd, i, move, plane, &slow); hit || done || !sameProgress(fast, slow) {
			t.Fatalf("advance(%d, %g, %g, %+v) = %+v, but step = hit %v, done %v, %+v", i, move, plane, m, fast, hit, done, slow)
		}
	}
	if applied < 10000 {
		t.Fatalf("advance applied at %d of 200000 steps, want a test of it", applied)
	}
}

// sameProgress reports whether a and b are the same to the bit, NaNs
// included.
func sameProgress(a, b progress) bool {
	bits := math.Float64bits
	return bits(a.t) == bits(b.t) && bits(a.last) == bits(b.last) && bits(a.prev) == bits(b.prev) &&
		a.planesOnly == b.planesOnly && a.closing == b.closing && a.blocker == b.blocker
}

func TestMarchStep(t *testing.T) {
	ro, rd := scene.Vec3{Z: 5}, scene.Vec3{Z: -1}
	tr := treeTracer(unitSphere, 0.01)
	for _, c := range []struct {
		name      string
		m         progress // before the step
		d         float64
		hit, done bool
		want      progress // after it
	}{
		{"within a hitFine-th of the threshold: a hit", progress{t: 1}, 0.0099 / hitFine, true, true, progress{t: 1}},
		{"within the threshold, coming near: on", progress{t: 1, last: 0.02, prev: 0.04}, 0.0099, false, false, progress{t: 1.0099, last: 0.0099, prev: 0.02, closing: true}},
		{"near, closing in as fast as before: a hit", progress{t: 1, last: 0.005, prev: 0.00625, closing: true}, 0.004, true, true, progress{t: 1, last: 0.005, prev: 0.00625, closing: true}},
		{"near, closing in faster: a hit", progress{t: 1, last: 0.005, prev: 0.005 / 0.9, closing: true}, 0.004, true, true, progress{t: 1, last: 0.005, prev: 0.005 / 0.9, closing: true}},
		{"near, closing in more slowly: on", progress{t: 1, last: 0.005, prev: 0.005 / 0.7, closing: true}, 0.004, false, false, progress{t: 1.004, last: 0.004, prev: 0.005, closing: true}},
		{"near, the distance grew: passing by", progress{t: 1, last: 0.004, prev: 0.005, closing: true}, 0.005, false, false, progress{t: 1.005, last: 0.005, prev: 0.004}},
		{"near, the distance the same: passing by", progress{t: 1, last: 0.004, prev: 0.005, closing: true}, 0.004, false, false, progress{t: 1.004, last: 0.004, prev: 0.004}},
		{"passed by, closing in again: on", progress{t: 1, last: 0.005, prev: 0.004}, 0.004, false, false, progress{t: 1.004, last: 0.004, prev: 0.005, closing: true}},
		{"at the threshold: a step", progress{t: 1, last: 0.02, prev: 0.04, closing: true}, 0.01, false, false, progress{t: 1.01, last: 0.01, prev: 0.02, closing: true}},
		{"with planes only, within the threshold: a hit", progress{t: 1, planesOnly: true}, 0.0099, true, true, progress{t: 1, planesOnly: true}},
		{"a step", progress{t: 2, last: 1, prev: 2, closing: true}, 0.5, false, false, progress{t: 2.5, last: 0.5, prev: 1, closing: true}},
		{"to the far plane: on", progress{t: 79, last: 2}, 1, false, false, progress{t: 80, last: 1, prev: 2, closing: true}},
		{"past the far plane: a miss", progress{t: 79, last: 2}, 1.5, false, true, progress{t: 80.5, last: 1.5, prev: 2, closing: true}},
	} {
		m := c.m
		hit, done := tr.step(ro, rd, 3, c.d, math.Inf(1), &m)
		if hit != c.hit || done != c.done || !near(m.t, c.want.t) || m.closing != c.want.closing || m.last != c.want.last || m.prev != c.want.prev || m.planesOnly != c.want.planesOnly {
			t.Errorf("%s: step(%+v, d %g) = hit %v, done %v, %+v; want %v, %v, %+v", c.name, c.m, c.d, hit, done, m, c.hit, c.done, c.want)
		}
	}
	// A ray that meets a plane hits at its next step, whatever it may move
	// by: at the edges of the threshold and of its hitFine-th, with only the
	// planes near or not.
	thr := tr.hitThreshold(1)
	for _, plane := range []float64{thr / hitFine * (1 - 1e-9), thr / hitFine, thr * (1 - 1e-9), thr, -thr} {
		for _, planesOnly := range []bool{false, true} {
			m := progress{t: 1, planesOnly: planesOnly}
			meets := tr.meets(plane, &m)
			if hit, _ := tr.step(ro, rd, 3, 10, plane, &m); hit != meets {
				t.Errorf("plane %g of threshold %g, planes only %v: meets %v, but step hits: %v", plane, thr, planesOnly, meets, hit)
			}
		}
	}
	// A plane the marcher takes itself: the hit test is made at the nearer
	// of it and the step, which moves the ray on as far as it may.
	if m := (progress{t: 1, last: 0.02, prev: 0.04}); func() bool { hit, done := tr.step(ro, rd, 3, 0.5, 0.0099, &m); return hit || done }() || !near(m.t, 1.5) || m.last != 0.0099 {
		t.Errorf("step(move 0.5, plane 0.0099) near the plane, closing in for the first time: %+v, want on to t 1.5 with last 0.0099", m)
	}
	if m := (progress{t: 1}); !func() bool { hit, _ := tr.step(ro, rd, 3, 0.5, 0, &m); return hit }() {
		t.Error("step(move 0.5, plane 0) on the plane: no hit, want one")
	}
	// The reference marcher's rays hit at the threshold, followed on or not.
	ref := tr
	ref.asReference()
	if m := (progress{t: 1}); !func() bool { hit, _ := ref.step(ro, rd, 3, referenceEpsilon/2, math.Inf(1), &m); return hit }() {
		t.Error("the reference marcher's ray within its threshold: no hit, want one")
	}

	// A compiled scene is checked for escape at the first step and every
	// marchCheck steps after: a ray going away from the sphere escapes there.
	tr = compiledTracer(unitSphere, 0.01)
	for i := range 3 * marchCheck {
		m := progress{t: 2}
		hit, done := tr.step(scene.Vec3{Z: 3}, scene.Vec3{Z: 1}, i, 1, math.Inf(1), &m)
		want := i == 0 || i%marchCheck == marchCheck-1
		if hit || done != want || m.t != 3 {
			t.Errorf("step %d of an escaping ray = hit %v, done %v, t %g; want false, %v, 3", i, hit, done, m.t, want)
		}
	}
	// Over a floor, going away from a sphere above it, only the floor matters.
	tr = compiledTracer(scene.Union{floor, &scene.Translate{Offset: scene.Vec3{Y: 3}, Child: unitSphere}}, 0.01)
	for i, want := range map[int]bool{0: true, 1: false, marchCheck - 1: true} {
		var m progress
		hit, done := tr.step(scene.Vec3{Y: 0}, scene.Vec3{Y: -0.6, Z: 0.8}, i, 0.5, 1, &m)
		if hit || done || m.planesOnly != want {
			t.Errorf("step %d down to the floor, away from the sphere: hit %v, done %v, planes only %v; want false, false, %v", i, hit, done, m.planesOnly, want)
		}
	}
	// Once known, planes only stays so.
	m := progress{planesOnly: true}
	if tr.step(scene.Vec3{Y: 0}, scene.Vec3{Y: -0.6, Z: 0.8}, 0, 0.5, 1, &m); !m.planesOnly {
		t.Error("step with planes only known: planes only turned false")
	}
}

func TestMarch(t *testing.T) {
	for _, c := range []struct {
		name  string
		tr    tracer
		ro    scene.Vec3
		t0    float64
		rd    scene.Vec3
		hit   bool
		wantT float64
	}{
		{"tree, head on", treeTracer(unitSphere, 0.001), scene.Vec3{Z: 5}, 0, scene.Vec3{Z: -1}, true, 4},
		{"compiled, head on", compiledTracer(unitSphere, 0.001), scene.Vec3{Z: 5}, 0, scene.Vec3{Z: -1}, true, 4},
		{"from t0", treeTracer(unitSphere, 0.001), scene.Vec3{Z: 5}, 1, scene.Vec3{Z: -1}, true, 4},
		{"away", treeTracer(unitSphere, 0.001), scene.Vec3{Z: 5}, 0, scene.Vec3{Z: 1}, false, 0},
		{"compiled, away", compiledTracer(unitSphere, 0.001), scene.Vec3{Z: 5}, 0, scene.Vec3{Z: 1}, false, 0},
		{"compiled, down to the floor", compiledTracer(scene.Union{floor, &scene.Translate{Offset: scene.Vec3{X: 3}, Child: unitSphere}}, 0.001),
			scene.Vec3{Y: 1}, 0, scene.Vec3{Y: -0.6, Z: 0.8}, true, 2 / 0.6},
		{"tree, down to the floor", treeTracer(scene.Union{floor, &scene.Translate{Offset: scene.Vec3{X: 3}, Child: unitSphere}}, 0.001),
			scene.Vec3{Y: 1}, 0, scene.Vec3{Y: -0.6, Z: 0.8}, true, 2 / 0.6},
	} {
		tr := c.tr
		if tr.prog != nil {
			tr.origin = c.ro
			tr.originDist = tr.stepDistance(c.ro, math.Inf(1))
		}
		at, hit := tr.march(c.ro, c.rd, c.t0)
		if hit != c.hit || hit && (at > c.wantT || at < c.wantT-2*tr.hitThreshold(at)) {
			t.Errorf("%s: march = %g, hit %v; want hit %v at %g, within twice the threshold short of it", c.name, at, hit, c.hit, c.wantT)
		}
		if !hit && at <= farPlane && tr.prog == nil {
			t.Errorf("%s: a miss at %g, want it past the far plane %g", c.name, at, farPlane)
		}
	}
	// A ray that grazes a surface without reaching it runs out of steps, and
	// misses: along the top of a box, a hair above it.
	box := &scene.Solid{Shape: scene.Box{Half: scene.Vec3{X: 50, Y: 1, Z: 50}}}
	tr := treeTracer(box, 0)
	at, hit := tr.march(scene.Vec3{X: -49, Y: 1 + 2*minHitDist}, scene.Vec3{X: 1}, 0)
	if hit || math.Abs(at-maxSteps*2*minHitDist) > 1e-9 {
		t.Errorf("grazing march = %g, hit %v; want a miss after %d steps of %g", at, hit, maxSteps, 2*minHitDist)
	}
}

// TestPlanesAlongTheRay checks that the marcher takes a plane where the ray
// meets it: a ray down to open ground hits it exactly there after one
// evaluation, and a ray leaving the ground steps by the distance to what else
// there is, not by its height above the ground.
func TestPlanesAlongTheRay(t *testing.T) {
	ball := &scene.Translate{Offset: scene.Vec3{Y: 3, Z: 4}, Child: unitSphere}
	tr := compiledTracer(scene.Union{floor, ball}, 0.001)
	if !tr.prog.split() {
		t.Fatal("a floor and a ball: not split, want the planes taken by the marcher")
	}
	at, hit := tr.march(scene.Vec3{X: 20, Y: 1}, scene.Vec3{Y: -0.6, Z: -0.8}, 0)
	if want := 2 / 0.6; !hit || at != want || tr.evals != 1 {
		t.Errorf("down to the floor: march = %g, hit %v, after %d evaluations; want a hit at %g after 1", at, hit, tr.evals, want)
	}
	tr.evals = 0
	ro := scene.Vec3{Y: -1 + 1e-3}
	to := scene.Vec3{Y: 3, Z: 4}.Sub(ro)
	at, hit = tr.march(ro, to.Normalize(), 0)
	if want := to.Length() - 1; !hit || math.Abs(at-want) > 2*tr.hitThreshold(want) || tr.evals > 3 {
		t.Errorf("up from the floor at the ball: march = %g, hit %v, after %d evaluations; want a hit at %g after 3 or fewer", at, hit, tr.evals, want)
	}
}

// TestShadowReachChangesNothing checks that capping a shadow ray's distance at
// shadowReach, which lets the program skip what lies beyond, leaves its
// penumbra term as it is: from surface points of showcase frames towards its
// sun, as sharp as it is and softer, softShadow equals the march that asks
// for the whole distance, bit for bit, and the cap is met often enough to
// matter.
func TestShadowReachChangesNothing(t *testing.T) {
	sc, _ := scenefile.Lookup("showcase")
	capped := 0
	for _, at := range []float64{0.4, 2.9} {
		plan := newFramePlan(sc.At(at), Settings{Width: 64, Height: 36, Samples: 1}, nil)
		tr := plan.tracer()
		tr.originDist = tr.stepDistance(tr.origin, math.Inf(1))
		l := tr.lights[0]
		for i := range 36 * 64 {
			x, y := i%64, i/64
			l.shadow = []float64{l.shadow, 2, 0.5}[i%3]
			{
				ro, rd := plan.primary(x, y, 0, offset{0.5, 0.5})
				hitT, hit := tr.march(ro, rd, 0)
				if !hit {
					continue
				}
				p := ro.Add(rd.Scale(hitT))
				p = p.Add(tr.normal(p, hitT).Scale(surfaceLift * tr.hitThreshold(hitT)))
				res, t0 := 1.0, shadowStart
				var blocker int32
				for i := range shadowSteps {
					q := p.Add(l.dir.Scale(t0))
					plane, ahead := tr.planesAhead(q, l.dir)
					h := tr.stepDistance(q, ahead)
					if h > shadowReach(t0, l.shadow, res) {
						capped++
					}
					if tr.shadowStep(p, l.dir, l.shadow, i, h, plane, &t0, &res, &blocker) {
						break
					}
				}
				if got, want := tr.softShadow(p, l.dir, l.shadow), penumbra(res); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("at %gs, pixel (%d, %d), sharpness %g: softShadow = %.17g, uncapped %.17g", at, x, y, l.shadow, got, want)
				}
			}
		}
	}
	if capped < 100 {
		t.Errorf("the cap was met %d times, want 100 or more", capped)
	}
}

func TestShadowStep(t *testing.T) {
	p, l := scene.Vec3{}, scene.Vec3{Y: 1}
	plain := treeTracer(unitSphere, 0.01)
	ref := plain
	ref.asReference()
	tr := plain
	for _, c := range []struct {
		name             string
		k, h, t, res     float64
		done             bool
		wantT, wantRes   float64
		reference, quiet bool
	}{
		{"far from anything", 8, 0.5, 2, 1, false, 2.5, 1, false, false},
		{"a near miss lowers res", 8, 0.1, 2, 1, false, 2.1, 0.4, false, false},
		{"res only falls", 8, 0.1, 2, 0.3, false, 2.1, 0.3, false, false},
		{"a small step is stretched", 8, 0.001, 0.1, 1, false, 0.12, 0.08, false, false},
		{"a long step is cut", 8, 5, 2, 1, false, 3.5, 1, false, false},
		{"at the dark threshold: on", 1, 1e-3, 1, 1, false, 1.02, 1e-3, false, false},
		{"under it: dark", 1, 0.5e-3, 1, 1, true, 1, 0, false, false},
		{"the reference goes on", 1, 0.5e-3, 1, 1, false, 1.02, 0.5e-3, true, false},
		{"to the far end: on", 8, 0.5, 19.5, 1, false, 20, 8 * 0.5 / 19.5, false, false},
		{"past it: lit", 8, 0.6, 19.5, 1, true, 20.1, 8 * 0.6 / 19.5, false, false},
	} {
		if tr = plain; c.reference {
			tr = ref
		}
		at, res := c.t, c.res
		done := tr.shadowStep(p, l, c.k, 1, c.h, math.Inf(1), &at, &res, new(int32))
		if done != c.done || !near(at, c.wantT) || !near(res, c.wantRes) {
			t.Errorf("%s: shadowStep(k %g, h %g, t %g, res %g) = done %v, t %g, res %g; want %v, %g, %g",
				c.name, c.k, c.h, c.t, c.res, done, at, res, c.done, c.wantT, c.wantRes)
		}
	}
	// A plane the marcher takes itself, nearer than the step: the ray passes
	// as near as the plane, and steps on as far as it may.
	tr = plain
	if at, res := 2.0, 1.0; tr.shadowStep(p, l, 8, 1, 0.5, 0.1, &at, &res, new(int32)) || !near(at, 2.5) || !near(res, 0.4) {
		t.Errorf("shadowStep(k 8, h 0.5, plane 0.1, t 2, res 1) = t %g, res %g; want on, 2.5, 0.4", at, res)
	}
	// A compiled scene is checked for the ray being unshaded after the first
	// step and every shadowCheck steps: going away from the sphere, it is
	// at once.
	tr = compiledTracer(unitSphere, 0.01)
	for i := range 3 * shadowCheck {
		at, res := 1.0, 1.0
		done := tr.shadowStep(scene.Vec3{Y: 2}, l, 8, i, 1, math.Inf(1), &at, &res, new(int32))
		if want := i == 0 || i%shadowCheck == shadowCheck-1; done != want || at != 2 || res != 1 {
			t.Errorf("shadow step %d going away = done %v, t %g, res %g; want %v, 2, 1", i, done, at, res, want)
		}
	}
}

func TestSoftShadow(t *testing.T) {
	for _, tr := range []tracer{treeTracer(unitSphere, 0.01), compiledTracer(unitSphere, 0.01)} {
		// Under the sphere, looking up at it: dark. Beside it, looking away: lit.
		if got := tr.softShadow(scene.Vec3{Y: -3}, scene.Vec3{Y: 1}, 8); got != 0 {
			t.Errorf("shadow under the sphere = %g, want 0", got)
		}
		if got := tr.softShadow(scene.Vec3{Y: -3}, scene.Vec3{Y: -1}, 8); got != 1 {
			t.Errorf("shadow facing away from the sphere = %g, want 1", got)
		}
		// Passing the sphere at a distance: a penumbra that darkens as the ray
		// comes nearer, and lightens as the shadow gets sharper.
		prev := 1.0
		for _, x := range []float64{1.9, 1.6, 1.3, 1.1} {
			got := tr.softShadow(scene.Vec3{X: x, Y: -3}, scene.Vec3{Y: 1}, 2)
			if !(got > 0 && got < prev) {
				t.Errorf("shadow passing the sphere %g from its centre = %g, want in (0, %g)", x, got, prev)
			}
			prev = got
		}
		soft, hard := tr.softShadow(scene.Vec3{X: 1.6, Y: -3}, scene.Vec3{Y: 1}, 1), tr.softShadow(scene.Vec3{X: 1.6, Y: -3}, scene.Vec3{Y: 1}, 4)
		if !(soft < hard) {
			t.Errorf("shadow in the penumbra at sharpness 1 = %g, at 4 = %g: want the sharper one lighter", soft, hard)
		}
	}
	// The penumbra is the smoothstep of the least k·h/t along the ray, as
	// marched by hand: beside a sphere, from its equator upwards.
	tr := treeTracer(&scene.Translate{Offset: scene.Vec3{X: 1.5}, Child: unitSphere}, 0.01)
	want := 1.0
	at := shadowStart
	for range shadowSteps {
		q := scene.Vec3{Y: at}
		h := scene.Vec3{X: 1.5}.Sub(q).Length() - 1
		want = min(want, h/at)
		at += scene.Clamp(h, shadowMinStep, shadowMaxStep)
		if at > shadowFar {
			break
		}
	}
	if got := tr.softShadow(scene.Vec3{}, scene.Vec3{Y: 1}, 1); !near(got, penumbra(want)) || want >= 1 {
		t.Errorf("shadow beside a sphere = %.17g, want penumbra(%g) = %.17g, under 1", got, want, penumbra(want))
	}
}

func TestNormalsAndOcclusion(t *testing.T) {
	for _, tr := range []tracer{treeTracer(unitSphere, 0.01), compiledTracer(unitSphere, 0.01)} {
		for _, p := range []scene.Vec3{{X: 1}, {Y: -1}, scene.Vec3{X: 1, Y: 1, Z: 1}.Normalize()} {
			if got := tr.normal(p, 1); got.Sub(p).Length() > 1e-6 {
				t.Errorf("normal of the unit sphere at %v = %v, want %v", p, got, p)
			}
		}
	}
	tr := treeTracer(unitSphere, 0.01)
	tr.asReference()
	for _, p := range []scene.Vec3{{Z: 1}, {X: -1}, scene.Vec3{X: 1, Y: -2, Z: 2}.Scale(1.0 / 3)} {
		if got := tr.normal(p, 1); got.Sub(p).Length() > 1e-6 {
			t.Errorf("reference normal of the unit sphere at %v = %v, want %v", p, got, p)
		}
	}
	// The taps: a tetrahedron 1e-4 across, or 1e-4·t beyond distance 1.
	tr = treeTracer(unitSphere, 0.01)
	p := scene.Vec3{X: 1, Y: 2, Z: 3}
	for _, c := range []struct{ t, h float64 }{{0.5, 1e-4}, {1, 1e-4}, {10, 1e-3}} {
		taps, planes := tr.normalTaps(p, c.t)
		for i, q := range taps {
			if want := p.Add(tetrahedron[i].Scale(c.h)); !nearVec(q, want) {
				t.Errorf("normal tap %d at distance %g = %v, want %v", i, c.t, q, want)
			}
		}
		if planes {
			t.Errorf("normal taps of a tree: planes only, want false (no program)")
		}
	}
	// The gradient of a linear field is its slope, whatever the scale.
	if got := normalFrom(&[4]float64{1 - 2 + 3, -1 - 2 - 3, -1 + 2 + 3, 1 + 2 - 3}); !nearVec(got, scene.Vec3{X: 1, Y: 2, Z: -3}.Normalize()) {
		t.Errorf("normalFrom a linear field = %v, want %v", got, scene.Vec3{X: 1, Y: 2, Z: -3}.Normalize())
	}

	// On open ground, far from the sphere, only the floor is near: the taps,
	// the normal and the occlusion are the floor's.
	scn := scene.Union{floor, &scene.Translate{Offset: scene.Vec3{X: 10}, Child: unitSphere}}
	tr = compiledTracer(scn, 0.01)
	ground := scene.Vec3{Y: -1}
	if _, planes := tr.normalTaps(ground, 1); !planes {
		t.Error("normal taps on open ground: planes only false, want true")
	}
	if !tr.aoPlanes(ground) {
		t.Error("AO on open ground: planes only false, want true")
	}
	before := tr.evals
	if got := tr.normal(ground, 1); !nearVec(got, scene.Vec3{Y: 1}) {
		t.Errorf("normal on open ground = %v, want up", got)
	}
	if got := tr.ambientOcclusion(ground, scene.Vec3{Y: 1}); !near(got, 1) {
		t.Errorf("occlusion on open ground = %g, want 1", got)
	}
	if n := tr.evals - before; n != 4+aoTaps {
		t.Errorf("normal and occlusion on open ground took %d evaluations, want %d", n, 4+aoTaps)
	}
	// Next to the sphere the taps are not the floor's alone.
	by := scene.Vec3{X: 10, Y: -1}
	if _, planes := tr.normalTaps(by, 1); planes {
		t.Error("normal taps under the sphere: planes only true, want false")
	}
	if tr.aoPlanes(by) {
		t.Error("AO under the sphere: planes only true, want false")
	}
	// The AO taps reach 0.26 up the normal: a sphere 0.5 from the ground
	// (under twice the reach, and its slack) may be nearer a tap than the
	// floor; one 0.53 away may not.
	for _, c := range []struct {
		gap  float64
		want bool
	}{{0.5, false}, {0.53, true}} {
		p := compiledTracer(scene.Union{floor, &scene.Translate{Offset: scene.Vec3{Y: c.gap}, Child: unitSphere}}, 0.01)
		if got := p.aoPlanes(ground); got != c.want {
			t.Errorf("AO with a sphere %g above the ground: planes only %v, want %v", c.gap, got, c.want)
		}
	}
	// In a corner, occlusion darkens: a wall at x = 0.1 beside the floor.
	wall := &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{X: -1}, Offset: -0.1}}
	tr = treeTracer(scene.Union{floor, wall}, 0.01)
	d := [aoTaps]float64{}
	for i := range d {
		d[i] = min(aoHeight(i), 0.1)
	}
	if got, want := tr.ambientOcclusion(ground, scene.Vec3{Y: 1}), occlusion(&d); !near(got, want) || got >= 1 {
		t.Errorf("occlusion in a corner = %g, want %g, under 1", got, want)
	}
}

// TestPlaneAheadIsPlanesAhead checks planesAhead, by the one-plane case
// and by the loop over several planes, against its definition written out,
// bit for bit, at rays going down, up and along the floor, on it, below it and
// at points that are not numbers; and the tracer's planeDistance, which takes
// a floor alone, against the program's loop over its planes.
func TestPlaneAheadIsPlanesAhead(t *testing.T) {
	wall := &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{X: -1}, Offset: -3}}
	one := compile(scene.Union{floor, unitSphere}, nil)
	two := compile(scene.Union{floor, wall, unitSphere}, nil)
	if onlyPlane(one) == nil || onlyPlane(two) != nil || onlyPlane(compile(unitSphere, nil)) != nil {
		t.Fatal("onlyPlane: want the floor of a floor and a sphere, nothing where there are two planes or none")
	}
	tracers := map[string]tracer{
		"one plane":  {prog: one, floor: onlyPlane(one)},
		"two planes": {prog: two},
	}
	r := rand.New(rand.NewPCG(41, 42))
	for i := range 20000 {
		q := scene.Vec3{X: r.Float64()*10 - 5, Y: r.Float64()*6 - 3, Z: r.Float64()*10 - 5}
		d := randomUnit(r)
		switch i % 5 {
		case 0:
			d.Y = 0 // along the floor
		case 1:
			q.Y = -1 // on it
		case 2:
			q.Y = math.NaN()
		}
		for name, tr := range tracers {
			gd, ga := tr.planesAhead(q, d)
			wd, wa := math.Inf(1), math.Inf(1)
			for _, pl := range tr.prog.planes {
				h := q.Dot(pl.Normal) - pl.Offset
				if h < wd {
					wd = h
				}
				if rate := pl.Normal.Dot(d); rate < 0 && h/-rate < wa {
					wa = h / -rate
				}
			}
			if math.Float64bits(gd) != math.Float64bits(wd) || math.Float64bits(ga) != math.Float64bits(wa) {
				t.Fatalf("%s: planesAhead(%v, %v) = %v, %v; want %v, %v", name, q, d, gd, ga, wd, wa)
			}
			if g, w := tr.planeDistance(q), tr.prog.planeDistance(q); math.Float64bits(g) != math.Float64bits(w) {
				t.Fatalf("%s: planeDistance(%v) = %v, the program's %v", name, q, g, w)
			}
		}
	}
}

// TestRoomNearShowsOnlyPlanes walks random paths through every built-in
// scene and the compile cases, a step at a time as a wave's hits follow one
// another, and holds roomNear to what its answers promise. Where it
// finds only the planes near, the room it gives is no more than the true
// room: the least distance from the point to a bounding sphere, each part of
// a child bounded by parts on its own, less the nearest plane's. And there
// the program's distance at each of the normal's taps is the planes' alone,
// bit for bit, as it is at each occlusion tap, from the point lifted off in
// any direction, where the room lets the occlusion take the planes' way. It
// counts that the room came from a point before as well as from a look.
func TestRoomNearShowsOnlyPlanes(t *testing.T) {
	progs := map[string]*program{}
	for _, f := range scenefile.Builtins() {
		progs[f.Name] = compile(f.At(1.5).Root, nil)
	}
	for name, n := range compileCases() {
		progs[name] = compile(n, nil)
	}
	r := rand.New(rand.NewPCG(9, 10))
	var st stacks
	same := func(name string, q scene.Vec3, pr *program, what string) {
		t.Helper()
		if got, want := pr.distance(q, &st), pr.planeDistance(q); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s: at %s tap %v the program's distance is %g, the planes' %g", name, what, q, got, want)
		}
	}
	var moved, looked int
	for _, name := range slices.Sorted(maps.Keys(progs)) { // in order: the walks share r
		pr := progs[name]
		if pr == nil || !pr.canEscape || len(pr.planes) == 0 {
			continue
		}
		tr := tracer{prog: pr, slope: 0.002, minHit: minHitDist}
		var at roomAt
		p := scene.Vec3{X: r.Float64()*16 - 8, Y: r.Float64(), Z: r.Float64()*16 - 8}
		for range 3000 {
			p = p.Add(randomUnit(r).Scale(r.Float64() * 0.4))
			p.Y = math.Abs(p.Y+1)*0.98 - 1 // above y = -1 (floor's), and not far
			if math.Abs(p.X) > 12 || math.Abs(p.Z) > 12 {
				p.X, p.Z = p.X/2, p.Z/2
			}
			tt, ao := 0.5+r.Float64()*30, r.IntN(3) > 0
			before := at
			planes, room := tr.roomNear(p, tt, &at, ao)
			if !planes {
				continue
			}
			var taps [4]scene.Vec3
			tapsAround(&taps, p, normalSpacing(tt))
			if at == before {
				moved++
			} else {
				looked++
			}
			if truth := trueRoom(pr, p); !(room <= truth+1e-9*(1+math.Abs(truth))) || !planesIn(truth, 2*normalSpacing(tt)) {
				t.Fatalf("%s: at %v (t %g), room %g, but the spheres are only %g farther than the planes", name, p, tt, room, truth)
			}
			for _, q := range taps {
				same(name, q, pr, "a normal")
			}
			if lift := tr.lift(tt); ao && tr.occludes(room, tt) {
				for _, q := range aoTapsAt(p.Add(randomUnit(r).Scale(lift)), randomUnit(r)) {
					same(name, q, pr, "an occlusion")
				}
			}
		}
	}
	if moved < 30000 || looked < 1500 { // 59,075 and 3,593
		t.Errorf("the room came from a point before %d times and from a look %d times: want both often", moved, looked)
	}
	// Straight up from the floor towards a ball the room falls by twice
	// the way: from a point on the floor to one where it is three times
	// the normal's spacing, less than its test needs, and more than half.
	const by = 0.1
	h := normalSpacing(1)
	gap := float64(3*h) + 2*by
	pr := compile(scene.Union{floor, &scene.Translate{Offset: scene.Vec3{Y: gap}, Child: unitSphere}}, nil)
	tr := tracer{prog: pr, slope: 0.002, minHit: minHitDist}
	var at roomAt
	if planes, _ := tr.roomNear(scene.Vec3{Y: -1}, 1, &at, false); !planes {
		t.Fatalf("on the floor %g under a ball: not only the planes near", gap)
	}
	if planes, room := tr.roomNear(scene.Vec3{Y: -1 + by}, 1, &at, false); planes {
		t.Errorf("%g up from the floor, %g under a ball: only the planes near, room %g", by, 3*h, room)
	}
}
