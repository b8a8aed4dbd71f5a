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
// focus. A pinhole ignores the lens point.
func (v view) through(x, y, lx, ly float64) (ro, rd scene.Vec3) {
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

// ray returns the unit direction through image point (x, y) in pixels, measured
// from the top-left corner of the image.
func (v view) ray(x, y float64) scene.Vec3 {
	u := 2*x*v.invWidth - 1
	w := 1 - 2*y*v.invHeight
	return v.forward.Add(v.right.Scale(u)).Add(v.up.Scale(w)).Normalize()
}
