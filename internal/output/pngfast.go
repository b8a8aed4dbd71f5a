package output

import (
	"encoding/binary"
	"hash/crc32"
	"image"
	"io"

	"github.com/klauspost/compress/zlib"
)

// The frames' PNG encoder. Go's image/png tries five filters on every row and
// keeps the one whose bytes sum least: on a rendered frame that was nearly
// half its time, and the files it made were no smaller than with the Sub
// filter on every row (72.8 against 72.6 KiB on a showcase frame, in 11.3
// against 5.9 ms). An opaque RGBA or RGBA64 frame, what the renderer makes,
// is written here as RGB, 8 or 16 bits a channel, each row Sub-filtered and
// compressed at zlib's best speed, by github.com/klauspost/compress: with
// compress/zlib's, the frame of BenchmarkPNG took 6.3 ms and 161.9 KiB, with
// its, 4.0 ms and 157.2 KiB. Any other image goes to image/png.

// rowEncoder is the memory of one frame's encoding, kept between encodes: the
// compressor, the IDAT chunk being filled, and a filtered row.
type rowEncoder struct {
	zw    *zlib.Writer
	chunk idatWriter
	row   []byte // a filter byte and the row's samples, filtered
}

func newRowEncoder() *rowEncoder {
	e := &rowEncoder{chunk: idatWriter{buf: make([]byte, 0, idatSize)}}
	e.zw, _ = zlib.NewWriterLevel(io.Discard, zlib.BestSpeed) // a valid level: no error
	e.zw.Write(nil)                                           // makes the compressor now, not at the first frame
	return e
}

// idatSize is the most data in one IDAT chunk, as image/png writes them.
const idatSize = 32 << 10

// samples is an image's pixels as encode takes them: rows stride bytes apart,
// four channels of depth bytes a pixel.
type samples struct {
	pix                          []byte
	stride, width, height, depth int
}

// fast returns img's samples if it is an opaque *image.RGBA or *image.RGBA64,
// which encode writes; ok is false for any other image.
func fast(img image.Image) (s samples, ok bool) {
	r := img.Bounds()
	if r.Empty() {
		return s, false
	}
	switch img := img.(type) {
	case *image.RGBA:
		s = samples{img.Pix[img.PixOffset(r.Min.X, r.Min.Y):], img.Stride, r.Dx(), r.Dy(), 1}
	case *image.RGBA64:
		s = samples{img.Pix[img.PixOffset(r.Min.X, r.Min.Y):], img.Stride, r.Dx(), r.Dy(), 2}
	default:
		return s, false
	}
	return s, s.opaque()
}

// encode writes the image of samples s to w as a PNG.
func (e *rowEncoder) encode(w io.Writer, s samples) error {
	pix, stride, width, height, depth := s.pix, s.stride, s.width, s.height, s.depth
	var head [8 + 25]byte
	copy(head[:], "\x89PNG\r\n\x1a\n")
	ihdr := head[8+8 : 8+8+13]
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = byte(8*depth), 2 // bits a channel; colour type 2, RGB
	putChunk(head[8:], "IHDR", 13)
	if _, err := w.Write(head[:]); err != nil {
		return err
	}
	e.chunk.w, e.chunk.err = w, nil
	e.chunk.buf = e.chunk.buf[:0]
	e.zw.Reset(&e.chunk)
	n := width * 3 * depth // bytes a row, without alpha
	// subRow writes a pixel's alpha too, which the next pixel's samples
	// then cover: the last one's lands in depth bytes to spare.
	if cap(e.row) < 1+n+depth {
		e.row = make([]byte, 1+n+depth)
	}
	row := e.row[:1+n+depth]
	row[0] = 1 // Sub
	for y := range height {
		src := pix[y*stride : y*stride+4*depth*width]
		if depth == 1 {
			subRow8(row[1:], src)
		} else {
			subRow16(row[1:], src)
		}
		if _, err := e.zw.Write(row[:1+n]); err != nil {
			return err
		}
	}
	if err := e.zw.Close(); err != nil {
		return err
	}
	if err := e.chunk.flush(); err != nil {
		return err
	}
	var end [12]byte
	putChunk(end[:], "IEND", 0)
	_, err := w.Write(end[:])
	e.chunk.w = nil
	return err
}

// subRow8 writes to out the RGB samples of src, a row of 8-bit RGBA pixels,
// each less the one a pixel before (PNG's Sub filter): four bytes at a time,
// a byte's borrow kept from the next by the top bits, so that each byte is
// the difference of the two bytes mod 256. The alpha difference a pixel
// writes after its samples is overwritten by the next pixel's, and the last
// pixel's lands in a byte past 3·len(src)/4, which out must hold.
func subRow8(out, src []byte) {
	const high = 0x80808080
	var last uint32
	for ; len(src) >= 4 && len(out) >= 4; src, out = src[4:], out[3:] {
		p := binary.LittleEndian.Uint32(src)
		binary.LittleEndian.PutUint32(out, ((p|high)-(last&^high))^((p^^last)&high))
		last = p
	}
}

// subRow16 is subRow8 for 16-bit RGBA pixels, eight bytes at a time, the
// last pixel's alpha landing in two bytes past 3·len(src)/4.
func subRow16(out, src []byte) {
	const high = 0x8080808080808080
	var last uint64
	for ; len(src) >= 8 && len(out) >= 8; src, out = src[8:], out[6:] {
		p := binary.LittleEndian.Uint64(src)
		binary.LittleEndian.PutUint64(out, ((p|high)-(last&^high))^((p^^last)&high))
		last = p
	}
}

// opaque reports whether every pixel's alpha is full: 255, or 65535.
func (s samples) opaque() bool {
	d := s.depth
	for y := range s.height {
		row := s.pix[y*s.stride : y*s.stride+4*d*s.width]
		for i := 3 * d; i < len(row); i += 4 * d {
			if row[i] != 0xff || d == 2 && row[i+1] != 0xff {
				return false
			}
		}
	}
	return true
}

// putChunk fills b, a chunk of n bytes of data already in place after its
// 8-byte header, with the header and the CRC after the data.
func putChunk(b []byte, typ string, n int) {
	binary.BigEndian.PutUint32(b[0:], uint32(n))
	copy(b[4:8], typ)
	binary.BigEndian.PutUint32(b[8+n:], crc32.ChecksumIEEE(b[4:8+n]))
}

// idatWriter collects the compressed stream into IDAT chunks of up to
// idatSize bytes, written to w as each fills.
type idatWriter struct {
	w   io.Writer
	buf []byte
	err error
}

func (c *idatWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && c.err == nil {
		k := copy(c.buf[len(c.buf):cap(c.buf)], p)
		c.buf, p = c.buf[:len(c.buf)+k], p[k:]
		if len(c.buf) == cap(c.buf) {
			c.flush()
		}
	}
	if c.err != nil {
		return 0, c.err
	}
	return n, nil
}

// flush writes what the chunk holds, if anything, as one IDAT chunk.
func (c *idatWriter) flush() error {
	if len(c.buf) == 0 || c.err != nil {
		return c.err
	}
	var head [8]byte
	binary.BigEndian.PutUint32(head[0:], uint32(len(c.buf)))
	copy(head[4:], "IDAT")
	crc := crc32.Update(crc32.ChecksumIEEE(head[4:]), crc32.IEEETable, c.buf)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc)
	for _, b := range [][]byte{head[:], c.buf, tail[:]} {
		if _, err := c.w.Write(b); err != nil {
			c.err = err
			return err
		}
	}
	c.buf = c.buf[:0]
	return nil
}
