package golden

import (
	"image"
	"image/color"
	"testing"
)

// frame is an opaque test image with a gradient, as a render would write.
func frame() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for y := range 36 {
		for x := range 64 {
			img.SetRGBA(x, y, color.RGBA{uint8(4 * x), uint8(7 * y), 90, 255})
		}
	}
	return img
}

// TestCompareCatchesChanges checks that the comparison notices what a bug
// would do to a frame: any change of a level, uniform or in one pixel, a row
// or a column never rendered whatever colour the frame has there, and a
// different size; and that it matches an equal image.
func TestCompareCatchesChanges(t *testing.T) {
	base := frame()
	if msg := Compare(frame(), base); msg != "" {
		t.Errorf("an equal image: %s, want a match", msg)
	}
	for _, c := range []struct {
		name   string
		change func(img *image.RGBA)
	}{
		{"a uniform shift of one level", func(img *image.RGBA) {
			for i := range img.Pix {
				if i%4 != 3 {
					img.Pix[i]++
				}
			}
		}},
		{"one pixel a level off", func(img *image.RGBA) { img.Pix[4*(64*20+30)+1]++ }},
		{"a column not rendered", func(img *image.RGBA) {
			for y := range 36 {
				img.SetRGBA(63, y, color.RGBA{})
			}
		}},
		{"a row not rendered", func(img *image.RGBA) {
			for x := range 64 {
				img.SetRGBA(x, 0, color.RGBA{})
			}
		}},
		{"one pixel not rendered", func(img *image.RGBA) { img.SetRGBA(5, 5, color.RGBA{}) }},
	} {
		got := frame()
		c.change(got)
		if msg := Compare(got, base); msg == "" {
			t.Errorf("%s: got a match, want a difference", c.name)
		}
	}
	// A golden frame that is itself transparent there: the unrendered
	// pixels are still caught, not matched against the golden's.
	holed := frame()
	holed.SetRGBA(7, 7, color.RGBA{})
	if msg := Compare(holed, holed); msg == "" {
		t.Error("a pixel not rendered, in got and in the golden file: got a match, want it caught")
	}
	if msg := Compare(image.NewRGBA(image.Rect(0, 0, 10, 10)), base); msg == "" {
		t.Error("images of different sizes: got a match, want a difference")
	}
}

// TestUnwritten checks the count and the first of the pixels that are not
// opaque, in 8- and 16-bit images.
func TestUnwritten(t *testing.T) {
	img := frame()
	if n, _ := Unwritten(img); n != 0 {
		t.Errorf("Unwritten(opaque frame) = %d, want 0", n)
	}
	img.SetRGBA(9, 3, color.RGBA{R: 200, A: 254}) // not quite opaque is not written by a render either
	img.SetRGBA(2, 30, color.RGBA{})
	if n, first := Unwritten(img); n != 2 || first != image.Pt(9, 3) {
		t.Errorf("Unwritten = %d, first %v; want 2, first (9,3)", n, first)
	}
	deep := image.NewRGBA64(image.Rect(0, 0, 4, 4))
	for y := range 4 {
		for x := range 4 {
			deep.SetRGBA64(x, y, color.RGBA64{A: 0xffff})
		}
	}
	deep.SetRGBA64(3, 3, color.RGBA64{A: 0xfffe})
	if n, first := Unwritten(deep); n != 1 || first != image.Pt(3, 3) {
		t.Errorf("Unwritten(16-bit) = %d, first %v; want 1, first (3,3)", n, first)
	}
}
