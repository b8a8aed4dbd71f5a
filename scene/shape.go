package scene

import "math"

// Shape is a primitive signed distance function in its own object space:
// Distance is negative inside, zero on the surface and positive outside.
// Every shape here gives the exact Euclidean distance, so a ray may safely step by it.
type Shape interface {
	Distance(p Vec3) float64
}

// Sphere is a sphere of Radius centred on the origin.
type Sphere struct{ Radius float64 }

// Distance implements Shape.
func (s Sphere) Distance(p Vec3) float64 { return p.Length() - s.Radius }

// Box is an axis-aligned box centred on the origin with half-extents Half.
type Box struct{ Half Vec3 }

// Distance implements Shape.
func (b Box) Distance(p Vec3) float64 { return boxDistance(p, b.Half) }

func boxDistance(p, half Vec3) float64 {
	q := p.Abs().Sub(half)
	return q.Max(Vec3{}).Length() + Min(q.MaxComponent(), 0)
}

// RoundBox is a Box with edges and corners rounded by Radius. Half is the
// half-extent of the whole shape, rounding included, so Radius <= the smallest component of Half.
type RoundBox struct {
	Half   Vec3
	Radius float64
}

// Distance implements Shape.
func (b RoundBox) Distance(p Vec3) float64 {
	r := b.Radius
	return boxDistance(p, b.Half.Sub(Vec3{r, r, r})) - r
}

// Torus is a ring in the XZ plane around the Y axis: Major is the distance from the
// centre to the middle of the tube, Minor the radius of the tube.
type Torus struct{ Major, Minor float64 }

// Distance implements Shape.
func (t Torus) Distance(p Vec3) float64 {
	qx := hypot(p.X, p.Z) - t.Major
	return hypot(qx, p.Y) - t.Minor
}

// Capsule is the set of points within Radius of the segment from A to B.
type Capsule struct {
	A, B   Vec3
	Radius float64
}

// Distance implements Shape.
func (c Capsule) Distance(p Vec3) float64 {
	pa, ba := p.Sub(c.A), c.B.Sub(c.A)
	h := 0.0
	if l2 := ba.Dot(ba); l2 > 0 {
		h = Clamp(pa.Dot(ba)/l2, 0, 1)
	}
	return pa.Sub(ba.Scale(h)).Length() - c.Radius
}

// Cylinder is a capped cylinder around the Y axis, centred on the origin, of Radius
// and total height 2 × HalfHeight.
type Cylinder struct{ Radius, HalfHeight float64 }

// Distance implements Shape.
func (c Cylinder) Distance(p Vec3) float64 {
	dx := hypot(p.X, p.Z) - c.Radius
	dy := math.Abs(p.Y) - c.HalfHeight
	return Min(Max(dx, dy), 0) + hypot(Max(dx, 0), Max(dy, 0))
}

// Plane is the infinite plane of points p with p · Normal = Offset; the side Normal
// points to is outside. Normal must have unit length.
type Plane struct {
	Normal Vec3
	Offset float64
}

// Distance implements Shape.
func (pl Plane) Distance(p Vec3) float64 { return p.Dot(pl.Normal) - pl.Offset }

// hypot is sqrt(x² + y²) without math.Hypot's care for overflow, which scene
// coordinates never come near, at a third of the cost.
func hypot(x, y float64) float64 { return math.Sqrt(float64(x*x) + float64(y*y)) }
