package render

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sdfrender/render/scene"
)

// The escape tests against what they claim, worked out another way: the least
// distance along a ray found by searching along it, not by the closed forms
// the code uses. TestEscapeIsSafe checks that they are never wrong one way (a
// ray said to have escaped that would hit); these check that they are right
// both ways, so that a test that gives up too often is caught too.

// marchClearance is the test for a ray at distance t with the hit threshold
// minHit + slope·t (clearance.march), as a value.
func marchClearance(t, minHit, slope float64) clearance {
	var c clearance
	c.march(t, minHit, slope)
	return c
}

// shadowClearance is the test for a shadow ray at distance t, of sharpness k,
// with penumbra term res so far (clearance.shadowed), as a value.
func shadowClearance(t, k, res float64) clearance {
	var c clearance
	c.shadowed(t, k, res)
	return c
}

// leastAlong returns the least of f(s) for s >= 0, f convex: by ternary search
// over a range far longer than any scene.
func leastAlong(f func(s float64) float64) float64 {
	lo, hi := 0.0, 1e4
	for range 100 {
		a, b := lo+(hi-lo)/3, hi-(hi-lo)/3
		if f(a) < f(b) {
			hi = b
		} else {
			lo = a
		}
	}
	return min(f(0), f((lo+hi)/2))
}

// surfaceAt is pr.surface's distance and material at p, from a material
// already set to something else: surface must set it, whatever was there.
func surfaceAt(pr *program, p scene.Vec3, planes bool) (float64, scene.Material) {
	m := scene.Material{Color: scene.Vec3{X: 7}, Reflect: 7}
	d := pr.surface(p, planes, &m)
	return d, m
}

// trueRoom is how much farther from p than the nearest of pr's planes every
// bounding sphere of pr is, each part of a child bounded by parts on its own:
// what the planes-only tests' rooms may be at most.
func trueRoom(pr *program, p scene.Vec3) float64 {
	room := math.Inf(1)
	for _, sp := range pr.spheres {
		room = min(room, p.Sub(sp.center).Length()-sp.radius)
	}
	return room - pr.planeDistance(p)
}

// randomUnit returns a random unit vector.
func randomUnit(r *rand.Rand) scene.Vec3 {
	for {
		v := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}
		if l := v.Length(); l > 0.1 && l <= 1 {
			return v.Scale(1 / l)
		}
	}
}

func TestSpherePasses(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	yes, no := 0, 0
	for range 20000 {
		sp := sphere{center: scene.Vec3{X: r.Float64()*4 - 2, Y: r.Float64()*4 - 2, Z: r.Float64()*4 - 2}, radius: 0.1 + r.Float64()*2}
		q := scene.Vec3{X: r.Float64()*20 - 10, Y: r.Float64()*20 - 10, Z: r.Float64()*20 - 10}
		d := randomUnit(r)
		slope := r.Float64() * 0.9
		if r.IntN(8) == 0 {
			slope = 0
		}
		dist := func(s float64) float64 { return q.Add(d.Scale(s)).Sub(sp.center).Length() - sp.radius }
		// Clear of the sphere by minHit, and by slope·(t + s) everywhere on.
		nearest := leastAlong(dist)
		least := leastAlong(func(s float64) float64 { return dist(s) - slope*s })
		minHit := r.Float64() * 0.5
		if r.IntN(2) == 0 && nearest > 0 {
			minHit = nearest * (1 + (r.Float64()-0.5)*1e-4) // near the edge
		}
		tt := r.Float64() * 20
		if r.IntN(2) == 0 && slope > 0 && least > 0 {
			tt = least / slope * (1 + (r.Float64()-0.5)*1e-4) // near the edge
		}
		margin := min(nearest-minHit, least-slope*tt)
		tol := 1e-7 * (1 + q.Sub(sp.center).Length() + sp.radius)
		if math.Abs(margin) <= tol {
			continue
		}
		want := margin > 0
		if got := sp.passesAlong(q, d, minHit, slope, tt); got != want {
			t.Fatalf("sphere %v: passes(q %v, d %v, minHit %g, slope %g, t %g) = %v; want %v (nearest %g, least %g)",
				sp, q, d, minHit, slope, tt, got, want, nearest, least)
		}
		if want {
			yes++
		} else {
			no++
		}
	}
	if yes < 1000 || no < 1000 {
		t.Errorf("%d rays pass and %d do not: want both common", yes, no)
	}
	// Within the room left for rounding, 1e-9·(1 + |v| + radius), a ray is not
	// said to pass; beyond it, it is.
	for _, c := range []struct {
		radius, gap float64 // the gap in rooms
		want        bool
	}{{1, 0.5, false}, {1, 2, true}, {10, 0.7, false}, {10, 1.5, true}} {
		q := scene.Vec3{X: -3 * c.radius, Y: c.radius}
		room := 1e-9 * (1 + q.Length() + c.radius)
		q.Y += c.gap * room
		if got := (sphere{radius: c.radius}).passesAlong(q, scene.Vec3{X: 1}, 0, 0, 1); got != c.want {
			t.Errorf("passes a sphere of radius %g by %g rounding rooms = %v, want %v", c.radius, c.gap, got, c.want)
		}
	}
	// The two tests of passes, each where it decides: the distance itself,
	// which must stay minHit clear, and the distance less slope·s, which must
	// stay slope·t clear.
	sp := sphere{radius: 1}
	q, d := scene.Vec3{X: -10, Y: 3}, scene.Vec3{X: 1}
	room := 1e-9 * (1 + q.Length() + 1)
	cos := math.Sqrt(1 - 0.01)
	least := 3*cos - 0.1*10 // at s0 + slope·b/cos: b·cos - slope·s0
	for _, c := range []struct {
		name              string
		minHit, slope, at float64
		want              bool
	}{
		{"minHit, half a room short", 2 - 0.5*room, 0, 1, false},
		{"minHit, two rooms clear", 2 - 2*room, 0, 1, true},
		{"slope, half a room short", 0, 0.1, (least - 1 - 0.5*room) / 0.1, false},
		{"slope, two rooms clear", 0, 0.1, (least - 1 - 2*room) / 0.1, true},
	} {
		if got := sp.passesAlong(q, d, c.minHit, c.slope, c.at); got != c.want {
			t.Errorf("%s: passes(minHit %.17g, slope %g, t %.17g) = %v, want %v", c.name, c.minHit, c.slope, c.at, got, c.want)
		}
	}
	// A slope of 1 or more never leaves anything behind; a negative one is
	// not a threshold.
	for _, slope := range []float64{1, 1.5, -0.1, math.NaN()} {
		if sp.passesAlong(scene.Vec3{X: 10}, scene.Vec3{X: 1}, 0, slope, 1) {
			t.Errorf("passes at slope %g = true, want false", slope)
		}
	}
}

func TestSphereReceding(t *testing.T) {
	sp := sphere{center: scene.Vec3{X: 1}, radius: 2}
	for _, c := range []struct {
		q, d       scene.Vec3
		dist, rate float64
		ok         bool
	}{
		{scene.Vec3{X: 6}, scene.Vec3{X: 1}, 3, 1, true},
		{scene.Vec3{X: 1, Y: 5}, scene.Vec3{X: 0.6, Y: 0.8}, 3, 0.8, true},
		{scene.Vec3{X: 6}, scene.Vec3{Y: 1}, 0, 0, false},    // passing by: not receding
		{scene.Vec3{X: 6}, scene.Vec3{X: -1}, 0, 0, false},   // coming nearer
		{scene.Vec3{X: 2}, scene.Vec3{X: 1}, 0, 0, false},    // inside
		{scene.Vec3{X: 3}, scene.Vec3{X: 1}, 0, 0, false},    // on the surface
		{scene.Vec3{X: 3.5}, scene.Vec3{X: 1}, 0.5, 1, true}, // just outside
	} {
		dist, rate, ok := sp.receding(c.q, c.d)
		if ok != c.ok || ok && (!near(dist, c.dist) || !near(rate, c.rate)) {
			t.Errorf("receding(%v, %v) = %g, %g, %v; want %g, %g, %v", c.q, c.d, dist, rate, ok, c.dist, c.rate, c.ok)
		}
	}
}

func TestClearanceOK(t *testing.T) {
	primary := marchClearance(10, 0.01, 0.002) // threshold max(0.01, 0.02) now
	shadow := shadowClearance(4, 8, 0.5)
	for _, c := range []struct {
		name       string
		c          clearance
		dist, rate float64
		want       bool
	}{
		{"primary, clear", primary, 1, 0.5, true},
		{"primary, at the threshold now", primary, 0.02, 0.5, true},
		{"primary, under it", primary, 0.0199, 0.5, false},
		{"primary, above minHit but under slope·t", primary, 0.015, 0.5, false},
		{"primary, receding as fast as the threshold grows", primary, 1, 0.002, true},
		{"primary, receding slower", primary, 1, 0.001, false},
		{"primary, approaching", primary, 1, -0.5, false},
		{"shadow, clear", shadow, 2, 0.5, true},               // 8·min(0.5, 0.5) = 4
		{"shadow, at res by distance", shadow, 0.25, 1, true}, // 8·0.0625 = 0.5
		{"shadow, under res by distance", shadow, 0.24, 1, false},
		{"shadow, at res by rate", shadow, 4, 0.0625, true},
		{"shadow, under res by rate", shadow, 4, 0.06, false},
		{"shadow, not receding", shadow, 4, -0.01, false},
		{"shadow, level at res 0", shadowClearance(1, 8, 0), 4, 0, true},
	} {
		if got := c.c.ok(c.dist, c.rate); got != c.want {
			t.Errorf("%s: ok(%g, %g) = %v, want %v", c.name, c.dist, c.rate, got, c.want)
		}
	}
}

func TestEscapesCollectsBoundsAndPlanes(t *testing.T) {
	ball := &scene.Translate{Offset: scene.Vec3{X: 2}, Child: unitSphere}
	endless := &scene.Repeat{Period: scene.Vec3{X: 2}, Child: unitSphere}
	moved := &scene.Translate{Offset: scene.Vec3{Y: 1}, Child: floor}
	for _, c := range []struct {
		name            string
		root            scene.Node
		escape          bool
		spheres, planes int
	}{
		{"a sphere alone", unitSphere, true, 1, 0},
		{"a plane alone", floor, true, 0, 1},
		{"a union", scene.Union{floor, ball, unitSphere}, true, 2, 1},
		{"an endless repetition", scene.Union{floor, endless}, false, 0, 1},
		{"a plane moved", scene.Union{ball, moved}, false, 1, 0},
		{"an opaque node", scene.Union{ball, opaqueNode{unitSphere}}, false, 1, 0},
	} {
		prog := compile(c.root, nil)
		if prog.canEscape != c.escape || !c.escape && len(prog.spheres) > c.spheres || c.escape && (len(prog.spheres) != c.spheres || len(prog.planes) != c.planes) {
			t.Errorf("%s: canEscape %v, %d spheres, %d planes; want %v, %d, %d", c.name, prog.canEscape, len(prog.spheres), len(prog.planes), c.escape, c.spheres, c.planes)
		}
		if !c.escape && (prog.escaped(scene.Vec3{Y: 50}, scene.Vec3{Y: 1}, 1, minHitDist, 0) || prog.planesOnly(scene.Vec3{Y: 50}, scene.Vec3{Y: 1}) || prog.planesNear(scene.Vec3{Y: 50}, 0.1)) {
			t.Errorf("%s: a ray far away escaped or saw only planes, in a scene that cannot tell", c.name)
		}
	}
}

// TestPlanesOnlyAndNear checks when only the planes can be nearest, on a floor
// with a sphere above it.
func TestPlanesOnlyAndNear(t *testing.T) {
	ball := &scene.Translate{Offset: scene.Vec3{Y: 2}, Child: unitSphere} // from y = 1 to 3
	prog := compile(scene.Union{floor, ball}, nil)
	down, up := scene.Vec3{Y: -1}, scene.Vec3{Y: 1}
	away := scene.Vec3{X: 0.6, Y: -0.8}
	for _, c := range []struct {
		name string
		q, d scene.Vec3
		want bool
	}{
		{"under the ball, going down", scene.Vec3{Y: -0.5}, down, true},
		{"beside the ball, going down and away", scene.Vec3{X: 3, Y: 0}, away, true},
		{"under the ball, going up", scene.Vec3{Y: -0.5}, up, false},
		{"nearer the ball than the floor", scene.Vec3{X: 1.5, Y: 0.9}, scene.Vec3{X: 1}, false},
		{"towards the ball", scene.Vec3{X: 3, Y: 0}, scene.Vec3{X: -1}, false},
		{"inside the ball", scene.Vec3{Y: 2}, down, false},
		// Receding from the ball more slowly than from the floor: the ball
		// could become the nearer.
		{"sliding along the floor, away from the ball", scene.Vec3{X: 2, Y: -0.9}, scene.Vec3{X: 1}, true},
		{"rising off the floor faster than leaving the ball", scene.Vec3{X: 4, Y: -0.5}, scene.Vec3{X: 0.6, Y: 0.8}, false},
		{"rising towards the ball", scene.Vec3{X: 3, Y: -0.5}, scene.Vec3{X: 0.6, Y: 0.8}, false},
	} {
		if got := prog.planesOnly(c.q, c.d); got != c.want {
			t.Errorf("%s: planesOnly(%v, %v) = %v, want %v", c.name, c.q, c.d, got, c.want)
		}
	}
	// At the edges: a sphere nearer than the floor by a hair, and one that
	// recedes exactly as fast as the floor does.
	for _, c := range []struct {
		name string
		ball scene.Node
		q, d scene.Vec3
		want bool
	}{
		{"a sphere nearer by 5e-10", &scene.Translate{Offset: scene.Vec3{X: 3}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 2 + 5e-10}}},
			scene.Vec3{}, scene.Vec3{X: -0.6, Y: -0.8}, false},
		{"a sphere receding as fast as the floor", &scene.Translate{Offset: scene.Vec3{Y: -5}, Child: unitSphere},
			scene.Vec3{}, scene.Vec3{X: 0.8, Y: 0.6}, true},
	} {
		p := compile(scene.Union{floor, c.ball}, nil)
		if got := p.planesOnly(c.q, c.d); got != c.want {
			t.Errorf("%s: planesOnly = %v, want %v", c.name, got, c.want)
		}
		if _, got := p.leaving(c.q, c.d, 1, minHitDist, 0.001, false, new(int32)); got != c.want {
			t.Errorf("%s: leaving's planes only = %v, want %v", c.name, got, c.want)
		}
	}
	// Where a ray of each case is said to see only the floor, the program's
	// distance is the floor's all along it.
	var st stacks
	r := rand.New(rand.NewPCG(23, 24))
	for range 2000 {
		q := scene.Vec3{X: r.Float64()*8 - 4, Y: r.Float64()*4 - 1, Z: r.Float64()*8 - 4}
		d := randomUnit(r)
		if !prog.planesOnly(q, d) {
			continue
		}
		for s := 0.0; s < 40; s += 0.25 {
			p := q.Add(d.Scale(s))
			if got, want := prog.planeDistance(p), prog.distance(p, &st); got != want {
				t.Fatalf("planesOnly(%v, %v), yet at %g the floor's distance %g is not the program's %g", q, d, s, got, want)
			}
		}
	}
	// planesNear: the ball is at least 2·reach + slack farther than the floor.
	for _, c := range []struct {
		p     scene.Vec3
		reach float64
		want  bool
	}{
		{scene.Vec3{X: 4, Y: -1}, 0.5, true},  // 4 from the ball, 0 from the floor
		{scene.Vec3{X: 4, Y: -1}, 1.9, true},  // 2·1.9 = 3.8 < 4
		{scene.Vec3{X: 4, Y: -1}, 2, false},   // 4 + slack > 4
		{scene.Vec3{X: 4, Y: -1}, 2.1, false}, // 4.2 > 4
		{scene.Vec3{Y: -0.5}, 0.2, true},      // 1.5 from the ball, 0.5 from the floor: 1 > 0.4
		{scene.Vec3{Y: -0.5}, 0.6, false},     // 1 < 1.2
		{scene.Vec3{Y: 0.5}, 0.01, false},     // 0.5 from the ball, 1.5 from the floor
	} {
		if got := prog.planesNear(c.p, c.reach); got != c.want {
			t.Errorf("planesNear(%v, %g) = %v, want %v", c.p, c.reach, got, c.want)
		}
	}
	if compile(ball, nil).planesNear(scene.Vec3{X: 9}, 0.1) || compile(ball, nil).planesOnly(scene.Vec3{X: 9}, scene.Vec3{X: 1}) {
		t.Error("planesNear or planesOnly without planes: true, want false")
	}
}

// TestPlanesNearByGroups checks planesNear, which skips the parts of a child
// bounded by several spheres where the child's own bound is far enough,
// against the test of every sphere, at random points of every compile case
// and built-in scene: the same answer everywhere, and groups skipped in some
// cases and not in others.
func TestPlanesNearByGroups(t *testing.T) {
	skipped, tested := 0, 0
	for name, n := range compileCases() {
		prog := compile(n, nil)
		if prog == nil || len(prog.groups) == 0 {
			continue
		}
		flat := *prog
		flat.groups = nil
		r := rand.New(rand.NewPCG(5, 6))
		for range 4000 {
			p := scene.Vec3{X: r.Float64()*24 - 12, Y: r.Float64()*6 - 1, Z: r.Float64()*24 - 12}
			reach := r.Float64() * 0.5
			got, want := prog.planesNear(p, reach), flat.planesNear(p, reach)
			if got != want {
				t.Fatalf("%s: planesNear(%v, %g) = %v by groups, %v sphere by sphere", name, p, reach, got, want)
			}
			for _, g := range prog.groups {
				tested++
				if p.Sub(g.bound.center).Length()-g.bound.radius >= prog.planeDistance(p)+2*reach+boundSlack {
					skipped++
				}
			}
		}
	}
	if skipped == 0 || skipped == tested {
		t.Errorf("groups skipped %d times of %d: want some and not all", skipped, tested)
	}
}

// TestPlanesRoomMoves checks the room planesRoom finds, which the wave's
// occlusion stage takes from the normal's test at a point a lift away
// (roomMoved, planesIn): at random points of every compile case, for a point
// moved by up to by in any direction, and straight up, towards what is above
// and away from a floor below, planesIn on the room moved is never true where
// the true room there (trueRoom) is too small for it, even at the greatest
// reach it allows. (planesNear there may say no where it is enough: a bound
// around a child's parts, nearer than they are, can stand for them.) And it
// is not idle: under a sphere, the room is the gap between the two.
func TestPlanesRoomMoves(t *testing.T) {
	allowed := 0
	for name, n := range compileCases() {
		prog := compile(n, nil)
		if prog == nil || !prog.canEscape || len(prog.planes) == 0 {
			continue
		}
		r := rand.New(rand.NewPCG(7, 8))
		for range 2000 {
			p := scene.Vec3{X: r.Float64()*24 - 12, Y: r.Float64()*6 - 1, Z: r.Float64()*24 - 12}
			near, room := prog.planesRoom(p, r.Float64()*1e-3)
			if !near {
				continue
			}
			by := r.Float64() * 0.05
			moved := roomMoved(room, by)
			reach := max(0, (moved-boundSlack)/2)
			if !planesIn(moved, reach) {
				continue
			}
			allowed++
			for _, d := range []scene.Vec3{{Y: 1}, randomUnit(r)} {
				if q := p.Add(d.Scale(by)); !planesIn(trueRoom(prog, q), reach) {
					t.Fatalf("%s: room %g at %v, moved by %g: planesIn reach %g, but the true room at %v is %g", name, room, p, by, reach, q, trueRoom(prog, q))
				}
			}
		}
	}
	if allowed == 0 {
		t.Error("no case where the room moved allows a reach: the test tests nothing")
	}
	for _, gap := range []float64{0.5, 0.53, 3} {
		prog := compile(scene.Union{floor, &scene.Translate{Offset: scene.Vec3{Y: gap}, Child: unitSphere}}, nil)
		ground := scene.Vec3{Y: -1}
		near, room := prog.planesRoom(ground, 0)
		if !near || math.Abs(room-gap) > 1e-9 {
			t.Errorf("planesRoom on the ground %g under a sphere = %v, %g; want true, %g", gap, near, room, gap)
		}
		if got, want := planesIn(room, aoTapsReach), prog.planesNear(ground, aoTapsReach); got != want {
			t.Errorf("planesIn(%g, AO's reach) = %v, planesNear %v", room, got, want)
		}
	}
}

// TestClearAgainstSearch checks escaped and unshaded on a floor and two
// spheres against the definitions: a ray has escaped when every bound and
// plane stays at least its hit threshold away all along it; a shadow ray is
// unshaded when k·h/t stays at or above res.
func TestClearAgainstSearch(t *testing.T) {
	objects := []scene.Node{
		floor,
		&scene.Translate{Offset: scene.Vec3{X: -1.5, Y: 0.5}, Child: unitSphere},
		&scene.Translate{Offset: scene.Vec3{X: 2, Y: 1}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 0.5}}},
	}
	// And a row of five columns, bounded by parts in a group (clear takes a
	// ray clear of the row's bound as clear of them all): searched column by
	// column, since the distance to the row is not convex along a ray.
	column := &scene.Solid{Shape: scene.Sphere{Radius: 0.4}}
	row := &scene.Translate{Offset: scene.Vec3{Y: 0.4, Z: -4}, Child: &scene.Repeat{Period: scene.Vec3{X: 1.5}, Limit: scene.Vec3{X: 2}, Child: column}}
	prog := compile(append(scene.Union{row}, objects...), nil)
	for i := -2; i <= 2; i++ {
		objects = append(objects, &scene.Translate{Offset: scene.Vec3{X: 1.5 * float64(i), Y: 0.4, Z: -4}, Child: column})
	}
	r := rand.New(rand.NewPCG(25, 26))
	counts := [2][2]int{}
	for range 10000 {
		q := scene.Vec3{X: r.Float64()*16 - 8, Y: r.Float64()*6 - 0.9, Z: r.Float64()*16 - 8}
		d := randomUnit(r)
		shadow := r.IntN(2) == 0
		t0 := 0.5 + r.Float64()*10
		slope, k, res := r.Float64()*0.05, 2+r.Float64()*14, 0.05+r.Float64()*0.95
		// The least margin along the ray over every object: for a primary
		// ray, distance less the threshold; for a shadow ray, k·h/t less res
		// (scaled by t/k to a distance).
		margin := math.Inf(1)
		for _, o := range objects {
			h := func(s float64) float64 { return o.Distance(q.Add(d.Scale(s))) }
			// The threshold at s: res/k·(t + s) for a shadow ray, max(minHit,
			// slope·(t + s)) for a primary one, the larger of two lines.
			lines := [][2]float64{{res / k * t0, res / k}}
			if !shadow {
				lines = [][2]float64{{minHitDist, 0}, {slope * t0, slope}}
			}
			for _, l := range lines {
				f := func(s float64) float64 { return h(s) - l[0] - l[1]*s }
				if o == floor {
					// A plane's distance is linear: least at an end, or
					// falling for ever.
					margin = min(margin, f(0), f(1e15))
					continue
				}
				margin = min(margin, leastAlong(f))
			}
		}
		if math.Abs(margin) < 1e-6 {
			continue
		}
		var got bool
		if shadow {
			got = prog.unshaded(q, d, t0, k, res, new(int32))
		} else {
			got = prog.escaped(q, d, t0, minHitDist, slope)
		}
		if want := margin > 0; got != want {
			t.Fatalf("shadow %v: ray at %v towards %v (t %g, slope %g, k %g, res %g): clear %v, want %v (margin %g)", shadow, q, d, t0, slope, k, res, got, want, margin)
		}
		counts[bit2(shadow)][bit2(got)]++
	}
	for s := range 2 {
		for g := range 2 {
			if counts[s][g] < 500 {
				t.Errorf("shadow %v, clear %v: %d rays, want the test to see many", s == 1, g == 1, counts[s][g])
			}
		}
	}
}

// TestSpherePassesErrsTowardsNotClear checks passes where rounding could
// decide: rays that pass a sphere by a hair, from far off, where |v|² - s0²
// cancels most of its bits. Measured exactly (in 200-bit arithmetic), a ray
// said to pass must clear the sphere; and a ray that clears it by well over
// the rounding room must be said to.
func TestSpherePassesErrsTowardsNotClear(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	exact := func(x float64) *big.Float { return new(big.Float).SetPrec(200).SetFloat64(x) }
	said, cleared := 0, 0
	for range 8000 {
		sp := sphere{center: scene.Vec3{X: r.Float64(), Y: r.Float64(), Z: r.Float64()}, radius: math.Pow(10, -1-5*r.Float64())}
		far := 10 + r.Float64()*90
		d := randomUnit(r)
		// A point far back along d from one at about the radius from the
		// centre, in a random direction across d.
		across := randomUnit(r)
		across = across.Sub(d.Scale(across.Dot(d))).Normalize()
		room := 1e-9 * (1 + far + sp.radius)
		gap := (r.Float64()*8 - 4) * room
		q := sp.center.Add(across.Scale(sp.radius + gap)).Sub(d.Scale(far))
		// The exact distance of the line from the centre: |v|² - (v·d)².
		vx, vy, vz := exact(q.X), exact(q.Y), exact(q.Z)
		vx.Sub(vx, exact(sp.center.X))
		vy.Sub(vy, exact(sp.center.Y))
		vz.Sub(vz, exact(sp.center.Z))
		dot := func(ax, ay, az, bx, by, bz *big.Float) *big.Float {
			s := new(big.Float).SetPrec(200).Mul(ax, bx)
			s.Add(s, new(big.Float).SetPrec(200).Mul(ay, by))
			return s.Add(s, new(big.Float).SetPrec(200).Mul(az, bz))
		}
		vv := dot(vx, vy, vz, vx, vy, vz)
		s0 := dot(vx, vy, vz, exact(d.X), exact(d.Y), exact(d.Z))
		if s0.Sign() >= 0 {
			continue // moving away: the nearest point is q itself
		}
		b2 := new(big.Float).SetPrec(200).Sub(vv, new(big.Float).SetPrec(200).Mul(s0, s0))
		if b2.Sign() < 0 {
			b2.SetFloat64(0)
		}
		b, _ := new(big.Float).SetPrec(200).Sqrt(b2).Float64()
		margin := b - sp.radius // exact but for the last rounding
		got := sp.passesAlong(q, d, 0, 0, 1)
		if got && margin < 0 {
			t.Fatalf("sphere %v: a ray from %v along %v passes %g inside it, yet said to pass it", sp, q, d, -margin)
		}
		// What the guard against cancellation takes off b: 4e-16·|v|² off b².
		vvf, _ := vv.Float64()
		guard := b - math.Sqrt(max(b*b-4e-16*vvf, 0))
		if !got && margin > 4*room+guard {
			t.Fatalf("sphere %v: a ray from %v along %v passes it by %g, 4 × the rounding room and the guard %g, yet not said to", sp, q, d, margin, guard)
		}
		if got {
			said++
		}
		if margin > 0 {
			cleared++
		}
	}
	if said < 500 || cleared-said < 500 {
		t.Errorf("%d rays said to pass, %d clear: want many of both, and many clear by less than the room", said, cleared)
	}
}

// TestSurfaceAtTies checks the compiled surface against the tree's where the
// choice of material is closest: two spheres exactly as near (the first
// wins, as in the tree), and one nearer than the other by a hair, within the
// slack of the skip test (the nearer wins).
func TestSurfaceAtTies(t *testing.T) {
	red := scene.Material{Color: scene.Vec3{X: 1}}
	blue := scene.Material{Color: scene.Vec3{Z: 1}}
	green := scene.Material{Color: scene.Vec3{Y: 1}}
	ball := func(x, r float64, m scene.Material) scene.Node {
		return &scene.Translate{Offset: scene.Vec3{X: x}, Child: &scene.Solid{Shape: scene.Sphere{Radius: r}, Material: m}}
	}
	// A ball, a floor and a ceiling, each 1.5 from the point (0, 0.5, -0.25).
	above := func(m scene.Material) scene.Node {
		return &scene.Translate{Offset: scene.Vec3{Y: 4.5, Z: -0.25}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 2.5}, Material: m}}
	}
	ground := func(m scene.Material) scene.Node {
		return &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}, Offset: -1}, Material: m}
	}
	sky := func(m scene.Material) scene.Node {
		return &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: -1}, Offset: -2}, Material: m}
	}
	// A ball about the origin, a solid itself, and a floor as near the
	// point: 0.5 - (0.5 - v) is v exactly.
	v := math.Sqrt(0.3125) - 0.25
	centred := func(m scene.Material) scene.Node {
		return &scene.Solid{Shape: scene.Sphere{Radius: 0.25}, Material: m}
	}
	level := func(m scene.Material) scene.Node {
		return &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}, Offset: 0.5 - v}, Material: m}
	}
	for _, c := range []struct {
		name string
		root scene.Union
		want scene.Material
	}{
		{"as near", scene.Union{ball(-2, 1, red), ball(2, 1, blue)}, red},
		{"as near, the other first", scene.Union{ball(2, 1, blue), ball(-2, 1, red)}, blue},
		{"the second nearer by 5e-10", scene.Union{ball(-2, 1, red), ball(2, 1+5e-10, blue)}, blue},
		// Unbounded children are looked at first, but a tie is still the
		// union's first's.
		{"two planes as near", scene.Union{ground(red), ground(blue)}, red},
		{"a ball before a plane as near", scene.Union{above(red), ground(blue)}, red},
		{"a plane before a ball as near", scene.Union{ground(blue), above(red)}, blue},
		{"the third plane as near as the first", scene.Union{ground(blue), sky(red), ground(green)}, blue},
		{"a solid ball before a plane as near", scene.Union{centred(red), level(blue)}, red},
	} {
		p := scene.Vec3{Y: 0.5, Z: -0.25}
		if least := 0; strings.Contains(c.name, "as near") {
			for _, n := range c.root {
				if n.Distance(p) == c.root.Distance(p) {
					least++
				}
			}
			if least < 2 {
				t.Fatalf("%s: %d children at the least distance, want a tie", c.name, least)
			}
		}
		prog := compile(c.root, nil)
		dw, mw := c.root.Surface(p)
		dg, mg := surfaceAt(prog, p, false)
		if mw != c.want || mg != mw || dg != dw {
			t.Errorf("%s: compiled surface %g, %v; tree %g, %v; want the material %v", c.name, dg, mg, dw, mw, c.want)
		}
	}
}

// TestSurfaceWhereNothingIs checks the material lookup where no child gives
// a distance (a point not a number): +Inf and no material, as the tree's
// union gives, not whatever the material it sets held before.
func TestSurfaceWhereNothingIs(t *testing.T) {
	root := scene.Union{floor, &scene.Translate{Offset: scene.Vec3{Y: 1}, Child: unitSphere}}
	p := scene.Vec3{X: math.NaN()}
	dw, mw := root.Surface(p)
	for _, planes := range []bool{false, true} {
		if d, m := surfaceAt(compile(root, nil), p, planes); !math.IsInf(d, 1) || m != mw || !math.IsInf(dw, 1) {
			t.Errorf("surface at NaN (planes %v) = %g, %v; tree %g, %v; want +Inf and the tree's", planes, d, m, dw, mw)
		}
	}
}

// passesAlong is passes for a ray at q going in unit direction d, with the
// approach and the cosine worked out here.
func (sp sphere) passesAlong(q, d scene.Vec3, minHit, slope, t float64) bool {
	c := marchClearance(t, minHit, slope)
	return sp.passes(sp.approach(q, d), minHit, slope, c.cos, c.tan, t)
}

// The definitions of the march's two checks, each on its own, which leaving
// makes at once and the tests hold it to.

// escaped reports whether a ray at distance t, now at q, will hit nothing more:
// its distance to everything stays above the hit threshold, minHit + slope·t,
// however far it goes. It is clear's answer, which takes a child bounded by
// parts whole where the ray passes the sphere around it; leaving tests the
// parts one by one, and TestLeavingIsEscapedAndPlanesOnly holds the two to
// the same answer (they could differ only within passes's rounding room).
func (pr *program) escaped(q, d scene.Vec3, t, minHit, slope float64) bool {
	var first int32
	c := marchClearance(t, minHit, slope)
	return pr.clear(q, d, &c, &first)
}

// planesOnly reports whether, for a ray at q going in unit direction d, the
// distance is and will stay the nearest plane's: some plane is nearer than every
// bounding sphere (by more than boundSlack) and comes no faster towards the ray
// than any sphere does. Then planeDistance gives the program's distance exactly,
// for the rest of the ray.
func (pr *program) planesOnly(q, d scene.Vec3) bool {
	if !pr.canEscape || len(pr.planes) == 0 {
		return false
	}
	near, rate := math.Inf(1), 0.0
	for _, pl := range pr.planes {
		if dist := pl.Distance(q); dist < near {
			near, rate = dist, pl.Normal.Dot(d)
		}
	}
	for _, sp := range pr.spheres {
		dist, r, ok := sp.receding(q, d)
		if !ok || dist < near+boundSlack || r < rate {
			return false
		}
	}
	return true
}

// receding returns how far a ray at q going in unit direction d is from the
// sphere and how fast it recedes from it; ok is false if it is inside the sphere
// or coming towards it.
func (sp sphere) receding(q, d scene.Vec3) (dist, rate float64, ok bool) {
	return sp.recedingAt(sp.approach(q, d))
}

// recedingAt is receding for the ray's approach a.
func (sp sphere) recedingAt(a approach) (dist, rate float64, ok bool) {
	if a.vd <= 0 || a.vv <= sp.radius*sp.radius {
		return 0, 0, false
	}
	return a.l - sp.radius, a.vd / a.l, true
}

// TestClearTakesAGroupWhole checks clear's rule for a child bounded by parts
// (a row of columns): a ray clear of the sphere around the child is clear of
// every part, whatever the parts' own tests would say, and a ray that is not
// is clear of the child only if it is clear of each part; from whichever
// sphere it starts looking.
func TestClearTakesAGroupWhole(t *testing.T) {
	column := &scene.Solid{Shape: scene.Sphere{Radius: 0.4}}
	row := &scene.Translate{Offset: scene.Vec3{Y: 0.4, Z: -3}, Child: &scene.Repeat{Period: scene.Vec3{X: 1.5}, Limit: scene.Vec3{X: 2}, Child: column}}
	ball := &scene.Translate{Offset: scene.Vec3{X: 2, Y: 1}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 0.5}}}
	prog := compile(scene.Union{floor, row, ball}, nil)
	if len(prog.groups) != 1 || prog.groups[0].to-prog.groups[0].from != 5 || len(prog.spheres) != 6 {
		t.Fatalf("groups %+v of %d spheres, want one group of the row's five columns, and the ball", prog.groups, len(prog.spheres))
	}
	g := prog.groups[0]
	// The same program without the group: its parts tested one by one.
	flat := *prog
	flat.groups = nil
	flat.groupOf = make([]int32, len(prog.spheres))
	for i := range flat.groupOf {
		flat.groupOf[i] = -1
	}
	r := rand.New(rand.NewPCG(27, 28))
	seen := [2]int{}
	for range 20000 {
		q := scene.Vec3{X: r.Float64()*16 - 8, Y: r.Float64()*4 - 0.9, Z: r.Float64()*12 - 9}
		d := randomUnit(r)
		var c clearance
		if r.IntN(2) == 0 {
			c = shadowClearance(0.5+r.Float64()*10, 2+r.Float64()*14, 0.05+r.Float64()*0.95)
		} else {
			c = marchClearance(0.5+r.Float64()*10, minHitDist, r.Float64()*0.05)
		}
		groupClear := c.clearOf(g.bound, q, d)
		// With every column swapped for a sphere the ray starts inside,
		// which no ray is clear of.
		poisoned := *prog
		poisoned.spheres = append([]sphere(nil), prog.spheres...)
		for i := g.from; i < g.to; i++ {
			poisoned.spheres[i] = sphere{q, 1}
		}
		for from := range int32(len(prog.spheres)) {
			blocker, other := from, from
			got := prog.clear(q, d, &c, &blocker)
			if groupClear {
				if alt := poisoned.clear(q, d, &c, &other); alt != got {
					t.Fatalf("ray at %v towards %v, clear of the row's bound, from sphere %d: clear %v, but %v with the columns swapped for spheres it is inside", q, d, from, got, alt)
				}
			} else if want := flat.clear(q, d, &c, &other); got != want {
				t.Fatalf("ray at %v towards %v, not clear of the row's bound, from sphere %d: clear %v, want %v, the columns' answer one by one", q, d, from, got, want)
			}
			if blocker < 0 || int(blocker) >= len(prog.spheres) {
				t.Fatalf("clear left blocker %d, want a sphere's index", blocker)
			}
		}
		seen[bit2(groupClear)]++
	}
	if seen[0] < 1000 || seen[1] < 1000 {
		t.Errorf("%d rays not clear of the row's bound and %d clear of it, want many of each", seen[0], seen[1])
	}
}
