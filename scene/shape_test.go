package scene

import (
	"fmt"
	"math"
	"testing"
)

var (
	sqrt2  = math.Sqrt2
	sqrt3  = math.Sqrt(3)
	sqrt17 = math.Sqrt(17)
)

type distanceCase struct {
	name string
	p    Vec3
	want float64
}

// shapeCases are distances worked out by hand for each primitive: inside, exactly on
// the surface, and outside, off the axes and near edges and corners.
var shapeCases = []struct {
	label string
	shape Shape
	cases []distanceCase
}{
	{"Sphere{1}", Sphere{1}, []distanceCase{
		{"centre", V(0, 0, 0), -1},
		{"inside off axis", V(0.3, 0.4, 0), -0.5},
		{"surface +X", V(1, 0, 0), 0},
		{"surface -Z", V(0, 0, -1), 0},
		{"surface diagonal", V(0.6, 0, 0.8), 0},
		{"outside on axis", V(0, 2, 0), 1},
		{"outside off axis", V(1, 2, 2), 2},
		{"outside negative", V(-2, -3, -6), 6},
	}},
	{"Sphere{2.5}", Sphere{2.5}, []distanceCase{
		{"centre", V(0, 0, 0), -2.5},
		{"surface", V(1.5, 2, 0), 0},
		{"outside", V(3, 4, 0), 2.5},
	}},
	{"Box{1,2,3}", Box{V(1, 2, 3)}, []distanceCase{
		{"centre takes nearest face", V(0, 0, 0), -1},
		{"inside nearest X face", V(0.5, 0, 0), -0.5},
		{"inside nearest Y face", V(0, 1.5, 0), -0.5},
		{"inside nearest Z face", V(0.5, 1.8, 2.9), -0.1},
		{"inside near edge", V(-0.9, 1.9, 0), -0.1},
		{"inside near corner", V(0.9, -1.9, 2.9), -0.1},
		{"face centre", V(1, 0, 0), 0},
		{"face off centre", V(0.3, -2, 1), 0},
		{"edge", V(1, 2, 0), 0},
		{"corner", V(-1, 2, -3), 0},
		{"outside face X", V(3, 0, 0), 2},
		{"outside face Y", V(0, -5, 1), 3},
		{"outside face Z off centre", V(0.5, 1, 7), 4},
		{"outside edge", V(2, 3, 0), sqrt2},
		{"outside edge negative", V(-2, 0, -4), sqrt2},
		{"outside corner", V(2, 3, 4), sqrt3},
		{"outside corner negative", V(-2, -3, -4), sqrt3},
		{"outside edge 3-4-5", V(4, 6, 3), 5},
		{"outside corner far", V(2, 4, 5), 3},
	}},
	{"RoundBox{1,1,1 r0.25}", RoundBox{V(1, 1, 1), 0.25}, []distanceCase{
		{"centre", V(0, 0, 0), -1},
		{"inside", V(0.5, 0.2, -0.1), -0.5},
		{"face centre", V(1, 0, 0), 0},
		{"face flat part", V(0.7, 1, -0.7), 0},
		{"rounded edge", V(0.75+0.25/sqrt2, 0.75+0.25/sqrt2, 0.3), 0},
		{"rounded corner", V(0.75, 0.75, 0.75).Add(V(1, 1, 1).Scale(0.25 / sqrt3)), 0},
		{"sharp corner is cut away", V(1, 1, 1), 0.25*sqrt3 - 0.25},
		{"sharp edge is cut away", V(-1, 1, 0), 0.25*sqrt2 - 0.25},
		{"outside face", V(0, 0, -2), 1},
		{"outside edge", V(2, 2, 0), 1.25*sqrt2 - 0.25},
		{"outside corner", V(2, -2, 2), 1.25*sqrt3 - 0.25},
	}},
	{"RoundBox{2,1,0.5 r0.5}", RoundBox{V(2, 1, 0.5), 0.5}, []distanceCase{
		{"centre", V(0, 0, 0), -0.5},
		{"surface Z", V(1, 0.3, 0.5), 0},
		{"surface X", V(2, 0.5, 0), 0},
		{"outside X", V(3, 0, 0), 1},
		{"outside edge", V(3.5, 2.5, 0), sqrt2*2 - 0.5},
	}},
	{"Torus{2,0.5}", Torus{2, 0.5}, []distanceCase{
		{"tube centre +X", V(2, 0, 0), -0.5},
		{"tube centre diagonal", V(sqrt2, 0, -sqrt2), -0.5},
		{"inside tube", V(0, 0.25, 2), -0.25},
		{"outer equator", V(2.5, 0, 0), 0},
		{"inner equator", V(0, 0, -1.5), 0},
		{"top of tube", V(0, 0.5, -2), 0},
		{"outside beyond ring", V(0, 0, 3), 0.5},
		{"centre of hole", V(0, 0, 0), 1.5},
		{"above centre", V(0, 1, 0), math.Sqrt(5) - 0.5},
		{"outside off axis", V(3, 4, 0), sqrt17 - 0.5},
		{"outside in plane off axis", V(4, 0, 3), 2.5},
		{"above ring", V(1.2, 3, 1.6), 2.5},
	}},
	{"Capsule{(0,0,0)-(0,2,0) r0.5}", Capsule{V(0, 0, 0), V(0, 2, 0), 0.5}, []distanceCase{
		{"on segment", V(0, 1, 0), -0.5},
		{"at end A", V(0, 0, 0), -0.5},
		{"inside", V(0.2, 1.5, 0), -0.3},
		{"side surface", V(0.3, 1, 0.4), 0},
		{"cap surface B", V(0, 2.5, 0), 0},
		{"cap surface A diagonal", V(0.3, -0.4, 0), 0},
		{"outside side", V(0, 0.7, -1.5), 1},
		{"outside beyond B", V(0, 3, 0), 0.5},
		{"outside beyond A", V(0, -1, 0), 0.5},
		{"outside beyond B off axis", V(3, 6, 0), 4.5},
		{"outside beyond A off axis", V(-3, -4, 0), 4.5},
	}},
	{"Capsule{(1,1,1)-(-1,-1,-1) r1}", Capsule{V(1, 1, 1), V(-1, -1, -1), 1}, []distanceCase{
		{"centre", V(0, 0, 0), -1},
		{"perpendicular to middle", V(1, -1, 0), sqrt2 - 1},
		{"beyond A on the axis", V(2, 2, 2), sqrt3 - 1},
		{"beyond B off the axis", V(-1, -1, -3), 1},
	}},
	{"Capsule{A=B r1}", Capsule{V(1, 2, 3), V(1, 2, 3), 1}, []distanceCase{
		{"centre", V(1, 2, 3), -1},
		{"surface", V(1, 3, 3), 0},
		{"outside", V(1, 2, 5), 1},
	}},
	{"Cylinder{1,2}", Cylinder{1, 2}, []distanceCase{
		{"centre takes nearest side", V(0, 0, 0), -1},
		{"inside near cap", V(0, 1.5, 0), -0.5},
		{"inside near side", V(0.3, 0.5, 0.4), -0.5},
		{"inside near rim", V(0.9, 1.9, 0), -0.1},
		{"side surface", V(0.6, -1, 0.8), 0},
		{"cap surface", V(0.2, 2, -0.3), 0},
		{"rim", V(1, 2, 0), 0},
		{"outside side", V(2, 0, 0), 1},
		{"outside side diagonal", V(-3, 0.5, 4), 4},
		{"outside cap", V(0, 3, 0), 1},
		{"outside below", V(0.5, -5, 0), 3},
		{"outside rim", V(2, 3, 0), sqrt2},
		{"outside rim below", V(0, -3, -2), sqrt2},
		{"outside rim far", V(3, 6, 4), 4 * sqrt2},
	}},
	{"Plane{+Y,0}", Plane{V(0, 1, 0), 0}, []distanceCase{
		{"above", V(5, 2, -3), 2},
		{"on", V(-7, 0, 9), 0},
		{"below", V(0, -1, 0), -1},
	}},
	{"Plane{(0.6,0.8,0),1}", Plane{V(0.6, 0.8, 0), 1}, []distanceCase{
		{"above", V(3, 4, 0), 4},
		{"on", V(0.6, 0.8, 7), 0},
		{"below", V(0, 0, 0), -1},
		{"behind", V(-3, -4, 1), -6},
	}},
}

func TestShapeDistance(t *testing.T) {
	for _, sc := range shapeCases {
		t.Run(sc.label, func(t *testing.T) {
			for _, c := range sc.cases {
				t.Run(c.name, func(t *testing.T) {
					if got := sc.shape.Distance(c.p); !near(got, c.want, eps) {
						t.Errorf("%s.Distance(%v) = %.17g, want %.17g", sc.label, c.p, got, c.want)
					}
				})
			}
		})
	}
}

// Independent ways to the exact distance: the nearest point of the shape, found
// by clamping or by search rather than by the formula under test.

func boxOracle(p, h Vec3) float64 {
	c := Vec3{Clamp(p.X, -h.X, h.X), Clamp(p.Y, -h.Y, h.Y), Clamp(p.Z, -h.Z, h.Z)}
	if c != p {
		return p.Sub(c).Length()
	}
	return -min(h.X-math.Abs(p.X), h.Y-math.Abs(p.Y), h.Z-math.Abs(p.Z))
}

func cylinderOracle(p Vec3, radius, half float64) float64 {
	rho := math.Sqrt(p.X*p.X + p.Z*p.Z)
	if rho > radius || math.Abs(p.Y) > half {
		return math.Hypot(rho-min(rho, radius), p.Y-Clamp(p.Y, -half, half))
	}
	return -min(radius-rho, half-math.Abs(p.Y))
}

func torusOracle(p Vec3, major, minor float64) float64 {
	flat := Vec3{p.X, 0, p.Z}
	if flat.Length() == 0 {
		return math.Hypot(major, p.Y) - minor
	}
	return p.Sub(flat.Normalize().Scale(major)).Length() - minor
}

// capsuleOracle finds the nearest point of the segment by ternary search: the
// distance to a point of the segment is convex along it.
func capsuleOracle(p, a, b Vec3, radius float64) float64 {
	at := func(u float64) float64 { return p.Sub(a.Lerp(b, u)).Length() }
	lo, hi := 0.0, 1.0
	for range 200 {
		m1, m2 := lo+(hi-lo)/3, hi-(hi-lo)/3
		if at(m1) < at(m2) {
			hi = m2
		} else {
			lo = m1
		}
	}
	return at((lo+hi)/2) - radius
}

func TestShapeDistanceMatchesNearestPoint(t *testing.T) {
	tests := []struct {
		label  string
		shape  Shape
		oracle func(Vec3) float64
	}{
		{"Box{1,2,3}", Box{V(1, 2, 3)}, func(p Vec3) float64 { return boxOracle(p, V(1, 2, 3)) }},
		{"Box{0.5,0.5,2}", Box{V(0.5, 0.5, 2)}, func(p Vec3) float64 { return boxOracle(p, V(0.5, 0.5, 2)) }},
		{"RoundBox{1,2,1.5 r0.4}", RoundBox{V(1, 2, 1.5), 0.4}, func(p Vec3) float64 { return boxOracle(p, V(0.6, 1.6, 1.1)) - 0.4 }},
		{"Cylinder{1,2}", Cylinder{1, 2}, func(p Vec3) float64 { return cylinderOracle(p, 1, 2) }},
		{"Cylinder{2,0.5}", Cylinder{2, 0.5}, func(p Vec3) float64 { return cylinderOracle(p, 2, 0.5) }},
		{"Torus{2,0.5}", Torus{2, 0.5}, func(p Vec3) float64 { return torusOracle(p, 2, 0.5) }},
		{"Capsule{(1,0,-1)-(-1,2,0) r0.3}", Capsule{V(1, 0, -1), V(-1, 2, 0), 0.3}, func(p Vec3) float64 {
			return capsuleOracle(p, V(1, 0, -1), V(-1, 2, 0), 0.3)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			r := newRand()
			for range 2000 {
				p := randPoint(r, 4)
				if got, want := tt.shape.Distance(p), tt.oracle(p); !near(got, want, 1e-9) {
					t.Fatalf("%s.Distance(%v) = %.17g, want %.17g", tt.label, p, got, want)
				}
			}
		})
	}
}

// exactShapes lists one of each primitive, in general position, for the property tests.
var exactShapes = []struct {
	label string
	shape Shape
}{
	{"Sphere{1.3}", Sphere{1.3}},
	{"Box{1,0.5,2}", Box{V(1, 0.5, 2)}},
	{"RoundBox{1,1.5,0.8 r0.3}", RoundBox{V(1, 1.5, 0.8), 0.3}},
	{"RoundBox{1,1,1 r1}", RoundBox{V(1, 1, 1), 1}},
	{"Torus{1.5,0.4}", Torus{1.5, 0.4}},
	{"Capsule{(-1,0,0.5)-(1,1,-0.5) r0.4}", Capsule{V(-1, 0, 0.5), V(1, 1, -0.5), 0.4}},
	{"Capsule{A=B r0.7}", Capsule{V(0.2, 0.1, 0), V(0.2, 0.1, 0), 0.7}},
	{"Cylinder{0.8,1.2}", Cylinder{0.8, 1.2}},
	{"Plane{(0,1,0),-0.5}", Plane{V(0, 1, 0), -0.5}},
	{"Plane{(2,-1,2)/3,0.3}", Plane{V(2, -1, 2).Scale(1.0 / 3), 0.3}},
}

func TestShapeLipschitz(t *testing.T) {
	for _, s := range exactShapes {
		t.Run(s.label, func(t *testing.T) {
			r := newRand()
			for i := range 3000 {
				p := randPoint(r, 4)
				// Mostly close pairs, where a wrong slope shows, and some far ones.
				step := randIn(r, 0, 0.5)
				if i%4 == 0 {
					step = randIn(r, 0, 6)
				}
				q := p.Add(randDir(r).Scale(step))
				dp, dq := s.shape.Distance(p), s.shape.Distance(q)
				if math.Abs(dp-dq) > p.Sub(q).Length()+lipschitzSlack {
					t.Fatalf("|%s.Distance(%v) - Distance(%v)| = |%g - %g| = %g, want <= |p-q| = %g",
						s.label, p, q, dp, dq, math.Abs(dp-dq), p.Sub(q).Length())
				}
			}
		})
	}
}

// TestShapeStepIsSafe checks what a ray marcher relies on: the ball of radius d(p)
// around an outside point p holds no point of the shape, and a full step from p
// along any direction lands at most on the surface.
func TestShapeStepIsSafe(t *testing.T) {
	for _, s := range exactShapes {
		t.Run(s.label, func(t *testing.T) {
			checkStepIsSafe(t, s.label, s.shape.Distance, 4, 300)
		})
	}
}

// TestShapeDistanceIsExact checks that the distance is not merely a bound: the
// gradient has unit length, and stepping d(p) down the gradient reaches the surface.
func TestShapeDistanceIsExact(t *testing.T) {
	for _, s := range exactShapes {
		t.Run(s.label, func(t *testing.T) {
			r := newRand()
			for range 500 {
				p := randPoint(r, 4)
				d := s.shape.Distance(p)
				if math.Abs(d) < 1e-3 {
					continue
				}
				g := gradient(s.shape, p)
				if l := g.Length(); !near(l, 1, 1e-4) {
					t.Fatalf("|gradient of %s at %v| = %g, want 1", s.label, p, l)
				}
				q := p.Sub(g.Normalize().Scale(d))
				if dq := s.shape.Distance(q); !near(dq, 0, 1e-7) {
					t.Fatalf("%s.Distance(%v) = %g, %g down the gradient from %v, want 0", s.label, q, dq, d, p)
				}
			}
		})
	}
}

func TestSphereDistanceIsDistanceToSurface(t *testing.T) {
	r := newRand()
	for _, radius := range []float64{0.5, 1, 3} {
		t.Run(fmt.Sprint(radius), func(t *testing.T) {
			s := Sphere{radius}
			for range 500 {
				p := randPoint(r, 5)
				// The nearest surface point lies on the ray from the centre through p.
				want := p.Sub(p.Normalize().Scale(radius)).Length()
				if p.Length() < radius {
					want = -want
				}
				if got := s.Distance(p); !near(got, want, eps) {
					t.Fatalf("Sphere{%g}.Distance(%v) = %.17g, want %.17g", radius, p, got, want)
				}
			}
		})
	}
}
