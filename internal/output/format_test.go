package output

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdfrender/render/internal/golden"
)

// grey is a Format for the test: "P5" and the grey level of each pixel, row by
// row, after a line giving the size.
type grey struct{}

func (grey) Ext() string { return ".pgm" }

func (grey) Encode(w io.Writer, img image.Image) error {
	b := img.Bounds()
	var buf bytes.Buffer
	buf.WriteString("P5 ")
	buf.WriteByte(byte(b.Dx()))
	buf.WriteByte(byte(b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			buf.WriteByte(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func (grey) Decode(r io.Reader) (image.Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, int(data[3]), int(data[4])))
	copy(img.Pix, data[5:])
	return img, nil
}

// TestSequenceOfAnotherFormat is the format seam: a sequence writes, names and
// reads back frames in the format it is given, and checks its pattern against
// the format's extension.
func TestSequenceOfAnotherFormat(t *testing.T) {
	d := testDir(t, t.TempDir())
	if _, err := NewFormatSequence(d, "f_%02d.png", grey{}); err == nil {
		t.Error(`NewFormatSequence("f_%02d.png", .pgm format) = nil error, want the pattern refused`)
	}
	seq, err := NewFormatSequence(d, "f_%02d.pgm", grey{})
	if err != nil {
		t.Fatal(err)
	}
	seq.Reserve(2)
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	img.Pix = []byte{1, 2, 3, 4, 5, 6}
	w, err := seq.Write(7, img)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(d.Path(), "f_07.pgm")); w.Size != int64(len(data)) || string(data[:3]) != "P5 " {
		t.Errorf("f_07.pgm holds %q (%d bytes), want the test format's %d bytes", data, len(data), w.Size)
	}
	got, err := seq.Read(7, w.Size)
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := got.(*image.Gray); !ok || !bytes.Equal(g.Pix, img.Pix) {
		t.Errorf("frame 7 read back as %v, want %v", got, img)
	}
}

// TestSequenceRead checks that Read refuses a frame grown past its limit, one
// that is not in the format, and a missing one, naming the file.
func TestSequenceRead(t *testing.T) {
	d := testDir(t, t.TempDir())
	s, _ := NewSequence(d, DefaultPattern)
	w, err := s.Write(1, testImage(4, 4, 9))
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir() != d.Path() || s.Name(1) != "frame_0001.png" {
		t.Errorf("Dir, Name(1) = %s, %s; want %s, frame_0001.png", s.Dir(), s.Name(1), d.Path())
	}
	if img, err := s.Read(1, w.Size); err != nil || img.Bounds() != image.Rect(0, 0, 4, 4) {
		t.Errorf("Read(1, its size) = %v, %v; want the 4x4 frame", img, err)
	}
	if _, err := s.Read(1, w.Size-1); err == nil || !strings.Contains(err.Error(), "more than the") || !strings.Contains(err.Error(), s.Path(1)) {
		t.Errorf("Read(1, a byte short) = %v, want an error naming the file as too big", err)
	}
	os.WriteFile(s.Path(2), []byte("not a PNG"), 0o644)
	if _, err := s.Read(2, 100); err == nil || !strings.Contains(err.Error(), "reading "+s.Path(2)) {
		t.Errorf("Read(a non-PNG) = %v, want an error naming the file", err)
	}
	if _, err := s.Read(3, 100); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestWriteReadPNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.png")
	img := testImage(5, 3, 42)
	if err := new(Temps).WritePNG(path, img); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPNG(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != img.Bounds() || got.At(4, 2) != img.At(4, 2) {
		t.Errorf("ReadPNG = %v at (4, 2) %v, want %v", got.Bounds(), got.At(4, 2), img.At(4, 2))
	}
	if _, err := ReadPNG(path + ".missing"); err == nil {
		t.Error("ReadPNG(missing) = nil error")
	}
	os.WriteFile(path, []byte("not a PNG"), 0o644)
	if _, err := ReadPNG(path); err == nil || !strings.Contains(err.Error(), "reading "+path) {
		t.Errorf("ReadPNG(not a PNG) = %v, want an error naming it", err)
	}
}

// TestPNGReserve checks that Reserve makes its compressors up front and keeps
// them, and that the pool hands back what it keeps, up to its size.
func TestPNGReserve(t *testing.T) {
	p := NewPNG(0)
	if cap(p.pool.free) != 1 || len(p.pool.free) != 0 {
		t.Errorf("NewPNG(0) holds %d compressors of up to %d, want none of up to 1", len(p.pool.free), cap(p.pool.free))
	}
	p.Reserve(3)
	pool := p.pool
	if len(pool.free) != 3 || cap(pool.free) != 3 {
		t.Errorf("after Reserve(3) the pool holds %d of %d, want 3 of 3", len(pool.free), cap(pool.free))
	}
	got := pool.get()
	if got == nil || len(pool.free) != 2 {
		t.Errorf("get = %v leaving %d, want a kept compressor, leaving 2", got, len(pool.free))
	}
	pool.put(got)
	pool.put(newRowEncoder()) // one too many: dropped
	if len(pool.free) != 3 {
		t.Errorf("after two puts the pool holds %d, want 3 (full)", len(pool.free))
	}
	p.Reserve(0)
	if len(p.pool.free) != 1 {
		t.Errorf("Reserve(0) made %d compressors, want 1", len(p.pool.free))
	}
	var buf bytes.Buffer
	if err := p.Encode(&buf, testImage(3, 3, 1)); err != nil {
		t.Fatal(err)
	}
	if img, err := p.Decode(&buf); err != nil || img.Bounds().Dx() != 3 || p.Ext() != ".png" {
		t.Errorf("Decode = %v, %v (ext %q); want the 3x3 image, .png", img, err, p.Ext())
	}
	if e := (&encoderPool{free: make(chan *rowEncoder)}).get(); e == nil { // empty: a new one, at once
		t.Error("an empty pool's get = nil, want a new compressor")
	}
}

// TestPNGEncodesFrames checks the encoder of frames against image/png's
// decoder: opaque RGBA and RGBA64 images of many sizes, at an offset and
// through a sub-image, decode to the same pixels, in IDAT chunks of many
// sizes; anything else (not opaque, another type) goes to image/png and decodes
// to its own pixels; and a writer that fails fails the encode.
func TestPNGEncodesFrames(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	noisy := func(img draw.Image, opaqueOnly bool) draw.Image {
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				a := uint16(0xffff)
				if !opaqueOnly && r.IntN(4) == 0 {
					a = uint16(r.IntN(0x10000))
				}
				c := color.RGBA64{R: uint16(r.IntN(int(a) + 1)), G: uint16(x * 3000), B: uint16(y * 5000), A: a}
				if c.G > a {
					c.G = a
				}
				if c.B > a {
					c.B = a
				}
				img.Set(x, y, c)
			}
		}
		return img
	}
	p := NewPNG(1)
	var images []image.Image
	for _, size := range []image.Point{{1, 1}, {3, 2}, {17, 5}, {480, 270}, {300, 400}} {
		rect := image.Rect(-2, 5, size.X-2, size.Y+5)
		images = append(images,
			noisy(image.NewRGBA(rect), true), noisy(image.NewRGBA64(rect), true),
			noisy(image.NewRGBA(rect), false), noisy(image.NewRGBA64(rect), false),
			noisy(image.NewNRGBA(rect), true))
		if size.X > 2 && size.Y > 2 {
			whole := noisy(image.NewRGBA(rect), true).(*image.RGBA)
			images = append(images, whole.SubImage(image.Rect(rect.Min.X+1, rect.Min.Y+1, rect.Max.X-1, rect.Max.Y)))
		}
	}
	for _, img := range images {
		var buf bytes.Buffer
		if err := p.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		_, isFast := fast(img)
		if !isFast {
			// image/png's own, byte for byte.
			var want bytes.Buffer
			(&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&want, img)
			if !bytes.Equal(buf.Bytes(), want.Bytes()) {
				t.Fatalf("%T %v: not image/png's bytes", img, img.Bounds())
			}
			continue
		}
		got, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("%T %v (fast %v): %v", img, img.Bounds(), isFast, err)
		}
		b := img.Bounds()
		if got.Bounds().Size() != b.Size() {
			t.Fatalf("%T %v: decoded to %v", img, b, got.Bounds())
		}
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				want := color.RGBA64Model.Convert(img.At(x, y))
				if g := color.RGBA64Model.Convert(got.At(x-b.Min.X+got.Bounds().Min.X, y-b.Min.Y+got.Bounds().Min.Y)); g != want {
					t.Fatalf("%T %v (fast %v): pixel (%d, %d) decoded as %v, want %v", img, b, isFast, x, y, g, want)
				}
			}
		}
	}
	if _, ok := fast(images[0]); !ok {
		t.Error("an opaque RGBA image is not taken by the encoder of frames")
	}
	if _, ok := fast(images[2]); ok {
		t.Error("an RGBA image that is not opaque is taken by the encoder of frames, which writes RGB")
	}
	nearly := image.NewRGBA64(image.Rect(0, 0, 2, 1))
	nearly.SetRGBA64(0, 0, color.RGBA64{A: 0xffff})
	nearly.SetRGBA64(1, 0, color.RGBA64{A: 0xff00}) // its high byte full, not its low one
	if _, ok := fast(nearly); ok {
		t.Error("an RGBA64 image with an alpha of 0xff00 is taken for opaque")
	}
	big := noisy(image.NewRGBA(image.Rect(0, 0, 300, 400)), true)
	for _, after := range []int{0, 10, 5000, 100000} {
		w := &failingWriter{left: after}
		if err := p.Encode(w, big); err == nil {
			t.Errorf("an encode to a writer failing after %d bytes = nil error", after)
		}
	}
	var once bytes.Buffer
	p.Encode(&once, big)
	var again bytes.Buffer
	p.Encode(&again, big) // with the encoder the failures left in the pool
	if !bytes.Equal(once.Bytes(), again.Bytes()) {
		t.Error("an encode after failed ones wrote other bytes")
	}
}

// failingWriter takes left bytes, then fails.
type failingWriter struct{ left int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n := f.left
		f.left = 0
		return n, errors.New("disk full")
	}
	f.left -= len(p)
	return len(p), nil
}

// TestSequenceReserveZero checks that a sequence reserved for no writers gets
// one, and writes.
func TestSequenceReserveZero(t *testing.T) {
	s, _ := NewSequence(testDir(t, t.TempDir()), DefaultPattern)
	s.Reserve(0)
	if cap(s.writers) != 1 || len(s.writers) != 1 {
		t.Errorf("Reserve(0) made %d of %d writers, want 1 of 1", len(s.writers), cap(s.writers))
	}
	for n := 1; n <= 2; n++ {
		if _, err := s.Write(n, testImage(4, 4, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.writers) != 1 {
		t.Errorf("after two writes %d writers wait, want the 1 back", len(s.writers))
	}
}

// TestSequenceKeepsItsBuffers checks that a sequence without Reserve keeps the
// write buffers it made, up to pooledBuffers, and makes them only as needed.
func TestSequenceKeepsItsBuffers(t *testing.T) {
	s, _ := NewSequence(testDir(t, t.TempDir()), DefaultPattern)
	if len(s.writers) != 0 || cap(s.writers) != pooledBuffers {
		t.Errorf("a new sequence holds %d of %d buffers, want 0 of %d", len(s.writers), cap(s.writers), pooledBuffers)
	}
	for n := 1; n <= 3; n++ {
		if _, err := s.Write(n, testImage(4, 4, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.writers) != 1 {
		t.Errorf("after three writes one at a time %d buffers are kept, want 1", len(s.writers))
	}
}

// TestSequenceWriteFailures checks that a frame that cannot be encoded, or
// created, leaves nothing and says which.
func TestSequenceWriteFailures(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	s, _ := NewFormatSequence(d, "f_%d.pgm", failing{})
	if _, err := s.Write(1, testImage(4, 4, 1)); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "f_1.pgm")) || !strings.Contains(err.Error(), "cannot encode") {
		t.Errorf("Write with a failing encoder = %v, want an error naming f_1.pgm", err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("the directory holds %v, want nothing", names)
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	s, _ = NewSequence(testDir(t, filepath.Join(dir, "sub")), DefaultPattern)
	os.Remove(filepath.Join(dir, "sub"))
	if _, err := s.Write(1, testImage(4, 4, 1)); err == nil {
		t.Error("Write into a removed directory = nil error")
	}
}

// failing is a Format whose Encode fails.
type failing struct{ grey }

func (failing) Encode(io.Writer, image.Image) error { return errors.New("cannot encode") }

func TestCheckPatternMore(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    string // part of the error, "" for none
	}{
		{"f_%5d.png", ""},
		{"my frame %d.png", ""}, // a space is no control character
		{"a%%%d.png", ""},
		{"f_%010d.png", ""},
		{"%%d.png", "exactly one frame-number verb"},
		{"f_%d_%x.png", "only one verb"},
		{"f_%d%.png", "only one verb"},
		{`sub\f_%d.png`, "not a path"},
		{"f\x01_%d.png", "control character"},
		{"f_%d\x7f.png", "control character"},
		{"f_%d.png.txt", "must end in .png"},
	} {
		err := CheckPattern(c.pattern)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckPattern(%q) = %v, want nil", c.pattern, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckPattern(%q) = %v, want an error containing %q", c.pattern, err, c.want)
		}
	}
}

// BenchmarkPNG encodes a rendered frame (docs/showcase.png, 640×360) with the
// encoder of frames and, for comparison, with image/png at its best speed,
// reporting the size of the file.
func BenchmarkPNG(b *testing.B) {
	src, err := golden.ReadPNG(filepath.Join("..", "..", "docs", "showcase.png"))
	if err != nil {
		b.Fatal(err)
	}
	img := image.NewRGBA(src.Bounds())
	draw.Draw(img, img.Bounds(), src, src.Bounds().Min, draw.Src)
	for _, c := range []struct {
		name string
		enc  func(io.Writer, image.Image) error
	}{
		{"frames", NewPNG(1).Encode},
		{"image-png", (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode},
	} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := c.enc(&buf, img); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len())/1024, "KiB")
		})
	}
}
