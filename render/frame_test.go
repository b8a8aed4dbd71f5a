package render

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

func TestSettingsValidate(t *testing.T) {
	ok := Settings{Width: 4, Height: 3, Samples: 1}
	for _, c := range []struct {
		name string
		edit func(*Settings)
		want string // "" for valid
	}{
		{"smallest", func(s *Settings) { s.Width, s.Height = 1, 1 }, ""},
		{"largest", func(s *Settings) { s.Width, s.Height = scene.MaxSize, scene.MaxSize }, ""},
		{"most samples", func(s *Settings) { s.Samples = scene.MaxSamples }, ""},
		{"depth 0", func(s *Settings) { s.Depth = 0 }, ""},
		{"depth 8", func(s *Settings) { s.Depth = 8 }, ""},
		{"depth 16", func(s *Settings) { s.Depth = 16 }, ""},
		{"zero width", func(s *Settings) { s.Width = 0 }, "size must be positive, got 0x3"},
		{"zero height", func(s *Settings) { s.Height = 0 }, "size must be positive, got 4x0"},
		{"negative width", func(s *Settings) { s.Width = -1 }, "size must be positive"},
		{"too wide", func(s *Settings) { s.Width = scene.MaxSize + 1 }, "at most 16384, got 16385x3"},
		{"too high", func(s *Settings) { s.Height = scene.MaxSize + 1 }, "at most 16384, got 4x16385"},
		{"no samples", func(s *Settings) { s.Samples = 0 }, "samples must be between 1 and 256, got 0"},
		{"too many samples", func(s *Settings) { s.Samples = scene.MaxSamples + 1 }, "got 257"},
		{"depth 7", func(s *Settings) { s.Depth = 7 }, "depth must be 8 or 16 bits, got 7"},
		{"depth 9", func(s *Settings) { s.Depth = 9 }, "got 9"},
		{"depth 15", func(s *Settings) { s.Depth = 15 }, "got 15"},
		{"depth 32", func(s *Settings) { s.Depth = 32 }, "got 32"},
	} {
		s := ok
		c.edit(&s)
		err := s.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: Validate(%+v) = %v, want nil", c.name, s, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: Validate(%+v) = %v, want an error with %q", c.name, s, err, c.want)
		}
	}
}

func TestSetPixel(t *testing.T) {
	s8 := Settings{Width: 3, Height: 2, Samples: 1}
	img8, ok := s8.newImage().(*image.RGBA)
	if !ok || img8.Bounds() != image.Rect(0, 0, 3, 2) {
		t.Fatalf("newImage at depth 0 = %T %v, want a 3×2 *image.RGBA", s8.newImage(), s8.newImage().Bounds())
	}
	if _, ok := (Settings{Width: 3, Height: 2, Depth: 8}).newImage().(*image.RGBA); !ok {
		t.Error("newImage at depth 8: want an *image.RGBA")
	}
	c := scene.Vec3{X: 1, Y: 0.5, Z: 0.001}
	setPixel(img8, 2, 1, c)
	if got, want := img8.RGBAAt(2, 1), (color.RGBA{255, 188, 3, 255}); got != want {
		t.Errorf("8-bit pixel = %v, want %v", got, want)
	}
	if got := img8.RGBAAt(1, 1); got != (color.RGBA{}) {
		t.Errorf("the pixel beside it = %v, want it untouched", got)
	}
	img16, ok := (Settings{Width: 3, Height: 2, Depth: 16}).newImage().(*image.RGBA64)
	if !ok || img16.Bounds() != image.Rect(0, 0, 3, 2) {
		t.Fatal("newImage at depth 16: want a 3×2 *image.RGBA64")
	}
	setPixel(img16, 2, 1, c)
	// Big-endian 16-bit channels.
	if got, want := img16.RGBA64At(2, 1), (color.RGBA64{65535, 48192, 847, 65535}); got != want {
		t.Errorf("16-bit pixel = %v, want %v", got, want)
	}
	i := img16.PixOffset(2, 1)
	if got, want := img16.Pix[i:i+8], []byte{0xff, 0xff, 48192 >> 8, 48192 & 0xff, 847 >> 8, 847 & 0xff, 0xff, 0xff}; string(got) != string(want) {
		t.Errorf("16-bit pixel bytes = %v, want %v", got, want)
	}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "*image.Gray") {
			t.Errorf("setPixel on an *image.Gray: recovered %v, want a panic naming the type", p)
		}
	}()
	setPixel(image.NewGray(image.Rect(0, 0, 1, 1)), 0, 0, c)
}

// TestPixelAveragesToneMappedSamples checks that a pixel is the mean of its
// samples, each tone-mapped first: a pixel of sky, whose samples see the
// gradient at four heights.
func TestPixelAveragesToneMappedSamples(t *testing.T) {
	// Looking up at 45°, with the only object far behind the camera: the sky
	// is 3·√height, and 0 below the horizon.
	s := &scene.Scene{
		Camera: scene.Camera{Position: scene.Vec3{Z: 5}, Target: scene.Vec3{Y: 1, Z: 4}, Up: scene.Vec3{Y: 1}, FOV: 120},
		Sky:    scene.Sky{Zenith: scene.Vec3{X: 3, Y: 3, Z: 3}, Ambient: 1},
		Root:   &scene.Translate{Offset: scene.Vec3{Z: 100}, Child: unitSphere},
	}
	set := Settings{Width: 1, Height: 1, Samples: 4}
	plan := newFramePlan(s, set, nil)
	var want, mean float64
	for _, o := range plan.pattern {
		c := 3 * math.Sqrt(max(plan.view.ray(o.x, o.y).Y, 0))
		want += toneMap(c) / 4
		mean += c / 4
	}
	sums := make([]scene.Vec3, 1)
	plan.newSampler(nil).sums(allOf(image.Rect(0, 0, 1, 1)), plan.pattern, 0, 4, sums, nil)
	if got := sums[0].Scale(0.25); !near(got.X, want) || !near(got.Y, want) || !near(got.Z, want) {
		t.Errorf("pixel of sky = %v, want the mean of the tone-mapped samples, %.17g", got, want)
	}
	// Averaged before tone mapping, it would differ by more than a level.
	if math.Abs(float64(srgb8(toneMap(mean)))-float64(srgb8(want))) < 1 {
		t.Fatalf("tone mapping the mean gives the same level as the mean of the tone-mapped samples: the test cannot tell them apart")
	}
	// The frame is that pixel, encoded.
	img, err := RenderFrame(s, set)
	if err != nil {
		t.Fatal(err)
	}
	if got, w := img.RGBAAt(0, 0), srgb8(want); got != (color.RGBA{w, w, w, 255}) {
		t.Errorf("rendered pixel = %v, want %d", got, w)
	}
}

func TestRenderFrameRejects(t *testing.T) {
	s := &scene.Scene{Camera: scene.Camera{Position: scene.Vec3{Z: 5}, Up: scene.Vec3{Y: 1}, FOV: 40}, Root: unitSphere}
	if _, err := RenderFrame(s, Settings{Width: 0, Height: 4, Samples: 1}); err == nil || !strings.Contains(err.Error(), "size") {
		t.Errorf("RenderFrame at width 0: err = %v, want the size's", err)
	}
	bad := *s
	bad.Root = nil
	if _, err := RenderFrame(&bad, Settings{Width: 4, Height: 4, Samples: 1}); err == nil || !strings.Contains(err.Error(), "no objects") {
		t.Errorf("RenderFrame of a scene without objects: err = %v, want the scene's", err)
	}
	img, err := RenderFrame(s, Settings{Width: 5, Height: 3, Samples: 1})
	if err != nil || img.Bounds() != image.Rect(0, 0, 5, 3) {
		t.Fatalf("RenderFrame = %v, %v; want a 5×3 image", img.Bounds(), err)
	}
	// The sphere fills the middle pixel: lit by the ambient light, not black.
	if c := img.RGBAAt(2, 1); c.A != 255 {
		t.Errorf("middle pixel = %v, want opaque", c)
	}
}

// TestSumsAddToThePixels holds that the samples of a pass are added to what
// the pixels' sums held, as the passes of adaptive sampling need, by the
// waves (one sample a pixel, which has a loop of its own, and four) and by
// the tracer: a second pass of the same samples doubles every sum.
func TestSumsAddToThePixels(t *testing.T) {
	f, err := scenefile.Lookup("showcase")
	if err != nil {
		t.Fatal(err)
	}
	r := image.Rect(20, 10, 36, 22)
	for _, spp := range []int{1, 4} {
		plan := newFramePlan(f.At(0.4), Settings{Width: 64, Height: 36, Samples: spp}, nil)
		for _, s := range []*scratch{newScratch(waveRays), nil} {
			once, twice := make([]scene.Vec3, r.Dx()*r.Dy()), make([]scene.Vec3, r.Dx()*r.Dy())
			plan.newSampler(s).sums(allOf(r), plan.pattern, 0, spp, once, nil)
			for range 2 {
				plan.newSampler(s).sums(allOf(r), plan.pattern, 0, spp, twice, nil)
			}
			for i := range once {
				// Twice the sum, or near it for a pass of four, whose
				// second sum of samples rounds on the first.
				if want := once[i].Add(once[i]); !nearVec(twice[i], want) || once[i] == (scene.Vec3{}) {
					t.Fatalf("%d samples, waves %t: pixel %d summed twice = %v, want twice %v", spp, s != nil, i, twice[i], once[i])
				}
			}
		}
	}
}
