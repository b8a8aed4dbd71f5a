package live

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"testing"
	"time"
)

// TestTileAllocatesNothing checks the hot path: reporting a tile copies its pixels
// and queues a record, and allocates nothing per pixel (nor, but for the queue's
// occasional growth, per tile).
func TestTileAllocatesNothing(t *testing.T) {
	info := Info{Width: 256, Height: 256, Frames: []int{1}, Workers: 1, Tile: 64}
	s := New(info, Options{Batch: time.Hour}) // nothing drains the queue meanwhile
	defer s.Close()
	rgba := image.NewRGBA(image.Rect(0, 0, 256, 256))
	rgba64 := image.NewRGBA64(image.Rect(0, 0, 256, 256))
	for _, tc := range []struct {
		name string
		img  image.Image
	}{{"RGBA", rgba}, {"RGBA64", rgba64}} {
		tile := Tile{Frame: 1, Rect: image.Rect(64, 64, 128, 128), Pixels: tc.img}
		if n := testing.AllocsPerRun(1000, func() { s.Tile(tile) }); n > 0 {
			t.Errorf("Tile of a 64×64 %s tile allocates %v times, want 0 (amortised)", tc.name, n)
		}
	}
}

// TestCanvas checks what Tile puts in the canvas: RGBA copied, RGBA64 cut to 8
// bits, and nothing outside the tile or the frame.
func TestCanvas(t *testing.T) {
	info := Info{Width: 8, Height: 6, Frames: []int{1}, Workers: 1, Tile: 4}
	s := New(info, Options{})
	defer s.Close()
	rgba := image.NewRGBA(image.Rect(0, 0, 8, 6))
	rgba64 := image.NewRGBA64(image.Rect(0, 0, 8, 6))
	gray := image.NewGray(image.Rect(0, 0, 8, 6))
	for y := range 6 {
		for x := range 8 {
			rgba.SetRGBA(x, y, color.RGBA{uint8(10 * x), uint8(10 * y), 200, 255})
			rgba64.SetRGBA64(x, y, color.RGBA64{uint16(1000 * x), uint16(0x1280 * y), 0xabff, 0xffff})
			gray.SetGray(x, y, color.Gray{77})
		}
	}
	s.Tile(Tile{Rect: image.Rect(0, 0, 4, 4), Pixels: rgba})
	s.Tile(Tile{Rect: image.Rect(4, 0, 8, 4), Pixels: rgba64})
	s.Tile(Tile{Rect: image.Rect(0, 4, 4, 6), Pixels: gray})
	s.Tile(Tile{Rect: image.Rect(6, 4, 12, 12), Pixels: rgba}) // clipped to the frame
	s.Tile(Tile{Rect: image.Rect(4, 4, 6, 6), Pixels: nil})    // ignored

	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/live.png", nil))
	img, err := png.Decode(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	for y := range 6 {
		for x := range 8 {
			var want color.Color
			switch {
			case y < 4 && x < 4, x >= 6 && y >= 4:
				want = rgba.At(x, y)
			case y < 4:
				c := rgba64.RGBA64At(x, y)
				want = color.RGBA{uint8(c.R >> 8), uint8(c.G >> 8), uint8(c.B >> 8), uint8(c.A >> 8)}
			case x < 4:
				want = color.RGBA{77, 77, 77, 255}
			default:
				want = color.RGBA{}
			}
			if got := color.RGBAModel.Convert(img.At(x, y)); got != color.RGBAModel.Convert(want) {
				t.Errorf("live.png at (%d, %d) = %v, want %v", x, y, got, want)
			}
		}
	}
}

// TestCanvasKeepsTheLatestFrame checks that a tile of an earlier frame, in the
// job's order, that lands after a later frame's tile in the same cell of the
// grid leaves the later pixels in place, cell by cell, and that the order is
// the job's, not the frame numbers'.
func TestCanvasKeepsTheLatestFrame(t *testing.T) {
	info := Info{Width: 8, Height: 4, Frames: []int{3, 1, 2}, Workers: 2, Tile: 4}
	s := New(info, Options{})
	defer s.Close()
	fill := func(v uint8) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, 8, 4))
		for i := range img.Pix {
			img.Pix[i] = v
		}
		return img
	}
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 4, 4), Pixels: fill(10)})
	s.Tile(Tile{Frame: 2, Rect: image.Rect(0, 0, 4, 4), Pixels: fill(20)})
	s.Tile(Tile{Frame: 3, Rect: image.Rect(0, 0, 4, 4), Pixels: fill(30)}) // first in the job: too late
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 8, 4), Pixels: fill(40)}) // spans both cells
	s.Tile(Tile{Frame: 9, Rect: image.Rect(6, 0, 8, 2), Pixels: fill(50)}) // not in the job: after it
	b, v, err := s.canvas.png(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if v != 5 {
		t.Errorf("canvas version %d after 5 tiles, want 5", v)
	}
	for y := range 4 {
		for x := range 8 {
			want := uint8(20) // frame 2, the latest in cell 0
			switch {
			case x >= 6 && y < 2:
				want = 50
			case x >= 4:
				want = 40
			}
			if got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); got.R != want {
				t.Errorf("live.png at (%d, %d) = %v, want the tile filled with %d", x, y, got, want)
			}
		}
	}
}

// TestLivePNGIsShared checks that clients asking again within PNGEvery share one
// encode, and that a change shows once PNGEvery has passed.
func TestLivePNGIsShared(t *testing.T) {
	now := time.Unix(0, 0)
	info := Info{Width: 8, Height: 8, Frames: []int{1}, Workers: 1, Tile: 4}
	s := New(info, Options{Now: func() time.Time { return now }, PNGEvery: time.Second})
	defer s.Close()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	get := func() (uint64, []byte) {
		b, v, err := s.canvas.png(now)
		if err != nil {
			t.Fatal(err)
		}
		return v, b
	}
	s.Tile(Tile{Rect: image.Rect(0, 0, 4, 4), Pixels: img})
	v1, b1 := get()
	s.Tile(Tile{Rect: image.Rect(4, 0, 8, 4), Pixels: img})
	v2, b2 := get()
	if v1 != 1 || v2 != 1 || &b1[0] != &b2[0] {
		t.Errorf("within PNGEvery: versions %d and %d, want 1 and 1 from one encode", v1, v2)
	}
	now = now.Add(time.Second)
	if v3, b3 := get(); v3 != 2 || &b3[0] == &b1[0] {
		t.Errorf("after PNGEvery: version %d, want 2 from a new encode", v3)
	}
}

// BenchmarkTile measures the cost of reporting one 32×32 tile, as the workers do,
// with the hub draining the queue and a frame done every 135 tiles (480×270).
func BenchmarkTile(b *testing.B) {
	info := Info{Width: 480, Height: 270, Frames: []int{1}, Workers: 1, Tile: 32}
	s := New(info, Options{})
	defer s.Close()
	img := image.NewRGBA(image.Rect(0, 0, 480, 270))
	tile := Tile{Frame: 1, Rect: image.Rect(96, 64, 128, 96), Pixels: img}
	b.ReportAllocs()
	b.SetBytes(32 * 32 * 4)
	for i := 0; b.Loop(); i++ {
		tile.Frame = i/135 + 1
		s.Tile(tile)
		if i%135 == 134 {
			s.FrameDone(tile.Frame, "frame.png", nil)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(32*32), "ns/px")
}

// TestSlowEncodesSpaceOut checks that the canvas waits encodeSpacing times an
// encode's duration, timed on the server's clock, before the next when that is
// longer than PNGEvery: a clock that moves 10 ms per reading makes an encode
// take 10 ms, so the next waits 400 ms, not PNGEvery's 100.
func TestSlowEncodesSpaceOut(t *testing.T) {
	base := time.Unix(0, 0)
	ticks := 0
	clock := func() time.Time { ticks++; return base.Add(time.Duration(ticks) * 10 * time.Millisecond) }
	var c canvas
	c.init(8, 8, 4, []int{1}, 100*time.Millisecond, clock)
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	c.put(1, image.Rect(0, 0, 4, 4), img)
	if _, v, err := c.png(base); err != nil || v != 1 {
		t.Fatalf("first encode: version %d, %v; want 1", v, err)
	}
	c.put(1, image.Rect(4, 0, 8, 4), img)
	if _, v, _ := c.png(base.Add(300 * time.Millisecond)); v != 1 {
		t.Errorf("300 ms after a 10 ms encode: version %d, want 1 (the next waits 40 × 10 ms)", v)
	}
	if _, v, _ := c.png(base.Add(410 * time.Millisecond)); v != 2 {
		t.Errorf("410 ms after a 10 ms encode: version %d, want 2", v)
	}
}
