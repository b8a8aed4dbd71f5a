package scene

import (
	"fmt"
	"math"
	"testing"
)

// checkDistances runs each case as a subtest against node.
func checkDistances(t *testing.T, label string, node Node, cases []distanceCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := node.Distance(c.p); !near(got, c.want, eps) {
				t.Errorf("%s.Distance(%v) = %.17g, want %.17g", label, c.p, got, c.want)
			}
		})
	}
}

func TestTranslate(t *testing.T) {
	n := &Translate{V(1, 2, 3), &Solid{Sphere{1}, matRed}}
	checkDistances(t, "Translate{(1,2,3), Sphere{1}}", n, []distanceCase{
		{"centre", V(1, 2, 3), -1},
		{"surface", V(1, 2, 4), 0},
		{"outside", V(4, 6, 3), 4},
		{"origin", V(0, 0, 0), math.Sqrt(14) - 1},
	})
	nested := &Translate{V(-1, 0, 0), &Translate{V(0, 0, 5), &Solid{Box{V(1, 1, 1)}, matRed}}}
	checkDistances(t, "Translate{(-1,0,0), Translate{(0,0,5), Box{1}}}", nested, []distanceCase{
		{"centre", V(-1, 0, 5), -1},
		{"corner", V(1, 2, 7), sqrt3},
	})
}

func TestRotateAxis(t *testing.T) {
	// A ball at +X turned 90° about +Y, counter-clockwise seen from above, ends at -Z.
	ball := &Translate{V(1, 0, 0), &Solid{Sphere{0.5}, matRed}}
	n := RotateAxis(V(0, 1, 0), Radians(90), ball)
	checkDistances(t, "RotateAxis(Y, 90°, ball at +X)", n, []distanceCase{
		{"ball's new centre -Z", V(0, 0, -1), -0.5},
		{"ball's old centre +X", V(1, 0, 0), sqrt2 - 0.5},
		{"opposite +Z", V(0, 0, 1), 1.5},
		{"surface", V(0, 0.5, -1), 0},
	})

	// A unit box turned 45° about Z puts an edge on the X axis at sqrt(2).
	box := RotateAxis(V(0, 0, 1), Radians(45), &Solid{Box{V(1, 1, 1)}, matRed})
	checkDistances(t, "RotateAxis(Z, 45°, Box{1})", box, []distanceCase{
		{"edge", V(sqrt2, 0, 0), 0},
		{"beyond edge", V(sqrt2+1, 0, 0), 1},
		{"beyond edge on Y", V(0, -sqrt2-2, 0.5), 2},
		{"inside", V(1, 0, 0), 1/sqrt2 - 1},
		{"face", V(1/sqrt2, 1/sqrt2, 0), 0},
	})
}

func TestNewRotateIdentity(t *testing.T) {
	child := &Translate{V(0.3, -0.2, 0.1), &Solid{Box{V(1, 0.5, 0.2)}, matRed}}
	n := NewRotate(Identity, child)
	r := newRand()
	for range 200 {
		p := randPoint(r, 3)
		if got, want := n.Distance(p), child.Distance(p); got != want {
			t.Fatalf("NewRotate(Identity, child).Distance(%v) = %g, want %g", p, got, want)
		}
	}
}

func TestRotateEulerIsComposedAxisAngles(t *testing.T) {
	child := &Translate{V(0.7, -0.2, 0.4), &Solid{Box{V(1, 0.5, 0.25)}, matRed}}
	r := newRand()
	for range 50 {
		a := randPoint(r, math.Pi)
		euler := RotateEuler(a, child)
		nested := RotateAxis(V(0, 0, 1), a.Z, RotateAxis(V(0, 1, 0), a.Y, RotateAxis(V(1, 0, 0), a.X, child)))
		for range 20 {
			p := randPoint(r, 3)
			if got, want := euler.Distance(p), nested.Distance(p); !near(got, want, 1e-12) {
				t.Fatalf("RotateEuler(%v, child).Distance(%v) = %.17g, want Z∘Y∘X rotations' %.17g", a, p, got, want)
			}
		}
	}
}

func TestRotatePreservesSphereDistance(t *testing.T) {
	sphere := &Solid{Sphere{1.2}, matRed}
	r := newRand()
	for range 100 {
		axis, angle := randPoint(r, 1), randIn(r, -2*math.Pi, 2*math.Pi)
		n := RotateAxis(axis, angle, sphere)
		for range 10 {
			p := randPoint(r, 4)
			if got, want := n.Distance(p), sphere.Distance(p); !near(got, want, eps) {
				t.Fatalf("RotateAxis(%v, %g, Sphere{1.2}).Distance(%v) = %.17g, want %.17g", axis, angle, p, got, want)
			}
		}
	}
}

func TestRotateInverse(t *testing.T) {
	// Turning by an angle and back again leaves the child where it was.
	child := &Translate{V(0.7, -0.2, 0.4), &Solid{Torus{1, 0.3}, matRed}}
	r := newRand()
	for range 50 {
		axis, angle := randPoint(r, 1), randIn(r, -4, 4)
		n := RotateAxis(axis, angle, RotateAxis(axis, -angle, child))
		p := randPoint(r, 3)
		if got, want := n.Distance(p), child.Distance(p); !near(got, want, 1e-12) {
			t.Fatalf("RotateAxis(a, %g, RotateAxis(a, %g, child)).Distance(%v) = %.17g, want %.17g", angle, -angle, p, got, want)
		}
	}
}

func TestScale(t *testing.T) {
	tests := []struct {
		name   string
		scaled Node
		want   Node
	}{
		{"Scale{2, Sphere{1}} is Sphere{2}", &Scale{2, &Solid{Sphere{1}, matRed}}, &Solid{Sphere{2}, matRed}},
		{"Scale{0.5, Box{1,2,3}} is Box{0.5,1,1.5}", &Scale{0.5, &Solid{Box{V(1, 2, 3)}, matRed}}, &Solid{Box{V(0.5, 1, 1.5)}, matRed}},
		{"Scale{3, Torus{1,0.2}} is Torus{3,0.6}", &Scale{3, &Solid{Torus{1, 0.2}, matRed}}, &Solid{Torus{3, 0.6}, matRed}},
		{"Scale{3, Translate{(1,0,0)}} moves the centre to 3", &Scale{3, &Translate{V(1, 0, 0), &Solid{Sphere{1}, matRed}}},
			&Translate{V(3, 0, 0), &Solid{Sphere{3}, matRed}}},
		{"Scale{1, child} is child", &Scale{1, &Solid{Cylinder{1, 2}, matRed}}, &Solid{Cylinder{1, 2}, matRed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRand()
			for range 500 {
				p := randPoint(r, 5)
				if got, want := tt.scaled.Distance(p), tt.want.Distance(p); !near(got, want, 1e-12) {
					t.Fatalf("%s: Distance(%v) = %.17g, want %.17g", tt.name, p, got, want)
				}
			}
		})
	}
	n := &Scale{3, &Translate{V(1, 0, 0), &Solid{Sphere{1}, matRed}}}
	checkDistances(t, "Scale{3, Translate{(1,0,0), Sphere{1}}}", n, []distanceCase{
		{"centre", V(3, 0, 0), -3},
		{"outside", V(7, 0, 0), 1},
		{"origin on surface", V(0, 0, 0), 0},
	})
}

func TestRepeat(t *testing.T) {
	ball := &Solid{Sphere{0.5}, matRed}
	t.Run("along X", func(t *testing.T) {
		n := &Repeat{Period: V(3, 0, 0), Child: ball}
		cases := []distanceCase{
			{"between copies", V(1.5, 0, 0), 1},
			{"beside a copy", V(4, 0, 0), 0.5},
			{"off axis", V(-4, 0.5, 0), math.Sqrt(1.25) - 0.5},
			{"Y is not repeated", V(0, 3, 0), 2.5},
			{"Y is not repeated beside a copy", V(3, 3, 0), 2.5},
			{"Z is not repeated", V(-6, 0, -4), 3.5},
		}
		for k := -4; k <= 4; k++ {
			cases = append(cases, distanceCase{fmt.Sprintf("copy %d", k), V(3*float64(k), 0, 0), -0.5})
		}
		cases = append(cases, distanceCase{"copy 100", V(300, 0, 0), -0.5})
		checkDistances(t, "Repeat{(3,0,0)}", n, cases)
	})
	t.Run("all axes", func(t *testing.T) {
		n := &Repeat{Period: V(2, 2, 2), Child: ball}
		checkDistances(t, "Repeat{(2,2,2)}", n, []distanceCase{
			{"copy", V(4, -6, 2), -0.5},
			{"cell corner", V(1, 1, 1), sqrt3 - 0.5},
			{"cell corner negative", V(-3, 5, -7), sqrt3 - 0.5},
			{"beside copy", V(10.8, 0, 0), 0.3},
		})
	})
	t.Run("limit", func(t *testing.T) {
		n := &Repeat{Period: V(3, 0, 0), Limit: V(2, 0, 0), Child: ball}
		checkDistances(t, "Repeat{(3,0,0) limit 2}", n, []distanceCase{
			{"copy 0", V(0, 0, 0), -0.5},
			{"last copy", V(6, 0, 0), -0.5},
			{"first copy", V(-6, 0, 0), -0.5},
			{"where copy 3 would be", V(9, 0, 0), 2.5},
			{"where copy 4 would be", V(12, 0, 0), 5.5},
			{"where copy -3 would be", V(-9, 1, 0), math.Sqrt(10) - 0.5},
			{"past the last half cell", V(7.5, 0, 0), 1},
		})
		prev := n.Distance(V(6.5, 0, 0))
		for x := 6.75; x < 30; x += 0.25 {
			d := n.Distance(V(x, 0, 0))
			if d <= prev {
				t.Fatalf("Repeat{limit 2}.Distance((%g,0,0)) = %g, want more than %g at x-0.25: beyond the limit the distance grows", x, d, prev)
			}
			prev = d
		}
	})
	t.Run("limit 1 keeps three copies", func(t *testing.T) {
		n := &Repeat{Period: V(3, 0, 0), Limit: V(0, 0, 1), Child: ball}
		checkDistances(t, "Repeat{(3,0,0) limit (0,0,1)}", n, []distanceCase{
			{"copy 1", V(3, 0, 0), -0.5},
			{"copy -1", V(-3, 0, 0), -0.5},
			{"copy 5: X is not limited", V(15, 0, 0), -0.5},
		})
		n = &Repeat{Period: V(3, 0, 3), Limit: V(0, 0, 1), Child: ball}
		checkDistances(t, "Repeat{(3,0,3) limit (0,0,1)}", n, []distanceCase{
			{"copy 1 on Z", V(0, 0, 3), -0.5},
			{"where copy 2 on Z would be", V(0, 0, 6), 2.5},
			{"where copy -2 on Z would be", V(3, 0, -6), 2.5},
		})
	})
	t.Run("non-integer limit keeps whole copies", func(t *testing.T) {
		// Cell indices are integers, so a limit of 1.5 keeps the copies -1, 0 and 1.
		n := &Repeat{Period: V(2, 0, 0), Limit: V(1.5, 0, 0), Child: ball}
		checkDistances(t, "Repeat{(2,0,0) limit 1.5}", n, []distanceCase{
			{"copy 1", V(2, 0, 0), -0.5},
			{"no copy at 1.5 periods", V(3, 0, 0), 0.5},
			{"no copy at -1.5 periods", V(-3, 0, 0), 0.5},
		})
	})
}

func TestRepeatLipschitz(t *testing.T) {
	// Exact while each copy is symmetric about its cell's centre and inside the cell.
	n := &Repeat{Period: V(2, 3, 0), Limit: V(0, 2, 0), Child: Union{
		&Solid{Box{V(0.6, 0.5, 0.4)}, matRed},
		&Solid{Torus{0.7, 0.2}, matBlue},
	}}
	r := newRand()
	for range 3000 {
		p := randPoint(r, 12)
		q := p.Add(randDir(r).Scale(randIn(r, 0, 1.5)))
		dp, dq := n.Distance(p), n.Distance(q)
		if math.Abs(dp-dq) > p.Sub(q).Length()+lipschitzSlack {
			t.Fatalf("|Repeat.Distance(%v) - Distance(%v)| = %g, want <= |p-q| = %g", p, q, math.Abs(dp-dq), p.Sub(q).Length())
		}
	}
}

// TestRepeatSymmetricChild checks the case Repeat's comment promises: a child centred
// in its cell is exact from anywhere, the copy next door included.
func TestRepeatSymmetricChild(t *testing.T) {
	n := &Repeat{Period: V(2, 0, 0), Child: &Solid{Sphere{0.25}, matRed}}
	checkDistances(t, "Repeat{(2,0,0), ball at 0}", n, []distanceCase{
		{"own cell's copy", V(0.5, 0, 0), 0.25},
		{"at the cell border", V(0.99, 0, 0), 0.74},
		{"the next cell's copy", V(1.1, 0, 0), 0.65},
		{"far cell", V(-41, 0, 0), 0.75},
	})
}
