package preview

import (
	"cmp"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"io"
	"math"
	"slices"
	"sync"
)

// GIFPreview builds an animated GIF preview of frames as they stream past: each
// frame is scaled down and quantised to its own 256-colour palette (median cut)
// with Floyd-Steinberg dithering, so that gradients do not band, and only the
// small paletted frame is kept. Its methods may be called from many goroutines.
type GIFPreview struct {
	width int
	delay int // hundredths of a second per frame
	mu    sync.Mutex
	shots []shot
}

type shot struct {
	n   int
	img *image.Paletted
}

// NewGIFPreview returns a preview width pixels wide, at fps frames a second.
func NewGIFPreview(width int, fps float64) *GIFPreview {
	return &GIFPreview{width: width, delay: max(2, int(math.Round(100/fps)))}
}

// Add scales, quantises and keeps frame n.
func (g *GIFPreview) Add(n int, img image.Image) {
	small := thumbnail(img, g.width)
	p := image.NewPaletted(small.Rect, medianCut(small, 256))
	draw.FloydSteinberg.Draw(p, p.Rect, small, image.Point{})
	g.mu.Lock()
	g.shots = append(g.shots, shot{n, p})
	g.mu.Unlock()
}

// Encode writes the frames, in frame order, as a looping GIF.
func (g *GIFPreview) Encode(w io.Writer) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	slices.SortFunc(g.shots, func(a, b shot) int { return cmp.Compare(a.n, b.n) })
	anim := &gif.GIF{}
	for _, s := range g.shots {
		anim.Image = append(anim.Image, s.img)
		anim.Delay = append(anim.Delay, g.delay)
	}
	return gif.EncodeAll(w, anim)
}

// medianCut returns a palette of at most n colours for img: the colour cube is
// cut, box by box, at the median of the box's widest channel, and each box
// gives the average of its pixels (Heckbert, "Color image quantization for frame
// buffer display", 1982).
func medianCut(img *image.RGBA, n int) color.Palette {
	pixels := make([][3]uint8, 0, len(img.Pix)/4)
	for i := 0; i < len(img.Pix); i += 4 {
		pixels = append(pixels, [3]uint8{img.Pix[i], img.Pix[i+1], img.Pix[i+2]})
	}
	boxes := []colorBox{newColorBox(pixels)}
	for len(boxes) < n {
		// Cut the box with the widest channel range.
		best := 0
		for i, b := range boxes {
			if b.spread > boxes[best].spread {
				best = i
			}
		}
		b := boxes[best]
		if b.spread == 0 {
			break // every box is one colour
		}
		slices.SortFunc(b.pixels, func(p, q [3]uint8) int { return cmp.Compare(p[b.channel], q[b.channel]) })
		half := len(b.pixels) / 2
		boxes[best] = newColorBox(b.pixels[:half])
		boxes = append(boxes, newColorBox(b.pixels[half:]))
	}
	pal := make(color.Palette, 0, len(boxes))
	for _, b := range boxes {
		var r, g, bl int
		for _, p := range b.pixels {
			r, g, bl = r+int(p[0]), g+int(p[1]), bl+int(p[2])
		}
		if k := len(b.pixels); k > 0 {
			pal = append(pal, color.RGBA{uint8(r / k), uint8(g / k), uint8(bl / k), 255})
		}
	}
	return pal
}

// colorBox is a box of the colour cube: its pixels, and the channel over which
// they spread the most, and by how much.
type colorBox struct {
	pixels  [][3]uint8
	channel int
	spread  int
}

func newColorBox(pixels [][3]uint8) colorBox {
	b := colorBox{pixels: pixels}
	if len(pixels) < 2 {
		return b
	}
	for c := range 3 {
		lo, hi := uint8(255), uint8(0)
		for _, p := range pixels {
			lo, hi = min(lo, p[c]), max(hi, p[c])
		}
		if r := int(hi) - int(lo); r > b.spread {
			b.channel, b.spread = c, r
		}
	}
	return b
}
