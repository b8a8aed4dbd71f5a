package render

import (
	"math"

	"github.com/sdfrender/render/scene"
)

// sphere is a bounding sphere.
type sphere struct {
	center scene.Vec3
	radius float64
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
			return s.A.Add(s.B).Scale(0.5), float64(s.B.Sub(s.A).Length()/2) + s.Radius, true
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
	return c, rad + math.Sqrt(float64(x*x)+float64(y*y)+float64(z*z)), true
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
	r := float64((d + r1 + r2) / 2)
	return c1.Add(c2.Sub(c1).Scale(float64((r - r1) / d))), r
}
