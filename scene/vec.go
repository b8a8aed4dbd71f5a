package scene

import (
	"math"
	"strconv"
)

// Vec3 is a point, direction or linear RGB colour in three dimensions.
// It is a small value type: methods take and return copies, so vectors stay on the stack.
//
// A product that is added to or subtracted from something is written
// float64(a*b), here and in the renderer: Go may otherwise fuse the two into
// one multiply-add that rounds once (it does on arm64, not on amd64), where
// it sees fit, so the same formula gave different bits in different places
// and on different machines. The conversion makes the product round on its
// own, as amd64 computes it anyway: the same bits everywhere (cmd/render's
// TestNoFusedMultiplyAdds holds it).
type Vec3 struct{ X, Y, Z float64 }

// String formats a as a scene file writes a vector: [x, y, z], each number in
// the shortest form that reads back exactly.
func (a Vec3) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	return "[" + f(a.X) + ", " + f(a.Y) + ", " + f(a.Z) + "]"
}

// V returns the vector (x, y, z).
func V(x, y, z float64) Vec3 { return Vec3{x, y, z} }

// Add returns a + b.
func (a Vec3) Add(b Vec3) Vec3 { return Vec3{a.X + b.X, a.Y + b.Y, a.Z + b.Z} }

// Sub returns a - b.
func (a Vec3) Sub(b Vec3) Vec3 { return Vec3{a.X - b.X, a.Y - b.Y, a.Z - b.Z} }

// Scale returns a * s.
func (a Vec3) Scale(s float64) Vec3 {
	return Vec3{float64(a.X * s), float64(a.Y * s), float64(a.Z * s)}
}

// Mul returns the component-wise product of a and b.
func (a Vec3) Mul(b Vec3) Vec3 {
	return Vec3{float64(a.X * b.X), float64(a.Y * b.Y), float64(a.Z * b.Z)}
}

// Neg returns -a.
func (a Vec3) Neg() Vec3 { return Vec3{-a.X, -a.Y, -a.Z} }

// Dot returns the dot product of a and b.
func (a Vec3) Dot(b Vec3) float64 { return float64(a.X*b.X) + float64(a.Y*b.Y) + float64(a.Z*b.Z) }

// Cross returns the cross product a × b.
func (a Vec3) Cross(b Vec3) Vec3 {
	return Vec3{float64(a.Y*b.Z) - float64(a.Z*b.Y), float64(a.Z*b.X) - float64(a.X*b.Z), float64(a.X*b.Y) - float64(a.Y*b.X)}
}

// Length returns the Euclidean length of a.
func (a Vec3) Length() float64 { return math.Sqrt(a.Dot(a)) }

// Normalize returns a scaled to unit length; the zero vector stays zero.
func (a Vec3) Normalize() Vec3 {
	l := a.Length()
	if l == 0 {
		return a
	}
	return a.Scale(1 / l)
}

// Abs returns the component-wise absolute value of a.
func (a Vec3) Abs() Vec3 { return Vec3{math.Abs(a.X), math.Abs(a.Y), math.Abs(a.Z)} }

// Max returns the component-wise maximum of a and b.
func (a Vec3) Max(b Vec3) Vec3 { return Vec3{Max(a.X, b.X), Max(a.Y, b.Y), Max(a.Z, b.Z)} }

// MaxComponent returns the largest of a's components.
func (a Vec3) MaxComponent() float64 { return Max(Max(a.X, a.Y), a.Z) }

// Lerp returns the linear interpolation from a (at u = 0) to b (at u = 1).
func (a Vec3) Lerp(b Vec3, u float64) Vec3 {
	return Vec3{lerp(a.X, b.X, u), lerp(a.Y, b.Y, u), lerp(a.Z, b.Z, u)}
}

// IsFinite reports whether every component of a is neither NaN nor infinite.
func (a Vec3) IsFinite() bool { return isFinite(a.X) && isFinite(a.Y) && isFinite(a.Z) }

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Mat3 is a 3×3 matrix stored by rows, used for rotations.
type Mat3 [3]Vec3

// Identity is the 3×3 identity matrix.
var Identity = Mat3{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

// MulVec returns m · v.
func (m Mat3) MulVec(v Vec3) Vec3 { return Vec3{m[0].Dot(v), m[1].Dot(v), m[2].Dot(v)} }

// Transpose returns the transpose of m, which for a rotation is its inverse.
func (m Mat3) Transpose() Mat3 {
	return Mat3{
		{m[0].X, m[1].X, m[2].X},
		{m[0].Y, m[1].Y, m[2].Y},
		{m[0].Z, m[1].Z, m[2].Z},
	}
}

// Mul returns the matrix product m · n.
func (m Mat3) Mul(n Mat3) Mat3 {
	t := n.Transpose()
	var r Mat3
	for i := range 3 {
		r[i] = Vec3{m[i].Dot(t[0]), m[i].Dot(t[1]), m[i].Dot(t[2])}
	}
	return r
}

// AxisAngle returns the rotation by angle radians about axis, counter-clockwise when
// looking down the axis towards the origin (Rodrigues' formula).
func AxisAngle(axis Vec3, angle float64) Mat3 {
	a := axis.Normalize()
	s, c := math.Sincos(angle)
	t := 1 - c
	return Mat3{
		{float64(t*a.X*a.X) + c, float64(t*a.X*a.Y) - float64(s*a.Z), float64(t*a.X*a.Z) + float64(s*a.Y)},
		{float64(t*a.X*a.Y) + float64(s*a.Z), float64(t*a.Y*a.Y) + c, float64(t*a.Y*a.Z) - float64(s*a.X)},
		{float64(t*a.X*a.Z) - float64(s*a.Y), float64(t*a.Y*a.Z) + float64(s*a.X), float64(t*a.Z*a.Z) + c},
	}
}

// Euler returns the rotation by the angles (radians) about X, then Y, then Z,
// applied in that order to a point: Rz · Ry · Rx.
func Euler(angles Vec3) Mat3 {
	return AxisAngle(Vec3{0, 0, 1}, angles.Z).
		Mul(AxisAngle(Vec3{0, 1, 0}, angles.Y)).
		Mul(AxisAngle(Vec3{1, 0, 0}, angles.X))
}

// Radians converts degrees to radians.
func Radians(deg float64) float64 { return deg * math.Pi / 180 }

// Min and Max are min and max by plain comparison. The built-ins order NaNs and
// signed zeros, which costs several instructions each; distances are never NaN.
func Min(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

func Max(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// Clamp limits x to [lo, hi], by plain comparison like Min and Max.
func Clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
