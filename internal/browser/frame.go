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

// FrameJS is the JavaScript expression that holds the live page still and asks
// it where it draws the frame, in which colours, and which workers' tiles it
// outlines in bold (the tiles of frames not yet written): pass it to Capture as
// evalJS, and its value to CheckTiles. It closes the page's event stream and
// draws once more, so the screenshot that follows shows what it describes,
// however the workers were scheduled.
const FrameJS = `(() => { events.close(); drawFrame(performance.now());
	const r = document.getElementById('frame').getBoundingClientRect();
	const active = [...new Set([...landed.values()].filter((t) => !done.has(t.frame)).map((t) => t.worker))];
	return {x: r.x, y: r.y, w: r.width, h: r.height, palette: PALETTE, background: FRAME_BG,
		active: active.sort((a, b) => a - b)}; })()`

// TileCheck is what CheckTiles saw in the frame area of a screenshot.
type TileCheck struct {
	Area     image.Rectangle // the frame area, in screenshot pixels
	Active   []int           // the workers with tiles in bold outline, as the page said
	Outlined []int           // pixels of each active worker's outline colour, in Active's order
	Painted  int             // pixels that are not the frame's background
	Colours  int             // distinct colours
}

// CheckTiles checks that the live page's screenshot shows tiles in the frame
// that frame (FrameJS's value) locates: bold outlines from at least workers
// workers, each active worker's colour on at least 100 pixels, and pixels other
// than the background over at least nine tenths of the frame. Which workers drew
// the tiles in progress is up to the scheduler, so it checks the colours of the
// workers the page said it outlined, not of every worker.
func CheckTiles(shot, frame []byte, workers int) (TileCheck, error) {
	var page struct {
		X, Y, W, H float64
		Palette    []string
		Background string
		Active     []int
	}
	if err := json.Unmarshal(frame, &page); err != nil {
		return TileCheck{}, fmt.Errorf("browser: the page's answer %s: %v", frame, err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return TileCheck{}, fmt.Errorf("browser: the screenshot does not decode as a PNG: %v", err)
	}
	c := TileCheck{Area: image.Rect(int(page.X)+1, int(page.Y)+1, int(page.X+page.W)-1, int(page.Y+page.H)-1), Active: page.Active}
	if c.Area.Dx() < 200 || c.Area.Dy() < 100 || !c.Area.In(img.Bounds()) {
		return c, fmt.Errorf("browser: the frame is drawn at %v, want a large area within the %v screenshot", c.Area, img.Bounds())
	}
	if len(page.Active) < workers {
		return c, fmt.Errorf("browser: the page outlines tiles in progress of workers %v, want at least %d workers", page.Active, workers)
	}
	outline := make([]color.RGBA, len(page.Active))
	for i, w := range page.Active {
		if w < 0 || w >= len(page.Palette) {
			return c, fmt.Errorf("browser: worker %d has no colour in the page's palette %v", w, page.Palette)
		}
		if outline[i], err = hexColor(page.Palette[w]); err != nil {
			return c, err
		}
	}
	bg, err := hexColor(page.Background)
	if err != nil {
		return c, err
	}
	c.Outlined = make([]int, len(outline))
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
			w := page.Active[i]
			return c, fmt.Errorf("browser: %d pixels of worker %d's outline colour %s in the frame, want at least 100", n, w, page.Palette[w])
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
