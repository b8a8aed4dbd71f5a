package preview

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"slices"
	"sync"

	"github.com/fogleman/gg"

	"github.com/sdfrender/render/internal/typeface"
)

// Contact sheet layout.
const (
	thumbWidth   = 192 // pixels
	maxThumbs    = 60  // more frames than this: every Nth
	sheetColumns = 6
	sheetMargin  = 16
	sheetGap     = 10
	sheetHeader  = 56
	thumbLabel   = 18
)

// ContactSheet collects thumbnails of an animation's frames as they stream past,
// keeping only small copies, and draws them in a grid. Its methods may be called
// from many goroutines.
type ContactSheet struct {
	shows  map[int]bool // the frame numbers it shows
	mu     sync.Mutex
	thumbs map[int]*image.RGBA
}

// NewContactSheet returns a sheet of the frames numbered in frames, in order:
// all of them, or every Nth, first included, so that it holds at most maxThumbs.
func NewContactSheet(frames []int) *ContactSheet {
	every := max(1, (len(frames)+maxThumbs-1)/maxThumbs)
	shows := map[int]bool{}
	for i := 0; i < len(frames); i += every {
		shows[frames[i]] = true
	}
	return &ContactSheet{shows: shows, thumbs: map[int]*image.RGBA{}}
}

// Add keeps a thumbnail of frame n, if the sheet shows it.
func (c *ContactSheet) Add(n int, img image.Image) {
	if !c.shows[n] {
		return
	}
	t := thumbnail(img, thumbWidth)
	c.mu.Lock()
	c.thumbs[n] = t
	c.mu.Unlock()
}

// Draw lays out the thumbnails in frame order under a header of two lines.
func (c *ContactSheet) Draw(title, subtitle string) *image.RGBA {
	c.mu.Lock()
	defer c.mu.Unlock()
	var numbers []int
	tw, th := 0, 0 // the largest thumbnail: frames smaller than thumbWidth stay small
	for n, t := range c.thumbs {
		numbers = append(numbers, n)
		tw, th = max(tw, t.Rect.Dx()), max(th, t.Rect.Dy())
	}
	slices.Sort(numbers)
	cols := min(sheetColumns, max(1, len(numbers)))
	rows := (len(numbers) + cols - 1) / cols
	w := 2*sheetMargin + cols*tw + (cols-1)*sheetGap
	h := 2*sheetMargin + sheetHeader + rows*(th+thumbLabel+sheetGap)
	dc := gg.NewContext(w, h)
	dc.SetRGB(0.13, 0.13, 0.15)
	dc.Clear()
	dc.SetRGB(1, 1, 1)
	dc.SetFontFace(typeface.Face(true, 18))
	dc.DrawStringAnchored(title, sheetMargin, sheetMargin+10, 0, 0.5)
	dc.SetColor(color.RGBA{190, 190, 200, 255})
	dc.SetFontFace(typeface.Face(false, 12))
	dc.DrawStringAnchored(subtitle, sheetMargin, sheetMargin+34, 0, 0.5)
	dc.SetFontFace(typeface.Face(false, 11))
	for i, n := range numbers {
		x := sheetMargin + (i%cols)*(tw+sheetGap)
		y := sheetMargin + sheetHeader + (i/cols)*(th+thumbLabel+sheetGap)
		dc.DrawImage(c.thumbs[n], x, y)
		dc.SetColor(color.RGBA{220, 220, 230, 255})
		dc.DrawStringAnchored(fmt.Sprintf("frame %d", n), float64(x), float64(y+th+thumbLabel/2+1), 0, 0.5)
	}
	return dc.Image().(*image.RGBA)
}

// thumbnail scales img down to width pixels wide by averaging the source pixels
// each thumbnail pixel covers (a box filter: no aliasing of fine detail).
func thumbnail(src image.Image, width int) *image.RGBA {
	img := toRGBA(src)
	b := img.Rect
	width = min(width, b.Dx())
	height := max(1, b.Dy()*width/b.Dx())
	t := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		y0, y1 := b.Min.Y+y*b.Dy()/height, b.Min.Y+(y+1)*b.Dy()/height
		for x := range width {
			x0, x1 := b.Min.X+x*b.Dx()/width, b.Min.X+(x+1)*b.Dx()/width
			var r, g, bl, n int
			for sy := y0; sy < max(y1, y0+1); sy++ {
				row := img.Pix[img.PixOffset(x0, sy):]
				for sx := 0; sx < max(x1-x0, 1); sx++ {
					r += int(row[4*sx])
					g += int(row[4*sx+1])
					bl += int(row[4*sx+2])
					n++
				}
			}
			i := t.PixOffset(x, y)
			t.Pix[i], t.Pix[i+1], t.Pix[i+2], t.Pix[i+3] = uint8(r/n), uint8(g/n), uint8(bl/n), 255
		}
	}
	return t
}

// toRGBA returns img as 8-bit RGBA: itself if it is, or a converted copy.
func toRGBA(img image.Image) *image.RGBA {
	if rgba, ok := img.(*image.RGBA); ok {
		return rgba
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	return rgba
}
