//go:build !(goexperiment.simd && amd64)

package render

import "github.com/sdfrender/render/scene"

// Built without the SIMD experiment, the checks test the bounding spheres
// one at a time (escape_avx2.go has the AVX2 build's, four at a time).

func (pr *program) leavingSpheres(q, d scene.Vec3, c *clearance, escaped, planesOnly bool, nearer, nearRate float64, blocker *int32) (bool, bool) {
	return pr.leavingEach(q, d, c, escaped, planesOnly, nearer, nearRate, blocker)
}

func (pr *program) clearSpheres(q, d scene.Vec3, c *clearance, blocker *int32) bool {
	return pr.clearEach(q, d, c, blocker)
}
