package render

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"render/scene"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Golden images are compared pixel by pixel, not byte by byte: another CPU or
// compiler may fuse multiply-adds and move a pixel by a level, or flip a pixel on a
// silhouette from hit to miss. A pixel matches when every channel is within
// goldenTolerance levels; at most goldenOutliers of the pixels may miss that.
const (
	goldenTolerance = 2
	goldenOutliers  = 0.005
)

var goldenCases = []struct {
	name    string
	scene   string
	time    float64
	samples int
}{
	{"showcase_t0", "showcase", 0, 1},
	{"showcase_t1.3", "showcase", 1.3, 1},
	{"showcase_t2.5_4x", "showcase", 2.5, 4},
	{"gallery_t0", "gallery", 0, 1},
	{"gallery_t3_4x", "gallery", 3, 4},
	{"field_t1", "field", 1, 1},
	{"hotspot_t3.5", "hotspot", 3.5, 1},
	{"minimal_t0.5", "minimal", 0.5, 1},
	// A scene file as a user writes one, loaded from disk.
	{"spinning-top_t1.2_4x", "../testdata/scenes/spinning-top.yaml", 1.2, 4},
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b *scene.File
			var err error
			if strings.HasSuffix(c.scene, ".yaml") {
				b, err = scene.Load(c.scene)
			} else {
				b, err = scene.Lookup(c.scene)
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := RenderFrame(b.At(c.time), Settings{Width: 96, Height: 54, Samples: c.samples})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("..", "testdata", "golden", c.name+".png")
			if *update {
				if err := writePNG(path, got); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := readPNG(path)
			if err != nil {
				t.Fatalf("%v (run go test ./render -update to create it)", err)
			}
			if msg := compareImages(got, want); msg != "" {
				dir := filepath.Join(os.TempDir(), "render-golden")
				os.MkdirAll(dir, 0o755)
				actual, diff := filepath.Join(dir, c.name+".actual.png"), filepath.Join(dir, c.name+".diff.png")
				writePNG(actual, got)
				writePNG(diff, diffImage(got, want))
				t.Errorf("%s differs from %s: %s\n  actual: %s\n  diff:   %s", c.name, path, msg, actual, diff)
			}
		})
	}
}

// compareImages returns "" when got matches want within the golden tolerance, or
// says how they differ.
func compareImages(got, want image.Image) string {
	if got.Bounds() != want.Bounds() {
		return fmt.Sprintf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	b := got.Bounds()
	bad, worst := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := pixelDiff(got.At(x, y), want.At(x, y))
			worst = max(worst, d)
			if d > goldenTolerance {
				bad++
			}
		}
	}
	if limit := int(goldenOutliers * float64(b.Dx()*b.Dy())); bad > limit {
		return fmt.Sprintf("%d pixels differ by more than %d levels (at most %d may), worst by %d", bad, goldenTolerance, limit, worst)
	}
	return ""
}

// pixelDiff is the largest difference between two colours' channels, in 8-bit levels.
func pixelDiff(a, b color.Color) int {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := 0
	for _, c := range [][2]uint32{{ar, br}, {ag, bg}, {ab, bb}} {
		d = max(d, abs(int(c[0]>>8)-int(c[1]>>8)))
	}
	return d
}

// diffImage shows where got and want differ: black where they match, brighter red
// the more they differ.
func diffImage(got, want image.Image) *image.RGBA {
	b := got.Bounds()
	img := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := min(255, pixelDiff(got.At(x, y), want.At(x, y))*16)
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

func writePNG(path string, img image.Image) error {
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

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// TestCompareImagesCatchesChanges makes sure the golden comparison would notice a
// real change, and tolerates what it says it tolerates.
func TestCompareImagesCatchesChanges(t *testing.T) {
	base := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for i := range base.Pix {
		base.Pix[i] = 128
	}
	shifted := image.NewRGBA(base.Rect)
	copy(shifted.Pix, base.Pix)
	for i := range shifted.Pix {
		shifted.Pix[i] += goldenTolerance
	}
	if msg := compareImages(shifted, base); msg != "" {
		t.Errorf("a shift of %d levels everywhere: %s, want a match", goldenTolerance, msg)
	}
	spots := image.NewRGBA(base.Rect)
	copy(spots.Pix, base.Pix)
	for i := range 60 { // 0.6% of the pixels
		spots.Pix[i*4*97] = 255
	}
	if msg := compareImages(spots, base); msg == "" {
		t.Error("60 of 10000 pixels changed completely: got a match, want a difference")
	}
	if msg := compareImages(image.NewRGBA(image.Rect(0, 0, 10, 10)), base); msg == "" {
		t.Error("images of different sizes: got a match, want a difference")
	}
}
