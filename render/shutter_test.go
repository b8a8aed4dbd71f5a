package render

import (
	"bytes"
	"image"
	"math"
	"path/filepath"
	"testing"

	"github.com/sdfrender/render/internal/golden"
	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// TestSampleTimes checks the moments of a frame: the frame's time alone with
// the shutter closed, and with it open the middles of equal slices of the open
// part of the frame interval, from the frame's time on.
func TestSampleTimes(t *testing.T) {
	j := Job{FPS: 24, Settings: Settings{Samples: 4}}
	if got := j.SampleTimes(3); len(got) != 1 || got[0] != 2.0/24 {
		t.Errorf("shutter 0: SampleTimes(3) = %v, want [%g]", got, 2.0/24)
	}
	j.Shutter = 0.5
	got := j.SampleTimes(3)
	for k, want := range []float64{2.0/24 + 0.5/24*0.125, 2.0/24 + 0.5/24*0.375, 2.0/24 + 0.5/24*0.625, 2.0/24 + 0.5/24*0.875} {
		if k >= len(got) || math.Abs(got[k]-want) > 1e-15 {
			t.Fatalf("shutter 0.5 at 24 fps, 4 samples: SampleTimes(3) = %v, want moment %d at %g", got, k, want)
		}
	}
	if err := (Settings{Width: 1, Height: 1, Samples: 1, Shutter: 1.5}).Validate(); err == nil {
		t.Error("a shutter open 1.5 frame intervals: valid, want an error")
	}
}

// TestMomentsOfAPixel checks which sample of a pixel sees which moment: each
// moment exactly once per pixel, and not the same pairing in every pixel.
func TestMomentsOfAPixel(t *testing.T) {
	f := &framePlan{moments: make([]*framePlan, 8), frame: 5}
	pairings := map[int]bool{}
	for y := range 8 {
		for x := range 8 {
			seen := make([]bool, 8)
			for j := range 8 {
				k := f.moment(x, y, j)
				if k < 0 || k >= 8 || seen[k] {
					t.Fatalf("pixel (%d, %d): sample %d sees moment %d, twice or out of range", x, y, j, k)
				}
				seen[k] = true
			}
			pairings[f.moment(x, y, 0)] = true
		}
	}
	if len(pairings) < 6 {
		t.Errorf("sample 0 sees %d different moments over 64 pixels, want the pairing turned from pixel to pixel", len(pairings))
	}
}

// TestMotionBlur renders frames of the showcase, whose torus spins and camera
// orbits, with the shutter open: the same bytes ray by ray and in waves, in
// any tiles on any workers; unlike the frame without the shutter; and as
// bright on average as the frames at its moments (blur moves light, it does
// not make or lose it).
func TestMotionBlur(t *testing.T) {
	f, err := scenefile.Lookup("showcase")
	if err != nil {
		t.Fatal(err)
	}
	set := Settings{Width: 64, Height: 36, Samples: 8, Shutter: 1}
	job := Job{Animation: f, FPS: 6, Frames: []int{2, 5}, Settings: set}
	a := sameOnAnyWorkers(t, job, 5)

	var scenes []*scene.Scene
	for _, at := range job.SampleTimes(2) {
		scenes = append(scenes, f.At(at))
	}
	plan := newMomentsPlan(scenes, set, 2)
	waves := image.NewRGBA(image.Rect(0, 0, 64, 36))
	plan.renderTile(waves, waves.Rect, newScratch(waveSize(64, 8)))
	rays := image.NewRGBA(waves.Rect)
	plan.renderTile(rays, rays.Rect, nil)
	if !bytes.Equal(waves.Pix, rays.Pix) {
		t.Error("with the shutter open, the waves and the ray-by-ray tracer render different bytes")
	}
	if !bytes.Equal(waves.Pix, a[2]) {
		t.Error("a frame rendered by Run differs from its plan rendered alone")
	}
	// Adaptive from one sample a pixel: the first pass's moments, a sample a
	// pixel, each pixel at the one its sample sees.
	adaptive := Settings{Width: 64, Height: 36, Samples: 1, MaxSamples: 16, Shutter: 1}
	var moments []*scene.Scene
	for _, at := range (Job{FPS: 6, Settings: adaptive}).SampleTimes(2) {
		moments = append(moments, f.At(at))
	}
	plan = newMomentsPlan(moments, adaptive, 2)
	plan.renderTile(waves, waves.Rect, workerScratch(adaptive, 64))
	plan.renderTile(rays, rays.Rect, nil)
	if !bytes.Equal(waves.Pix, rays.Pix) {
		t.Error("adaptive from one sample a pixel with the shutter open: the waves and the ray-by-ray tracer render different bytes")
	}

	still, _ := RenderFrame(f.At(job.Time(2)), Settings{Width: 64, Height: 36, Samples: 8})
	if bytes.Equal(still.Pix, waves.Pix) {
		t.Error("frame 2 with the shutter open is the same bytes as without, want it blurred")
	}
	var mean float64
	for _, s := range scenes {
		img, _ := RenderFrame(s, Settings{Width: 64, Height: 36, Samples: 8})
		mean += brightness(img) / float64(len(scenes))
	}
	if got := brightness(waves); math.Abs(got-mean) > 0.01 {
		t.Errorf("mean brightness with the shutter open %.4f, of the frames at its moments %.4f, want within 0.01", got, mean)
	}
}

// brightness is the mean of img's channels, in [0, 1].
func brightness(img *image.RGBA) float64 {
	var sum float64
	for i, v := range img.Pix {
		if i%4 != 3 {
			sum += float64(v)
		}
	}
	return sum / 255 / float64(len(img.Pix)/4*3)
}

// TestGoldenMotionBlur renders frame 30 of the focus pull with its shutter open
// half the frame interval, through Run as a job renders it: the darting ball
// smeared, the lens blurring what is off focus.
func TestGoldenMotionBlur(t *testing.T) {
	f, err := scenefile.Lookup("focus")
	if err != nil {
		t.Fatal(err)
	}
	job := Job{Animation: f, FPS: 24, Frames: []int{30}, Settings: Settings{Width: 96, Height: 54, Samples: 8, Shutter: 0.5}, Tile: 32, Workers: 2}
	frames, _ := collect(t, job)
	img := &image.RGBA{Pix: frames[30], Stride: 4 * 96, Rect: image.Rect(0, 0, 96, 54)}
	golden.Check(t, filepath.Join("testdata", "golden", "focus_f30_8x_shutter0.5.png"), img, *update)
}
