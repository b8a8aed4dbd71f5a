package output

import (
	"fmt"
	"image"
	"math"

	"github.com/fogleman/gg"
)

// Timecode formats frame index i (0-based) of an animation at fps as
// HH:MM:SS:FF, as editing software and render farms' dailies show it. A
// fractional rate counts frames at the nearest whole rate (no drop-frame).
func Timecode(i int, fps float64) string {
	rate := max(1, int(math.Round(fps)))
	s := i / rate
	return fmt.Sprintf("%02d:%02d:%02d:%02d", s/3600, s/60%60, s%60, i%rate)
}

// BurnIn draws labels onto img in place, as render farms do on dailies: left in a
// band along the bottom, right at its end, white on translucent black, in a size
// that follows the image's height.
func BurnIn(img *image.RGBA, left, right string) {
	dc := gg.NewContextForRGBA(img)
	h := float64(img.Rect.Dy())
	size := max(8, h/24)
	band := size * 1.6
	dc.SetRGBA(0, 0, 0, 0.55)
	dc.DrawRectangle(0, h-band, float64(img.Rect.Dx()), band)
	dc.Fill()
	dc.SetFontFace(face(false, size))
	dc.SetRGB(1, 1, 1)
	pad := size * 0.5
	dc.DrawStringAnchored(left, pad, h-band/2, 0, 0.35)
	dc.DrawStringAnchored(right, float64(img.Rect.Dx())-pad, h-band/2, 1, 0.35)
}
