package scene

import (
	"fmt"
	"math"
	"testing"
)

func TestVec3Arithmetic(t *testing.T) {
	a, b := V(1, -2, 3), V(4, 5, -6)
	tests := []struct {
		name      string
		got, want Vec3
	}{
		{"V", V(1, 2, 3), Vec3{1, 2, 3}},
		{"Add", a.Add(b), V(5, 3, -3)},
		{"Sub", a.Sub(b), V(-3, -7, 9)},
		{"Scale", a.Scale(-2), V(-2, 4, -6)},
		{"Mul", a.Mul(b), V(4, -10, -18)},
		{"Neg", a.Neg(), V(-1, 2, -3)},
		{"Abs", V(-1, 0, 2.5).Abs(), V(1, 0, 2.5)},
		{"Max", a.Max(b), V(4, 5, 3)},
		{"Cross", a.Cross(b), V(-2*-6-3*5, 3*4-1*-6, 1*5-(-2)*4)},
		{"Cross X×Y", V(1, 0, 0).Cross(V(0, 1, 0)), V(0, 0, 1)},
		{"Cross Y×Z", V(0, 1, 0).Cross(V(0, 0, 1)), V(1, 0, 0)},
		{"Cross Z×X", V(0, 0, 1).Cross(V(1, 0, 0)), V(0, 1, 0)},
		{"Cross Y×X", V(0, 1, 0).Cross(V(1, 0, 0)), V(0, 0, -1)},
		{"Cross parallel", a.Cross(a.Scale(3)), V(0, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
			}
		})
	}
}

func TestVec3Scalars(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"Dot", V(1, -2, 3).Dot(V(4, 5, -6)), 4 - 10 - 18},
		{"Dot perpendicular", V(1, 2, 0).Dot(V(-2, 1, 7)), 0},
		{"Length", V(2, -3, 6).Length(), 7},
		{"Length zero", V(0, 0, 0).Length(), 0},
		{"MaxComponent first", V(3, -1, 2).MaxComponent(), 3},
		{"MaxComponent last", V(-3, -1, -0.5).MaxComponent(), -0.5},
		{"Radians 180", Radians(180), math.Pi},
		{"Radians -90", Radians(-90), -math.Pi / 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !near(tt.got, tt.want, eps) {
				t.Errorf("%s = %.17g, want %.17g", tt.name, tt.got, tt.want)
			}
		})
	}
}

func TestVec3CrossIsPerpendicular(t *testing.T) {
	r := newRand()
	for range 200 {
		a, b := randPoint(r, 3), randPoint(r, 3)
		c := a.Cross(b)
		if d := c.Dot(a); !near(d, 0, 1e-12) {
			t.Fatalf("%v.Cross(%v).Dot(a) = %g, want 0", a, b, d)
		}
		if d := c.Dot(b); !near(d, 0, 1e-12) {
			t.Fatalf("%v.Cross(%v).Dot(b) = %g, want 0", a, b, d)
		}
		if got, want := b.Cross(a), c.Neg(); got != want {
			t.Fatalf("%v.Cross(%v) = %v, want %v", b, a, got, want)
		}
	}
}

func TestVec3Normalize(t *testing.T) {
	tests := []struct {
		in, want Vec3
	}{
		{V(3, 0, 0), V(1, 0, 0)},
		{V(0, -0.5, 0), V(0, -1, 0)},
		{V(2, -3, 6), V(2.0/7, -3.0/7, 6.0/7)},
		{V(1, 1, 1), V(1, 1, 1).Scale(1 / math.Sqrt(3))},
		{V(0, 0, 0), V(0, 0, 0)}, // the zero vector stays zero, not NaN
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in), func(t *testing.T) {
			if got := tt.in.Normalize(); !vecNear(got, tt.want, eps) {
				t.Errorf("%v.Normalize() = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	r := newRand()
	for range 200 {
		v := randPoint(r, 10)
		if l := v.Normalize().Length(); !near(l, 1, eps) {
			t.Fatalf("%v.Normalize().Length() = %.17g, want 1", v, l)
		}
	}
}

func TestVec3Lerp(t *testing.T) {
	a, b := V(0.9, 0.2, -3), V(0.2, 0.7, 5)
	tests := []struct {
		name string
		u    float64
		want Vec3
		tol  float64
	}{
		{"start is exactly a", 0, a, 0},
		{"end is exactly b", 1, b, 0},
		{"midpoint", 0.5, V(0.55, 0.45, 1), eps},
		{"quarter", 0.25, V(0.725, 0.325, -1), eps},
		{"extrapolates beyond 1", 2, V(-0.5, 1.2, 13), eps},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := a.Lerp(b, tt.u); !vecNear(got, tt.want, tt.tol) {
				t.Errorf("%v.Lerp(%v, %g) = %v, want %v", a, b, tt.u, got, tt.want)
			}
		})
	}
}

func TestVec3IsFinite(t *testing.T) {
	tests := []struct {
		v    Vec3
		want bool
	}{
		{V(0, -1e300, 5), true},
		{V(math.NaN(), 0, 0), false},
		{V(0, math.Inf(1), 0), false},
		{V(0, 0, math.Inf(-1)), false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.v), func(t *testing.T) {
			if got := tt.v.IsFinite(); got != tt.want {
				t.Errorf("%v.IsFinite() = %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

func TestMat3Basics(t *testing.T) {
	m := Mat3{{1, 2, 3}, {4, 5, 6}, {7, 8, 10}}
	n := Mat3{{0, 1, 0}, {-1, 0, 2}, {3, 0, 1}}
	tests := []struct {
		name      string
		got, want Mat3
	}{
		{"Transpose", m.Transpose(), Mat3{{1, 4, 7}, {2, 5, 8}, {3, 6, 10}}},
		{"Transpose twice", m.Transpose().Transpose(), m},
		{"Identity·m", Identity.Mul(m), m},
		{"m·Identity", m.Mul(Identity), m},
		{"m·n", m.Mul(n), Mat3{{7, 1, 7}, {13, 4, 16}, {22, 7, 26}}},
		{"n·m", n.Mul(m), Mat3{{4, 5, 6}, {13, 14, 17}, {10, 14, 19}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
			}
		})
	}
	if got, want := m.MulVec(V(1, -1, 2)), V(5, 11, 19); got != want {
		t.Errorf("%v.MulVec((1,-1,2)) = %v, want %v", m, got, want)
	}
	if got, want := m.Mul(n).MulVec(V(1, 2, 3)), m.MulVec(n.MulVec(V(1, 2, 3))); got != want {
		t.Errorf("(m·n)·v = %v, want m·(n·v) = %v", got, want)
	}
}

func TestAxisAngleMapsKnownPoints(t *testing.T) {
	X, Y, Z := V(1, 0, 0), V(0, 1, 0), V(0, 0, 1)
	tests := []struct {
		name     string
		axis     Vec3
		deg      float64
		in, want Vec3
	}{
		// Counter-clockwise looking down the axis: the right-hand rule.
		{"Z 90 maps X to Y", Z, 90, X, Y},
		{"X 90 maps Y to Z", X, 90, Y, Z},
		{"Y 90 maps Z to X", Y, 90, Z, X},
		{"Y 90 maps X to -Z", Y, 90, X, Z.Neg()},
		{"Y -90 maps X to Z", Y, -90, X, Z},
		{"Z 180 maps X to -X", Z, 180, X, X.Neg()},
		{"axis is fixed", V(1, 2, 3), 37, V(2, 4, 6), V(2, 4, 6)},
		{"unnormalised axis", V(0, 5, 0), 90, V(2, 7, 0), V(0, 7, -2)},
		{"diagonal 120 cycles axes", V(1, 1, 1), 120, X, Y},
		{"zero angle", V(0.3, -1, 2), 0, V(4, 5, 6), V(4, 5, 6)},
		{"full turn", V(0.3, -1, 2), 360, V(4, 5, 6), V(4, 5, 6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AxisAngle(tt.axis, Radians(tt.deg)).MulVec(tt.in); !vecNear(got, tt.want, eps) {
				t.Errorf("AxisAngle(%v, %g°)·%v = %v, want %v", tt.axis, tt.deg, tt.in, got, tt.want)
			}
		})
	}
}

func TestAxisAngleIsOrthonormal(t *testing.T) {
	r := newRand()
	for range 200 {
		axis, angle := randPoint(r, 2), randIn(r, -7, 7)
		m := AxisAngle(axis, angle)
		if got := m.Mul(m.Transpose()); !matNear(got, Identity, eps) {
			t.Fatalf("AxisAngle(%v, %g)·transpose = %v, want Identity", axis, angle, got)
		}
		// A rotation, not a reflection: det = (row0 × row1) · row2 = +1.
		if det := m[0].Cross(m[1]).Dot(m[2]); !near(det, 1, eps) {
			t.Fatalf("det AxisAngle(%v, %g) = %.17g, want 1", axis, angle, det)
		}
		// The inverse rotation is the rotation by -angle.
		if got, want := AxisAngle(axis, -angle), m.Transpose(); !matNear(got, want, eps) {
			t.Fatalf("AxisAngle(%v, %g) = %v, want the transpose of the rotation by %g, %v", axis, -angle, got, angle, want)
		}
	}
}

func TestEuler(t *testing.T) {
	if got := Euler(Vec3{}); got != Identity {
		t.Errorf("Euler(0) = %v, want Identity", got)
	}
	r := newRand()
	for range 200 {
		a := randPoint(r, 4)
		want := AxisAngle(V(0, 0, 1), a.Z).Mul(AxisAngle(V(0, 1, 0), a.Y)).Mul(AxisAngle(V(1, 0, 0), a.X))
		m := Euler(a)
		if !matNear(m, want, eps) {
			t.Fatalf("Euler(%v) = %v, want Rz·Ry·Rx = %v", a, m, want)
		}
		// Applied in order X, then Y, then Z to a point.
		p := randPoint(r, 3)
		step := AxisAngle(V(0, 0, 1), a.Z).MulVec(AxisAngle(V(0, 1, 0), a.Y).MulVec(AxisAngle(V(1, 0, 0), a.X).MulVec(p)))
		if got := m.MulVec(p); !vecNear(got, step, 1e-11) {
			t.Fatalf("Euler(%v)·%v = %v, want %v", a, p, got, step)
		}
		if got := m.Mul(m.Transpose()); !matNear(got, Identity, eps) {
			t.Fatalf("Euler(%v)·transpose = %v, want Identity", a, got)
		}
	}
	// Rotation about a single axis is AxisAngle about it.
	for _, axis := range []Vec3{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}} {
		if got, want := Euler(axis.Scale(0.7)), AxisAngle(axis, 0.7); !matNear(got, want, eps) {
			t.Errorf("Euler(%v) = %v, want %v", axis.Scale(0.7), got, want)
		}
	}
}

// TestMinMaxClampBits pins Min, Max and Clamp to plain comparison bit for bit:
// Min(a, b) is a only where a < b, so equal operands give b, and -0 and +0 are
// told apart. The renderer's batched kernels reproduce these bits (signed
// zeros, NaNs and infinities included), so a change here is a change there.
func TestMinMaxClampBits(t *testing.T) {
	negZero, nan, inf := math.Copysign(0, -1), math.NaN(), math.Inf(1)
	same := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"Min(1, 2)", Min(1, 2), 1},
		{"Min(2, 1)", Min(2, 1), 1},
		{"Min(-0, 0) is the second", Min(negZero, 0), 0},
		{"Min(0, -0) is the second", Min(0, negZero), negZero},
		{"Min(NaN, 1) is the second", Min(nan, 1), 1},
		{"Min(1, NaN) is the second", Min(1, nan), nan},
		{"Min(-Inf, 0)", Min(-inf, 0), -inf},
		{"Max(1, 2)", Max(1, 2), 2},
		{"Max(2, 1)", Max(2, 1), 2},
		{"Max(-0, 0) is the second", Max(negZero, 0), 0},
		{"Max(0, -0) is the second", Max(0, negZero), negZero},
		{"Max(NaN, 1) is the second", Max(nan, 1), 1},
		{"Max(1, NaN) is the second", Max(1, nan), nan},
		{"Clamp below", Clamp(-3, -1, 2), -1},
		{"Clamp above", Clamp(5, -1, 2), 2},
		{"Clamp inside", Clamp(0.5, -1, 2), 0.5},
		{"Clamp(-0, 0, 1) keeps -0", Clamp(negZero, 0, 1), negZero},
		{"Clamp(0, -0, 1) keeps 0", Clamp(0, negZero, 1), 0},
		{"Clamp(-0, -1, 0) keeps -0", Clamp(negZero, -1, 0), negZero},
		{"Clamp(0, -1, -0) keeps 0", Clamp(0, -1, negZero), 0},
		{"Clamp(NaN, 0, 1) is NaN", Clamp(nan, 0, 1), nan},
		{"Clamp(+Inf, 0, 1)", Clamp(inf, 0, 1), 1},
	}
	for _, tt := range tests {
		if !same(tt.got, tt.want) {
			t.Errorf("%s = %g (bits %#x), want %g (bits %#x)", tt.name, tt.got, math.Float64bits(tt.got), tt.want, math.Float64bits(tt.want))
		}
	}
}

func TestVec3String(t *testing.T) {
	tests := []struct {
		v    Vec3
		want string
	}{
		{V(0, 0, 0), "[0, 0, 0]"},
		{V(1, -2, 3), "[1, -2, 3]"},
		// The shortest form that reads back exactly, as a scene file writes it.
		{V(0.1, -2.5, 1.0/3), "[0.1, -2.5, 0.3333333333333333]"},
		{V(1e-7, 123456789.125, -1e300), "[1e-07, 1.23456789125e+08, -1e+300]"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("Vec3{%g, %g, %g}.String() = %q, want %q", tt.v.X, tt.v.Y, tt.v.Z, got, tt.want)
		}
	}
}
