package scene

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// eps is the tolerance for values worked out by hand: a few ulps of numbers of
// the size used in these tests.
const eps = 1e-12

// lipschitzSlack absorbs rounding in |d(p) - d(q)| <= |p - q|.
const lipschitzSlack = 1e-9

// newRand returns a generator with a fixed seed, so that any failure reproduces.
func newRand() *rand.Rand { return rand.New(rand.NewPCG(20240601, 7)) }

// randIn returns a number uniformly distributed in [lo, hi).
func randIn(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// randPoint returns a point uniformly distributed in the cube [-s, s)³.
func randPoint(r *rand.Rand, s float64) Vec3 {
	return Vec3{randIn(r, -s, s), randIn(r, -s, s), randIn(r, -s, s)}
}

// randDir returns a unit vector uniformly distributed over the sphere.
func randDir(r *rand.Rand) Vec3 {
	for {
		v := Vec3{r.NormFloat64(), r.NormFloat64(), r.NormFloat64()}
		if l := v.Length(); l > 1e-9 {
			return v.Scale(1 / l)
		}
	}
}

// randInBall returns a point uniformly distributed in the ball of radius rad around c.
func randInBall(r *rand.Rand, c Vec3, rad float64) Vec3 {
	return c.Add(randDir(r).Scale(rad * math.Cbrt(r.Float64())))
}

// near reports whether got is within tol of want; equal infinities are near.
func near(got, want, tol float64) bool {
	return got == want || math.Abs(got-want) <= tol
}

// vecNear reports whether every component of a is within tol of b's.
func vecNear(a, b Vec3, tol float64) bool {
	return near(a.X, b.X, tol) && near(a.Y, b.Y, tol) && near(a.Z, b.Z, tol)
}

// matNear reports whether every entry of a is within tol of b's.
func matNear(a, b Mat3, tol float64) bool {
	return vecNear(a[0], b[0], tol) && vecNear(a[1], b[1], tol) && vecNear(a[2], b[2], tol)
}

// distancer is anything with a signed distance: a Shape or a Node.
type distancer interface{ Distance(p Vec3) float64 }

// gradient returns the central-difference gradient of d at p.
func gradient(d distancer, p Vec3) Vec3 {
	const h = 1e-6
	return Vec3{
		d.Distance(Vec3{p.X + h, p.Y, p.Z}) - d.Distance(Vec3{p.X - h, p.Y, p.Z}),
		d.Distance(Vec3{p.X, p.Y + h, p.Z}) - d.Distance(Vec3{p.X, p.Y - h, p.Z}),
		d.Distance(Vec3{p.X, p.Y, p.Z + h}) - d.Distance(Vec3{p.X, p.Y, p.Z - h}),
	}.Scale(1 / (2 * h))
}

// Materials with colours chosen so that a blend of them is easy to tell apart
// from either of them.
var (
	matRed  = Material{Color: Vec3{0.9, 0.2, 0.1}, Specular: 0.5, Shininess: 40, Reflect: 0.1}
	matBlue = Material{Color: Vec3{0.1, 0.3, 0.8}, Specular: 0.9, Shininess: 120, Reflect: 0.6,
		Checker: Vec3{0.05, 0.05, 0.05}, CheckerSize: 0.5}
)

// childTests is a table of operations on opA, opB and opC, each with the
// distance it must give worked out from the children's distances a, b and c.
type childTests []struct {
	name string
	node Node
	want func(a, b, c float64) float64
}

// checkAgainstChildren checks at random points that each node's distance is
// exactly its want of opA's, opB's and opC's distances.
func checkAgainstChildren(t *testing.T, tests childTests) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRand()
			for range 1000 {
				p := randPoint(r, 2.5)
				want := tt.want(opA.Distance(p), opB.Distance(p), opC.Distance(p))
				if got := tt.node.Distance(p); got != want {
					t.Fatalf("%s.Distance(%v) = %.17g, want %.17g", tt.name, p, got, want)
				}
			}
		})
	}
}

// checkStepIsSafe checks what a ray marcher relies on, at n points p drawn in
// the cube [-s, s)³ with dist(p) > 0: the ball of radius dist(p) around p holds
// no point of the surface, and stepping the whole way along any direction
// lands at most on the surface.
func checkStepIsSafe(t *testing.T, name string, dist func(Vec3) float64, s float64, n int) {
	t.Helper()
	r := newRand()
	for tested, drawn := 0, 0; tested < n; drawn++ {
		if drawn == 100*n {
			// A distance that is never positive would keep this loop drawing for ever.
			t.Fatalf("%s.Distance > 0 at only %d of %d points drawn in [-%g, %g)³, want at least %d", name, tested, drawn, s, s, n)
		}
		p := randPoint(r, s)
		d := dist(p)
		if d <= 0 {
			continue
		}
		tested++
		for range 10 {
			q := randInBall(r, p, d)
			if dq := dist(q); dq < -lipschitzSlack {
				t.Fatalf("%s.Distance(%v) = %g inside the ball of radius %g around %v, want >= 0", name, q, dq, d, p)
			}
		}
		q := p.Add(randDir(r).Scale(d * (1 - 1e-12)))
		if dq := dist(q); dq < -lipschitzSlack {
			t.Fatalf("%s.Distance(%v) = %g after a step of %g from %v, want >= 0", name, q, dq, d, p)
		}
	}
}

// checkErr checks err from what (say "Validate()"): nil where want is "",
// otherwise an error that contains want; and any error must start with "scene: ".
func checkErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s = %v, want nil", what, err)
	case want != "" && err == nil:
		t.Errorf("%s = nil, want an error containing %q", what, want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("%s = %q, want an error containing %q", what, err, want)
	case err != nil && !strings.HasPrefix(err.Error(), "scene: "):
		t.Errorf("%s = %q, want it to start with %q", what, err, "scene: ")
	}
}
