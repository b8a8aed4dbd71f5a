package browser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"math"
	"slices"
	"strconv"
)

// FrameJS is the JavaScript expression that holds the live page still and asks
// it where it draws the frame, in which colours, and where it outlines each
// tile, in whose colour, bold or faint: pass it to Capture as evalJS, and its
// value to CheckTiles. It closes the page's event stream and draws once more,
// so the screenshot that follows shows what it describes, however the
// workers were scheduled. The tiles' corners are in the canvas's pixels, as
// drawFrame rounds them.
const FrameJS = `(() => { events.close(); drawFrame(performance.now());
	const c = document.getElementById('frame'), r = c.getBoundingClientRect(), s = c.width / job.width;
	const tiles = [...landed.values()].map((t) => [Math.round(t.x * s), Math.round(t.y * s),
		Math.round((t.x + t.w) * s), Math.round((t.y + t.h) * s), t.worker, !done.has(t.frame)]);
	return {x: r.x, y: r.y, w: r.width, h: r.height, dpr: window.devicePixelRatio || 1,
		palette: PALETTE, background: FRAME_BG, tiles}; })()`

// TileCheck is what CheckTiles saw in the frame area of a screenshot.
type TileCheck struct {
	Area     image.Rectangle // the frame area, in screenshot pixels
	Bold     int             // tiles the page outlines in bold: those of frames in progress
	Faint    int             // and in a faint line: those of frames written
	Active   []int           // the workers with tiles in bold outline, in order
	Outlined []int           // pixels of each active worker's colour on its tiles' outlines, in Active's order
	Painted  int             // pixels that are not the frame's background
	Colours  int             // distinct colours
}

// CheckTiles checks that the live page's screenshot shows what the page said it
// drew (frame, FrameJS's value): each tile of a frame in progress outlined in
// bold in its worker's colour, and each tile of a frame written not; tiles in
// bold from at least workers workers; and pixels other than the background
// over at least nine tenths of the frame. Which workers drew the tiles in
// progress is up to the scheduler: it checks the colours of the workers the
// page outlined, not of every worker.
func CheckTiles(shot, frame []byte, workers int) (TileCheck, error) {
	var page struct {
		X, Y, W, H, DPR float64
		Palette         []string
		Background      string
		Tiles           [][6]any
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
	// The canvas's pixels are the screenshot's, at the frame's corner.
	origin := image.Pt(int(math.Round(page.X)), int(math.Round(page.Y)))
	if page.DPR != 1 {
		return c, fmt.Errorf("browser: the page has %g device pixels per pixel, want 1", page.DPR)
	}
	at := func(x, y int) color.RGBA { return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) }
	outlined := map[int]int{}
	for _, t := range page.Tiles {
		r, worker, bold, err := tileOf(t)
		if err != nil {
			return c, err
		}
		r = r.Add(origin)
		if r.Dx() <= 2*boldWidth || r.Dy() <= 2*boldWidth {
			continue // an edge's sliver, which the page does not outline
		}
		if worker < 0 || worker >= len(page.Palette) {
			return c, fmt.Errorf("browser: worker %d has no colour in the page's palette %v", worker, page.Palette)
		}
		want, err := hexColor(page.Palette[worker])
		if err != nil {
			return c, err
		}
		// The ring a bold outline covers, inside the tile's edges.
		ring, in := 0, 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if x >= r.Min.X+boldWidth && x < r.Max.X-boldWidth && y >= r.Min.Y+boldWidth && y < r.Max.Y-boldWidth {
					continue
				}
				ring++
				if near(at(x, y), want, 6) {
					in++
				}
			}
		}
		switch {
		case bold && in*10 < ring*9:
			return c, fmt.Errorf("browser: the tile at %v, of a frame in progress, has %d of its outline's %d pixels in worker %d's colour %s, want it outlined in bold in it", r, in, ring, worker, page.Palette[worker])
		case !bold && in*2 > ring:
			return c, fmt.Errorf("browser: the tile at %v, of a frame written, has %d of its outline's %d pixels in worker %d's colour %s, want a faint line", r, in, ring, worker, page.Palette[worker])
		case bold:
			c.Bold++
			outlined[worker] += in
		default:
			c.Faint++
		}
	}
	c.Active = slices.Sorted(maps.Keys(outlined))
	for _, w := range c.Active {
		c.Outlined = append(c.Outlined, outlined[w])
	}
	if len(c.Active) < workers {
		return c, fmt.Errorf("browser: the page outlines tiles in progress of workers %v, want at least %d workers", c.Active, workers)
	}
	bg, err := hexColor(page.Background)
	if err != nil {
		return c, err
	}
	colours := map[color.RGBA]bool{}
	for y := c.Area.Min.Y; y < c.Area.Max.Y; y++ {
		for x := c.Area.Min.X; x < c.Area.Max.X; x++ {
			px := at(x, y)
			if !near(px, bg, 20) {
				c.Painted++
			}
			colours[px] = true
		}
	}
	c.Colours = len(colours)
	if total := c.Area.Dx() * c.Area.Dy(); c.Painted < total*9/10 {
		return c, fmt.Errorf("browser: %d of %d pixels of the frame differ from the background, want at least 90%%", c.Painted, total)
	}
	return c, nil
}

// boldWidth is the width of the page's bold outline at one device pixel per
// pixel (drawFrame's bold).
const boldWidth = 2

// tileOf reads a tile of FrameJS's answer: its corners, its worker and
// whether it is outlined in bold.
func tileOf(t [6]any) (r image.Rectangle, worker int, bold bool, err error) {
	var n [5]int
	for i := range n {
		f, ok := t[i].(float64)
		if !ok || f != math.Trunc(f) {
			return r, 0, false, fmt.Errorf("browser: the page's tile %v is not four corners, a worker and whether it is bold", t)
		}
		n[i] = int(f)
	}
	bold, ok := t[5].(bool)
	if !ok {
		return r, 0, false, fmt.Errorf("browser: the page's tile %v is not four corners, a worker and whether it is bold", t)
	}
	return image.Rect(n[0], n[1], n[2], n[3]), n[4], bold, nil
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
