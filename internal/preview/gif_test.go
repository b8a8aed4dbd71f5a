package preview

import (
	"bytes"
	"image"
	"image/gif"
	"testing"

	"github.com/sdfrender/render/internal/golden"
)

func TestGIFPreview(t *testing.T) {
	g := NewGIFPreview(64, 25)
	for n := 5; n >= 1; n-- { // frames arrive in any order
		img := gradient(240, 135)
		img.Pix[0] = uint8(n * 40) // mark the frame in its first pixel
		g.Add(n, img)
	}
	var buf bytes.Buffer
	if err := g.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	anim, err := gif.DecodeAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(anim.Image) != 5 || anim.Image[0].Rect != image.Rect(0, 0, 64, 36) {
		t.Fatalf("%d frames of %v, want 5 of 64x36", len(anim.Image), anim.Image[0].Rect)
	}
	for i, d := range anim.Delay {
		if d != 4 {
			t.Errorf("frame %d delay = %d hundredths, want 4 (25 fps)", i, d)
		}
	}
}

func TestMedianCutKeepsGradientsSmooth(t *testing.T) {
	img := gradient(160, 90)
	pal := medianCut(img, 256)
	if len(pal) != 256 {
		t.Fatalf("palette of %d colours, want 256", len(pal))
	}
	// Every pixel has a palette colour close to it: no coarse banding.
	worst := 0
	for y := range 90 {
		for x := range 160 {
			c := img.At(x, y)
			worst = max(worst, golden.PixelDiff(c, pal.Convert(c)))
		}
	}
	if worst > 24 {
		t.Errorf("worst distance to the palette = %d levels, want at most 24", worst)
	}
	if got := len(medianCut(image.NewRGBA(image.Rect(0, 0, 8, 8)), 256)); got != 1 {
		t.Errorf("palette of a one-colour image has %d colours, want 1", got)
	}
}
