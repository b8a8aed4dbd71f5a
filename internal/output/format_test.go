package output

import (
	"bytes"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"testing"
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
