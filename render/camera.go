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
}

func newView(c scene.Camera, width, height int) view {
	fwd := c.Target.Sub(c.Position).Normalize()
	right := fwd.Cross(c.Up).Normalize()
	up := right.Cross(fwd)
	halfH := math.Tan(c.FOV * math.Pi / 360)
	halfW := halfH * float64(width) / float64(height)
	return view{
		origin:    c.Position,
		forward:   fwd,
		right:     right.Scale(halfW),
		up:        up.Scale(halfH),
		invWidth:  1 / float64(width),
		invHeight: 1 / float64(height),
	}
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
