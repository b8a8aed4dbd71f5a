package render

import (
	"bytes"
	"image"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sdfrender/render/internal/golden"
	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// adaptiveSet is the adaptive settings the tests use: a first pass of 1
// sample, 16 where a neighbour differs by more than 12 levels.
var adaptiveSet = Settings{Width: 96, Height: 54, Samples: 1, MaxSamples: 16, Threshold: 0.05}

// TestAdaptiveIsUniformWhereItRefines renders a frame adaptively, 1 sample
// then 5 then 16, and works out what each pixel must be from uniform
// pictures of the same frame: the 1-sample pixel where the 1-sample picture
// does not differ from a neighbour by more than the threshold (a decision no
// tile of the renderer sees the whole picture for); else the mean of the
// first 5 samples of the 16-sample pattern where those 5 agree within the
// threshold, each sample's levels taken from a picture of that sample alone;
// else the 16-sample pixel.
func TestAdaptiveIsUniformWhereItRefines(t *testing.T) {
	b, err := scenefile.Lookup("showcase")
	if err != nil {
		t.Fatal(err)
	}
	s := b.At(1.3)
	set := adaptiveSet
	got := renderTiled(t, s, set, 16)
	rp := refinePattern(16)
	uniform := func(pattern []offset) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
		f := newFramePlan(s, Settings{Width: set.Width, Height: set.Height, Samples: 1}, nil)
		f.pattern = pattern
		f.renderTile(img, img.Rect, newScratch(waveSize(16, 16)))
		return img
	}
	low, five, high := uniform(rp[:1]), uniform(rp[:5]), uniform(rp)
	var single [5]*image.RGBA
	for j := range single {
		single[j] = uniform(rp[j : j+1])
	}
	limit := int(set.Threshold * 255)
	count := map[string]int{}
	for y := range set.Height {
		for x := range set.Width {
			i := low.PixOffset(x, y)
			want, name := low, "1"
			if differsAt(low, x, y, limit) {
				want, name = five, "5"
				for k := range 3 {
					lo, hi := 255, 0
					for _, img := range single {
						lo, hi = min(lo, int(img.Pix[i+k])), max(hi, int(img.Pix[i+k]))
					}
					if hi-lo > limit {
						want, name = high, "16"
					}
				}
			}
			count[name]++
			if !bytes.Equal(got.Pix[i:i+4], want.Pix[i:i+4]) {
				t.Fatalf("pixel (%d, %d) = %v, want the %s-sample pixel %v", x, y, got.Pix[i:i+4], name, want.Pix[i:i+4])
			}
		}
	}
	// Every outcome is seen: the test tells them apart.
	for _, name := range []string{"1", "5", "16"} {
		if count[name] < 100 {
			t.Errorf("%d pixels of %s samples, want at least 100 (all: %v)", count[name], name, count)
		}
	}
	t.Logf("pixels by samples: %v", count)

	// RGSS's 4 samples do not begin the refined pattern, the centre first: a
	// refined pixel has all 8 traced, at once.
	set = Settings{Width: 96, Height: 54, Samples: 4, MaxSamples: 8, Threshold: 0.05}
	got = renderTiled(t, s, set, 16)
	low, err = RenderFrame(s, Settings{Width: 96, Height: 54, Samples: 4})
	if err != nil {
		t.Fatal(err)
	}
	high = uniform(refinePattern(8))
	for y := range set.Height {
		for x := range set.Width {
			want := low
			if differsAt(low, x, y, int(set.Threshold*255)) {
				want = high
			}
			if i := low.PixOffset(x, y); !bytes.Equal(got.Pix[i:i+4], want.Pix[i:i+4]) {
				t.Fatalf("4 then 8: pixel (%d, %d) = %v, want %v", x, y, got.Pix[i:i+4], want.Pix[i:i+4])
			}
		}
	}
}

// differsAt reports whether pixel (x, y) of img differs from one of its
// neighbours by more than limit levels in a channel.
func differsAt(img *image.RGBA, x, y, limit int) bool {
	c := img.Pix[img.PixOffset(x, y):]
	for ny := y - 1; ny <= y+1; ny++ {
		for nx := x - 1; nx <= x+1; nx++ {
			if !(image.Point{nx, ny}.In(img.Rect)) {
				continue
			}
			n := img.Pix[img.PixOffset(nx, ny):]
			for k := range 3 {
				if d := int(c[k]) - int(n[k]); d > limit || -d > limit {
					return true
				}
			}
		}
	}
	return false
}

// renderTiled renders s in tiles of tile pixels with one worker's scratch.
func renderTiled(t *testing.T, s *scene.Scene, set Settings, tile int) *image.RGBA {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
	f := newFramePlan(s, set, nil)
	scr := newScratch(waveSize(tile, set.PixelSamples()))
	for _, r := range tiles(set.Width, set.Height, tile) {
		f.renderTile(img, r, scr)
	}
	return img
}

// TestAdaptiveSameBytes renders adaptive frames through the worker pool with
// tiles of 8, 32 and 128 pixels and 1 and 2 workers, on 1 core and on all,
// and wants the same bytes from each, and the golden image: a pixel's
// neighbours in another tile are seen as that tile sees them.
func TestAdaptiveSameBytes(t *testing.T) {
	focus, err := scenefile.Lookup("focus")
	if err != nil {
		t.Fatal(err)
	}
	showcase := smallJob(2)
	showcase.Settings = adaptiveSet
	// With the lens and the shutter too: moments as many as the most samples.
	lens := showcase
	lens.Animation, lens.FPS, lens.Frames = focus, 24, []int{2, 30}
	lens.Settings = Settings{Width: 96, Height: 54, Samples: 1, MaxSamples: 8, Threshold: 0.07, Shutter: 0.5}
	for _, c := range []struct {
		name string
		job  Job
	}{{"showcase_f2_adaptive16", showcase}, {"focus_f30_adaptive8_shutter0.5", lens}} {
		t.Run(c.name, func(t *testing.T) {
			job := c.job
			var want map[int][]byte
			var samples int64
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
			for _, tile := range []int{8, 32, 128} {
				for _, workers := range []int{1, 2} {
					job.Tile, job.Workers = tile, workers
					runtime.GOMAXPROCS(workers)
					got, st := collect(t, job)
					// The samples are the pixels' own, whatever the tiles.
					if px := int64(len(job.Frames) * job.Width * job.Height); st.Samples <= px || st.Samples >= int64(job.MaxSamples)*px {
						t.Errorf("tile %d, %d workers: %d samples for %d pixels, want more than 1 and fewer than %d a pixel", tile, workers, st.Samples, px, job.MaxSamples)
					}
					if want == nil {
						want, samples = got, st.Samples
						continue
					}
					if st.Samples != samples {
						t.Errorf("tile %d, %d workers: %d samples, want %d as with tile 8, 1 worker", tile, workers, st.Samples, samples)
					}
					for n := range want {
						if !bytes.Equal(got[n], want[n]) {
							t.Errorf("frame %d: tile %d, %d workers differs from tile 8, 1 worker", n, tile, workers)
						}
					}
				}
			}
			last := job.Frames[len(job.Frames)-1]
			img := image.NewRGBA(image.Rect(0, 0, job.Width, job.Height))
			copy(img.Pix, want[last])
			golden.Check(t, filepath.Join("testdata", "golden", c.name+".png"), img, *update)
		})
	}
}

// TestAdaptiveByRay renders a frame adaptively ray by ray, without scratch
// memory, and wants the bytes of waves.
func TestAdaptiveByRay(t *testing.T) {
	b, _ := scenefile.Lookup("showcase")
	s := b.At(0.5)
	waves := renderTiled(t, s, adaptiveSet, 32)
	rays := image.NewRGBA(waves.Rect)
	f := newFramePlan(s, adaptiveSet, nil)
	for _, r := range tiles(96, 54, 32) {
		f.renderTile(rays, r, nil)
	}
	if !bytes.Equal(waves.Pix, rays.Pix) {
		t.Error("adaptive ray by ray differs from adaptive in waves")
	}
}

// TestAdaptiveSettings checks what Validate takes: MaxSamples above Samples
// and at most the limit, a threshold in [0, 1); and that the moments of a
// shutter are as many as the most samples a pixel gets.
func TestAdaptiveSettings(t *testing.T) {
	for _, c := range []struct {
		set Settings
		ok  bool
	}{
		{Settings{Width: 1, Height: 1, Samples: 1, MaxSamples: 16, Threshold: 0.1}, true},
		{Settings{Width: 1, Height: 1, Samples: 1, MaxSamples: 16}, true},
		{Settings{Width: 1, Height: 1, Samples: 4, MaxSamples: 4, Threshold: 0.1}, false},
		{Settings{Width: 1, Height: 1, Samples: 4, MaxSamples: 2, Threshold: 0.1}, false},
		{Settings{Width: 1, Height: 1, Samples: 1, MaxSamples: 1 << 20, Threshold: 0.1}, false},
		{Settings{Width: 1, Height: 1, Samples: 1, MaxSamples: 16, Threshold: 1}, false},
		{Settings{Width: 1, Height: 1, Samples: 1, MaxSamples: 16, Threshold: -0.1}, false},
	} {
		if err := c.set.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: Validate() = %v, want ok %v", c.set, err, c.ok)
		}
	}
	j := Job{FPS: 24, Settings: Settings{Samples: 1, MaxSamples: 8, Shutter: 0.5}}
	if got := len(j.SampleTimes(1)); got != 8 {
		t.Errorf("shutter with 1 sample, 8 adaptive: %d moments, want 8", got)
	}
}

// TestRefinePattern checks the pattern of a refined pixel: the centre, the
// rotated grid, eleven more to fill a 4×4 grid of cells but the one the centre
// touches, no two of the 16 in a column or a row of the 16×16 grid, then the R2
// sequence after its first sample; n in all and none twice.
func TestRefinePattern(t *testing.T) {
	rgss := samplePattern(4)
	r2 := samplePattern(64)
	for _, n := range []int{2, 3, 5, 6, 16, 17, 64} {
		p := refinePattern(n)
		if len(p) != n {
			t.Fatalf("refinePattern(%d) has %d offsets", n, len(p))
		}
		seen := map[offset]bool{}
		for i, o := range p {
			switch {
			case i == 0 && o != offset{0.5, 0.5}:
				t.Errorf("refinePattern(%d)[0] = %v, want the centre", n, o)
			case i >= 1 && i <= 4 && o != rgss[i-1]:
				t.Errorf("refinePattern(%d)[%d] = %v, want the rotated grid's %v", n, i, o, rgss[i-1])
			case i >= 16 && o != r2[i-15]:
				t.Errorf("refinePattern(%d)[%d] = %v, want R2's %v", n, i, o, r2[i-15])
			}
			if !(o.x >= 0 && o.x < 1 && o.y >= 0 && o.y < 1) || seen[o] {
				t.Errorf("refinePattern(%d)[%d] = %v: want a new offset in [0, 1)²", n, i, o)
			}
			seen[o] = true
		}
	}
	p := refinePattern(16)
	cells, cols, rows := map[[2]int]bool{}, map[int]bool{}, map[int]bool{}
	for _, o := range p[1:] {
		cells[[2]int{int(o.x * 4), int(o.y * 4)}] = true
		cols[int(o.x*16)], rows[int(o.y*16)] = true, true
	}
	cols[int(p[0].x*16)], rows[int(p[0].y*16)] = true, true
	if len(cells) != 15 || cells[[2]int{2, 2}] || len(cols) != 16 || len(rows) != 16 {
		t.Errorf("refinePattern(16) fills %d cells of 4×4 (want 15, all but the centre's (2, 2): %v), %d columns and %d rows of 16×16 (want 16 each)", len(cells), cells[[2]int{2, 2}], len(cols), len(rows))
	}
	for n, want := range map[int]int{1: 5, 5: 20, 4: 16} {
		if got := nextPass(n); got != want {
			t.Errorf("nextPass(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestPrefix checks which first passes a refined pixel's samples begin with,
// so that their colours are reused rather than traced again.
func TestPrefix(t *testing.T) {
	refine := refinePattern(16)
	for _, c := range []struct {
		name string
		a, b []offset
		want bool
	}{
		{"the centre", samplePattern(1), refine, true},
		{"the whole pattern", refine, refine, true},
		{"the rotated grid, second in it", samplePattern(4), refine, false},
		{"longer than it", refinePattern(17), refine, false},
		{"R2's first two", samplePattern(2), refine, false},
	} {
		if got := prefix(c.a, c.b); got != c.want {
			t.Errorf("%s: prefix = %v, want %v", c.name, got, c.want)
		}
	}
}
