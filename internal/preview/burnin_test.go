package preview

import (
	"flag"
	"image"
	"path/filepath"
	"testing"

	"github.com/sdfrender/render/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestTimecode(t *testing.T) {
	for _, c := range []struct {
		i    int
		fps  float64
		want string
	}{
		{0, 30, "00:00:00:00"},
		{29, 30, "00:00:00:29"},
		{30, 30, "00:00:01:00"},
		{30*3600 + 30*61 + 5, 30, "01:01:01:05"},
		{47, 24, "00:00:01:23"},
		{30, 29.97, "00:00:01:00"}, // counted at 30
		{3, 0.5, "00:00:03:00"},    // under one frame a second: one frame a "second"
	} {
		if got := Timecode(c.i, c.fps); got != c.want {
			t.Errorf("Timecode(%d, %g) = %s, want %s", c.i, c.fps, got, c.want)
		}
	}
}

// gradient is a test frame: a smooth ramp of colours.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(x*255/w), uint8(y*255/h), 160, 255
		}
	}
	return img
}

func TestBurnInGolden(t *testing.T) {
	img := gradient(240, 135)
	BurnIn(img, "showcase   frame 12", Timecode(11, 30))
	golden.Check(t, filepath.Join("testdata", "golden", "burnin.png"), img, *update)
	// The band is at the bottom; the top is untouched.
	if got, want := img.At(5, 5), gradient(240, 135).At(5, 5); got != want {
		t.Errorf("pixel (5, 5) = %v after burn-in, want it untouched %v", got, want)
	}
}

func TestContactSheetGolden(t *testing.T) {
	c := NewContactSheet([]int{1, 2, 3, 4, 5, 6, 7})
	for n := 7; n >= 1; n-- { // frames arrive in any order
		c.Add(n, gradient(96+16*n, 54))
	}
	sheet := c.Draw("gradients", "7 frames, 96x54 and wider")
	golden.Check(t, filepath.Join("testdata", "golden", "contact-sheet.png"), sheet, *update)
}

func TestContactSheetKeepsEveryNth(t *testing.T) {
	frames := make([]int, 600)
	for i := range frames {
		frames[i] = i + 1
	}
	c := NewContactSheet(frames)
	for _, n := range frames {
		c.Add(n, gradient(32, 18))
	}
	if len(c.thumbs) != 60 {
		t.Errorf("%d thumbnails of 600 frames, want 60 (every 10th)", len(c.thumbs))
	}
	if _, ok := c.thumbs[591]; !ok {
		t.Error("frame 591 (every 10th from 1) is missing from the sheet")
	}
	// A --range of even frames, every 2nd of them: by position, not by number.
	var even []int
	for n := 10; n <= 1000; n += 10 {
		even = append(even, n)
	}
	c = NewContactSheet(even)
	for _, n := range even {
		c.Add(n, gradient(32, 18))
	}
	if _, first := c.thumbs[10]; len(c.thumbs) != 50 || !first {
		t.Errorf("%d thumbnails of the 100 frames 10, 20, ..., 1000, want 50, the first among them", len(c.thumbs))
	}
}

func TestThumbnailAverages(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 2))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for x := 0; x < 4; x += 2 { // every other column black: averages to grey
		for y := range 2 {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2] = 0, 0, 0
		}
	}
	th := thumbnail(img, 2)
	if th.Rect.Dx() != 2 || th.Rect.Dy() != 1 || th.Pix[0] != 127 {
		t.Errorf("thumbnail = %v, pixel %d; want 2x1 and grey 127", th.Rect, th.Pix[0])
	}
}
