package output

import (
	"bufio"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
)

// WritePNG encodes img as a PNG file at path, atomically (see WriteFile).
func (t *Temps) WritePNG(path string, img image.Image) error {
	return t.WriteFile(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := png.Encode(bw, img); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// ReadPNG decodes the PNG file at path.
func ReadPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	defer f.Close()
	img, err := png.Decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("output: reading %s: %w", path, err)
	}
	return img, nil
}
