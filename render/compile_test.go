package render

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// compileCases are trees covering every shape, operation and transform, alone and
// nested, bounded and not.
func compileCases() map[string]scene.Node {
	m := scene.Material{Color: scene.Vec3{X: 0.5, Y: 0.5, Z: 0.5}}
	solid := func(s scene.Shape) scene.Node { return &scene.Solid{Shape: s, Material: m} }
	at := func(x, y, z float64, n scene.Node) scene.Node {
		return &scene.Translate{Offset: scene.Vec3{X: x, Y: y, Z: z}, Child: n}
	}
	sphere := solid(scene.Sphere{Radius: 0.7})
	box := solid(scene.Box{Half: scene.Vec3{X: 0.5, Y: 0.3, Z: 0.4}})
	shapes := map[string]scene.Node{
		"sphere":        sphere,
		"box":           box,
		"round box":     solid(scene.RoundBox{Half: scene.Vec3{X: 0.5, Y: 0.4, Z: 0.6}, Radius: 0.1}),
		"torus":         solid(scene.Torus{Major: 0.8, Minor: 0.2}),
		"capsule":       solid(scene.Capsule{A: scene.Vec3{X: -0.5}, B: scene.Vec3{Y: 0.7, Z: 0.2}, Radius: 0.25}),
		"point capsule": solid(scene.Capsule{A: scene.Vec3{X: 0.1, Y: 0.2}, B: scene.Vec3{X: 0.1, Y: 0.2}, Radius: 0.3}),
		"skew capsule":  solid(scene.Capsule{A: scene.Vec3{X: -0.3, Y: 0.2, Z: 0.4}, B: scene.Vec3{X: 0.5, Y: -0.1, Z: -0.3}, Radius: 0.2}),
		"cylinder":      solid(scene.Cylinder{Radius: 0.4, HalfHeight: 0.6}),
		"plane":         solid(scene.Plane{Normal: scene.Vec3{X: 0.6, Y: 0.8}, Offset: -0.3}),
		"tilted plane":  solid(scene.Plane{Normal: scene.Vec3{X: 0.48, Y: -0.6, Z: 0.64}, Offset: 0.2}),
	}
	cases := map[string]scene.Node{}
	for name, s := range shapes {
		cases[name] = s
		cases["translated "+name] = at(0.3, -0.2, 0.5, s)
	}
	pair := []scene.Node{at(-0.4, 0, 0, sphere), at(0.5, 0.2, 0, box)}
	cases["union"] = scene.Union{pair[0], pair[1], shapes["plane"], shapes["torus"]}
	cases["empty union"] = scene.Union{}
	// A floor and a wall of other colours, and a ball between them.
	cases["two planes"] = scene.Union{
		&scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}, Offset: -1}, Material: scene.Material{Color: scene.Vec3{X: 1}}},
		&scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{X: -1}, Offset: -4}, Material: scene.Material{Color: scene.Vec3{Z: 1}}},
		at(1, 0, 0, sphere),
	}
	cases["intersection"] = scene.Intersection(pair)
	cases["subtraction"] = &scene.Subtraction{A: box, B: sphere}
	cases["smooth union"] = &scene.SmoothUnion{K: 0.4, Children: []scene.Node{pair[0], pair[1], at(0, 1.5, 0, shapes["capsule"])}}
	cases["smooth union with a plane"] = &scene.SmoothUnion{K: 0.3, Children: []scene.Node{shapes["plane"], sphere}}
	cases["smooth intersection"] = &scene.SmoothIntersection{K: 0.2, Children: pair}
	cases["smooth subtraction"] = &scene.SmoothSubtraction{K: 0.15, A: box, B: sphere}
	cases["rotate"] = scene.RotateEuler(scene.Vec3{X: 0.3, Y: 1.1, Z: -0.4}, shapes["capsule"])
	cases["scale"] = &scene.Scale{Factor: 1.7, Child: shapes["torus"]}
	cases["repeat"] = &scene.Repeat{Period: scene.Vec3{X: 2, Z: 1.5}, Child: sphere}
	cases["limited repeat"] = &scene.Repeat{Period: scene.Vec3{X: 2, Y: 1.5}, Limit: scene.Vec3{X: 2, Y: 1}, Child: box}
	cases["opaque node"] = scene.Union{at(1, 0, 0, opaqueNode{sphere}), sphere}
	cases["opaque shape"] = solid(panicky{})
	cases["nested"] = scene.Union{
		shapes["plane"],
		at(1, 0.5, 0, scene.RotateAxis(scene.Vec3{Y: 1}, 0.7, &scene.Scale{Factor: 0.8,
			Child: &scene.SmoothUnion{K: 0.2, Children: []scene.Node{cases["subtraction"], at(0, 0.6, 0, shapes["round box"])}}})),
		at(-2, 0, 1, cases["limited repeat"]),
	}
	// Every shape and operation a scene file can name, built as the file builds it.
	for _, p := range scenefile.Primitives() {
		f, err := scenefile.Parse(p.Name+".yaml", []byte("camera: {position: [0, 2, 6]}\nobjects:\n  - "+p.Example+"\n"))
		if err != nil {
			panic(fmt.Sprintf("the example of %s: %v", p.Name, err)) // scenefile's tests say more
		}
		cases["file "+p.Name] = f.At(0.5).Root
	}
	for _, b := range scenefile.Builtins() {
		for _, t := range []float64{0, 1.3} {
			cases[fmt.Sprintf("%s at %g", b.Name, t)] = b.At(t).Root
		}
	}
	return cases
}

// opaqueNode hides a node's type from compile, which must then call it.
type opaqueNode struct{ scene.Node }

func TestCompiledAgreesWithTree(t *testing.T) {
	onGround := 0 // points where only the planes can be nearest
	defer func() {
		if onGround < 1000 {
			t.Errorf("only the planes could be nearest at %d points, want 1000 or more to test surface there", onGround)
		}
	}()
	for name, n := range compileCases() {
		t.Run(name, func(t *testing.T) {
			prog := compile(n, nil)
			if prog == nil {
				t.Fatal("compile returned nil for a shallow tree")
			}
			var st stacks
			r := rand.New(rand.NewPCG(3, 4))
			for range 3000 {
				p := scene.Vec3{X: r.Float64()*12 - 6, Y: r.Float64()*8 - 2, Z: r.Float64()*12 - 6}
				if r.IntN(4) == 0 {
					p = p.Scale(0.2) // near the origin, where most surfaces are
				}
				if name == "opaque shape" && p.X > 0.3 {
					continue // panicky's bug
				}
				want := n.Distance(p)
				got := prog.distance(p, &st)
				if !(math.Abs(got-want) <= 1e-9) && !(math.IsInf(got, 1) && math.IsInf(want, 1)) {
					t.Fatalf("compiled distance at %v = %.17g, tree = %.17g", p, got, want)
				}
				if dw, mw := n.Surface(p); !math.IsInf(dw, 1) {
					dg, mg := surfaceAt(prog, p, false)
					if math.Abs(dg-dw) > 1e-9 || mg != mw {
						t.Fatalf("compiled surface at %v = %g, %v; tree = %g, %v", p, dg, mg, dw, mw)
					}
					if prog.planesNear(p, 0) {
						onGround++
						if dg, mg := surfaceAt(prog, p, true); math.Abs(dg-dw) > 1e-9 || mg != mw {
							t.Fatalf("compiled surface at %v where only the planes can be nearest = %g, %v; tree = %g, %v", p, dg, mg, dw, mw)
						}
					}
				}
			}
		})
	}
}

// TestCappedIsTheRest checks the distance rays step by where the marcher takes
// the planes itself (tracer.planesAhead): for every compile case whose root
// is planes and bounded objects, with a plane among them (and only for
// those), program.capped at random points and ceilings is the tree's distance
// to the root's other children, or the ceiling where that is less; and every
// kernel's capped batch is the interpreter's, bit for bit.
func TestCappedIsTheRest(t *testing.T) {
	for name, n := range compileCases() {
		t.Run(name, func(t *testing.T) {
			children, ok := n.(scene.Union)
			if !ok {
				children = scene.Union{n}
			}
			var rest scene.Union
			split := true
			planes := 0
			for _, ch := range children {
				if s, ok := ch.(*scene.Solid); ok {
					if _, ok := s.Shape.(scene.Plane); ok {
						planes++
						continue
					}
				}
				if _, _, ok := bound(ch); !ok {
					split = false
				}
				rest = append(rest, ch)
			}
			split = split && planes > 0
			prog := compile(n, nil)
			if prog.split() != split {
				t.Fatalf("split = %v, want %v", prog.split(), split)
			}
			if !split {
				return
			}
			var st stacks
			r := rand.New(rand.NewPCG(5, 6))
			b := new(batch)
			var want [batchLanes]float64
			for range 40 {
				for l := range batchLanes {
					p := scene.Vec3{X: r.Float64()*12 - 6, Y: r.Float64()*8 - 2, Z: r.Float64()*12 - 6}
					if r.IntN(4) == 0 {
						p = p.Scale(0.2)
					}
					ceiling := []float64{r.Float64() * 3, r.Float64() * 0.3, math.Inf(1), 0, -0.5}[r.IntN(5)]
					got := prog.capped(p, ceiling, &st)
					if w := min(ceiling, rest.Distance(p)); !(math.Abs(got-w) <= 1e-9) && !(math.IsInf(got, 1) && math.IsInf(w, 1)) {
						t.Fatalf("capped at %v, ceiling %g = %.17g; want the rest's distance or the ceiling, %.17g", p, ceiling, got, w)
					}
					b.x[0][l], b.y[0][l], b.z[0][l] = p.X, p.Y, p.Z
					b.ds[0][l], want[l] = ceiling, got
				}
				b.n = batchLanes
				for _, k := range testKernels() {
					c := *b
					c.capped(k, prog)
					for l := range batchLanes {
						if math.Float64bits(c.ds[0][l]) != math.Float64bits(want[l]) {
							t.Fatalf("%s kernel, capped at %g, %g, %g, ceiling %g = %.17g; the interpreter's %.17g",
								k.name(), b.x[0][l], b.y[0][l], b.z[0][l], b.ds[0][l], c.ds[0][l], want[l])
						}
					}
				}
			}
		})
	}
}

// TestBoundsHoldTheirNodes checks the bounds of every compile case: its
// sphere (bound), and the spheres a ray must leave behind to escape
// (partBounds), which between them hold the node too, one around each copy
// of a repetition of a few copies.
func TestBoundsHoldTheirNodes(t *testing.T) {
	cases := compileCases()
	limited := cases["limited repeat"] // 5 × 3 copies of a box
	cases["moved limited repeat"] = &scene.Translate{Offset: scene.Vec3{X: -2, Y: 0.5, Z: 1}, Child: &scene.Translate{Offset: scene.Vec3{Z: 0.3}, Child: limited}}
	cases["repeat of many copies"] = &scene.Repeat{Period: scene.Vec3{X: 2, Y: 1.5}, Limit: scene.Vec3{X: 3, Y: 3}, Child: limited.(*scene.Repeat).Child}
	for name, n := range cases {
		center, radius, ok := bound(n)
		parts, partsOK := partBounds(nil, n)
		if partsOK != ok {
			t.Errorf("%s: partBounds bounded %v, bound %v", name, partsOK, ok)
		}
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(5, 6))
			for range 3000 {
				p := center.Add(scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}.Scale(radius * 1.6))
				d := n.Distance(p)
				if lb := p.Sub(center).Length() - radius; d < lb-1e-9 {
					t.Fatalf("distance at %v = %g, below the bound's %g (centre %v, radius %g)", p, d, lb, center, radius)
				}
				lb := math.Inf(1)
				for _, sp := range parts {
					lb = min(lb, p.Sub(sp.center).Length()-sp.radius)
				}
				if d < lb-1e-9 {
					t.Fatalf("distance at %v = %g, below the part bounds' %g (%v)", p, d, lb, parts)
				}
			}
		})
	}
	for _, unbounded := range []string{"plane", "repeat", "union", "opaque shape"} {
		if _, _, ok := bound(cases[unbounded]); ok {
			t.Errorf("bound(%s) = ok, want unbounded", unbounded)
		}
	}
	_, child, _ := bound(limited.(*scene.Repeat).Child)
	for name, want := range map[string]int{"limited repeat": 15, "moved limited repeat": 15, "repeat of many copies": 1, "smooth union": 1} {
		parts, _ := partBounds(nil, cases[name])
		if len(parts) != want {
			t.Errorf("%s: %d part bounds, want %d", name, len(parts), want)
		}
		if want > 1 && parts[0].radius != child {
			t.Errorf("%s: the copies' bounds have radius %g, want the child's %g", name, parts[0].radius, child)
		}
	}
}

func TestCompileGivesUpOnDeepTrees(t *testing.T) {
	var n scene.Node = &scene.Solid{Shape: scene.Sphere{Radius: 1}}
	for range stackDepth + 1 {
		n = &scene.Translate{Offset: scene.Vec3{X: 0.01}, Child: &scene.Scale{Factor: 1, Child: n}}
	}
	if compile(n, nil) != nil {
		t.Errorf("compile of a tree %d transforms deep = a program, want nil (evaluate the tree)", 2*(stackDepth+1))
	}
	// The renderer then evaluates the tree, and still renders.
	s := &scene.Scene{Camera: scene.Camera{Position: scene.Vec3{Z: 5}, Up: scene.Vec3{Y: 1}, FOV: 40}, Root: n}
	if _, err := RenderFrame(s, Settings{Width: 8, Height: 8, Samples: 1}); err != nil {
		t.Fatal(err)
	}
}

// TestEscapeIsSafe checks that a ray reported escaped would hit nothing and that
// a shadow ray reported unshaded would not get darker, by marching on.
func TestEscapeIsSafe(t *testing.T) {
	for _, name := range []string{"showcase", "hotspot", "gallery"} {
		sc, _ := scenefile.Lookup(name)
		root := sc.At(2).Root
		prog := compile(root, nil)
		if !prog.canEscape {
			t.Fatalf("%s: canEscape = false, want true (bounded objects and planes)", name)
		}
		var st stacks
		r := rand.New(rand.NewPCG(7, 8))
		escapes := 0
		for range 20000 {
			q := scene.Vec3{X: r.Float64()*30 - 15, Y: r.Float64() * 15, Z: r.Float64()*30 - 15}
			d := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}.Normalize()
			const t0, slope = 5, 0.01
			if prog.planesOnly(q, d) {
				// From here on the distance must be the planes' alone.
				for s := 0.0; s < 30; s += 0.37 {
					p := q.Add(d.Scale(s))
					if got, want := prog.planeDistance(p), prog.distance(p, &st); got != want {
						t.Fatalf("%s: ray at %v towards %v: planes only, yet %g on the planes give %g and the program %g", name, q, d, s, got, want)
					}
				}
			}
			if !prog.escaped(q, d, t0, minHitDist, slope) {
				continue
			}
			escapes++
			// March on (stepping by the distance, which is safe) to the far plane.
			if s, dist, ok := firstBelow(root, q.Sub(d.Scale(t0)), d, t0, 0, underThreshold(slope)); ok {
				t.Fatalf("%s: ray at %v towards %v escaped, yet %g further on the distance %g is under the threshold", name, q, d, s-t0, dist)
			}
		}
		if escapes < 1000 {
			t.Errorf("%s: only %d of 20000 rays escaped, want the test to exercise it", name, escapes)
		}
		// Shadow rays: once unshaded, the penumbra term k·h/t never falls below
		// res further on.
		unshaded := 0
		for range 20000 {
			q := scene.Vec3{X: r.Float64()*30 - 15, Y: r.Float64() * 15, Z: r.Float64()*30 - 15}
			d := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}.Normalize()
			t0, k, res := 0.5+r.Float64()*5, 10.0, 0.05+r.Float64()*0.95
			if !prog.unshaded(q, d, t0, k, res, new(int32)) {
				continue
			}
			unshaded++
			if u, dist, ok := firstBelow(root, q.Sub(d.Scale(t0)), d, t0, 0.01, darkening(k, res)); ok {
				t.Fatalf("%s: shadow ray at %v towards %v unshaded at res %g, yet %g further on k·h/t = %g", name, q, d, res, u-t0, k*dist/u)
			}
		}
		if unshaded < 1000 {
			t.Errorf("%s: only %d of 20000 shadow rays unshaded, want the test to exercise it", name, unshaded)
		}
	}
}

// firstBelow marches the ray from o in unit direction d through root, from
// distance from to the far plane, stepping by the distance (at least
// minStep), and returns the first distance along it where below holds for the
// distance to the scene there, and that distance.
func firstBelow(root scene.Node, o, d scene.Vec3, from, minStep float64, below func(dist, u float64) bool) (u, dist float64, found bool) {
	for u = from; u < farPlane; u += max(dist, minStep) {
		if dist = root.Distance(o.Add(d.Scale(u))); below(dist, u) {
			return u, dist, true
		}
	}
	return u, dist, false
}

// underThreshold holds where a ray comes within the hit threshold with slope
// slope of the scene.
func underThreshold(slope float64) func(dist, u float64) bool {
	return func(dist, u float64) bool { return dist < max(minHitDist, slope*u) }
}

// darkening holds where a shadow ray of sharpness k would lower its penumbra
// term below res.
func darkening(k, res float64) func(dist, u float64) bool {
	return func(dist, u float64) bool { return k*dist/u < res*(1-1e-9) }
}

// TestEscapedFromIsSafe checks the test of a group of rays at once: when it
// says none of the group can hit anything more, none comes within its hit
// threshold of the scene marching on. The groups are of rays from points
// scattered around a random point, in directions scattered around a random
// one, all at one distance along them (0, as a reflection starts, or more, as
// a cone's rays do); and the test must say yes, and no, often enough.
func TestEscapedFromIsSafe(t *testing.T) {
	const slope = 0.004
	for _, name := range []string{"showcase", "hotspot", "gallery", "minimal"} {
		sc, _ := scenefile.Lookup(name)
		root := sc.At(1.5).Root
		prog := compile(root, nil)
		r := rand.New(rand.NewPCG(13, 14))
		yes, no := 0, 0
		for range 3000 {
			centre := scene.Vec3{X: r.Float64()*16 - 8, Y: r.Float64() * 4, Z: r.Float64()*16 - 8}
			axis := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64() * 1.2, Z: r.Float64()*2 - 1}.Normalize()
			spread := []float64{0, 0.01, 0.1, 0.5}[r.IntN(4)]
			angle := []float64{0.001, 0.02, 0.1}[r.IntN(3)]
			t0 := []float64{0, 0, 0.01, 2}[r.IntN(4)]
			group := make([]marchRay, 2+r.IntN(batchLanes-1))
			for i := range group {
				off := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}
				turn := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}
				group[i] = marchRay{ro: centre.Add(off.Scale(spread)), rd: axis.Add(turn.Scale(angle)).Normalize(), progress: progress{t: t0}}
			}
			if !prog.escapedFrom(group, minHitDist, slope) {
				no++
				continue
			}
			yes++
			for _, g := range group {
				if u, dist, ok := firstBelow(root, g.ro, g.rd, t0, 0, underThreshold(slope)); ok {
					t.Fatalf("%s: a group of %d rays within %g of %v, %g of %v, escaped at %g, yet the ray from %v towards %v comes within %g at %g", name, len(group), spread, centre, angle, axis, t0, g.ro, g.rd, dist, u)
				}
			}
		}
		if yes < 100 || no < 100 {
			t.Errorf("%s: %d groups escaped and %d not, want 100 or more of each", name, yes, no)
		}
	}
	// Rays grazing a sphere from just off it, where the threshold is minHit
	// and a ray straying from the axis comes nearer than the axis does.
	root := &scene.Solid{Shape: scene.Sphere{Radius: 1}}
	prog := compile(scene.Union{root}, nil)
	r := rand.New(rand.NewPCG(15, 16))
	yes := 0
	for range 20000 {
		const slope = 1e-3 // minHit/slope = 0.1 of a distance where the threshold is minHit
		up := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}.Normalize()
		side := up.Cross(scene.Vec3{X: 0.3, Y: 0.5, Z: 0.8}).Normalize()
		start := up.Scale(1 + minHitDist + r.Float64()*0.01)
		group := make([]marchRay, 2+r.IntN(6))
		for i := range group {
			dip := r.Float64() * 0.2
			group[i] = marchRay{ro: start, rd: side.Add(up.Scale(0.02 - dip)).Normalize()}
		}
		if !prog.escapedFrom(group, minHitDist, slope) {
			continue
		}
		yes++
		for _, g := range group {
			if u, dist, ok := firstBelow(root, g.ro, g.rd, 0, 1e-5, underThreshold(slope)); ok {
				t.Fatalf("a group of %d rays grazing a sphere from %v escaped, yet the ray towards %v comes within %g at %g", len(group), start, g.rd, dist, u)
			}
		}
	}
	if yes < 100 {
		t.Errorf("%d groups grazing a sphere escaped, want 100 or more", yes)
	}
}

// TestUnshadedFromIsSafe checks the test of a group of shadow rays at once:
// when it says the group is unshaded from the start, no ray of it gets darker
// marching on. The groups are of rays from points scattered around a random
// point near the ground, in each light's direction; and the test must say
// yes, and no, often enough to be exercised.
func TestUnshadedFromIsSafe(t *testing.T) {
	for _, name := range []string{"showcase", "hotspot", "gallery", "minimal"} { // not field: its endless repetition never lets a ray go
		sc, _ := scenefile.Lookup(name)
		s := sc.At(1.5)
		root := s.Root
		prog := compile(root, nil)
		r := rand.New(rand.NewPCG(11, 12))
		yes, no := 0, 0
		for range 3000 {
			centre := scene.Vec3{X: r.Float64()*16 - 8, Y: r.Float64() * r.Float64() * 3, Z: r.Float64()*16 - 8}
			spread := []float64{0.01, 0.1, 0.5, 2}[r.IntN(4)]
			group := make([]shadowRay, 2+r.IntN(batchLanes-1))
			under := r.IntN(4) == 0 // some of the group under the ground, which a lifted hit never is
			for i := range group {
				off := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}.Scale(spread)
				p := centre.Add(off)
				if !under || i == 0 {
					p.Y = max(p.Y, 1e-3)
				}
				group[i] = shadowRay{p: p, t: shadowStart, res: 1}
			}
			l := s.Lights[r.IntN(len(s.Lights))]
			d, k := l.Direction.Normalize(), max(l.Shadow, 4)
			if !prog.unshadedFrom(group, d, k) {
				no++
				continue
			}
			yes++
			for _, g := range group {
				if u, dist, ok := firstBelow(root, g.p, d, shadowStart, 0.01, darkening(k, 1)); ok {
					t.Fatalf("%s: a group of %d rays within %g of %v unshaded, yet the ray from %v towards %v has k·h/t = %g at %g", name, len(group), spread, centre, g.p, d, k*dist/u, u)
				}
			}
		}
		if yes < 100 || no < 100 {
			t.Errorf("%s: %d groups unshaded from the start and %d not, want 100 or more of each", name, yes, no)
		}
	}
}

// TestReferenceDrawsTheSamePicture compares the fast marcher with the reference.
// They differ where they should: the fast one stops half a pixel's footprint from
// a surface and the reference at a fixed epsilon, which moves silhouettes and the
// aliasing of the distant floor. But their pictures must be far closer to each
// other than to the frame a tenth of a second later.
func TestReferenceDrawsTheSamePicture(t *testing.T) {
	if testing.Short() {
		t.Skip("renders with the slow reference marcher")
	}
	sc, _ := scenefile.Lookup("showcase")
	set := Settings{Width: 240, Height: 135, Samples: 1}
	fast, err := RenderFrame(sc.At(1.1), set)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := renderReference(sc.At(1.1), set)
	later, _ := RenderFrame(sc.At(1.2), set)
	same, next := meanAbsDiff(fast, ref), meanAbsDiff(fast, later)
	if same > 8 || same > next/2 {
		t.Errorf("mean difference from the reference = %.2f levels, from the next frame %.2f; want at most 8 and under half", same, next)
	}
}

func meanAbsDiff(a, b *image.RGBA) float64 {
	sum := 0
	for i := range a.Pix {
		sum += max(int(a.Pix[i])-int(b.Pix[i]), int(b.Pix[i])-int(a.Pix[i]))
	}
	return float64(sum) / float64(len(a.Pix))
}
