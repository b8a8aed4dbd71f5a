package browser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
)

// FrameJS is the JavaScript expression that asks the live page where it draws
// the frame and in which colours: pass it to Capture as evalJS, and its value to
// CheckTiles.
const FrameJS = `(() => { const r = document.getElementById('frame').getBoundingClientRect();
	return {x: r.x, y: r.y, w: r.width, h: r.height, palette: PALETTE, background: FRAME_BG}; })()`

// TileCheck is what CheckTiles saw in the frame area of a screenshot.
type TileCheck struct {
	Area     image.Rectangle // the frame area, in screenshot pixels
	Outlined []int           // pixels of each worker's outline colour, in palette order
	Painted  int             // pixels that are not the frame's background
	Colours  int             // distinct colours
}

// CheckTiles checks that the live page's screenshot shows tiles in the frame
// that frame (FrameJS's value) locates: outlines in the colours of at least
// workers workers, at least 100 pixels each, and pixels other than the
// background over at least nine tenths of the frame.
func CheckTiles(shot, frame []byte, workers int) (TileCheck, error) {
	var page struct {
		X, Y, W, H float64
		Palette    []string
		Background string
	}
	if err := json.Unmarshal(frame, &page); err != nil {
		return TileCheck{}, fmt.Errorf("browser: the page's answer %s: %v", frame, err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return TileCheck{}, fmt.Errorf("browser: the screenshot does not decode as a PNG: %v", err)
	}
	c := TileCheck{Area: image.Rect(int(page.X)+1, int(page.Y)+1, int(page.X+page.W)-1, int(page.Y+page.H)-1)}
	if c.Area.Dx() < 200 || c.Area.Dy() < 100 || !c.Area.In(img.Bounds()) {
		return c, fmt.Errorf("browser: the frame is drawn at %v, want a large area within the %v screenshot", c.Area, img.Bounds())
	}
	if len(page.Palette) < workers {
		return c, fmt.Errorf("browser: the page's palette %v has fewer than %d colours", page.Palette, workers)
	}
	outline := make([]color.RGBA, workers)
	for i := range outline {
		if outline[i], err = hexColor(page.Palette[i]); err != nil {
			return c, err
		}
	}
	bg, err := hexColor(page.Background)
	if err != nil {
		return c, err
	}
	c.Outlined = make([]int, workers)
	colours := map[color.RGBA]bool{}
	for y := c.Area.Min.Y; y < c.Area.Max.Y; y++ {
		for x := c.Area.Min.X; x < c.Area.Max.X; x++ {
			px := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			for i, w := range outline {
				if near(px, w, 6) {
					c.Outlined[i]++
				}
			}
			if !near(px, bg, 20) {
				c.Painted++
			}
			colours[px] = true
		}
	}
	c.Colours = len(colours)
	for i, n := range c.Outlined {
		if n < 100 {
			return c, fmt.Errorf("browser: %d pixels of worker %d's outline colour %s in the frame, want at least 100", n, i, page.Palette[i])
		}
	}
	if total := c.Area.Dx() * c.Area.Dy(); c.Painted < total*9/10 {
		return c, fmt.Errorf("browser: %d of %d pixels of the frame differ from the background, want at least 90%%", c.Painted, total)
	}
	return c, nil
}

// near says whether a and b differ by at most tol in every channel.
func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return max(x, y)-min(x, y) <= uint8(tol) }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// hexColor parses "#rrggbb".
func hexColor(s string) (color.RGBA, error) {
	v, err := strconv.ParseUint(s[min(1, len(s)):], 16, 32)
	if len(s) != 7 || s[0] != '#' || err != nil {
		return color.RGBA{}, fmt.Errorf("browser: colour %q is not #rrggbb", s)
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}
