package render

import (
	"math"
	"slices"

	"github.com/sdfrender/render/scene"
)

// The compiled scene. The node tree in package scene is the source of truth, and
// it is slow to evaluate: an interface call per node per step, and pointers to chase.
// compile flattens a frozen tree, once per frame, into a program for a small stack
// machine: points are transformed on the way into a subtree and restored on the way
// out, distances are pushed by shapes and combined by operations. It evaluates the
// same functions in the same order, so it gives the tree's distances (the tests
// check it at many points for every node).
//
// It also skips work the tree does not need to do, without changing the result:
//   - every child of a union that has a bounding sphere is preceded by a test that
//     jumps over it when its bound is farther than the nearest distance found so
//     far, which cannot change the minimum (unbounded children, such as planes,
//     come first, so that the minimum starts small). A repetition is tested in
//     the point's cell, on the one copy it evaluates;
//   - in a smooth union, a child is skipped only when its bound is farther than
//     the blend radius beyond the distance so far, where the smooth minimum
//     equals its first argument exactly.
// And it tells the marcher when a ray has left everything behind (leaving,
// unshaded) and when only the planes can still be nearest (leaving,
// planesNear), so that it can stop, or evaluate the planes alone.

// opcode is what one instruction does.
type opcode uint8

const (
	opSphere    opcode = iota // push Sphere{k}
	opBox                     // push Box{a}
	opRoundBox                // push RoundBox{a, k}
	opTorus                   // push Torus{a.X, a.Y}
	opCapsule                 // push Capsule{a, b, k}
	opCylinder                // push Cylinder{a.X, a.Y}
	opPlane                   // push Plane{a, k}
	opNode                    // push nodes[jump].Distance: any node compile does not know
	opInf                     // push +Inf, the distance of an empty union
	opMin                     // pop b, a; push min(a, b)
	opMax                     // pop b, a; push max(a, b)
	opSubtract                // pop b, a; push max(a, -b)
	opSmoothMin               // pop b, a; push SmoothMin(a, b, k)
	opSmoothMax               // pop b, a; push SmoothMax(a, b, k)
	opSmoothSub               // pop b, a; push SmoothMax(a, -b, k)
	opTranslate               // save the point; p -= a
	opRotate                  // save the point; p = [a b c] · (p - off)
	opScale                   // save the point; p *= k (k is 1/factor)
	opRepeat                  // save the point; p = repeats[jump].Cell(p)
	opRestore                 // restore the saved point
	opUnscale                 // top *= k (the factor); restore the saved point
	opSkipFar                 // if |p - a| >= top + k, jump to instruction jump (k: radius + margin + slack)
)

// instruction is one step of a program. Its fields mean what its opcode says;
// shapes are evaluated at p - off, and a rotation rotates p - off, so that a
// translated shape or rotation, the commonest subtrees, is one instruction.
type instruction struct {
	op   opcode
	jump int32
	// mask is for the batched evaluators, which cannot jump for one point of a
	// batch alone: an opSkipFar records in mask slot mask-1 which points may skip,
	// and the operation that ends the skippable code leaves those points'
	// distances as they were. 0 for no mask.
	mask int8
	// floored is for an opSkipFar among the root union's children, where the
	// distance so far is at most the distance to the plane floor, when there
	// are at least boxTests of them: a batch then tests its points' box first
	// (batch.boxSkips).
	floored bool
	k       float64
	a, b, c scene.Vec3
	off     scene.Vec3
}

// boundSlack keeps a skip clear of rounding: a subtree is skipped only when its
// bound is beyond the distance so far by more than the last bits of either.
const boundSlack = 1e-9

// moderate is how far from zero the numbers of a program and the points it
// is evaluated at may be for boundSlack to hold a skip clear of rounding with
// room to spare: a few roundings of numbers below 2¹² err by 1e-12 at most.
// Beyond it, or at a point not finite, a batch makes sure of its skips as the
// interpreter does (batch.go).
const moderate = 1 << 12

// stackDepth bounds the stacks of distances and saved points. A tree nested more
// deeply than that is not compiled, and evaluated as a tree.
const stackDepth = 48

// program is a compiled distance function.
type program struct {
	code    []instruction
	nodes   []scene.Node    // for opNode
	repeats []*scene.Repeat // for opRepeat
	// floor is the index of an opPlane among the root union's unbounded
	// children, or -1: the distance so far in the root union is never more
	// than its, which lets a batch test a bound for all its points at once
	// (batch.boxSkips).
	floor int
	// objects is the index of the first instruction after the root's
	// planes, where the code of everything else begins, when the planes are
	// all the root has besides bounded objects; -1 otherwise. The marcher
	// then takes the planes itself, along the ray, and asks the program for
	// the distance to the rest (capped).
	objects int
	// skipsExact is whether the program has skip tests and each is exact to
	// the bit at any point within moderate of zero: folding in the subtree a
	// point may skip leaves the distance as it was. It holds for a program
	// whose numbers are all within moderate (moderateNumbers) and which calls
	// no opaque node, whose distance may be anything, even NaN; a batch then
	// need not mask its skips (batch.go).
	skipsExact bool

	// What a ray must leave behind to hit nothing more: the bounding sphere of
	// each bounded child of the root, and the planes. canEscape is false when
	// anything else is unbounded (an endless repetition, a plane moved by a
	// transform).
	canEscape bool
	spheres   []sphere
	quads     sphereQuads  // the spheres in quads, for the AVX2 build's checks
	groups    []boundGroup // the children bounded by several spheres, in order
	groupOf   []int32      // for each sphere, its group's index, or -1
	planes    []scene.Plane

	// For surface: the root, and the children of a root union with their bounds,
	// unbounded ones first; and the one unbounded child, where it is a solid
	// plane, whose material is the surface's wherever only the planes can be
	// nearest and its distance is less than +Inf.
	root     scene.Node
	children []child
	flat     *scene.Solid
}

// child is a child of the root union and its bounding sphere, if it has one.
type child struct {
	node  scene.Node
	solid *scene.Solid // node, where it is a solid: its surface without a call
	// leaf, where node only moves a solid (wrapped), is that solid: node's
	// surface is then node's distance and leaf's material, found without
	// handing materials back through the transforms.
	leaf    *scene.Solid
	index   int // its place among the union's children
	bounded bool
	center  scene.Vec3
	radius  float64
}

// compile flattens root into a program, or returns nil when it nests too deeply.
// The program's code is appended to code[:0], so a caller may reuse the memory of
// a program it no longer needs.
func compile(root scene.Node, code []instruction) *program {
	c := &compiler{program: program{code: code[:0], floor: -1, objects: -1}}
	c.node(root)
	if c.maxDist > stackDepth || c.maxPoints > stackDepth || c.maxSkips > stackDepth {
		return nil
	}
	c.skipsExact = c.maxSkips > 0 && len(c.nodes) == 0 && c.moderateNumbers()
	c.escapes(root)
	if !c.canEscape || len(c.planes) == 0 {
		c.objects = -1
	} else if _, ok := root.(scene.Union); !ok {
		c.objects = len(c.code) // the root is a plane: nothing else
	}
	c.root = root
	if u, ok := root.(scene.Union); ok {
		for i, n := range u {
			center, radius, ok := bound(n)
			ch := child{node: n, index: i, bounded: ok, center: center, radius: radius}
			ch.solid, _ = n.(*scene.Solid)
			if ch.solid == nil {
				ch.leaf = wrapped(n)
			}
			if ok {
				c.children = append(c.children, ch)
			} else {
				c.children = slices.Insert(c.children, 0, ch)
			}
		}
		if ch := c.children; len(ch) > 0 && !ch[0].bounded && (len(ch) == 1 || ch[1].bounded) && ch[0].solid != nil {
			if _, ok := ch[0].solid.Shape.(scene.Plane); ok {
				c.flat = ch[0].solid
			}
		}
	}
	return &c.program
}

// wrapped is the solid n is, moved by translations, rotations, scalings
// and repetitions, or nil: each of those gives as its surface its child's,
// at the point it moves, with its distance as its Distance gives it.
func wrapped(n scene.Node) *scene.Solid {
	for {
		switch v := n.(type) {
		case *scene.Solid:
			return v
		case *scene.Translate:
			n = v.Child
		case *scene.Rotate:
			n = v.Child
		case *scene.Scale:
			n = v.Child
		case *scene.Repeat:
			n = v.Child
		default:
			return nil
		}
	}
}

// moderateNumbers reports whether every number of the program, and every
// repetition's period, is within moderate of zero.
func (pr *program) moderateNumbers() bool {
	within := func(v scene.Vec3) bool {
		return math.Abs(v.X) < moderate && math.Abs(v.Y) < moderate && math.Abs(v.Z) < moderate
	}
	for _, in := range pr.code {
		if !(math.Abs(in.k) < moderate && within(in.a) && within(in.b) && within(in.c) && within(in.off)) {
			return false
		}
	}
	for _, r := range pr.repeats {
		if !within(r.Period) {
			return false
		}
	}
	return true
}

type compiler struct {
	program
	dist, maxDist     int // distances on the stack now, and at most
	points, maxPoints int // saved points now, and at most
	skips, maxSkips   int // skip tests nested now, and at most: the mask slots in use
}

func (c *compiler) emit(in instruction, dist, points int) int {
	c.code = append(c.code, in)
	c.dist += dist
	c.points += points
	c.maxDist = max(c.maxDist, c.dist)
	c.maxPoints = max(c.maxPoints, c.points)
	return len(c.code) - 1
}

// node emits the code that pushes n's distance.
func (c *compiler) node(n scene.Node) {
	switch n := n.(type) {
	case *scene.Solid:
		if !c.shape(n, scene.Vec3{}) {
			c.opaque(n)
		}
	case scene.Union:
		c.union(n)
	case scene.Intersection:
		c.fold(n, opMax, 0)
	case *scene.Subtraction:
		c.node(n.A)
		c.node(n.B)
		c.emit(instruction{op: opSubtract}, -1, 0)
	case *scene.SmoothUnion:
		c.smoothUnion(n)
	case *scene.SmoothIntersection:
		c.fold(n.Children, opSmoothMax, n.K)
	case *scene.SmoothSubtraction:
		c.node(n.A)
		c.node(n.B)
		c.emit(instruction{op: opSmoothSub, k: n.K}, -1, 0)
	case *scene.Translate:
		if s, ok := n.Child.(*scene.Solid); ok && c.shape(s, n.Offset) {
			return
		}
		if r, ok := n.Child.(*scene.Rotate); ok {
			c.rotate(r, n.Offset)
			return
		}
		c.emit(instruction{op: opTranslate, a: n.Offset}, 0, 1)
		c.node(n.Child)
		c.emit(instruction{op: opRestore}, 0, -1)
	case *scene.Rotate:
		c.rotate(n, scene.Vec3{})
	case *scene.Scale:
		c.emit(instruction{op: opScale, k: 1 / n.Factor}, 0, 1)
		c.node(n.Child)
		c.emit(instruction{op: opUnscale, k: n.Factor}, 0, -1)
	case *scene.Repeat:
		c.repeats = append(c.repeats, n)
		c.emit(instruction{op: opRepeat, jump: int32(len(c.repeats) - 1)}, 0, 1)
		c.node(n.Child)
		c.emit(instruction{op: opRestore}, 0, -1)
	default:
		c.opaque(n)
	}
}

// rotate emits rotation n of the point less off: a rotated object placed in
// the scene, translated, is one instruction and one pass over a batch's
// points, not two (x - 0 is x, to the bit, for a rotation not translated).
func (c *compiler) rotate(n *scene.Rotate, off scene.Vec3) {
	m := n.Inverse()
	c.emit(instruction{op: opRotate, a: m[0], b: m[1], c: m[2], off: off}, 0, 1)
	c.node(n.Child)
	c.emit(instruction{op: opRestore}, 0, -1)
}

// opaque emits an interface call to a node compile does not know.
func (c *compiler) opaque(n scene.Node) {
	c.nodes = append(c.nodes, n)
	c.emit(instruction{op: opNode, jump: int32(len(c.nodes) - 1)}, 1, 0)
}

// shape emits a shape evaluated at p - off, or reports that it does not know it.
func (c *compiler) shape(s *scene.Solid, off scene.Vec3) bool {
	var in instruction
	switch sh := s.Shape.(type) {
	case scene.Sphere:
		in = instruction{op: opSphere, k: sh.Radius}
	case scene.Box:
		in = instruction{op: opBox, a: sh.Half}
	case scene.RoundBox:
		in = instruction{op: opRoundBox, a: sh.Half, k: sh.Radius}
	case scene.Torus:
		in = instruction{op: opTorus, a: scene.Vec3{X: sh.Major, Y: sh.Minor}}
	case scene.Capsule:
		in = instruction{op: opCapsule, a: sh.A, b: sh.B, k: sh.Radius}
	case scene.Cylinder:
		in = instruction{op: opCylinder, a: scene.Vec3{X: sh.Radius, Y: sh.HalfHeight}}
	case scene.Plane:
		in = instruction{op: opPlane, a: sh.Normal, k: sh.Offset}
	default:
		return false
	}
	in.off = off
	c.emit(in, 1, 0)
	return true
}

// fold emits children combined left to right by op (with blend radius k).
func (c *compiler) fold(children []scene.Node, op opcode, k float64) {
	if len(children) == 0 {
		c.emit(instruction{op: opInf}, 1, 0)
		return
	}
	c.node(children[0])
	for _, ch := range children[1:] {
		c.node(ch)
		c.emit(instruction{op: op, k: k}, -1, 0)
	}
}

// union emits a union with the unbounded children first and a skip test before
// each bounded one. min is exact, so the order does not change the result.
func (c *compiler) union(u scene.Union) {
	var bounded, unbounded []scene.Node
	for _, n := range u {
		if _, _, ok := bound(n); ok || repeatUnder(n) {
			bounded = append(bounded, n)
		} else {
			unbounded = append(unbounded, n)
		}
	}
	root := len(c.code) == 0
	c.emit(instruction{op: opInf}, 1, 0)
	for _, n := range unbounded {
		at := len(c.code)
		c.node(n)
		if root && c.floor < 0 && len(c.code) == at+1 && c.code[at].op == opPlane {
			c.floor = at
		}
		c.emit(instruction{op: opMin}, -1, 0)
	}
	if root {
		c.objects = len(c.code)
	}
	var tests []int // the first test of each child, made on the untransformed point
	for _, n := range bounded {
		from := len(c.code)
		c.skippable(n, 0, opMin, 0)
		if root && c.floor >= 0 && c.code[from].op == opSkipFar {
			tests = append(tests, from)
		}
	}
	if len(tests) >= boxTests {
		for _, at := range tests {
			c.code[at].floored = true
		}
	}
}

// boxTests is the fewest tests of the root's children for which a batch
// tests the box around its points first. The box costs a batch about as
// much as four or five of the tests point by point, and spares a third to a
// half of them (measured with cachegrind: showcase, with five, and focus and
// minimal, with fewer, run 2-4 % fewer instructions without it; gallery,
// with twelve, 4 % more); the distances are the same either way.
const boxTests = 10

// repeatUnder reports whether n is a repetition, maybe translated, of a bounded
// object: then skippable tests the copy in the point's cell rather than a bound
// around all the copies, which is far tighter (and exists for endless ones).
func repeatUnder(n scene.Node) bool {
	switch n := n.(type) {
	case *scene.Translate:
		return repeatUnder(n.Child)
	case *scene.Repeat:
		_, _, ok := bound(n.Child)
		return ok
	}
	return false
}

// smoothUnion emits a smooth union, children in their order, since the smooth
// minimum is not associative.
func (c *compiler) smoothUnion(s *scene.SmoothUnion) {
	if len(s.Children) == 0 {
		c.emit(instruction{op: opInf}, 1, 0)
		return
	}
	c.node(s.Children[0])
	for _, n := range s.Children[1:] {
		if _, _, ok := bound(n); ok {
			c.skippable(n, s.K, opSmoothMin, s.K)
			continue
		}
		c.node(n)
		c.emit(instruction{op: opSmoothMin, k: s.K}, -1, 0)
	}
}

// skippable emits n combined into the distance on top of the stack by op, behind
// a test that jumps over both when n's bound is at least margin beyond it. For a
// repetition the test is made in the point's cell, on the one copy evaluated,
// after a test around all the copies if they are limited.
func (c *compiler) skippable(n scene.Node, margin float64, op opcode, k float64) {
	center, radius, ok := bound(n)
	if !ok || !repeatUnder(n) {
		c.cellSkippable(n, margin, op, k)
		return
	}
	outer := c.skip(center, radius, margin)
	c.cellSkippable(n, margin, op, k)
	c.endSkip(outer, false, 0, 0)
}

// cellSkippable is skippable without the test around all the copies.
func (c *compiler) cellSkippable(n scene.Node, margin float64, op opcode, k float64) {
	if repeatUnder(n) {
		switch n := n.(type) {
		case *scene.Translate:
			c.emit(instruction{op: opTranslate, a: n.Offset}, 0, 1)
			c.cellSkippable(n.Child, margin, op, k)
			c.emit(instruction{op: opRestore}, 0, -1)
		case *scene.Repeat:
			c.repeats = append(c.repeats, n)
			c.emit(instruction{op: opRepeat, jump: int32(len(c.repeats) - 1)}, 0, 1)
			c.cellSkippable(n.Child, margin, op, k)
			c.emit(instruction{op: opRestore}, 0, -1)
		}
		return
	}
	center, radius, _ := bound(n)
	skip := c.skip(center, radius, margin)
	c.node(n)
	c.endSkip(skip, true, op, k)
}

// skip emits a test that jumps over what follows, up to endSkip, when the bound
// (center, radius) is at least margin beyond the distance on top of the stack,
// and opens a mask slot for the batched evaluators.
func (c *compiler) skip(center scene.Vec3, radius, margin float64) int {
	at := c.emit(instruction{op: opSkipFar, a: center, k: skipReach(radius, margin), mask: int8(c.skips + 1)}, 0, 0)
	c.skips++
	c.maxSkips = max(c.maxSkips, c.skips)
	return at
}

// endSkip closes the skip test at instruction at. With combine, it first emits op
// (blend radius k), which folds the skippable distance into the one below it,
// masked so that the points that could skip keep the distance below.
func (c *compiler) endSkip(at int, combine bool, op opcode, k float64) {
	c.skips--
	if combine {
		c.emit(instruction{op: op, k: k, mask: int8(c.skips + 1)}, -1, 0)
	}
	c.code[at].jump = int32(len(c.code))
}

// skipReach is how far beyond the distance so far a point must be from the
// centre of a bound of radius radius to skip it with margin margin: with
// boundSlack for the rounding of the test, worked out once here so that
// each test adds one number.
func skipReach(radius, margin float64) float64 { return radius + margin + boundSlack }

// skips is opSkipFar's test at the point (x, y, z), with the distance so far
// top: |p - centre| >= top + radius + margin + slack, without the square
// root: |v|² >= r·|r| holds for every v where r <= 0, and is |v|² >= r²
// elsewhere. The interpreter and the portable kernel both make it here, as
// |v|² >= r² or else r <= 0: the same answer for every r and v, NaNs and
// infinities included (|v|² a NaN fails both), for fewer instructions (no
// |r|) where the first holds, as it does wherever the point may skip.
func (in *instruction) skips(x, y, z, top float64) bool {
	vx, vy, vz := x-in.a.X, y-in.a.Y, z-in.a.Z
	r := top + in.k
	vv := float64(vx*vx) + float64(vy*vy) + float64(vz*vz)
	return vv >= r*r || r <= 0 && vv == vv
}

// stacks is a program's working memory: each worker has its own, so that an
// evaluation neither allocates nor clears it.
type stacks struct {
	ds [stackDepth]float64
	ps [stackDepth]scene.Vec3
}

// distance evaluates the program at p.
func (pr *program) distance(p scene.Vec3, st *stacks) float64 { return pr.run(p, st, 0, 0) }

// split reports whether the marcher takes the planes itself (see objects).
func (pr *program) split() bool { return pr.objects >= 0 }

// capped is the distance at p to everything but the root's planes, or
// ceiling where that is less: the program run from objects, with the
// distance so far ceiling, as if a plane that far had come first. Every
// bound beyond ceiling is skipped, so the nearer the planes ahead, the less
// the program does. For a program that is split.
func (pr *program) capped(p scene.Vec3, ceiling float64, st *stacks) float64 {
	st.ds[0] = ceiling
	return pr.run(p, st, pr.objects, 1)
}

// run evaluates the program at p from instruction from, with nd distances on
// the stack already.
func (pr *program) run(p scene.Vec3, st *stacks, from, nd int) float64 {
	ds, ps := &st.ds, &st.ps
	np := 0
	code := pr.code
	for i := from; i < len(code); i++ {
		in := &code[i]
		switch in.op {
		case opSphere:
			ds[nd] = scene.Sphere{Radius: in.k}.Distance(p.Sub(in.off))
			nd++
		case opBox:
			ds[nd] = scene.Box{Half: in.a}.Distance(p.Sub(in.off))
			nd++
		case opRoundBox:
			ds[nd] = scene.RoundBox{Half: in.a, Radius: in.k}.Distance(p.Sub(in.off))
			nd++
		case opTorus:
			ds[nd] = scene.Torus{Major: in.a.X, Minor: in.a.Y}.Distance(p.Sub(in.off))
			nd++
		case opCapsule:
			ds[nd] = scene.Capsule{A: in.a, B: in.b, Radius: in.k}.Distance(p.Sub(in.off))
			nd++
		case opCylinder:
			ds[nd] = scene.Cylinder{Radius: in.a.X, HalfHeight: in.a.Y}.Distance(p.Sub(in.off))
			nd++
		case opPlane:
			ds[nd] = scene.Plane{Normal: in.a, Offset: in.k}.Distance(p.Sub(in.off))
			nd++
		case opNode:
			ds[nd] = pr.nodes[in.jump].Distance(p)
			nd++
		case opInf:
			ds[nd] = math.Inf(1)
			nd++
		case opMin:
			nd--
			ds[nd-1] = scene.Min(ds[nd-1], ds[nd])
		case opMax:
			nd--
			ds[nd-1] = scene.Max(ds[nd-1], ds[nd])
		case opSubtract:
			nd--
			ds[nd-1] = scene.Max(ds[nd-1], -ds[nd])
		case opSmoothMin:
			nd--
			ds[nd-1] = scene.SmoothMin(ds[nd-1], ds[nd], in.k)
		case opSmoothMax:
			nd--
			ds[nd-1] = scene.SmoothMax(ds[nd-1], ds[nd], in.k)
		case opSmoothSub:
			nd--
			ds[nd-1] = scene.SmoothMax(ds[nd-1], -ds[nd], in.k)
		case opTranslate:
			ps[np] = p
			np++
			p = p.Sub(in.a)
		case opRotate:
			ps[np] = p
			np++
			p = scene.Mat3{in.a, in.b, in.c}.MulVec(p.Sub(in.off))
		case opScale:
			ps[np] = p
			np++
			p = p.Scale(in.k)
		case opRepeat:
			ps[np] = p
			np++
			p = pr.repeats[in.jump].Cell(p)
		case opRestore:
			np--
			p = ps[np]
		case opUnscale:
			ds[nd-1] *= in.k
			np--
			p = ps[np]
		case opSkipFar:
			if in.skips(p.X, p.Y, p.Z, ds[nd-1]) {
				i = int(in.jump) - 1
			}
		}
	}
	return ds[0]
}
