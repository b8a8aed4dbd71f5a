// Package golden compares images with golden files in testdata, for the tests of
// the other packages. A pixel matches when every channel is within Tolerance
// levels; at most Outliers of the pixels may miss that. Images are compared pixel
// by pixel, not byte by byte: another CPU or compiler may fuse multiply-adds and
// move a pixel by a level, or flip a pixel on a silhouette.
package golden

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// The comparison's tolerance.
const (
	Tolerance = 2
	Outliers  = 0.005
)

// Check compares got with the golden file at path, or with update rewrites it.
// On a difference it writes the actual image and a diff image under
// $TMPDIR/render-golden and says where.
func Check(t *testing.T, path string, got image.Image, update bool) {
	t.Helper()
	if update {
		if err := WritePNG(path, got); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := ReadPNG(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if msg := Compare(got, want); msg != "" {
		dir := filepath.Join(os.TempDir(), "render-golden")
		os.MkdirAll(dir, 0o755)
		name := filepath.Base(path)
		actual, diff := filepath.Join(dir, name+".actual.png"), filepath.Join(dir, name+".diff.png")
		WritePNG(actual, got)
		WritePNG(diff, Diff(got, want))
		t.Errorf("%s differs: %s\n  actual: %s\n  diff:   %s", path, msg, actual, diff)
	}
}

// Compare returns "" when got matches want within the tolerance, or says how they
// differ.
func Compare(got, want image.Image) string {
	if got.Bounds() != want.Bounds() {
		return fmt.Sprintf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	b := got.Bounds()
	bad, worst := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := PixelDiff(got.At(x, y), want.At(x, y))
			worst = max(worst, d)
			if d > Tolerance {
				bad++
			}
		}
	}
	if limit := int(Outliers * float64(b.Dx()*b.Dy())); bad > limit {
		return fmt.Sprintf("%d pixels differ by more than %d levels (at most %d may), worst by %d", bad, Tolerance, limit, worst)
	}
	return ""
}

// PixelDiff is the largest difference between two colours' channels, in 8-bit levels.
func PixelDiff(a, b color.Color) int {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := 0
	for _, c := range [][2]uint32{{ar, br}, {ag, bg}, {ab, bb}} {
		d = max(d, abs(int(c[0]>>8)-int(c[1]>>8)))
	}
	return d
}

// Diff shows where got and want differ: black where they match, brighter red the
// more they differ.
func Diff(got, want image.Image) *image.RGBA {
	b := got.Bounds()
	img := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := min(255, PixelDiff(got.At(x, y), want.At(x, y))*16)
			img.Set(x, y, color.RGBA{uint8(d), 0, 0, 255})
		}
	}
	return img
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// WritePNG writes img to path.
func WritePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadPNG reads the PNG at path.
func ReadPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}
