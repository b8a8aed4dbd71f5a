// Package golden compares images with golden files in testdata, for the tests of
// the other packages. Every pixel must be opaque (frames start transparent and a
// render writes only opaque pixels, so a tile, row or column left unrendered
// fails whatever its colour) and equal to the golden file's.
//
// Equal, not within a tolerance, because that is what was measured: the golden
// images and 36 frames of five built-in scenes (240x136, 1 and 4 samples, 8
// and 16 bits) came out byte-identical on amd64 (the default build, GOAMD64=v3,
// the AVX2 kernel), on 386, and on arm64 under qemu, whose binary then held
// some 350 fused multiply-adds (FMADDD and kin) that Go may use there. Later,
// with the batched kernels, the fusions made the arm64 kernels' distances
// differ from the interpreter's in the last bit (the frames compared still
// equal): now the module's code has none (an explicit float64() conversion
// around a product stops a fusion; cmd/render's TestNoFusedMultiplyAdds), and
// .ci/run runs the renderer's tests on arm64 under qemu and on 386. Go's own
// math.Exp, Pow, Sincos, Tan and Mod still differ in the last bit between
// those platforms (assembly on amd64, fused on arm64), which a frame could
// show, rarely, as a level's difference; the golden images and all 120 frames
// of the default animation measured equal on the three (2026-12-01). Even on
// amd64, math.Exp takes a fused path on a processor with FMA and another
// without (GODEBUG=cpu.fma=off shows it: 2 million fog exponents hash
// differently, and the job's 24 frames still compare equal), and with
// GOAMD64=v3 Go fuses inside math.Sincos, Tan and Pow. Were a
// port to round differently, the right answer is to find the operation rather
// than to widen the match, which would let a uniform change of a level or two
// through.
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

// The comparison's tolerance: none (see the package comment for the evidence).
const (
	Tolerance = 0 // levels a channel may differ by
	Outliers  = 0 // fraction of the pixels that may differ by more
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
	if n, at := Unwritten(got); n > 0 {
		return fmt.Sprintf("%d pixels are not opaque, the first at %v: a render writes only opaque pixels on a transparent buffer, so a tile, row or column was not rendered", n, at)
	}
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

// Unwritten counts the pixels of img that are not opaque, and gives the first.
// Frames start transparent and every pixel a render writes is opaque, so these
// are pixels no render wrote, whatever colour the rest has.
func Unwritten(img image.Image) (n int, first image.Point) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				if n == 0 {
					first = image.Pt(x, y)
				}
				n++
			}
		}
	}
	return n, first
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
