package render

import (
	"math"

	"github.com/sdfrender/render/scene"
)

// view turns pixel coordinates into primary rays for one camera and image size.
type view struct {
	origin              scene.Vec3
	forward, right, up  scene.Vec3 // right and up are scaled to the image plane at distance 1
	invWidth, invHeight float64

	// The thin lens: its radius (0 for a pinhole), the distance of the plane
	// in focus, and the unit vectors across it.
	lens, focus       float64
	lensRight, lensUp scene.Vec3
}

func newView(c scene.Camera, width, height int) view {
	fwd := c.Target.Sub(c.Position).Normalize()
	right := fwd.Cross(c.Up).Normalize()
	up := right.Cross(fwd)
	halfH := math.Tan(c.FOV * math.Pi / 360)
	halfW := halfH * float64(width) / float64(height)
	v := view{
		origin:    c.Position,
		forward:   fwd,
		right:     right.Scale(halfW),
		up:        up.Scale(halfH),
		invWidth:  1 / float64(width),
		invHeight: 1 / float64(height),
	}
	if c.Aperture > 0 {
		v.lens, v.focus = c.Aperture/2, c.FocusDistance()
		v.lensRight, v.lensUp = right, up
	}
	return v
}

// pinhole reports whether every primary ray starts at the camera's position.
func (v view) pinhole() bool { return v.lens == 0 }

// through returns the primary ray through image point (x, y) in pixels that
// enters the lens at point (lx, ly) of the unit disk: its origin, and its unit
// direction towards where the pinhole ray through (x, y) meets the plane in
// focus. A pinhole ignores the lens point. It and ray take the view by
// pointer: by value, its 176 bytes were copied for every primary ray.
func (v *view) through(x, y, lx, ly float64) (ro, rd scene.Vec3) {
	d := v.ray(x, y)
	if v.lens == 0 {
		return v.origin, d
	}
	focal := v.origin.Add(d.Scale(v.focus / d.Dot(v.forward)))
	ro = v.origin.Add(v.lensRight.Scale(lx * v.lens)).Add(v.lensUp.Scale(ly * v.lens))
	return ro, focal.Sub(ro).Normalize()
}

// footprint returns the angle one pixel subtends at the centre of the image.
func (v view) footprint() float64 { return 2 * v.up.Length() * v.invHeight }

// slope is the growth of the hit threshold per unit distance along a ray
// (tracer.slope).
func (v view) slope() float64 { return hitEpsilon * v.footprint() }

// reach is how far from the camera's position any point can be that the
// waves of v's rays evaluate: a primary ray starts on the lens and hits
// within farPlane, a reflection starts a lift off the surface and hits within
// farPlane of that, and a shadow ray goes shadowFar from either, all in unit
// directions; the normal's and the occlusion's taps, and the rounding, are
// within the last unit to spare.
func (v view) reach() float64 {
	lift := float64(surfaceLift * max(minHitDist, float64(v.slope()*farPlane)))
	return v.lens + float64((maxBounces+1)*(farPlane+lift)) + shadowFar + 1
}

// near reports whether every point that the waves of v's rays evaluate is
// within moderate of zero: a NaN position is not.
func (v view) near() bool { return v.origin.Length()+v.reach() < moderate }

// ray returns the unit direction through image point (x, y) in pixels, measured
// from the top-left corner of the image.
func (v *view) ray(x, y float64) scene.Vec3 {
	u := float64(2*x*v.invWidth) - 1
	w := 1 - float64(2*y*v.invHeight)
	return v.forward.Add(v.right.Scale(u)).Add(v.up.Scale(w)).Normalize()
}
