package live

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func TestOptionsDefaults(t *testing.T) {
	d := Options{}.withDefaults()
	if d.Now == nil || d.Batch != 150*time.Millisecond || d.StatsEvery != 500*time.Millisecond || d.Buffer != 64 || d.WriteTimeout != 10*time.Second || d.PNGEvery != 400*time.Millisecond {
		t.Errorf("zero Options = %+v, want Batch 150ms, StatsEvery 500ms, Buffer 64, WriteTimeout 10s, PNGEvery 400ms and a clock", d)
	}
	n := Options{Batch: -1, StatsEvery: -1, Buffer: -1, WriteTimeout: -1, PNGEvery: -1}.withDefaults()
	if n.Batch != d.Batch || n.StatsEvery != d.StatsEvery || n.Buffer != d.Buffer || n.WriteTimeout != d.WriteTimeout || n.PNGEvery != d.PNGEvery {
		t.Errorf("negative Options = %+v, want the defaults", n)
	}
	now := time.Unix(42, 0)
	set := Options{Now: func() time.Time { return now }, Batch: time.Millisecond, StatsEvery: 2 * time.Millisecond, Buffer: 100, WriteTimeout: 3 * time.Millisecond, PNGEvery: 4 * time.Millisecond}.withDefaults()
	if set.Now() != now || set.Batch != time.Millisecond || set.StatsEvery != 2*time.Millisecond || set.Buffer != 100 || set.WriteTimeout != 3*time.Millisecond || set.PNGEvery != 4*time.Millisecond {
		t.Errorf("Options set = %+v, want them kept", set)
	}
	for _, c := range []struct{ in, want int }{{1, minBuffer}, {minBuffer - 1, minBuffer}, {minBuffer, minBuffer}, {minBuffer + 1, minBuffer + 1}} {
		if got := (Options{Buffer: c.in}).withDefaults().Buffer; got != c.want {
			t.Errorf("Options{Buffer: %d} gives %d, want %d", c.in, got, c.want)
		}
	}
}

// TestResponseHeaders checks the headers every route sends: no sniffing and no
// referrer everywhere, the page's content security policy, and the caching and
// version of each.
func TestResponseHeaders(t *testing.T) {
	s := New(smallInfo, Options{})
	defer s.Close()
	dir := t.TempDir()
	frame := filepath.Join(dir, "frame.png")
	os.WriteFile(frame, []byte("\x89PNG"), 0o644)
	s.FrameDone(1, frame, stat(frame))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	for _, c := range []struct {
		method, path string
		want         map[string]string // "" for absent
	}{
		{"GET", "/", map[string]string{"Content-Security-Policy": "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'", "Cache-Control": "no-cache"}},
		{"GET", "/index.html", map[string]string{"Content-Security-Policy": "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"}},
		{"GET", "/app.js", map[string]string{"Content-Security-Policy": "", "Cache-Control": "no-cache"}},
		{"GET", "/live.png", map[string]string{"Cache-Control": "no-store", "X-Live-Version": "0", "Content-Type": "image/png"}},
		{"HEAD", "/live.png", map[string]string{"Cache-Control": "no-store", "X-Live-Version": "0"}},
		{"GET", "/frames/1.png", map[string]string{"Cache-Control": "no-cache", "Content-Type": "image/png"}},
		{"HEAD", "/events", map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"}},
		{"GET", "/nothing", map[string]string{}},
		{"POST", "/", map[string]string{"Allow": "GET, HEAD"}},
	} {
		status, h, body := rawRequest(t, addr, c.method, c.path)
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s %s: X-Content-Type-Options %q, Referrer-Policy %q; want nosniff, no-referrer", c.method, c.path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
		for k, v := range c.want {
			if got := h.Get(k); got != v {
				t.Errorf("%s %s: %s %q, want %q", c.method, c.path, k, got, v)
			}
		}
		if c.method == "HEAD" && len(body) > 0 {
			t.Errorf("%s %s: a body of %d bytes, want none", c.method, c.path, len(body))
		}
		if c.path == "/live.png" {
			if status != 200 {
				t.Errorf("%s /live.png: status %d", c.method, status)
			}
			if n, err := strconv.Atoi(h.Get("Content-Length")); err != nil || n < 50 || c.method == "GET" && n != len(body) {
				t.Errorf("%s /live.png: Content-Length %q with a body of %d bytes, want the PNG's length", c.method, h.Get("Content-Length"), len(body))
			}
		}
	}
}

// TestFrameNumbersUpToNineDigits checks the longest frame number served: nine
// digits, and no more.
func TestFrameNumbersUpToNineDigits(t *testing.T) {
	s := New(smallInfo, Options{})
	defer s.Close()
	dir := t.TempDir()
	frame := filepath.Join(dir, "frame.png")
	os.WriteFile(frame, []byte("\x89PNG nine"), 0o644)
	s.FrameDone(999999999, frame, stat(frame))
	s.FrameDone(1000000000, frame, stat(frame))
	s.FrameDone(7, frame, nil) // no file written to compare with: never served
	h := s.Handler()
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/frames/999999999.png", 200},
		{"/frames/1000000000.png", 404},
		{"/frames/7.png", 404},
		{"/frames/.png", 404},
		{"/frames/1x.png", 404},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
		if rec.Code != c.status {
			t.Errorf("GET %s: status %d, want %d", c.path, rec.Code, c.status)
		}
	}
}

// TestClosedServer checks that after Close the event stream is refused, saying
// where the frames are, and later reports change nothing.
func TestClosedServer(t *testing.T) {
	s := New(smallInfo, Options{Batch: time.Millisecond})
	s.Close()
	s.Close() // twice is fine
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 8, 8), Pixels: image.NewRGBA(image.Rect(0, 0, 8, 8))})
	s.FrameDone(1, "frame.png", nil)
	s.Finish("done")
	s.qmu.Lock()
	queued := len(s.queue)
	s.qmu.Unlock()
	if queued != 0 {
		t.Errorf("%d reports queued after Close, want none", queued)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/events", nil))
	if rec.Code != http.StatusServiceUnavailable || !bytes.Contains(rec.Body.Bytes(), []byte("output directory")) {
		t.Errorf("GET /events after Close: %d %q, want 503 saying the frames are in the output directory", rec.Code, rec.Body)
	}
}

// TestCanvasOfManyBands checks that /live.png shows every row of a canvas
// taller than one band of the snapshot, with a height not a multiple of it,
// and tiles that cross the grid's cells.
func TestCanvasOfManyBands(t *testing.T) {
	const w, h = 20, 3*snapshotRows + 5
	info := Info{Width: w, Height: h, Frames: []int{1}, Workers: 1, Tile: 16}
	s := New(info, Options{})
	defer s.Close()
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			src.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 7, 255})
		}
	}
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, w, h/2), Pixels: src})
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, h/2, w, h), Pixels: src})
	b, v, err := s.canvas.png(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if v != 2 {
		t.Errorf("version %d after 2 tiles, want 2", v)
	}
	for y := range h {
		for x := range w {
			if got := color.RGBAModel.Convert(img.At(x, y)); got != src.At(x, y) {
				t.Fatalf("live.png at (%d, %d) = %v, want %v", x, y, got, src.At(x, y))
			}
		}
	}
}

// TestCanvasEncodesOnlyWhenChanged checks the shared encode: the same bytes
// while the canvas is unchanged, however long after; a new encode once it has
// changed and the wait has passed; and a wait of at least PNGEvery, or
// encodeSpacing times the encode's duration.
func TestCanvasEncodesOnlyWhenChanged(t *testing.T) {
	now := time.Unix(0, 0)
	info := Info{Width: 256, Height: 256, Frames: []int{1}, Workers: 1, Tile: 64}
	s := New(info, Options{PNGEvery: time.Nanosecond})
	defer s.Close()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	s.Tile(Tile{Frame: 1, Rect: img.Rect, Pixels: img})
	start := time.Now()
	b1, v1, _ := s.canvas.png(now)
	took := time.Since(start)
	if s.canvas.wait < time.Microsecond || s.canvas.wait > encodeSpacing*took {
		t.Errorf("after an encode of %v the next waits %v, want encodeSpacing (%d) times the encode", took, s.canvas.wait, encodeSpacing)
	}
	b2, v2, _ := s.canvas.png(now.Add(time.Hour))
	if v1 != 1 || v2 != 1 || &b1[0] != &b2[0] {
		t.Errorf("unchanged canvas: versions %d, %d, want 1 and 1 from one encode", v1, v2)
	}
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 8, 8), Pixels: image.NewRGBA(img.Rect)})
	b3, v3, _ := s.canvas.png(now.Add(time.Hour))
	if v3 != 2 || &b3[0] == &b1[0] || bytes.Equal(b3, b1) {
		t.Errorf("changed canvas an hour later: version %d, want 2 from a new encode", v3)
	}
}

// TestCanvasWithoutGrid checks a canvas of no tile size: every tile paints,
// whatever its frame.
func TestCanvasWithoutGrid(t *testing.T) {
	s := New(Info{Width: 4, Height: 4, Frames: []int{1, 2}, Workers: 1}, Options{})
	defer s.Close()
	fill := func(v uint8) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, 4, 4))
		for i := range img.Pix {
			img.Pix[i] = v
		}
		return img
	}
	s.Tile(Tile{Frame: 2, Rect: image.Rect(0, 0, 4, 4), Pixels: fill(20)})
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 2, 2), Pixels: fill(10)}) // earlier, later: paints
	if got := s.canvas.img.RGBAAt(1, 1).R; got != 10 {
		t.Errorf("canvas at (1, 1) = %d, want 10: with no grid every tile paints", got)
	}
	if got := s.canvas.img.RGBAAt(3, 3).R; got != 20 {
		t.Errorf("canvas at (3, 3) = %d, want 20", got)
	}
}

// TestCanvasSameFrameRepaints checks that tiles of one frame that land in the
// same cell of the grid all paint: the cell shows that frame.
func TestCanvasSameFrameRepaints(t *testing.T) {
	s := New(Info{Width: 8, Height: 8, Frames: []int{1}, Workers: 1, Tile: 8}, Options{})
	defer s.Close()
	a := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range a.Pix {
		a.Pix[i] = 30
	}
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 4, 8), Pixels: a})
	s.Tile(Tile{Frame: 1, Rect: image.Rect(4, 0, 8, 8), Pixels: a})
	for _, p := range []image.Point{{1, 1}, {6, 6}} {
		if got := s.canvas.img.RGBAAt(p.X, p.Y).R; got != 30 {
			t.Errorf("canvas at %v = %d, want 30: both halves of the cell are frame 1's", p, got)
		}
	}
}

// TestCanvasCellsAreTheirOwn checks that each cell of a grid of several rows
// keeps its own frame: a later frame's tiles in the bottom row do not keep an
// earlier frame's out of the top row.
func TestCanvasCellsAreTheirOwn(t *testing.T) {
	s := New(Info{Width: 8, Height: 8, Frames: []int{1, 2}, Workers: 1, Tile: 4}, Options{})
	defer s.Close()
	fill := func(v uint8) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, 8, 8))
		for i := range img.Pix {
			img.Pix[i] = v
		}
		return img
	}
	s.Tile(Tile{Frame: 2, Rect: image.Rect(0, 4, 8, 8), Pixels: fill(20)}) // the bottom row
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 8, 8), Pixels: fill(10)}) // every cell
	for _, c := range []struct {
		p    image.Point
		want uint8
	}{{image.Pt(1, 1), 10}, {image.Pt(6, 1), 10}, {image.Pt(1, 6), 20}, {image.Pt(6, 6), 20}} {
		if got := s.canvas.img.RGBAAt(c.p.X, c.p.Y).R; got != c.want {
			t.Errorf("canvas at %v = %d, want %d", c.p, got, c.want)
		}
	}
	// The other way round: the later frame in the top row, the earlier over
	// both rows paints the bottom row only.
	s2 := New(Info{Width: 8, Height: 8, Frames: []int{1, 2}, Workers: 1, Tile: 4}, Options{})
	defer s2.Close()
	s2.Tile(Tile{Frame: 2, Rect: image.Rect(0, 0, 8, 4), Pixels: fill(20)}) // the top row
	s2.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 8, 8), Pixels: fill(10)}) // every cell
	for _, c := range []struct {
		p    image.Point
		want uint8
	}{{image.Pt(1, 1), 20}, {image.Pt(6, 3), 20}, {image.Pt(1, 4), 10}, {image.Pt(6, 7), 10}} {
		if got := s2.canvas.img.RGBAAt(c.p.X, c.p.Y).R; got != c.want {
			t.Errorf("second canvas at %v = %d, want %d", c.p, got, c.want)
		}
	}
}
