//go:build goexperiment.simd && amd64

package render

import (
	"math"
	"testing"

	"render/scene"
)

// TestVectorMinMaxAreScenes checks the vector min and max against scene.Min and
// scene.Max where they could differ: signed zeros, NaNs and infinities.
func TestVectorMinMaxAreScenes(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), 1e-310}
	for _, a := range vals {
		for _, b := range vals {
			va, vb := splat(a), splat(b)
			var got [4]float64
			vmin(va, vb).Store(&got)
			if want := scene.Min(a, b); math.Float64bits(got[0]) != math.Float64bits(want) {
				t.Errorf("vmin(%g, %g) = %g, scene.Min %g", a, b, got[0], want)
			}
			vmax(va, vb).Store(&got)
			if want := scene.Max(a, b); math.Float64bits(got[0]) != math.Float64bits(want) {
				t.Errorf("vmax(%g, %g) = %g, scene.Max %g", a, b, got[0], want)
			}
			clamp(va, splat(0), splat(1)).Store(&got)
			if want := scene.Clamp(a, 0, 1); math.Float64bits(got[0]) != math.Float64bits(want) && !(math.IsNaN(got[0]) && math.IsNaN(want)) {
				t.Errorf("clamp(%g, 0, 1) = %g, scene.Clamp %g", a, got[0], want)
			}
		}
	}
	for _, x := range []float64{-2.5, -0.5, -0.3, math.Copysign(0, -1), 0.49999999999999994, 0.5, 1.5, 2.5, -1e300, 1e16 + 1, math.NaN()} {
		var got [4]float64
		round(splat(x)).Store(&got)
		if want := math.Round(x); math.Float64bits(got[0]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(got[0])) {
			t.Errorf("round(%g) = %g, math.Round %g", x, got[0], want)
		}
	}
}
