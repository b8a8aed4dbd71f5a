package render

import (
	"math"
	"slices"

	"render/scene"
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
// And it tells the marcher when a ray has left everything behind (escaped,
// unshaded) and when only the planes can still be nearest (planesOnly,
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
	opRotate                  // save the point; p = [a b c] · p
	opScale                   // save the point; p *= k (k is 1/factor)
	opRepeat                  // save the point; p = repeats[jump].Cell(p)
	opRestore                 // restore the saved point
	opUnscale                 // top *= k (the factor); restore the saved point
	opSkipFar                 // if |p - a| - k >= top + b.X, jump to instruction jump
)

// instruction is one step of a program. Its fields mean what its opcode says;
// shapes are evaluated at p - off, so that a translated shape, the commonest
// subtree, is one instruction.
type instruction struct {
	op      opcode
	jump    int32
	k       float64
	a, b, c scene.Vec3
	off     scene.Vec3
}

// boundSlack keeps a skip clear of rounding: a subtree is skipped only when its
// bound is beyond the distance so far by more than the last bits of either.
const boundSlack = 1e-9

// stackDepth bounds the stacks of distances and saved points. A tree nested more
// deeply than that is not compiled, and evaluated as a tree.
const stackDepth = 48

// program is a compiled distance function.
type program struct {
	code    []instruction
	nodes   []scene.Node    // for opNode
	repeats []*scene.Repeat // for opRepeat

	// What a ray must leave behind to hit nothing more: the bounding sphere of
	// each bounded child of the root, and the planes. canEscape is false when
	// anything else is unbounded (an endless repetition, a plane moved by a
	// transform).
	canEscape bool
	spheres   []sphere
	planes    []scene.Plane

	// For surface: the root, and the children of a root union with their bounds,
	// unbounded ones first.
	root     scene.Node
	children []child
}

// sphere is a bounding sphere.
type sphere struct {
	center scene.Vec3
	radius float64
}

// child is a child of the root union and its bounding sphere, if it has one.
type child struct {
	node    scene.Node
	bounded bool
	center  scene.Vec3
	radius  float64
}

// compile flattens root into a program, or returns nil when it nests too deeply.
// The program's code is appended to code[:0], so a caller may reuse the memory of
// a program it no longer needs.
func compile(root scene.Node, code []instruction) *program {
	c := &compiler{program: program{code: code[:0]}}
	c.node(root)
	if c.maxDist > stackDepth || c.maxPoints > stackDepth {
		return nil
	}
	c.escapes(root)
	c.root = root
	if u, ok := root.(scene.Union); ok {
		for _, n := range u {
			center, radius, ok := bound(n)
			ch := child{node: n, bounded: ok, center: center, radius: radius}
			if ok {
				c.children = append(c.children, ch)
			} else {
				c.children = slices.Insert(c.children, 0, ch)
			}
		}
	}
	return &c.program
}

// escapes works out what a ray must leave behind to hit nothing more.
func (c *compiler) escapes(root scene.Node) {
	children, ok := root.(scene.Union)
	if !ok {
		children = scene.Union{root}
	}
	c.canEscape = true
	for _, n := range children {
		if center, radius, ok := bound(n); ok {
			c.spheres = append(c.spheres, sphere{center, radius})
			continue
		}
		s, ok := n.(*scene.Solid)
		if !ok {
			c.canEscape = false
			return
		}
		pl, ok := s.Shape.(scene.Plane)
		if !ok {
			c.canEscape = false
			return
		}
		c.planes = append(c.planes, pl)
	}
}

// clearance is a test that a ray has left something behind for good: given dist,
// how far the ray is from a bound or plane (> 0), and rate, how fast it recedes,
// the distance field there stays at least dist + rate·s after s more units.
type clearance struct {
	shadow bool
	// For a primary ray: the hit threshold minHit + slope·t must stay below it.
	t, minHit, slope float64
	// For a shadow ray: its penumbra term k·h/t must stay at or above res.
	k, res float64
}

func (c clearance) ok(dist, rate float64) bool {
	if c.shadow {
		return rate >= 0 && c.k*min(dist/c.t, rate) >= c.res
	}
	return rate >= c.slope && dist >= max(c.minHit, c.slope*c.t)
}

// clear reports whether a ray at q going in unit direction d passes test c for
// the bounded objects' sphere and for every plane: then nothing ahead can hit it
// (or shade it) any more than what it has passed.
func (pr *program) clear(q, d scene.Vec3, c clearance) bool {
	if !pr.canEscape {
		return false
	}
	for _, sp := range pr.spheres {
		dist, rate, ok := sp.receding(q, d)
		if !ok || !c.ok(dist, rate) {
			return false
		}
	}
	for _, pl := range pr.planes {
		if dist := pl.Distance(q); dist <= 0 || !c.ok(dist, pl.Normal.Dot(d)) {
			return false
		}
	}
	return true
}

// receding returns how far a ray at q going in unit direction d is from the
// sphere and how fast it recedes from it; ok is false if it is inside the sphere
// or coming towards it.
func (sp sphere) receding(q, d scene.Vec3) (dist, rate float64, ok bool) {
	v := q.Sub(sp.center)
	vd, vv := v.Dot(d), v.Dot(v)
	if vd <= 0 || vv <= sp.radius*sp.radius {
		return 0, 0, false
	}
	l := math.Sqrt(vv)
	return l - sp.radius, vd / l, true
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

// planesNear reports whether, everywhere within reach of p, the distance is the
// nearest plane's: every bounding sphere is farther from p than the nearest plane
// by more than twice the reach (and boundSlack), so no point within reach can be
// nearer a sphere than a plane.
func (pr *program) planesNear(p scene.Vec3, reach float64) bool {
	if !pr.canEscape || len(pr.planes) == 0 {
		return false
	}
	near := math.Inf(1)
	for _, pl := range pr.planes {
		near = min(near, pl.Distance(p))
	}
	for _, sp := range pr.spheres {
		if p.Sub(sp.center).Length()-sp.radius < near+2*reach+boundSlack {
			return false
		}
	}
	return true
}

// planeDistance is the distance to the nearest plane, computed as the program
// computes it.
func (pr *program) planeDistance(q scene.Vec3) float64 {
	d := math.Inf(1)
	for _, pl := range pr.planes {
		d = minf(d, pl.Distance(q))
	}
	return d
}

// escaped reports whether a ray at distance t, now at q, will hit nothing more:
// its distance to everything stays above the hit threshold, minHit + slope·t,
// however far it goes.
func (pr *program) escaped(q, d scene.Vec3, t, minHit, slope float64) bool {
	return pr.clear(q, d, clearance{t: t, minHit: minHit, slope: slope})
}

// unshaded reports whether a shadow ray at distance t, now at q, can no longer
// lower its penumbra term res (sharpness k): k·h/t only falls where the ray
// passes close to something, and beyond every bound and plane h grows at
// least as fast as the ray recedes.
func (pr *program) unshaded(q, d scene.Vec3, t, k, res float64) bool {
	return pr.clear(q, d, clearance{shadow: true, t: t, k: k, res: res})
}

// surface returns the distance and material at p, as root.Surface does, looking
// only at the children of a root union whose bounds are near enough to matter.
func (pr *program) surface(p scene.Vec3) (float64, scene.Material) {
	if pr.children == nil {
		return pr.root.Surface(p)
	}
	d, m := math.Inf(1), scene.Material{}
	for _, ch := range pr.children {
		if ch.bounded && p.Sub(ch.center).Length()-ch.radius >= d+boundSlack {
			continue
		}
		if dn, mn := ch.node.Surface(p); dn < d {
			d, m = dn, mn
		}
	}
	return d, m
}

type compiler struct {
	program
	dist, maxDist     int // distances on the stack now, and at most
	points, maxPoints int // saved points now, and at most
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
		c.emit(instruction{op: opTranslate, a: n.Offset}, 0, 1)
		c.node(n.Child)
		c.emit(instruction{op: opRestore}, 0, -1)
	case *scene.Rotate:
		m := n.Inverse()
		c.emit(instruction{op: opRotate, a: m[0], b: m[1], c: m[2]}, 0, 1)
		c.node(n.Child)
		c.emit(instruction{op: opRestore}, 0, -1)
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
	c.emit(instruction{op: opInf}, 1, 0)
	for _, n := range unbounded {
		c.node(n)
		c.emit(instruction{op: opMin}, -1, 0)
	}
	for _, n := range bounded {
		c.skippable(n, 0, opMin, 0)
	}
}

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
	outer := c.emit(instruction{op: opSkipFar, a: center, k: radius, b: scene.Vec3{X: margin}}, 0, 0)
	c.cellSkippable(n, margin, op, k)
	c.code[outer].jump = int32(len(c.code))
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
	skip := c.emit(instruction{op: opSkipFar, a: center, k: radius, b: scene.Vec3{X: margin}}, 0, 0)
	c.node(n)
	c.emit(instruction{op: op, k: k}, -1, 0)
	c.code[skip].jump = int32(len(c.code))
}

// bound returns a sphere that holds everything within n's surface, in n's parent's
// space; ok is false for unbounded nodes. Every distance n returns at a point p is
// at least |p - center| - radius, which makes skipping n safe.
func bound(n scene.Node) (center scene.Vec3, radius float64, ok bool) {
	switch n := n.(type) {
	case *scene.Solid:
		switch s := n.Shape.(type) {
		case scene.Sphere:
			return scene.Vec3{}, s.Radius, true
		case scene.Box:
			return scene.Vec3{}, s.Half.Length(), true
		case scene.RoundBox:
			return scene.Vec3{}, s.Half.Length(), true
		case scene.Torus:
			return scene.Vec3{}, s.Major + s.Minor, true
		case scene.Capsule:
			return s.A.Add(s.B).Scale(0.5), s.B.Sub(s.A).Length()/2 + s.Radius, true
		case scene.Cylinder:
			return scene.Vec3{}, math.Hypot(s.Radius, s.HalfHeight), true
		}
	case scene.Union:
		return boundAll(n, 0)
	case *scene.SmoothUnion:
		// The smooth minimum is at most k/4 below the minimum: the blend bulges out.
		return boundAll(n.Children, n.K/4)
	case scene.Intersection:
		return boundAny(n)
	case *scene.SmoothIntersection:
		return boundAny(n.Children) // the smooth maximum is never below the maximum
	case *scene.Subtraction:
		return bound(n.A)
	case *scene.SmoothSubtraction:
		return bound(n.A)
	case *scene.Translate:
		if c, r, ok := bound(n.Child); ok {
			return c.Add(n.Offset), r, true
		}
	case *scene.Rotate:
		if c, r, ok := bound(n.Child); ok {
			return n.Inverse().Transpose().MulVec(c), r, true
		}
	case *scene.Scale:
		if c, r, ok := bound(n.Child); ok {
			return c.Scale(n.Factor), r * n.Factor, true
		}
	case *scene.Repeat:
		return boundRepeat(n)
	}
	return scene.Vec3{}, 0, false
}

// boundAll bounds the union of nodes, grown by margin.
func boundAll(nodes []scene.Node, margin float64) (scene.Vec3, float64, bool) {
	if len(nodes) == 0 {
		return scene.Vec3{}, 0, false
	}
	center, radius, ok := bound(nodes[0])
	for _, n := range nodes[1:] {
		c, r, okn := bound(n)
		if !ok || !okn {
			return scene.Vec3{}, 0, false
		}
		center, radius = mergeSpheres(center, radius, c, r)
	}
	return center, radius + margin, ok
}

// boundAny bounds an intersection by the smallest bound among its children.
func boundAny(nodes []scene.Node) (center scene.Vec3, radius float64, ok bool) {
	for _, n := range nodes {
		if c, r, okn := bound(n); okn && (!ok || r < radius) {
			center, radius, ok = c, r, true
		}
	}
	return center, radius, ok
}

// boundRepeat bounds a limited repetition: the child's bound around every copy.
func boundRepeat(r *scene.Repeat) (scene.Vec3, float64, bool) {
	c, rad, ok := bound(r.Child)
	if !ok {
		return scene.Vec3{}, 0, false
	}
	reach := func(period, limit float64) (float64, bool) {
		switch {
		case period <= 0:
			return 0, true
		case limit < 1:
			return 0, false // endless
		}
		return period * math.Floor(limit), true
	}
	x, okx := reach(r.Period.X, r.Limit.X)
	y, oky := reach(r.Period.Y, r.Limit.Y)
	z, okz := reach(r.Period.Z, r.Limit.Z)
	if !okx || !oky || !okz {
		return scene.Vec3{}, 0, false
	}
	// The copies' centres lie in a box of half-extents (x, y, z) around c.
	return c, rad + math.Sqrt(x*x+y*y+z*z), true
}

// mergeSpheres returns the smallest sphere holding two spheres.
func mergeSpheres(c1 scene.Vec3, r1 float64, c2 scene.Vec3, r2 float64) (scene.Vec3, float64) {
	d := c2.Sub(c1).Length()
	switch {
	case d+r2 <= r1:
		return c1, r1
	case d+r1 <= r2:
		return c2, r2
	}
	r := (d + r1 + r2) / 2
	return c1.Add(c2.Sub(c1).Scale((r - r1) / d)), r
}

// stacks is a program's working memory: each worker has its own, so that an
// evaluation neither allocates nor clears it.
type stacks struct {
	ds [stackDepth]float64
	ps [stackDepth]scene.Vec3
}

// distance evaluates the program at p.
func (pr *program) distance(p scene.Vec3, st *stacks) float64 {
	ds, ps := &st.ds, &st.ps
	nd, np := 0, 0
	code := pr.code
	for i := 0; i < len(code); i++ {
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
			ds[nd-1] = minf(ds[nd-1], ds[nd])
		case opMax:
			nd--
			ds[nd-1] = maxf(ds[nd-1], ds[nd])
		case opSubtract:
			nd--
			ds[nd-1] = maxf(ds[nd-1], -ds[nd])
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
			p = scene.Mat3{in.a, in.b, in.c}.MulVec(p)
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
			// |p - centre| - radius >= top + margin + slack, without the square root.
			v, r := p.Sub(in.a), ds[nd-1]+in.b.X+boundSlack+in.k
			if r <= 0 || v.Dot(v) >= r*r {
				i = int(in.jump) - 1
			}
		}
	}
	return ds[0]
}

// minf and maxf match the tree's plain comparisons, so the results agree exactly.
func minf(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
