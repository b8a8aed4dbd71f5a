package render

import (
	"math"
	"testing"

	"github.com/sdfrender/render/scene"
)

// TestBoundValues checks that the bounds are the tight ones the comments
// promise, not merely safe (TestBoundsHoldTheirNodes checks that): a loose
// bound skips less, and the renderer slows down without a picture changing.
func TestBoundValues(t *testing.T) {
	solid := func(s scene.Shape) scene.Node { return &scene.Solid{Shape: s} }
	ball := func(x, y, z, r float64) scene.Node {
		return &scene.Translate{Offset: scene.Vec3{X: x, Y: y, Z: z}, Child: solid(scene.Sphere{Radius: r})}
	}
	for _, c := range []struct {
		name   string
		n      scene.Node
		center scene.Vec3
		radius float64
		ok     bool
	}{
		{"sphere", solid(scene.Sphere{Radius: 0.7}), scene.Vec3{}, 0.7, true},
		{"box", solid(scene.Box{Half: scene.Vec3{X: 1, Y: 2, Z: 2}}), scene.Vec3{}, 3, true},
		{"round box", solid(scene.RoundBox{Half: scene.Vec3{X: 2, Y: 3, Z: 6}, Radius: 0.5}), scene.Vec3{}, 7, true},
		{"torus", solid(scene.Torus{Major: 1, Minor: 0.25}), scene.Vec3{}, 1.25, true},
		{"capsule", solid(scene.Capsule{A: scene.Vec3{X: -1, Y: 1}, B: scene.Vec3{X: 3, Y: 4}, Radius: 0.5}), scene.Vec3{X: 1, Y: 2.5}, 3, true},
		{"cylinder", solid(scene.Cylinder{Radius: 3, HalfHeight: 4}), scene.Vec3{}, 5, true},
		{"plane", solid(scene.Plane{Normal: scene.Vec3{Y: 1}}), scene.Vec3{}, 0, false},
		{"translated", ball(1, 2, 3, 0.5), scene.Vec3{X: 1, Y: 2, Z: 3}, 0.5, true},
		{"scaled", &scene.Scale{Factor: 2, Child: ball(1, 0, 0, 0.5)}, scene.Vec3{X: 2}, 1, true},
		{"scaled down", &scene.Scale{Factor: 0.5, Child: ball(0, 4, 0, 2)}, scene.Vec3{Y: 2}, 1, true},
		{"rotated", scene.RotateAxis(scene.Vec3{Z: 1}, math.Pi/2, ball(1, 0, 0, 0.5)), scene.Vec3{Y: 1}, 0.5, true},
		{"union of two apart", scene.Union{ball(-2, 0, 0, 1), ball(2, 0, 0, 1)}, scene.Vec3{}, 3, true},
		{"union, unequal", scene.Union{ball(0, 0, 0, 1), ball(4, 0, 0, 2)}, scene.Vec3{X: 2.5}, 3.5, true},
		{"union, one inside", scene.Union{ball(0, 0, 0, 3), ball(1, 0, 0, 1)}, scene.Vec3{}, 3, true},
		{"union, inside the second", scene.Union{ball(1, 0, 0, 1), ball(0, 0, 0, 3)}, scene.Vec3{}, 3, true},
		{"union of three", scene.Union{ball(-2, 0, 0, 1), ball(2, 0, 0, 1), ball(0, 0, 0, 0.5)}, scene.Vec3{}, 3, true},
		{"union with a plane", scene.Union{ball(0, 0, 0, 1), solid(scene.Plane{Normal: scene.Vec3{Y: 1}})}, scene.Vec3{}, 0, false},
		{"union starting with a plane", scene.Union{solid(scene.Plane{Normal: scene.Vec3{Y: 1}}), ball(0, 0, 0, 1)}, scene.Vec3{}, 0, false},
		{"empty union", scene.Union{}, scene.Vec3{}, 0, false},
		{"smooth union", &scene.SmoothUnion{K: 0.4, Children: []scene.Node{ball(-2, 0, 0, 1), ball(2, 0, 0, 1)}}, scene.Vec3{}, 3.1, true},
		{"intersection", scene.Intersection{ball(0, 0, 0, 3), ball(1, 0, 0, 1), ball(0, 5, 0, 2)}, scene.Vec3{X: 1}, 1, true},
		{"intersection with a plane", scene.Intersection{solid(scene.Plane{Normal: scene.Vec3{Y: 1}}), ball(0, 1, 0, 2)}, scene.Vec3{Y: 1}, 2, true},
		{"smooth intersection", &scene.SmoothIntersection{K: 0.3, Children: []scene.Node{ball(0, 0, 0, 3), ball(1, 0, 0, 1)}}, scene.Vec3{X: 1}, 1, true},
		{"subtraction", &scene.Subtraction{A: ball(1, 0, 0, 2), B: ball(0, 0, 0, 5)}, scene.Vec3{X: 1}, 2, true},
		{"smooth subtraction", &scene.SmoothSubtraction{K: 0.2, A: ball(1, 0, 0, 2), B: ball(0, 0, 0, 5)}, scene.Vec3{X: 1}, 2, true},
		// A limited repetition: the copies' centres span ±period·⌊limit⌋.
		{"repeat", &scene.Repeat{Period: scene.Vec3{X: 2, Y: 1}, Limit: scene.Vec3{X: 1.5, Y: 2}, Child: ball(0, 0, 0, 1)}, scene.Vec3{}, 1 + math.Sqrt(8), true},
		{"repeat along x only", &scene.Repeat{Period: scene.Vec3{X: 3}, Limit: scene.Vec3{X: 1}, Child: ball(0, 0.5, 0, 1)}, scene.Vec3{Y: 0.5}, 4, true},
		{"repeat in y and z", &scene.Repeat{Period: scene.Vec3{Y: 3, Z: 4}, Limit: scene.Vec3{Y: 1, Z: 1}, Child: ball(0, 0, 0, 1)}, scene.Vec3{}, 6, true},
		{"endless repeat", &scene.Repeat{Period: scene.Vec3{X: 2}, Limit: scene.Vec3{X: 0.5}, Child: ball(0, 0, 0, 1)}, scene.Vec3{}, 0, false},
		{"repeat of a plane", &scene.Repeat{Period: scene.Vec3{X: 2}, Limit: scene.Vec3{X: 2}, Child: solid(scene.Plane{Normal: scene.Vec3{Y: 1}})}, scene.Vec3{}, 0, false},
	} {
		center, radius, ok := bound(c.n)
		if ok != c.ok || ok && (!nearVec(center, c.center) || !near(radius, c.radius)) {
			t.Errorf("bound(%s) = %v, %g, %v; want %v, %g, %v", c.name, center, radius, ok, c.center, c.radius, c.ok)
		}
	}
}

func TestMergeSpheres(t *testing.T) {
	for _, c := range []struct {
		c1     scene.Vec3
		r1     float64
		c2     scene.Vec3
		r2     float64
		center scene.Vec3
		radius float64
	}{
		{scene.Vec3{}, 1, scene.Vec3{X: 4}, 1, scene.Vec3{X: 2}, 3},
		{scene.Vec3{}, 1, scene.Vec3{Y: 4}, 3, scene.Vec3{Y: 3}, 4},                 // from y = -1 to 7
		{scene.Vec3{Z: 1}, 5, scene.Vec3{Z: 2}, 1, scene.Vec3{Z: 1}, 5},             // the second inside the first
		{scene.Vec3{Z: 2}, 1, scene.Vec3{Z: 1}, 5, scene.Vec3{Z: 1}, 5},             // the first inside the second
		{scene.Vec3{X: 1}, 2, scene.Vec3{X: 2}, 1, scene.Vec3{X: 1}, 2},             // touching inside
		{scene.Vec3{X: 2}, 1, scene.Vec3{X: 1}, 2, scene.Vec3{X: 1}, 2},             // likewise, the other way
		{scene.Vec3{X: 1}, 1, scene.Vec3{X: 1}, 1, scene.Vec3{X: 1}, 1},             // the same sphere
		{scene.Vec3{X: -1}, 1, scene.Vec3{X: 1}, 1, scene.Vec3{}, 2},                // touching outside
		{scene.Vec3{X: 3, Y: 4}, 0, scene.Vec3{}, 0, scene.Vec3{X: 1.5, Y: 2}, 2.5}, // points
	} {
		center, radius := mergeSpheres(c.c1, c.r1, c.c2, c.r2)
		if !nearVec(center, c.center) || !near(radius, c.radius) {
			t.Errorf("mergeSpheres(%v, %g, %v, %g) = %v, %g; want %v, %g", c.c1, c.r1, c.c2, c.r2, center, radius, c.center, c.radius)
		}
	}
}

// TestCompileDepthLimit checks the depth limit where it lies: a tree that
// needs exactly stackDepth slots of a stack compiles, and evaluates as the
// tree does with every kernel; one more slot, and it is evaluated as a tree.
func TestCompileDepthLimit(t *testing.T) {
	leaf := &scene.Solid{Shape: scene.Sphere{Radius: 1}}
	// Each scale saves a point.
	scales := func(n int) scene.Node {
		var node scene.Node = leaf
		for range n {
			node = &scene.Scale{Factor: 1.01, Child: node}
		}
		return node
	}
	// Each subtraction's first operand waits on the stack for its second.
	subtractions := func(n int) scene.Node {
		var node scene.Node = leaf
		for i := range n - 1 {
			node = &scene.Subtraction{A: &scene.Translate{Offset: scene.Vec3{X: float64(i) * 0.01}, Child: leaf}, B: node}
		}
		return node
	}
	// Each union of a limited repetition tests the bound of all the copies,
	// then the copy in the point's cell: two mask slots per level, for one
	// distance and one point.
	unions := func(n int) scene.Node {
		var node scene.Node = leaf
		for range n {
			node = scene.Union{&scene.Repeat{Period: scene.Vec3{X: 3}, Limit: scene.Vec3{X: 1}, Child: node}}
		}
		return node
	}
	for _, c := range []struct {
		name  string
		build func(int) scene.Node
		slots func(*compiler) int
	}{
		{"points", scales, func(c *compiler) int { return c.maxPoints }},
		{"distances", subtractions, func(c *compiler) int { return c.maxDist }},
		{"skips", unions, func(c *compiler) int { return c.maxSkips }},
	} {
		for _, extra := range []int{0, 1} {
			// Find the tree that needs stackDepth + extra slots: n levels,
			// maybe inside a union of one more skippable child.
			var root scene.Node
		search:
			for n := 1; n <= stackDepth+1; n++ {
				for _, tree := range []scene.Node{c.build(n), scene.Union{&scene.Translate{Offset: scene.Vec3{Z: 0.01}, Child: c.build(n)}}} {
					cc := &compiler{}
					cc.node(tree)
					if got := c.slots(cc); got == stackDepth+extra {
						root = tree
						break search
					} else if got > stackDepth+1 {
						break search
					}
				}
			}
			prog := compile(root, nil)
			if extra == 1 {
				if prog != nil {
					t.Errorf("%s: a tree needing %d slots compiled, want nil", c.name, stackDepth+1)
				}
				continue
			}
			if prog == nil {
				t.Errorf("%s: a tree needing %d slots, the most there are, did not compile", c.name, stackDepth)
				continue
			}
			var st stacks
			p := scene.Vec3{X: 0.3, Y: 1.2, Z: -0.4}
			want := root.Distance(p)
			if got := prog.distance(p, &st); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: compiled distance %g, tree %g", c.name, got, want)
			}
			for _, k := range testKernels() {
				b := new(batch)
				b.n = laneGroup
				for l := range laneGroup {
					b.x[0][l], b.y[0][l], b.z[0][l] = p.X, p.Y, p.Z
				}
				b.eval(k, prog)
				if got := b.ds[0][0]; math.Abs(got-want) > 1e-9 {
					t.Errorf("%s: %s kernel distance %g, tree %g", c.name, k.name(), got, want)
				}
			}
		}
	}
}

// TestCompilerCountsItsStacks checks the compiler's account of the stacks,
// on which the depth limit rests, against the code it emits: the most
// distances and points the code holds at once, as the interpreter runs it
// through without skipping, and the deepest mask slot.
func TestCompilerCountsItsStacks(t *testing.T) {
	for name, n := range compileCases() {
		cc := &compiler{}
		cc.node(n)
		nd, np, maxD, maxP, maxS := 0, 0, 0, 0, 0
		for _, in := range cc.code {
			switch in.op {
			case opSphere, opBox, opRoundBox, opTorus, opCapsule, opCylinder, opPlane, opNode, opInf:
				nd++
			case opMin, opMax, opSubtract, opSmoothMin, opSmoothMax, opSmoothSub:
				nd--
			case opTranslate, opRotate, opScale, opRepeat:
				np++
			case opRestore, opUnscale:
				np--
			case opSkipFar:
				maxS = max(maxS, int(in.mask))
			}
			maxD, maxP = max(maxD, nd), max(maxP, np)
		}
		if nd != 1 || np != 0 || cc.dist != 1 || cc.points != 0 || cc.skips != 0 {
			t.Errorf("%s: the code leaves %d distances and %d points, the compiler counts %d, %d and %d skips open; want 1, 0", name, nd, np, cc.dist, cc.points, cc.skips)
		}
		if cc.maxDist != maxD || cc.maxPoints != maxP || cc.maxSkips != maxS {
			t.Errorf("%s: the compiler counts at most %d distances, %d points, %d skips; the code holds %d, %d, %d", name, cc.maxDist, cc.maxPoints, cc.maxSkips, maxD, maxP, maxS)
		}
	}
}
