package output

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
)

// DefaultPattern names frames frame_0001.png, frame_0002.png, ...
const DefaultPattern = "frame_%04d.png"

// Sequence writes numbered frames as files of one Format (PNG unless said
// otherwise) into one directory. Its methods may be called from many goroutines
// at once.
type Sequence struct {
	dir     *Dir
	pattern string
	format  Format
	// writers reuses the write buffers: a new 64 KiB buffer per frame was most
	// of the garbage a long job made, and so of its growth in memory. A channel
	// rather than a sync.Pool, which every garbage collection empties.
	writers  chan *bufio.Writer
	reserved bool // writers holds Reserve's buffers, and a Write waits for one
	// Guard, when set, does the rename that puts each frame in place, or says
	// why not: a ManifestWriter's Hold, which renames only while the directory
	// is this job's.
	Guard func(rename func() error) error
}

// patternVerb matches the single integer verb a pattern must hold: %d with
// optional zero padding and width, such as %d, %4d or %05d.
var patternVerb = regexp.MustCompile(`%0?[1-9]?[0-9]?d`)

// CheckPattern reports whether pattern can name a sequence of PNG frames: it must
// hold exactly one integer verb (%d, %04d, ...), no other verb and no directory,
// and end in ".png".
func CheckPattern(pattern string) error { return checkPattern(pattern, ".png") }

// checkPattern is CheckPattern for frames whose names end in ext.
func checkPattern(pattern, ext string) error {
	literal := strings.ReplaceAll(pattern, "%%", "")
	n := len(patternVerb.FindAllStringIndex(literal, -1))
	switch {
	case n != 1:
		return fmt.Errorf("output: name pattern %q must hold exactly one frame-number verb such as %%04d, found %d", pattern, n)
	case strings.Contains(patternVerb.ReplaceAllString(literal, ""), "%"):
		return fmt.Errorf("output: name pattern %q may hold only one verb, %%d with optional zero padding (such as %%04d); write %%%% for a literal %%", pattern)
	case strings.ContainsAny(pattern, `/\`):
		return fmt.Errorf("output: name pattern %q must be a file name, not a path: put the directory in --out", pattern)
	case strings.ContainsFunc(pattern, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("output: name pattern %q holds a control character: use letters, digits, '_', '-' and '.'", pattern)
	case !strings.HasSuffix(strings.ToLower(pattern), ext):
		return fmt.Errorf("output: name pattern %q must end in %s", pattern, ext)
	}
	return nil
}

// NewSequence prepares a sequence of PNG frames named by pattern (see
// CheckPattern) in d.
func NewSequence(d *Dir, pattern string) (*Sequence, error) {
	return NewFormatSequence(d, pattern, NewPNG(pooledBuffers))
}

// NewFormatSequence prepares a sequence of frames in format f, named by
// pattern, which must end in f's extension (see CheckPattern), in d.
func NewFormatSequence(d *Dir, pattern string, f Format) (*Sequence, error) {
	if err := checkPattern(pattern, f.Ext()); err != nil {
		return nil, err
	}
	return &Sequence{
		dir:     d,
		pattern: pattern,
		format:  f,
		writers: make(chan *bufio.Writer, pooledBuffers),
	}, nil
}

// PrepareDir creates dir (and its parents) if it does not exist, and checks that it
// is a directory in which files can be created.
func PrepareDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("output: %s is a file, not a directory: choose another --out", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output: cannot create directory %s: %w", dir, cause(err))
	}
	f, err := os.CreateTemp(dir, ".write-test-*"+tempSuffix)
	if err != nil {
		return fmt.Errorf("output: cannot write in %s: %w", dir, cause(err))
	}
	f.Close()
	if err := os.Remove(f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Dir returns the directory the sequence is written to.
func (s *Sequence) Dir() string { return s.dir.path }

// Name returns the file name of frame n.
func (s *Sequence) Name(n int) string { return fmt.Sprintf(s.pattern, n) }

// Path returns the path of frame n.
func (s *Sequence) Path(n int) string { return s.dir.join(s.Name(n)) }

// Written describes a file that has been written.
type Written struct {
	Path   string
	Size   int64
	SHA256 string
	Info   fs.FileInfo // the file written: its device and inode identify it
}

// Write encodes img in the sequence's format and writes it atomically as frame
// n, hashing it on the way for the manifest.
func (s *Sequence) Write(n int, img image.Image) (Written, error) {
	h := sha256.New()
	count := &counter{}
	out := Written{Path: s.Path(n)}
	f, err := s.dir.Create(s.Name(n))
	if err != nil {
		return out, err
	}
	if err := s.encode(io.MultiWriter(f, h, count), img); err != nil {
		f.Abort()
		return out, fmt.Errorf("output: writing %s: %w", out.Path, cause(err))
	}
	if err := f.commit(s.Guard); err != nil {
		return out, err
	}
	out.Size, out.SHA256, out.Info = count.n, hex.EncodeToString(h.Sum(nil)), f.Info()
	return out, nil
}

// encode writes img to w in the sequence's format through one of its write
// buffers, waiting for one of Reserve's if it made them.
func (s *Sequence) encode(w io.Writer, img image.Image) error {
	var bw *bufio.Writer
	if s.reserved {
		bw = <-s.writers
	} else {
		select {
		case bw = <-s.writers:
		default:
			bw = bufio.NewWriterSize(nil, writeBufferSize)
		}
	}
	defer func() {
		bw.Reset(nil)
		select {
		case s.writers <- bw:
		default:
		}
	}()
	bw.Reset(w)
	if err := s.format.Encode(bw, img); err != nil {
		return err
	}
	return bw.Flush()
}

// Read decodes frame n, a regular file no bigger than limit bytes.
func (s *Sequence) Read(n int, limit int64) (image.Image, error) {
	f, fi, err := s.dir.Open(s.Name(n))
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	defer f.Close()
	if fi.Size() > limit {
		return nil, fmt.Errorf("output: %s is %d bytes, more than the %d it was when written", s.Path(n), fi.Size(), limit)
	}
	img, err := s.format.Decode(bufio.NewReader(io.LimitReader(f, limit)))
	if err != nil {
		return nil, fmt.Errorf("output: reading %s: %w", s.Path(n), err)
	}
	return img, nil
}

// counter counts the bytes written through it.
type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// Reserve bounds the frames the sequence encodes at once to writers, and makes
// their buffers now (a 64 KiB write buffer each, and a PNG compressor: about 590
// KiB in all) to keep for the sequence's life: a Write beyond that waits for
// one to finish encoding. Then the sequence's memory is the same from the first
// frame to the last, whether or not a short job ever wrote that many at once,
// and EncoderBytes says how much it is. Call it before the first Write;
// without it, a sequence makes buffers as writes need them and keeps up to 16.
func (s *Sequence) Reserve(writers int) {
	writers = max(writers, 1)
	s.reserved = true
	// A format that keeps scratch of its own (PNG's compressors) makes it now too.
	if r, ok := s.format.(interface{ Reserve(n int) }); ok {
		r.Reserve(writers)
	}
	s.writers = make(chan *bufio.Writer, writers)
	for range writers {
		s.writers <- bufio.NewWriterSize(nil, writeBufferSize)
	}
}

// EncoderBytes is the memory Reserve keeps per writer, rounded up: for the
// preflight's estimate.
const EncoderBytes = 640 << 10

// writeBufferSize is the size of the buffer a frame's PNG goes through.
const writeBufferSize = 64 << 10

// pooledBuffers is how many compression buffers a sequence keeps unless
// Reserve says otherwise.
const pooledBuffers = 16
