package render

import (
	"image"
	"math"
	"testing"

	"github.com/sdfrender/render/scene"
)

// Edges where they belong: a silhouette covers the pixels the shape's exact
// projection covers, no more, at every sample count that resolves it.

// silhouette is a scene of one black shape against a uniform white sky, unlit,
// so that a pixel's linear value says how much of it the shape covers.
func silhouette(shape scene.Shape, cam scene.Camera) *scene.Scene {
	white := scene.V(1, 1, 1)
	return &scene.Scene{
		Camera: cam,
		Sky:    scene.Sky{Zenith: white, Horizon: white, Ground: white},
		Root:   &scene.Solid{Shape: shape},
	}
}

// coverage renders s at 16 bits and returns how many pixels the shape covers:
// each pixel's darkness against the sky, summed.
func coverage(t *testing.T, s *scene.Scene, set Settings) float64 {
	t.Helper()
	set.Depth = 16
	img := image.NewRGBA64(image.Rect(0, 0, set.Width, set.Height))
	f := newFramePlan(s, set, nil)
	f.renderTile(img, img.Rect, newScratch(waveSize(max(set.Width, set.Height), set.Samples)))
	sky := toneMap(1)
	var sum float64
	for i := 0; i < len(img.Pix); i += 8 {
		v := linear(float64(uint16(img.Pix[i])<<8|uint16(img.Pix[i+1])) / 65535)
		sum += 1 - v/sky
	}
	return sum
}

// linear decodes an sRGB value in [0, 1].
func linear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// TestSphereCoverage renders a sphere about 72 pixels in radius and compares
// the pixels it covers with the area of its exact projection, a disk.
func TestSphereCoverage(t *testing.T) {
	const size, fov, dist, radius = 256, 40.0, 5.0, 1.0
	cam := scene.Camera{Position: scene.V(0, 0, -dist), Target: scene.V(0, 0, 0), Up: scene.V(0, 1, 0), FOV: fov}
	s := silhouette(scene.Sphere{Radius: radius}, cam)
	// The silhouette is the cone of half-angle asin(radius/dist) around the
	// view axis: a disk of radius tan of that on the image plane at distance 1.
	rho := math.Tan(math.Asin(radius/dist)) / math.Tan(fov*math.Pi/360) * size / 2
	want := math.Pi * rho * rho
	for _, spp := range []int{1, 4, 16, 64} {
		got := coverage(t, s, Settings{Width: size, Height: size, Samples: spp})
		t.Logf("%d samples: %.1f pixels covered, exact %.1f: %+.3f %%", spp, got, want, 100*(got-want)/want)
		// One sample cannot resolve an edge: the bound is for those that do.
		if spp >= 16 && math.Abs(got-want) > 0.002*want {
			t.Errorf("%d samples: the sphere covers %.1f pixels, %+.2f %% off its exact %.1f; want within 0.2 %%", spp, got, 100*(got-want)/want, want)
		}
	}
}

// TestThinTorusCoverage renders a torus whose tube is about two pixels across,
// face on, and compares the pixels it covers with the exact coverage of the
// same samples: the sample rays that meet the torus, found by marching each
// with the torus's exact distance to within 1e-9.
func TestThinTorusCoverage(t *testing.T) {
	const size, fov = 192, 40.0
	torus := scene.Torus{Major: 1, Minor: 0.015}
	cam := scene.Camera{Position: scene.V(0, 5, 0), Target: scene.V(0, 0, 0), Up: scene.V(0, 0, 1), FOV: fov}
	s := silhouette(torus, cam)
	for _, spp := range []int{1, 16} {
		set := Settings{Width: size, Height: size, Samples: spp}
		f := newFramePlan(s, set, nil)
		var want float64
		for y := range size {
			for x := range size {
				for j, o := range f.pattern {
					ro, rd := f.primary(x, y, j, o)
					if meets(torus, ro, rd) {
						want++
					}
				}
			}
		}
		want /= float64(spp)
		got := coverage(t, s, set)
		t.Logf("%d samples: %.1f pixels covered, exact %.1f: %+.3f %%", spp, got, want, 100*(got-want)/want)
		// A ray that passes within a hitFine-th of the hit threshold, a
		// 32nd of a pixel, still hits: on a tube 1.6 pixels wide, 4 %.
		if math.Abs(got-want) > 0.05*want {
			t.Errorf("%d samples: the thin torus covers %.1f pixels, %+.1f %% off its exact %.1f; want within 5 %%", spp, got, 100*(got-want)/want, want)
		}
	}
}

// meets reports whether the ray from ro along unit rd meets shape, whose
// distance is exact, before it has gone 100 units.
func meets(shape scene.Shape, ro, rd scene.Vec3) bool {
	for t := 0.0; t < 100; {
		d := shape.Distance(ro.Add(rd.Scale(t)))
		if d < 1e-9 {
			return true
		}
		t += d
	}
	return false
}
