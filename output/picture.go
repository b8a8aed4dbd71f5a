package output

import (
	"bufio"
	"image"
	"image/png"
	"io"
)

// WritePNG encodes img as a PNG file at path, atomically.
func WritePNG(path string, img image.Image) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := png.Encode(bw, img); err != nil {
			return err
		}
		return bw.Flush()
	})
}
