package scene

import "math"

// Translate moves its child by Offset.
type Translate struct {
	Offset Vec3
	Child  Node
}

// Distance implements Node.
func (t *Translate) Distance(p Vec3) float64 { return t.Child.Distance(p.Sub(t.Offset)) }

// Surface implements Node.
func (t *Translate) Surface(p Vec3) (float64, Material) { return t.Child.Surface(p.Sub(t.Offset)) }

// Rotate turns its child about the origin. Make one with RotateAxis or RotateEuler.
type Rotate struct {
	inverse Mat3 // world to object: the transpose of the rotation
	Child   Node
}

// NewRotate returns the child rotated by the rotation matrix m.
func NewRotate(m Mat3, child Node) *Rotate { return &Rotate{inverse: m.Transpose(), Child: child} }

// RotateAxis returns the child rotated by angle radians about axis.
func RotateAxis(axis Vec3, angle float64, child Node) *Rotate {
	return NewRotate(AxisAngle(axis, angle), child)
}

// RotateEuler returns the child rotated by Euler angles in radians (see Euler).
func RotateEuler(angles Vec3, child Node) *Rotate { return NewRotate(Euler(angles), child) }

// Inverse returns the rotation from world to object space, the transpose of the
// rotation.
func (r *Rotate) Inverse() Mat3 { return r.inverse }

// Distance implements Node.
func (r *Rotate) Distance(p Vec3) float64 { return r.Child.Distance(r.inverse.MulVec(p)) }

// Surface implements Node.
func (r *Rotate) Surface(p Vec3) (float64, Material) { return r.Child.Surface(r.inverse.MulVec(p)) }

// Scale grows its child uniformly by Factor about the origin; the distance is
// rescaled so it stays exact. Factor must be > 0.
type Scale struct {
	Factor float64
	Child  Node
}

// Distance implements Node.
func (s *Scale) Distance(p Vec3) float64 { return s.Child.Distance(p.Scale(1/s.Factor)) * s.Factor }

// Surface implements Node.
func (s *Scale) Surface(p Vec3) (float64, Material) {
	d, m := s.Child.Surface(p.Scale(1 / s.Factor))
	return d * s.Factor, m
}

// Repeat tiles space with copies of its child, one per cell of size Period centred on
// multiples of Period. An axis whose period is 0 (or less) is not repeated. A Limit
// component of 1 or more keeps only the copies with cell index in [-Limit, Limit] on
// that axis, the fraction ignored; 0 means unlimited.
//
// Only the copy in the cell of p is evaluated, so the distance is a safe bound only
// while the child lies inside its cell and is symmetric about the cell's centre on
// each repeated axis (a sphere or a pillar centred in it): otherwise a ray may step
// past the copy next door.
type Repeat struct {
	Period Vec3
	Limit  Vec3
	Child  Node
}

// Distance implements Node.
func (r *Repeat) Distance(p Vec3) float64 { return r.Child.Distance(r.Cell(p)) }

// Surface implements Node.
func (r *Repeat) Surface(p Vec3) (float64, Material) { return r.Child.Surface(r.Cell(p)) }

// Cell maps p into the local space of its nearest copy.
func (r *Repeat) Cell(p Vec3) Vec3 {
	return Vec3{repeatAxis(p.X, r.Period.X, r.Limit.X), repeatAxis(p.Y, r.Period.Y, r.Limit.Y), repeatAxis(p.Z, r.Period.Z, r.Limit.Z)}
}

func repeatAxis(x, period, limit float64) float64 {
	if period <= 0 {
		return x
	}
	i := math.Round(x / period)
	if limit >= 1 {
		limit = math.Floor(limit)
		i = Clamp(i, -limit, limit)
	}
	return x - float64(period*i)
}

var inf = math.Inf(1)
