package live

import (
	"bytes"
	"image"
	"image/draw"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sdfrender/render/internal/output"
)

// canvas holds, for every tile of the frame grid, the pixels of the latest
// frame (in the job's order) that landed there, in one 8-bit RGBA image, and its
// PNG encoding shared by every client. A slow worker's tile of an earlier frame
// that lands after a later frame's tile in the same place does not paint over it.
type canvas struct {
	mu      sync.Mutex // held per tile copy, and per band of rows while encoding
	img     *image.RGBA
	version atomic.Uint64 // bumped per tile, under mu

	tile  int         // the grid's cell size; 0: no grid, every put paints
	cols  int         // cells per row of the grid
	rank  map[int]int // frame number -> its place in the job
	shown []int       // per cell, the rank of the frame it shows; -1 for none

	emu     sync.Mutex // one encode at a time; the others wait and share it
	every   time.Duration
	shot    *image.RGBA // the snapshot being encoded
	encoded []byte      // the latest encode, never modified once stored
	encV    uint64      // the version it shows
	encAt   time.Time
	wait    time.Duration    // before the next encode: every, or longer if encoding is slow
	clock   func() time.Time // the server's clock (Options.Now), which times the encodes too
	enc     *output.PNG      // keeps one compressor: one encode runs at a time, under emu
}

// encodeSpacing is how many times its own duration an encode waits before the
// next, so that encoding a large frame takes at most a fortieth of a core.
const encodeSpacing = 40

// snapshotRows is the band of rows copied per lock while taking a snapshot, so
// that a tile never waits long for an encode.
const snapshotRows = 32

// init sizes the canvas for frames of width x height cut into tiles of tile
// pixels (0: no grid), frames being the job's frames in the order it renders
// them.
func (c *canvas) init(width, height, tile int, frames []int, every time.Duration, clock func() time.Time) {
	c.img = image.NewRGBA(image.Rect(0, 0, width, height))
	c.every, c.clock = every, clock
	c.enc = output.NewPNG(1)
	if tile <= 0 || width == 0 || height == 0 {
		return
	}
	c.tile, c.cols = tile, ceilDiv(width, tile)
	c.shown = make([]int, c.cols*ceilDiv(height, tile))
	for i := range c.shown {
		c.shown[i] = -1
	}
	c.rank = make(map[int]int, len(frames))
	for i, f := range frames {
		if _, ok := c.rank[f]; !ok {
			c.rank[f] = i
		}
	}
}

// put copies r of src, a tile of frame, into the canvas, in each cell of the
// grid whose frame is not later in the job than this one. A frame the job does
// not list ranks after every listed one.
func (c *canvas) put(frame int, r image.Rectangle, src image.Image) {
	if src == nil {
		return
	}
	r = r.Intersect(c.img.Rect).Intersect(src.Bounds())
	if r.Empty() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.version.Add(1)
	if c.tile == 0 {
		c.copy(r, src)
		return
	}
	rank, ok := c.rank[frame]
	if !ok {
		rank = len(c.rank)
	}
	t := c.tile
	for cy := r.Min.Y / t; cy*t < r.Max.Y; cy++ {
		for cx := r.Min.X / t; cx*t < r.Max.X; cx++ {
			if i := cy*c.cols + cx; c.shown[i] <= rank {
				c.shown[i] = rank
				c.copy(r.Intersect(image.Rect(cx*t, cy*t, (cx+1)*t, (cy+1)*t)), src)
			}
		}
	}
}

// copy copies r of src into the canvas, under mu. RGBA is copied row by row,
// RGBA64 keeps the high byte of each channel (both are premultiplied), anything
// else goes through draw.Draw.
func (c *canvas) copy(r image.Rectangle, src image.Image) {
	dst := c.img
	switch src := src.(type) {
	case *image.RGBA:
		n := 4 * r.Dx()
		for y := r.Min.Y; y < r.Max.Y; y++ {
			d := dst.PixOffset(r.Min.X, y)
			s := src.PixOffset(r.Min.X, y)
			copy(dst.Pix[d:d+n], src.Pix[s:s+n])
		}
	case *image.RGBA64:
		n := 4 * r.Dx()
		for y := r.Min.Y; y < r.Max.Y; y++ {
			d := dst.Pix[dst.PixOffset(r.Min.X, y):][:n]
			s := src.Pix[src.PixOffset(r.Min.X, y):][:2*n]
			for i := range d {
				d[i] = s[2*i] // big-endian: the high byte
			}
		}
	default:
		draw.Draw(dst, r, src, r.Min, draw.Src)
	}
}

// png returns the canvas encoded as a PNG and the version it shows. It encodes
// again only when the canvas changed and the last encode is at least every old
// (encodeSpacing times its duration, if that is longer), so
// it may return a slightly stale picture: the page asks again when the version is
// behind.
func (c *canvas) png(now time.Time) ([]byte, uint64, error) {
	c.emu.Lock()
	defer c.emu.Unlock()
	v := c.version.Load()
	if c.encoded != nil && (v == c.encV || now.Sub(c.encAt) < c.wait) {
		return c.encoded, c.encV, nil
	}
	if c.shot == nil {
		c.shot = image.NewRGBA(c.img.Rect)
	}
	for y := 0; y < c.img.Rect.Dy(); y += snapshotRows {
		c.mu.Lock()
		if y == 0 {
			v = c.version.Load() // nothing older than this can be missing
		}
		lo, hi := y*c.img.Stride, min(y+snapshotRows, c.img.Rect.Dy())*c.img.Stride
		copy(c.shot.Pix[lo:hi], c.img.Pix[lo:hi])
		c.mu.Unlock()
	}
	var buf bytes.Buffer
	buf.Grow(len(c.encoded))
	start := c.clock()
	if err := c.enc.Encode(&buf, c.shot); err != nil {
		return nil, 0, err
	}
	c.encoded, c.encV, c.encAt = buf.Bytes(), v, now
	c.wait = max(c.every, encodeSpacing*c.clock().Sub(start))
	return c.encoded, c.encV, nil
}
