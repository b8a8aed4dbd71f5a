package render

import (
	"image"

	"github.com/sdfrender/render/scene"
)

// The reference marcher: the straightforward way to render the same scene, kept to
// measure the fast one against and to check that it draws the same picture. It
// walks the node tree through an interface call per node per step, stops at a
// fixed hit epsilon whatever the distance, takes normals from six samples
// (central differences), and marches every shadow ray to its end, even once it is
// fully dark. Everything else, shading included, is shared.

// referenceEpsilon is the reference marcher's fixed hit threshold: fine enough for
// the nearest surfaces, so needlessly fine for distant ones.
const referenceEpsilon = 1e-3

// renderReference renders s with the reference marcher on the calling goroutine.
func renderReference(s *scene.Scene, set Settings) (*image.RGBA, int64) {
	img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
	f := newFramePlan(s, set, nil)
	f.prog, f.reference = nil, true
	return img, f.renderTile(img, img.Rect, nil)
}

// referenceNormal is the gradient by central differences: six samples.
func (tr *tracer) referenceNormal(p scene.Vec3) scene.Vec3 {
	const h = normalOffset
	dx := scene.Vec3{X: h}
	dy := scene.Vec3{Y: h}
	dz := scene.Vec3{Z: h}
	return scene.Vec3{
		X: tr.distance(p.Add(dx)) - tr.distance(p.Sub(dx)),
		Y: tr.distance(p.Add(dy)) - tr.distance(p.Sub(dy)),
		Z: tr.distance(p.Add(dz)) - tr.distance(p.Sub(dz)),
	}.Normalize()
}
