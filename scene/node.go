package scene

// Node is one node of a scene's object tree: a solid, an operation combining
// other nodes, or a transform of one node. The tree is the readable source of truth
// for what a scene contains; the renderer evaluates it many millions of times a frame.
//
// Nodes are built as pointers (&Solid{...}, &Translate{...}), apart from the lists
// Union and Intersection: a value receiver called through an interface copies its
// struct on every call, and that copy was half the cost of a Rotate.
type Node interface {
	// Distance returns a signed distance bound to the surface from world point p:
	// never more than the true distance, so a ray may step by it.
	Distance(p Vec3) float64
	// Surface returns the same distance and the material at p; smooth operations
	// blend the materials of their children where they melt together.
	Surface(p Vec3) (float64, Material)
}

// Solid is a leaf of the tree: a primitive shape made of one material.
type Solid struct {
	Shape    Shape
	Material Material
}

// Distance implements Node.
func (s *Solid) Distance(p Vec3) float64 { return s.Shape.Distance(p) }

// Surface implements Node.
func (s *Solid) Surface(p Vec3) (float64, Material) { return s.Shape.Distance(p), s.Material }

// Union is everything inside any of its children (hard minimum).
type Union []Node

// Distance implements Node.
func (u Union) Distance(p Vec3) float64 {
	d := inf
	for _, n := range u {
		d = Min(d, n.Distance(p))
	}
	return d
}

// Surface implements Node.
func (u Union) Surface(p Vec3) (float64, Material) {
	d, m := inf, Material{}
	for _, n := range u {
		if dn, mn := n.Surface(p); dn < d {
			d, m = dn, mn
		}
	}
	return d, m
}

// Intersection is everything inside all of its children (hard maximum).
// An empty intersection is empty, not all of space.
type Intersection []Node

// Distance implements Node.
func (x Intersection) Distance(p Vec3) float64 {
	if len(x) == 0 {
		return inf
	}
	d := -inf
	for _, n := range x {
		d = Max(d, n.Distance(p))
	}
	return d
}

// Surface implements Node.
func (x Intersection) Surface(p Vec3) (float64, Material) {
	if len(x) == 0 {
		return inf, Material{}
	}
	d, m := -inf, Material{}
	for _, n := range x {
		if dn, mn := n.Surface(p); dn > d {
			d, m = dn, mn
		}
	}
	return d, m
}

// Subtraction is everything inside A and outside B; the cut faces take B's material
// only where B is the nearer surface.
type Subtraction struct{ A, B Node }

// Distance implements Node.
func (s *Subtraction) Distance(p Vec3) float64 { return Max(s.A.Distance(p), -s.B.Distance(p)) }

// Surface implements Node.
func (s *Subtraction) Surface(p Vec3) (float64, Material) {
	da, ma := s.A.Surface(p)
	db, mb := s.B.Surface(p)
	if -db > da {
		return -db, mb
	}
	return da, ma
}

// SmoothUnion melts its children together within blend radius K
// (polynomial smooth minimum; Quílez, "smooth minimum", 2013).
// With K = 0 it is a Union. Children are folded from the left.
type SmoothUnion struct {
	K        float64
	Children []Node
}

// Distance implements Node.
func (s *SmoothUnion) Distance(p Vec3) float64 { return smoothFold(s.Children, s.K, 1, p) }

// Surface implements Node.
func (s *SmoothUnion) Surface(p Vec3) (float64, Material) {
	return smoothFoldSurface(s.Children, s.K, 1, p)
}

// SmoothIntersection is an Intersection whose edges are rounded over blend radius K.
type SmoothIntersection struct {
	K        float64
	Children []Node
}

// Distance implements Node.
func (s *SmoothIntersection) Distance(p Vec3) float64 { return smoothFold(s.Children, s.K, -1, p) }

// Surface implements Node.
func (s *SmoothIntersection) Surface(p Vec3) (float64, Material) {
	return smoothFoldSurface(s.Children, s.K, -1, p)
}

// smoothFold folds the children's distances from the left with the smooth minimum
// (sign 1) or the smooth maximum (sign -1, since max(a, b) = -min(-a, -b)).
// With no children, nothing is inside: the distance is +Inf.
func smoothFold(children []Node, k, sign float64, p Vec3) float64 {
	if len(children) == 0 {
		return inf
	}
	d := sign * children[0].Distance(p)
	for _, n := range children[1:] {
		d, _ = smoothMin(d, sign*n.Distance(p), k)
	}
	return sign * d
}

// smoothFoldSurface is smoothFold that also blends the children's materials.
func smoothFoldSurface(children []Node, k, sign float64, p Vec3) (float64, Material) {
	if len(children) == 0 {
		return inf, Material{}
	}
	d, m := children[0].Surface(p)
	d *= sign
	for _, n := range children[1:] {
		dn, mn := n.Surface(p)
		var h float64
		d, h = smoothMin(d, sign*dn, k)
		m = m.Lerp(mn, h)
	}
	return sign * d, m
}

// SmoothSubtraction carves B out of A with the edges of the cut rounded over blend
// radius K.
type SmoothSubtraction struct {
	K    float64
	A, B Node
}

// Distance implements Node.
func (s *SmoothSubtraction) Distance(p Vec3) float64 {
	return SmoothMax(s.A.Distance(p), -s.B.Distance(p), s.K)
}

// Surface implements Node.
func (s *SmoothSubtraction) Surface(p Vec3) (float64, Material) {
	da, ma := s.A.Surface(p)
	db, mb := s.B.Surface(p)
	d, h := smoothMin(-da, db, s.K)
	return -d, ma.Lerp(mb, h)
}

// SmoothMin is the polynomial smooth minimum of a and b with blend radius k:
// equal to min(a, b) where |a-b| >= k, never above it, and k/4 below it where a = b.
func SmoothMin(a, b, k float64) float64 {
	d, _ := smoothMin(a, b, k)
	return d
}

// smoothMin returns the smooth minimum of a and b and the weight of b in it. Outside
// the blend region it returns a or b themselves, not a blend with a zero weight:
// exactly the hard minimum there, and no NaN from an infinite distance.
func smoothMin(a, b, k float64) (float64, float64) {
	h := smoothWeight(a, b, k)
	switch h {
	case 0:
		return a, 0
	case 1:
		return b, 1
	}
	return lerp(a, b, h) - float64(k*h*(1-h)), h
}

// SmoothMax is the polynomial smooth maximum, -SmoothMin(-a, -b, k).
func SmoothMax(a, b, k float64) float64 { return -SmoothMin(-a, -b, k) }

// smoothWeight returns how much of b the smooth minimum of a and b takes:
// 0 where a is smaller by k or more, 1 where b is, 1/2 where they are equal.
func smoothWeight(a, b, k float64) float64 {
	if k <= 0 {
		if b < a {
			return 1
		}
		return 0
	}
	return Clamp(0.5+0.5*(a-b)/k, 0, 1)
}
