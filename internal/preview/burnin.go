// Package preview makes the small pictures that show an animation at a glance:
// a contact sheet of thumbnails, an animated GIF, and labels burnt into frames
// with their time codes. It works on images as they stream past, keeping only
// small copies, and never writes a file: the caller encodes what it returns.
package preview

import (
	"fmt"
	"image"
	"image/draw"
	"math"

	"github.com/fogleman/gg"

	"github.com/sdfrender/render/internal/typeface"
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
// that follows the image's height. img may be of any depth.
func BurnIn(img draw.Image, left, right string) {
	b := img.Bounds()
	h := float64(b.Dy())
	size := max(8, h/24)
	band := image.Rect(b.Min.X, b.Max.Y-int(math.Ceil(size*1.6)), b.Max.X, b.Max.Y)
	// Draw on an 8-bit copy of the band, which is all gg draws on, and put it back.
	rgba := image.NewRGBA(image.Rect(0, 0, band.Dx(), band.Dy()))
	draw.Draw(rgba, rgba.Rect, img, band.Min, draw.Src)
	dc := gg.NewContextForRGBA(rgba)
	bh := float64(band.Dy())
	dc.SetRGBA(0, 0, 0, 0.55)
	dc.DrawRectangle(0, 0, float64(band.Dx()), bh)
	dc.Fill()
	dc.SetFontFace(typeface.Face(false, size))
	dc.SetRGB(1, 1, 1)
	pad := float64(size * 0.5)
	dc.DrawStringAnchored(left, pad, bh/2, 0, 0.35)
	dc.DrawStringAnchored(right, float64(band.Dx())-pad, bh/2, 1, 0.35)
	draw.Draw(img, band, rgba, image.Point{}, draw.Src)
}
