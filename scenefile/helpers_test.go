package scenefile

import (
	"math"

	"github.com/sdfrender/render/scene"
)

// eps is the tolerance for values worked out by hand: a few ulps of numbers of
// the size used in these tests.
const eps = 1e-12

// near reports whether got is within tol of want; equal infinities are near.
func near(got, want, tol float64) bool { return got == want || math.Abs(got-want) <= tol }

// vecNear reports whether every component of a is within tol of b's.
func vecNear(a, b scene.Vec3, tol float64) bool {
	return near(a.X, b.X, tol) && near(a.Y, b.Y, tol) && near(a.Z, b.Z, tol)
}
