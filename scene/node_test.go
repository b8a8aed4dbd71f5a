package scene

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// Two overlapping children, each with its own material, for the operations.
var (
	opA = &Solid{Sphere{1}, matRed}
	opB = &Translate{V(0.8, 0.3, 0), &Solid{Box{V(0.6, 0.5, 0.7)}, matBlue}}
	opC = &Translate{V(-0.5, -0.6, 0.4), &Solid{Torus{0.7, 0.2}, Material{Color: V(0.3, 0.9, 0.3)}}}
)

func TestSolid(t *testing.T) {
	s := &Solid{Box{V(1, 2, 3)}, matRed}
	p := V(2, 3, 4)
	if got, want := s.Distance(p), sqrt3; !near(got, want, eps) {
		t.Errorf("Solid{Box}.Distance(%v) = %g, want %g", p, got, want)
	}
	d, m := s.Surface(p)
	if !near(d, sqrt3, eps) || m != matRed {
		t.Errorf("Solid{Box}.Surface(%v) = %g, %v, want %g, %v", p, d, m, sqrt3, matRed)
	}
}

func TestHardOperations(t *testing.T) {
	tests := childTests{
		{"Union{A,B}", Union{opA, opB}, func(a, b, _ float64) float64 { return min(a, b) }},
		{"Union{A,B,C}", Union{opA, opB, opC}, func(a, b, c float64) float64 { return min(a, b, c) }},
		{"Union{A}", Union{opA}, func(a, _, _ float64) float64 { return a }},
		{"Intersection{A,B}", Intersection{opA, opB}, func(a, b, _ float64) float64 { return max(a, b) }},
		{"Intersection{A,B,C}", Intersection{opA, opB, opC}, func(a, b, c float64) float64 { return max(a, b, c) }},
		{"Intersection{A}", Intersection{opA}, func(a, _, _ float64) float64 { return a }},
		{"Subtraction{A,B}", &Subtraction{opA, opB}, func(a, b, _ float64) float64 { return max(a, -b) }},
		{"Subtraction{B,A}", &Subtraction{opB, opA}, func(a, b, _ float64) float64 { return max(b, -a) }},
	}
	checkAgainstChildren(t, tests)
}

func TestHardOperationMaterials(t *testing.T) {
	tests := []struct {
		name string
		node Node
		p    Vec3
		want Material
	}{
		{"Union takes the nearer A", Union{opA, opB}, V(-1.5, 0, 0), matRed},
		{"Union takes the nearer B", Union{opA, opB}, V(2, 0.3, 0), matBlue},
		{"Intersection takes the farther A", Intersection{opA, opB}, V(2, 0.3, 0), matRed},
		{"Intersection takes the farther B", Intersection{opA, opB}, V(-1.5, 0, 0), matBlue},
		{"Subtraction keeps A outside B", &Subtraction{opA, opB}, V(-1.5, 0, 0), matRed},
		{"Subtraction cut face is B's", &Subtraction{opA, opB}, V(0.7, 0.3, 0), matBlue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, m := tt.node.Surface(tt.p)
			if want := tt.node.Distance(tt.p); d != want {
				t.Errorf("%s.Surface(%v) distance = %g, want Distance = %g", tt.name, tt.p, d, want)
			}
			if m != tt.want {
				t.Errorf("%s.Surface(%v) material = %v, want %v", tt.name, tt.p, m, tt.want)
			}
		})
	}
}

func TestEmptyOperationsAreEmpty(t *testing.T) {
	tests := []struct {
		name string
		node Node
	}{
		{"Union{} is +Inf", Union{}},
		{"nil Union is +Inf", Union(nil)},
		{"Intersection{} is +Inf (empty, not all of space)", Intersection{}},
		{"SmoothUnion{} is +Inf", &SmoothUnion{K: 0.5}},
		{"SmoothIntersection{} is +Inf", &SmoothIntersection{K: 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range []Vec3{{}, {1, 2, 3}, {-100, 0, 1e6}} {
				if got := tt.node.Distance(p); !math.IsInf(got, 1) {
					t.Errorf("%s.Distance(%v) = %g, want +Inf", tt.name, p, got)
				}
				if got, m := tt.node.Surface(p); !math.IsInf(got, 1) || m != (Material{}) {
					t.Errorf("%s.Surface(%v) = %g, %v, want +Inf, Material{}", tt.name, p, got, m)
				}
			}
		})
	}
}

// smoothMinOracle is Quílez's other form of the same polynomial smooth minimum:
// min(a, b) - max(k - |a-b|, 0)² / 4k.
func smoothMinOracle(a, b, k float64) float64 {
	h := max(k-math.Abs(a-b), 0)
	return min(a, b) - h*h/(4*k)
}

func TestSmoothMinValues(t *testing.T) {
	tests := []struct {
		a, b, k, want float64
	}{
		{0, 0.5, 1, -0.0625},
		{0.5, 0, 1, -0.0625},
		{1, 1, 1, 0.75},
		{1, 1, 0.4, 0.9},
		{-2, -2, 2, -2.5},
		{0, 1, 1, 0},
		{3, 1, 1, 1},
		{0, 5, 1, 0},
		{2, 2, 0, 2},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%g,%g,%g", tt.a, tt.b, tt.k), func(t *testing.T) {
			if got := SmoothMin(tt.a, tt.b, tt.k); !near(got, tt.want, eps) {
				t.Errorf("SmoothMin(%g, %g, %g) = %.17g, want %.17g", tt.a, tt.b, tt.k, got, tt.want)
			}
		})
	}
}

// TestSmoothMinProperties checks the contract in SmoothMin's comment at random
// arguments. Each property stops at its first failure to keep the output short.
func TestSmoothMinProperties(t *testing.T) {
	r := newRand()
	type args struct{ a, b, k float64 }
	var cases []args
	for range 5000 {
		cases = append(cases, args{randIn(r, -5, 5), randIn(r, -5, 5), randIn(r, 0.01, 3)})
	}
	check := func(t *testing.T, f func(c args) (got, want float64, ok bool)) {
		t.Helper()
		name := "SmoothMin"
		if strings.HasPrefix(t.Name(), "TestSmoothMinProperties/SmoothMax") {
			name = "SmoothMax"
		}
		for _, c := range cases {
			if got, want, ok := f(c); !ok {
				t.Fatalf("%s(%.17g, %.17g, %.17g) = %.17g, want %.17g", name, c.a, c.b, c.k, got, want)
			}
		}
	}
	t.Run("agrees with the quadratic form", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			got, want := SmoothMin(c.a, c.b, c.k), smoothMinOracle(c.a, c.b, c.k)
			return got, want, near(got, want, 1e-12)
		})
	})
	t.Run("never above min", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			got := SmoothMin(c.a, c.b, c.k)
			return got, min(c.a, c.b), got <= min(c.a, c.b)
		})
	})
	t.Run("at most k/4 below min", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			got := SmoothMin(c.a, c.b, c.k)
			return got, min(c.a, c.b) - c.k/4, got >= min(c.a, c.b)-c.k/4-eps
		})
	})
	t.Run("exactly min where |a-b| >= k", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			if math.Abs(c.a-c.b) < c.k {
				return 0, 0, true
			}
			got := SmoothMin(c.a, c.b, c.k)
			return got, min(c.a, c.b), got == min(c.a, c.b)
		})
	})
	t.Run("exactly a-k/4 where a == b", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			got := SmoothMin(c.a, c.a, c.k)
			return got, c.a - c.k/4, got == c.a-c.k/4
		})
	})
	t.Run("symmetric", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			got, want := SmoothMin(c.a, c.b, c.k), SmoothMin(c.b, c.a, c.k)
			return got, want, near(got, want, eps)
		})
	})
	t.Run("exactly min when k is 0", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			got := SmoothMin(c.a, c.b, 0)
			return got, min(c.a, c.b), got == min(c.a, c.b)
		})
	})
	t.Run("SmoothMax is -SmoothMin(-a,-b)", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			got, want := SmoothMax(c.a, c.b, c.k), -SmoothMin(-c.a, -c.b, c.k)
			return got, want, got == want
		})
	})
	t.Run("SmoothMax never below max", func(t *testing.T) {
		check(t, func(c args) (float64, float64, bool) {
			got := SmoothMax(c.a, c.b, c.k)
			return got, max(c.a, c.b), got >= max(c.a, c.b)
		})
	})
}

// TestSmoothMinInfinity: an empty child (a Union{}, say) has distance +Inf, and a
// smooth union with it should be the other child, not NaN.
func TestSmoothMinInfinity(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name          string
		a, b, k, want float64
		smoothMaximum bool
	}{
		{name: "SmoothMin(+Inf, 1, 0.5)", a: inf, b: 1, k: 0.5, want: 1},
		{name: "SmoothMin(1, +Inf, 0.5)", a: 1, b: inf, k: 0.5, want: 1},
		{name: "SmoothMin(+Inf, 1, 0)", a: inf, b: 1, k: 0, want: 1},
		{name: "SmoothMax(+Inf, 1, 0.5)", a: inf, b: 1, k: 0.5, want: inf, smoothMaximum: true},
		{name: "SmoothMax(-Inf, 1, 0.5)", a: -inf, b: 1, k: 0.5, want: 1, smoothMaximum: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SmoothMin(tt.a, tt.b, tt.k)
			if tt.smoothMaximum {
				got = SmoothMax(tt.a, tt.b, tt.k)
			}
			if got != tt.want {
				t.Errorf("%s = %g, want %g", tt.name, got, tt.want)
			}
		})
	}
	n := &SmoothUnion{K: 0.5, Children: []Node{Union{}, opA}}
	p := V(3, 0, 0)
	if got, want := n.Distance(p), opA.Distance(p); got != want {
		t.Errorf("SmoothUnion{Union{}, A}.Distance(%v) = %g, want %g", p, got, want)
	}
}

func TestSmoothOperationDistances(t *testing.T) {
	const k = 0.4
	tests := childTests{
		{"SmoothUnion{A,B}", &SmoothUnion{k, []Node{opA, opB}}, func(a, b, _ float64) float64 { return SmoothMin(a, b, k) }},
		{"SmoothUnion{A,B,C} folds from the left", &SmoothUnion{k, []Node{opA, opB, opC}}, func(a, b, c float64) float64 {
			return SmoothMin(SmoothMin(a, b, k), c, k)
		}},
		{"SmoothUnion{A}", &SmoothUnion{k, []Node{opA}}, func(a, _, _ float64) float64 { return a }},
		{"SmoothIntersection{A,B}", &SmoothIntersection{k, []Node{opA, opB}}, func(a, b, _ float64) float64 { return SmoothMax(a, b, k) }},
		{"SmoothIntersection{A,B,C} folds from the left", &SmoothIntersection{k, []Node{opA, opB, opC}}, func(a, b, c float64) float64 {
			return SmoothMax(SmoothMax(a, b, k), c, k)
		}},
		{"SmoothSubtraction{A,B}", &SmoothSubtraction{k, opA, opB}, func(a, b, _ float64) float64 { return SmoothMax(a, -b, k) }},
	}
	checkAgainstChildren(t, tests)
}

func TestSmoothOperationsWithZeroKAreHard(t *testing.T) {
	tests := []struct {
		name         string
		smooth, hard Node
	}{
		{"SmoothUnion", &SmoothUnion{0, []Node{opA, opB, opC}}, Union{opA, opB, opC}},
		{"SmoothIntersection", &SmoothIntersection{0, []Node{opA, opB, opC}}, Intersection{opA, opB, opC}},
		{"SmoothSubtraction", &SmoothSubtraction{0, opA, opB}, &Subtraction{opA, opB}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRand()
			for range 2000 {
				p := randPoint(r, 2.5)
				if got, want := tt.smooth.Distance(p), tt.hard.Distance(p); got != want {
					t.Fatalf("%s{K: 0}.Distance(%v) = %.17g, want the hard operation's %.17g", tt.name, p, got, want)
				}
				_, gotM := tt.smooth.Surface(p)
				_, wantM := tt.hard.Surface(p)
				if gotM != wantM {
					t.Fatalf("%s{K: 0}.Surface(%v) material = %v, want the hard operation's %v", tt.name, p, gotM, wantM)
				}
			}
		})
	}
}

func TestSmoothOperationMaterials(t *testing.T) {
	// Two unit spheres 4 apart, blended over 0.5: the blend is a thin disc around
	// x = 0, and each sphere's own half is far outside it.
	left := &Translate{V(-2, 0, 0), &Solid{Sphere{1}, matRed}}
	right := &Translate{V(2, 0, 0), &Solid{Sphere{1}, matBlue}}
	mid := matRed.Lerp(matBlue, 0.5)
	midColor := matRed.Color.Add(matBlue.Color).Scale(0.5)

	// A sphere carved out of a big one, for the subtraction.
	big := &Solid{Sphere{2}, matRed}
	bite := &Translate{V(2, 0, 0), &Solid{Sphere{1}, matBlue}}

	tests := []struct {
		name string
		node Node
		p    Vec3
		want Material
	}{
		{"SmoothUnion near left is left's", &SmoothUnion{0.5, []Node{left, right}}, V(-2.5, 0.3, 0), matRed},
		{"SmoothUnion near right is right's", &SmoothUnion{0.5, []Node{left, right}}, V(2.5, 0.3, 0), matBlue},
		{"SmoothUnion in the middle is the midpoint", &SmoothUnion{0.5, []Node{left, right}}, V(0, 0.7, -0.2), mid},
		{"SmoothIntersection far from left is left's", &SmoothIntersection{0.5, []Node{left, right}}, V(3, 0, 0), matRed},
		{"SmoothIntersection far from right is right's", &SmoothIntersection{0.5, []Node{left, right}}, V(-3, 0, 0), matBlue},
		{"SmoothIntersection in the middle is the midpoint", &SmoothIntersection{0.5, []Node{left, right}}, V(0, 0, 1), mid},
		{"SmoothSubtraction away from the cut is A's", &SmoothSubtraction{0.25, big, bite}, V(-2.5, 0, 0), matRed},
		{"SmoothSubtraction deep in the cut is B's", &SmoothSubtraction{0.25, big, bite}, V(1.8, 0, 0), matBlue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m := tt.node.Surface(tt.p)
			if m != tt.want {
				t.Errorf("%s: Surface(%v) material = %v, want %v", tt.name, tt.p, m, tt.want)
			}
		})
	}
	t.Run("midpoint colour", func(t *testing.T) {
		p := V(0, 0.7, -0.2)
		if _, m := (&SmoothUnion{0.5, []Node{left, right}}).Surface(p); !vecNear(m.Color, midColor, eps) {
			t.Errorf("SmoothUnion.Surface(%v) colour = %v, want %v", p, m.Color, midColor)
		}
	})
	t.Run("blend changes continuously", func(t *testing.T) {
		n := &SmoothUnion{0.5, []Node{left, right}}
		prev := matRed.Color
		for x := -0.5; x <= 0.5; x += 0.01 {
			_, m := n.Surface(V(x, 0, 0))
			if step := m.Color.Sub(prev).Length(); step > 0.05 {
				t.Fatalf("SmoothUnion colour jumps by %g at x = %g, want a smooth blend", step, x)
			}
			prev = m.Color
		}
	})
}

// nodeZoo holds one of every node type, each with a child that keeps it 1-Lipschitz.
var nodeZoo = []struct {
	name string
	node Node
}{
	{"Solid", opA},
	{"Union", Union{opA, opB, opC}},
	{"Intersection", Intersection{opA, opB}},
	{"Subtraction", &Subtraction{opA, opC}},
	{"SmoothUnion", &SmoothUnion{0.5, []Node{opA, opB, opC}}},
	{"SmoothIntersection", &SmoothIntersection{0.3, []Node{opA, opB, opC}}},
	{"SmoothSubtraction", &SmoothSubtraction{0.25, opA, opB}},
	{"Translate", &Translate{V(0.5, -1, 2), opB}},
	{"RotateAxis", RotateAxis(V(1, 2, -1), 0.8, opB)},
	{"RotateEuler", RotateEuler(V(0.3, -1.2, 2), &SmoothUnion{0.3, []Node{opB, opC}})},
	{"Scale", &Scale{1.7, &Subtraction{opB, opA}}},
	{"Scale below 1", &Scale{0.4, Union{opA, opC}}},
	{"Repeat", &Repeat{Period: V(3, 0, 4), Limit: V(2, 0, 0), Child: &Solid{Cylinder{0.5, 1}, matRed}}},
}

func TestNodeSurfaceMatchesDistance(t *testing.T) {
	for _, z := range nodeZoo {
		t.Run(z.name, func(t *testing.T) {
			r := newRand()
			for range 1000 {
				p := randPoint(r, 4)
				want := z.node.Distance(p)
				if got, _ := z.node.Surface(p); got != want {
					t.Fatalf("%s.Surface(%v) distance = %.17g, want Distance = %.17g", z.name, p, got, want)
				}
			}
		})
	}
}

func TestNodeLipschitz(t *testing.T) {
	for _, z := range nodeZoo {
		t.Run(z.name, func(t *testing.T) {
			r := newRand()
			for range 2000 {
				p := randPoint(r, 4)
				q := p.Add(randDir(r).Scale(randIn(r, 0, 1)))
				dp, dq := z.node.Distance(p), z.node.Distance(q)
				if math.Abs(dp-dq) > p.Sub(q).Length()+lipschitzSlack {
					t.Fatalf("|%s.Distance(%v) - Distance(%v)| = %g, want <= |p-q| = %g", z.name, p, q, math.Abs(dp-dq), p.Sub(q).Length())
				}
			}
		})
	}
}

// TestNodeStepIsSafe: no point of a node lies within d(p) of an outside point p,
// and a full step from p along any direction lands at most on the surface.
func TestNodeStepIsSafe(t *testing.T) {
	for _, z := range nodeZoo {
		t.Run(z.name, func(t *testing.T) {
			checkStepIsSafe(t, z.name, z.node.Distance, 4, 200)
		})
	}
}

// TestOperationTiesKeepTheFirstMaterial: where two children are equally near,
// the hard operations keep the first child's material (A's for a subtraction),
// and so do the smooth ones with K = 0, which are the hard ones. The compiled
// scene makes the same choice, so the colour of such a point is not left to
// chance.
func TestOperationTiesKeepTheFirstMaterial(t *testing.T) {
	// Two unit spheres 2 apart touch at (1, 0, 0); every point of the plane
	// x = 1 is equally far from both, by the same arithmetic.
	left := &Solid{Sphere{1}, matRed}
	right := &Translate{V(2, 0, 0), &Solid{Sphere{1}, matBlue}}
	// A sphere of radius 2 with a unit sphere at (3, 0, 0) cut out: at (1, 0, 0)
	// the distance to A is -1 and to B is 1, so the cut face and A's surface tie.
	// Spheres of radius 5 at the origin and at (6, 0, 0) both pass through
	// (3, 4, 0), where both distances are 0.
	big := &Solid{Sphere{2}, matRed}
	bite := &Translate{V(3, 0, 0), &Solid{Sphere{1}, matBlue}}
	tests := []struct {
		name string
		node Node
		p    Vec3
		want Material
	}{
		{"Union at the touching point", Union{left, right}, V(1, 0, 0), matRed},
		{"Union off the touching point", Union{left, right}, V(1, 0.5, -0.25), matRed},
		{"Union the other way round", Union{right, left}, V(1, 0.5, -0.25), matBlue},
		{"Intersection", Intersection{left, right}, V(1, 0.5, -0.25), matRed},
		{"Intersection the other way round", Intersection{right, left}, V(1, 0.5, -0.25), matBlue},
		{"Subtraction inside", &Subtraction{big, bite}, V(1, 0, 0), matRed},
		{"Subtraction on both surfaces", &Subtraction{&Solid{Sphere{5}, matRed}, &Translate{V(6, 0, 0), &Solid{Sphere{5}, matBlue}}}, V(3, 4, 0), matRed},
		{"SmoothUnion K=0", &SmoothUnion{0, []Node{left, right}}, V(1, 0.5, -0.25), matRed},
		{"SmoothIntersection K=0", &SmoothIntersection{0, []Node{left, right}}, V(1, 0.5, -0.25), matRed},
		{"SmoothSubtraction K=0", &SmoothSubtraction{0, big, bite}, V(1, 0, 0), matRed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, m := tt.node.Surface(tt.p)
			if want := tt.node.Distance(tt.p); d != want {
				t.Errorf("%s.Surface(%v) distance = %g, want Distance = %g", tt.name, tt.p, d, want)
			}
			if m != tt.want {
				t.Errorf("%s.Surface(%v) material = %v, want %v", tt.name, tt.p, m, tt.want)
			}
		})
	}
}
