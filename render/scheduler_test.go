package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// smallJob is a quick job of the showcase: frames frames at 48×27.
func smallJob(frames int) Job {
	b, _ := scenefile.Lookup("showcase")
	j := Job{
		Animation: b,
		FPS:       30,
		Settings:  Settings{Width: 48, Height: 27, Samples: 1},
		Tile:      8,
		Workers:   4,
	}
	for i := range frames {
		j.Frames = append(j.Frames, i+1)
	}
	return j
}

// collect runs job and returns a copy of every delivered frame's pixels by number.
func collect(t *testing.T, job Job) (map[int][]byte, Stats) {
	t.Helper()
	var mu sync.Mutex
	frames := map[int][]byte{}
	st, err := Run(context.Background(), job, func(_ context.Context, f Frame) error {
		mu.Lock()
		defer mu.Unlock()
		if _, dup := frames[f.Number]; dup {
			t.Errorf("frame %d delivered twice", f.Number)
		}
		frames[f.Number] = slices.Clone(f.Image.(*image.RGBA).Pix)
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return frames, st
}

// sameOnAnyWorkers renders job on one worker in tiles of 8 pixels on one core,
// then on workers workers in tiles of 64 on every core, fails for each frame
// whose bytes differ, and returns the frames of the first run.
func sameOnAnyWorkers(t *testing.T, job Job, workers int) map[int][]byte {
	t.Helper()
	job.Workers, job.Tile = 1, 8
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	a, _ := collect(t, job)
	runtime.GOMAXPROCS(runtime.NumCPU())
	job.Workers, job.Tile = workers, 64
	b, _ := collect(t, job)
	for n := range a {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("frame %d: 1 worker, tile 8, 1 core differs from %d workers, tile 64, %d cores", n, workers, runtime.NumCPU())
		}
	}
	return a
}

func TestRunRendersEveryUnitOnce(t *testing.T) {
	job := smallJob(6)
	frames, st := collect(t, job)
	perFrame := len(tiles(job.Width, job.Height, job.Tile))
	if st.Units != 6*perFrame {
		t.Errorf("Stats.Units = %d, want %d (6 frames × %d tiles)", st.Units, 6*perFrame, perFrame)
	}
	if want := int64(6 * job.Width * job.Height * job.Samples); st.Samples != want {
		t.Errorf("Stats.Samples = %d, want %d (6 frames × %d×%d pixels × %d)", st.Samples, want, job.Width, job.Height, job.Samples)
	}
	if st.Frames != 6 || len(frames) != 6 {
		t.Fatalf("Stats.Frames = %d, delivered %d, want 6", st.Frames, len(frames))
	}
	// Each frame must equal the same frame rendered in one piece: every tile was
	// rendered, into the right frame, and no tile of another frame leaked in.
	for n, pix := range frames {
		want, err := RenderFrame(job.Animation.At(job.Time(n)), job.Settings)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pix, want.Pix) {
			t.Errorf("frame %d from the pool differs from RenderFrame", n)
		}
	}
}

func TestRunIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the job twice")
	}
	job := smallJob(4)
	job.Width, job.Height = 96, 54
	sameOnAnyWorkers(t, job, 8)
}

func TestRunBoundsFramesInMemory(t *testing.T) {
	for _, c := range []struct{ workers, inFlight, want int }{
		{1, 0, 3}, {4, 0, 6}, {4, 2, 2}, {2, 1, 1},
	} {
		job := smallJob(30)
		job.Width, job.Height = 16, 16
		job.Workers, job.InFlight = c.workers, c.inFlight
		// A slow sink makes finished frames pile up, as a slow disk would.
		st, err := Run(context.Background(), job, func(context.Context, Frame) error {
			time.Sleep(2 * time.Millisecond)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if st.PeakHeld > c.want || st.PeakHeld < 1 {
			t.Errorf("workers %d, in-flight %d: PeakHeld = %d, want 1 to %d", c.workers, c.inFlight, st.PeakHeld, c.want)
		}
		if st.Frames != 30 {
			t.Errorf("workers %d, in-flight %d: Frames = %d, want 30", c.workers, c.inFlight, st.Frames)
		}
	}
}

func TestRunCancels(t *testing.T) {
	job := smallJob(1000)
	ctx, cancel := context.WithCancel(context.Background())
	var delivered, afterReturn atomic.Int32
	var returned atomic.Bool
	done := make(chan struct{})
	var st Stats
	var err error
	go func() {
		defer close(done)
		st, err = Run(ctx, job, func(context.Context, Frame) error {
			if returned.Load() {
				afterReturn.Add(1)
			}
			if delivered.Add(1) == 3 {
				cancel()
			}
			return nil
		})
		returned.Store(true)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of cancellation")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel: err = %v, want context.Canceled", err)
	}
	if st.Frames < 3 || st.Frames >= 1000 {
		t.Errorf("Stats.Frames = %d after cancelling at the third, want 3 to a few more", st.Frames)
	}
	if afterReturn.Load() != 0 {
		t.Errorf("the sink was called %d times after Run returned, want 0", afterReturn.Load())
	}
}

func TestRunStopsOnSinkError(t *testing.T) {
	job := smallJob(50)
	boom := errors.New("disk full")
	var calls atomic.Int32
	st, err := Run(context.Background(), job, func(_ context.Context, f Frame) error {
		if calls.Add(1) == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
	if st.Frames >= 50 {
		t.Errorf("Stats.Frames = %d, want the job stopped early", st.Frames)
	}
}

// panicky is a shape with a bug in it.
type panicky struct{}

func (panicky) Distance(p scene.Vec3) float64 {
	if p.X > 0.3 {
		panic("index out of range")
	}
	return p.Length() - 1
}

func TestRunRecoversPanics(t *testing.T) {
	job := smallJob(3)
	base := job.Animation
	job.Animation = scene.AnimationFunc(func(t float64) *scene.Scene {
		s := base.At(t)
		s.Root = scene.Union{s.Root, &scene.Solid{Shape: panicky{}}}
		return s
	})
	_, err := Run(context.Background(), job, func(context.Context, Frame) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "panic: index out of range") || !strings.Contains(err.Error(), "tile") {
		t.Errorf("err = %v, want a panic error naming the frame and tile", err)
	}
}

func TestRunRejectsBadJobs(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Job)
		want string
	}{
		{"no animation", func(j *Job) { j.Animation = nil }, "no animation"},
		{"no frames", func(j *Job) { j.Frames = nil }, "no frames"},
		{"frame 0", func(j *Job) { j.Frames = []int{0} }, "start at 1"},
		{"zero fps", func(j *Job) { j.FPS = 0 }, "fps"},
		{"zero width", func(j *Job) { j.Width = 0 }, "size"},
		{"no samples", func(j *Job) { j.Samples = 0 }, "samples"},
		{"too many samples", func(j *Job) { j.Samples = scene.MaxSamples + 1 }, "samples"},
		{"too wide", func(j *Job) { j.Width = scene.MaxSize + 1 }, "at most"},
		{"too high", func(j *Job) { j.Height = scene.MaxSize + 1 }, "at most"},
		{"frame past the last", func(j *Job) { j.Frames = []int{1, scene.MaxFrames + 1} }, "start at 1"},
		{"too many fps", func(j *Job) { j.FPS = scene.MaxFPS + 1 }, "fps"},
		{"infinite fps", func(j *Job) { j.FPS = math.Inf(1) }, "fps"},
		{"zero tile", func(j *Job) { j.Tile = 0 }, "tile"},
		{"zero workers", func(j *Job) { j.Workers = 0 }, "workers"},
		{"absurd workers", func(j *Job) { j.Workers = 100000 }, "workers"},
		{"negative in-flight", func(j *Job) { j.InFlight = -1 }, "in-flight"},
	} {
		t.Run(c.name, func(t *testing.T) {
			job := smallJob(1)
			c.edit(&job)
			called := false
			_, err := Run(context.Background(), job, func(context.Context, Frame) error { called = true; return nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one mentioning %q", err, c.want)
			}
			if called {
				t.Error("the sink was called for an invalid job")
			}
		})
	}
}

func TestRunRejectsInvalidFrameScene(t *testing.T) {
	job := smallJob(5)
	base := job.Animation
	job.Animation = scene.AnimationFunc(func(t float64) *scene.Scene {
		s := base.At(t)
		if t > 0.05 {
			s.Camera.Target = s.Camera.Position
		}
		return s
	})
	_, err := Run(context.Background(), job, func(context.Context, Frame) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "frame 3") {
		t.Errorf("err = %v, want an error for frame 3", err)
	}
}

func TestTiles(t *testing.T) {
	for _, c := range []struct{ w, h, size, n int }{
		{64, 64, 32, 4}, {65, 64, 32, 6}, {10, 10, 64, 1}, {7, 3, 1, 21},
	} {
		ts := tiles(c.w, c.h, c.size)
		if len(ts) != c.n {
			t.Errorf("tiles(%d, %d, %d): %d tiles, want %d", c.w, c.h, c.size, len(ts), c.n)
		}
		area := 0
		for _, r := range ts {
			area += r.Dx() * r.Dy()
			if r.Dx() > c.size || r.Dy() > c.size || r.Empty() {
				t.Errorf("tiles(%d, %d, %d): tile %v", c.w, c.h, c.size, r)
			}
		}
		if area != c.w*c.h {
			t.Errorf("tiles(%d, %d, %d) cover %d pixels, want %d", c.w, c.h, c.size, area, c.w*c.h)
		}
	}
}

func TestRunTraces(t *testing.T) {
	for _, out := range []Output{nil, Overlapped{}, Inline{}} {
		t.Run(fmt.Sprintf("%T", out), func(t *testing.T) {
			job := smallJob(5)
			job.Trace, job.Output = true, out
			_, inline := out.(Inline)
			frames, st := collect(t, job)
			if len(frames) != 5 {
				t.Fatalf("delivered %d frames, want 5", len(frames))
			}
			tiles, outputs := 0, 0
			last := map[int]time.Duration{} // end of the latest span per lane
			for i, s := range st.Spans {
				if i > 0 && s.Start < st.Spans[i-1].Start {
					t.Fatalf("span %d starts at %v, before span %d at %v: want them by start time", i, s.Start, i-1, st.Spans[i-1].Start)
				}
				if s.End < s.Start || s.End > st.Wall {
					t.Errorf("span %+v: want Start <= End <= Wall (%v)", s, st.Wall)
				}
				if s.Start < last[s.Lane] {
					t.Errorf("span %+v overlaps the previous span of lane %d, which ends at %v", s, s.Lane, last[s.Lane])
				}
				last[s.Lane] = s.End
				switch s.Kind {
				case SpanTile:
					tiles++
					if s.Lane >= job.Workers {
						t.Errorf("tile span in lane %d, want a worker lane below %d", s.Lane, job.Workers)
					}
				case SpanOutput:
					outputs++
					if inline && s.Lane >= job.Workers {
						t.Errorf("inline output span in lane %d, want the worker's lane below %d", s.Lane, job.Workers)
					}
					if !inline && (s.Lane < job.Workers || s.Lane >= job.Workers+job.Workers+2) {
						t.Errorf("output span in lane %d, want an output lane", s.Lane)
					}
				}
			}
			if tiles != st.Units || outputs != 5 {
				t.Errorf("%d tile spans and %d output spans, want %d and 5", tiles, outputs, st.Units)
			}
		})
	}
	st, _ := Run(context.Background(), smallJob(2), func(context.Context, Frame) error { return nil })
	if st.Spans != nil {
		t.Errorf("an untraced job has %d spans, want none", len(st.Spans))
	}
}

// TestRunOutputs checks where each Output calls the Sink. With one worker, the
// next frame is rendered while a frame is being output only when the output runs
// on a goroutine of its own (Overlapped, and nil, which means it); with Inline the
// worker is the one in the Sink.
func TestRunOutputs(t *testing.T) {
	for _, c := range []struct {
		out     Output
		overlap bool
		wait    time.Duration // for frame 2 to start, inside frame 1's Sink call
	}{
		{nil, true, 10 * time.Second},
		{Overlapped{}, true, 10 * time.Second},
		{Inline{}, false, 50 * time.Millisecond},
	} {
		t.Run(fmt.Sprintf("%T", c.out), func(t *testing.T) {
			job := smallJob(2)
			job.Workers, job.Output = 1, c.out
			next := make(chan struct{}) // closed when a tile of frame 2 is rendered
			var once sync.Once
			job.OnTile = func(d TileDone) {
				if d.Frame == 2 {
					once.Do(func() { close(next) })
				}
			}
			_, err := Run(context.Background(), job, func(_ context.Context, f Frame) error {
				if f.Number != 1 {
					return nil
				}
				overlap := false
				select {
				case <-next:
					overlap = true
				case <-time.After(c.wait):
				}
				if overlap != c.overlap {
					return fmt.Errorf("frame 2 rendered while frame 1 was in the Sink: %v, want %v", overlap, c.overlap)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRunAtDepth16(t *testing.T) {
	job := smallJob(2)
	eight, _ := collect(t, job)
	job.Depth = 16
	var got []*image.RGBA64
	var mu sync.Mutex
	if _, err := Run(context.Background(), job, func(_ context.Context, f Frame) error {
		img, ok := f.Image.(*image.RGBA64)
		if !ok {
			return fmt.Errorf("frame %d is a %T, want *image.RGBA64", f.Number, f.Image)
		}
		mu.Lock()
		defer mu.Unlock()
		if f.Number == 1 {
			got = append(got, &image.RGBA64{Pix: slices.Clone(img.Pix), Stride: img.Stride, Rect: img.Rect})
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The high byte of each 16-bit channel is the 8-bit value, give or take
	// rounding: the same colours, at finer steps.
	pix8, pix16 := eight[1], got[0].Pix
	for i := range pix8 {
		hi := int(pix16[2*i])
		if d := hi - int(pix8[i]); d < -1 || d > 1 {
			t.Fatalf("channel byte %d: 16-bit high byte %d, 8-bit %d; want them within one level", i, hi, pix8[i])
		}
	}
}

// TestRunReportsTiles checks OnTile: one call per unit, by the worker that
// rendered it, with the tile's final pixels readable, before its frame goes to
// the sink.
func TestRunReportsTiles(t *testing.T) {
	job := smallJob(3)
	var mu sync.Mutex
	seen := map[int]map[image.Rectangle][]byte{} // frame → tile → pixels
	delivered := map[int]bool{}
	job.OnTile = func(d TileDone) {
		mu.Lock()
		defer mu.Unlock()
		if d.Worker < 0 || d.Worker >= job.Workers || d.End < d.Start {
			t.Errorf("tile %v of frame %d: worker %d, %v to %v; want a worker below %d and an end after the start", d.Rect, d.Frame, d.Worker, d.Start, d.End, job.Workers)
		}
		if delivered[d.Frame] {
			t.Errorf("tile %v of frame %d reported after the frame was delivered", d.Rect, d.Frame)
		}
		if seen[d.Frame] == nil {
			seen[d.Frame] = map[image.Rectangle][]byte{}
		}
		if _, dup := seen[d.Frame][d.Rect]; dup {
			t.Errorf("tile %v of frame %d reported twice", d.Rect, d.Frame)
		}
		seen[d.Frame][d.Rect] = tilePixels(d.Image.(*image.RGBA), d.Rect)
	}
	final := map[int]*image.RGBA{}
	_, err := Run(context.Background(), job, func(_ context.Context, f Frame) error {
		mu.Lock()
		defer mu.Unlock()
		delivered[f.Number] = true
		final[f.Number] = image.NewRGBA(f.Image.Bounds())
		copy(final[f.Number].Pix, f.Image.(*image.RGBA).Pix)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := tiles(job.Width, job.Height, job.Tile)
	for _, n := range job.Frames {
		if len(seen[n]) != len(ts) {
			t.Errorf("frame %d: %d tiles reported, want %d", n, len(seen[n]), len(ts))
		}
		for rect, pix := range seen[n] {
			if !bytes.Equal(pix, tilePixels(final[n], rect)) {
				t.Errorf("frame %d, tile %v: the pixels OnTile saw are not the frame's", n, rect)
			}
		}
	}
}

// tilePixels returns a copy of the pixels of img in r, row after row.
func tilePixels(img *image.RGBA, r image.Rectangle) []byte {
	var pix []byte
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := img.PixOffset(r.Min.X, y)
		pix = append(pix, img.Pix[i:i+4*r.Dx()]...)
	}
	return pix
}
