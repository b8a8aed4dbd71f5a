package render

import (
	"flag"
	"image"
	"image/draw"
	"image/png"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

var quality = flag.String("quality", "", "measure anti-aliasing quality for cost on showcase and write the crop picture to this file (docs/antialias.png)")

// TestAntialiasQuality measures, against a 256-sample reference of a showcase
// frame at 480×270, the mean absolute error and the samples per pixel of
// uniform and adaptive anti-aliasing, and draws a crop of the floor at 1
// sample, uniform 16 and adaptive side by side. It runs only with -quality:
//
//	go test ./render -run TestAntialiasQuality -quality ../docs/antialias.png -v
func TestAntialiasQuality(t *testing.T) {
	if *quality == "" {
		t.Skip("measures only with -quality")
	}
	b, err := scenefile.Lookup("showcase")
	if err != nil {
		t.Fatal(err)
	}
	s := b.At(1.3)
	base := Settings{Width: 480, Height: 270}
	// The reference: 256 samples on a 16×16 grid, none of them a sample of
	// the settings measured, whose errors would otherwise hide in it.
	var grid []offset
	for i := range 16 {
		for j := range 16 {
			grid = append(grid, offset{(float64(j) + 0.5) / 16, (float64(i) + 0.5) / 16})
		}
	}
	ref, _ := renderParallel(s, with(base, 256, 0, 0), grid...)
	t.Logf("| anti-aliasing | samples per pixel | mean abs. error (levels) | largest |")
	t.Logf("|---|---|---|---|")
	crops := map[string]*image.RGBA{}
	for _, c := range []struct {
		name    string
		set     Settings
		pattern []offset
	}{
		{"uniform 1", with(base, 1, 0, 0), nil},
		{"uniform 4", with(base, 4, 0, 0), nil},
		{"uniform 8", with(base, 8, 0, 0), nil},
		{"uniform 16", with(base, 16, 0, 0), nil},
		// The refined pixels' pattern for every pixel, for comparison.
		{"uniform 16, the refined pattern", with(base, 16, 0, 0), refinePattern(16)},
		{"adaptive 1-16, threshold 0.02", with(base, 1, 16, 0.02), nil},
		{"adaptive 1-16, threshold 0.05", with(base, 1, 16, 0.05), nil},
		{"adaptive 1-16, threshold 0.07", with(base, 1, 16, 0.07), nil},
		{"adaptive 1-16, threshold 0.1", with(base, 1, 16, 0.1), nil},
		{"adaptive 1-16, threshold 0.2", with(base, 1, 16, 0.2), nil},
		{"adaptive 4-16, threshold 0.05", with(base, 4, 16, 0.05), nil},
	} {
		img, spp := renderParallel(s, c.set, c.pattern...)
		mae, largest := meanAbsError(img, ref)
		t.Logf("| %s | %.2f | %.3f | %d |", c.name, spp, mae, largest)
		crops[c.name] = img
	}
	// The floor in the distance, where the checks crawl, enlarged 3 times.
	crop := image.Rect(330, 60, 480, 115)
	const k = 3
	names := []string{"uniform 1", "uniform 16", "adaptive 1-16, threshold 0.07"}
	out := image.NewRGBA(image.Rect(0, 0, len(names)*(crop.Dx()*k+4)-4, crop.Dy()*k))
	draw.Draw(out, out.Rect, image.White, image.Point{}, draw.Src)
	for n, name := range names {
		img := crops[name]
		for y := range crop.Dy() * k {
			for x := range crop.Dx() * k {
				out.Set(n*(crop.Dx()*k+4)+x, y, img.At(crop.Min.X+x/k, crop.Min.Y+y/k))
			}
		}
	}
	f, err := os.Create(*quality)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, out); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func with(s Settings, samples, maxSamples int, threshold float64) Settings {
	s.Samples, s.MaxSamples, s.Threshold = samples, maxSamples, threshold
	return s
}

// renderParallel renders s in tiles of 32 on every core, and returns the
// picture and the mean samples per pixel.
func renderParallel(s *scene.Scene, set Settings, pattern ...offset) (*image.RGBA, float64) {
	img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
	f := newFramePlan(s, set, nil)
	if pattern != nil {
		f.pattern = pattern
	}
	rects := tiles(set.Width, set.Height, 32)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var samples int64
	next := make(chan image.Rectangle)
	for range runtime.NumCPU() {
		wg.Go(func() {
			scr := newScratch(waveSize(32, set.PixelSamples()))
			for r := range next {
				f.renderTile(img, r, scr)
			}
			mu.Lock()
			samples += scr.samples
			mu.Unlock()
		})
	}
	for _, r := range rects {
		next <- r
	}
	close(next)
	wg.Wait()
	px := set.Width * set.Height
	if f.refine == nil {
		samples = int64(px * set.Samples)
	}
	return img, float64(samples) / float64(px)
}

// meanAbsError is the mean absolute difference of a and b over every channel
// of every pixel, in 8-bit levels, and the largest.
func meanAbsError(a, b *image.RGBA) (float64, int) {
	var sum, largest int
	for i := range a.Pix {
		if i%4 == 3 {
			continue
		}
		d := int(a.Pix[i]) - int(b.Pix[i])
		d = max(d, -d)
		sum += d
		largest = max(largest, d)
	}
	return float64(sum) / float64(len(a.Pix)/4*3), largest
}
