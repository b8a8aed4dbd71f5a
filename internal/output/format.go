package output

import (
	"image"
	"image/png"
	"io"
)

// Format is a frame file format: how a Sequence encodes its frames into files,
// and reads them back. PNG is the one the program writes.
type Format interface {
	// Ext is the extension that the format's file names end in, with its dot.
	Ext() string
	// Encode writes img to w in the format.
	Encode(w io.Writer, img image.Image) error
	// Decode reads an image the format's Encode wrote.
	Decode(r io.Reader) (image.Image, error)
}

// PNG is the PNG format at best speed, reusing its compressors between
// encodes. Measured on a 480x270 showcase frame with image/png: 5.2 ms and 69
// KiB, against 13 ms and 59 KiB at the default level (130 ms, 56 KiB at best
// compression); and the frames are written by an encoder of their own that
// takes half image/png's time at best speed (pngfast.go). Frames are
// intermediates, usually encoded to video; encoding must stay a small share of
// the CPU as rendering gets faster. Its Encode may be called from many
// goroutines at once.
type PNG struct {
	pool *encoderPool
	enc  png.Encoder // for images the encoder of frames does not take (see fast)
}

// NewPNG returns the PNG format, keeping up to keep compressors (some hundreds
// of KiB each) between encodes.
func NewPNG(keep int) *PNG {
	return &PNG{
		pool: &encoderPool{free: make(chan *rowEncoder, max(keep, 1))},
		enc:  png.Encoder{CompressionLevel: png.BestSpeed},
	}
}

// Ext returns ".png".
func (p *PNG) Ext() string { return ".png" }

// Encode writes img to w as PNG.
func (p *PNG) Encode(w io.Writer, img image.Image) error {
	s, ok := fast(img)
	if !ok {
		return p.enc.Encode(w, img)
	}
	e := p.pool.get()
	defer p.pool.put(e)
	return e.encode(w, s)
}

// Decode reads a PNG image.
func (p *PNG) Decode(r io.Reader) (image.Image, error) { return png.Decode(r) }

// Reserve makes n compressors now, to keep for the format's life in place of
// those it kept: with no more than n encodes at once, it makes no more. Call it
// before the first Encode.
func (p *PNG) Reserve(n int) {
	n = max(n, 1)
	pool := &encoderPool{free: make(chan *rowEncoder, n)}
	for range n {
		pool.free <- newRowEncoder()
	}
	p.pool = pool
}

// encoderPool lets concurrent encodes reuse their compressors. It keeps up to
// a fixed number, unlike a sync.Pool, which the garbage collector empties: a
// compressor is some hundreds of KiB, and making them again after every
// collection was most of the garbage a job of small frames made.
type encoderPool struct {
	free chan *rowEncoder
}

// get returns a kept encoder, or a new one if none is free.
func (b *encoderPool) get() *rowEncoder {
	select {
	case e := <-b.free:
		return e
	default:
		return newRowEncoder()
	}
}

// put keeps e, if the pool has room.
func (b *encoderPool) put(e *rowEncoder) {
	select {
	case b.free <- e:
	default:
	}
}
