package render

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sdfrender/render/scene"
)

// The job's arithmetic, its checks at their limits, and what Run promises
// about frames, evaluations, memory and spans, exactly.

func TestJobArithmetic(t *testing.T) {
	j := Job{FPS: 30, Workers: 4}
	if got := j.FramesHeld(); got != 6 {
		t.Errorf("FramesHeld with InFlight 0 and 4 workers = %d, want 6", got)
	}
	j.InFlight = 1
	if got := j.FramesHeld(); got != 1 {
		t.Errorf("FramesHeld with InFlight 1 = %d, want 1", got)
	}
	for _, c := range []struct {
		n    int
		want float64
	}{{1, 0}, {2, 1.0 / 30}, {31, 1}, {46, 1.5}} {
		if got := j.Time(c.n); !near(got, c.want) {
			t.Errorf("Time(%d) at 30 fps = %g, want %g", c.n, got, c.want)
		}
	}
	// Tiles row by row, the last of each row and column cut short.
	want := []image.Rectangle{
		image.Rect(0, 0, 2, 2), image.Rect(2, 0, 4, 2), image.Rect(4, 0, 5, 2),
		image.Rect(0, 2, 2, 3), image.Rect(2, 2, 4, 3), image.Rect(4, 2, 5, 3),
	}
	if got := tiles(5, 3, 2); !slices.Equal(got, want) {
		t.Errorf("tiles(5, 3, 2) = %v, want %v", got, want)
	}
	if got := tiles(4, 4, 2); len(got) != 4 || got[3] != image.Rect(2, 2, 4, 4) {
		t.Errorf("tiles(4, 4, 2) = %v, want 4 whole tiles", got)
	}
}

func TestWaveSizeAndWorkerBytes(t *testing.T) {
	for _, c := range []struct{ tile, spp, want int }{
		{1, 1, 1}, {8, 1, 64}, {32, 1, 1024}, {64, 1, 1024}, {64, 4, 1024}, {8, 4, 256},
		{64, 3, 1023},                    // 341 whole pixels
		{64, 256, 1024}, {2, 2048, 2048}, // one pixel, more samples than a wave holds
	} {
		if got := waveSize(c.tile, c.spp); got != c.want {
			t.Errorf("waveSize(%d, %d) = %d, want %d", c.tile, c.spp, got, c.want)
		}
	}
	// WorkerBytes is what newScratch allocates, give or take the allocator's
	// rounding: measure it.
	for _, j := range []Job{
		{Tile: 64, Settings: Settings{Samples: 1}},
		{Tile: 8, Settings: Settings{Samples: 4}},
		{Tile: 16, Settings: Settings{Samples: 0}},  // as 1
		{Tile: 128, Settings: Settings{Samples: 1}}, // in bands
		{Tile: 32, Settings: Settings{Samples: 1, MaxSamples: 16}},
		{Tile: 64, Settings: Settings{Samples: 4, MaxSamples: 64}},
		{Tile: 32, Settings: Settings{Samples: 8, Shutter: 0.5}}, // a cone per moment
	} {
		rays := waveSize(j.Tile, max(1, j.PixelSamples()))
		var s *scratch
		allocated := allocatedBytes(func() { s = workerScratch(j.Settings, j.Tile) })
		if cap(s.levels[0].rays) != rays || cap(s.points.at) != rays*maxTapsPerRay {
			t.Errorf("workerScratch: room for %d rays and %d points, want %d and %d", cap(s.levels[0].rays), cap(s.points.at), rays, rays*maxTapsPerRay)
		}
		sums, refined := j.pixelRoom(j.Tile)
		if want := scratchBytes(rays) + pixelBytes(sums, refined) + coneBytes(j.coneRoom(j.Tile)); j.WorkerBytes() != want || float64(want) < 0.95*float64(allocated) || float64(want) > 1.05*float64(allocated) {
			t.Errorf("WorkerBytes for tile %d, %d samples (%d adaptive) = %d, want %d, within 5%% of the %d bytes workerScratch allocates",
				j.Tile, j.Samples, j.MaxSamples, j.WorkerBytes(), want, allocated)
		}
	}
	if got := KernelName(); got != activeKernel.name() || (got != "batch" && got != "avx2") {
		t.Errorf("KernelName() = %q, want the active kernel's, batch or avx2", got)
	}
}

// allocatedBytes returns how many bytes f allocates.
func allocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestJobLimits(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Job)
		want string // "" for valid
	}{
		{"most fps", func(j *Job) { j.FPS = scene.MaxFPS }, ""},
		{"fewest fps", func(j *Job) { j.FPS = 1e-9 }, ""},
		{"largest tile", func(j *Job) { j.Tile = MaxTile }, ""},
		{"smallest tile", func(j *Job) { j.Tile = 1 }, ""},
		{"most workers", func(j *Job) { j.Workers = MaxWorkers }, ""},
		{"one worker", func(j *Job) { j.Workers = 1 }, ""},
		{"last frame", func(j *Job) { j.Frames = []int{1, scene.MaxFrames} }, ""},
		{"in-flight 0", func(j *Job) { j.InFlight = 0 }, ""},
		{"bad settings", func(j *Job) { j.Samples = 0 }, "samples must be between 1 and 256, got 0"},
		{"negative fps", func(j *Job) { j.FPS = -1 }, "fps must be above 0 and at most 1000, got -1"},
		{"too many fps", func(j *Job) { j.FPS = scene.MaxFPS + 0.5 }, "got 1000.5"},
		{"tile too large", func(j *Job) { j.Tile = MaxTile + 1 }, "tile must be between 1 and 4096 pixels, got 4097"},
		{"negative tile", func(j *Job) { j.Tile = -1 }, "got -1"},
		{"too many workers", func(j *Job) { j.Workers = MaxWorkers + 1 }, "workers must be between 1 and 1024, got 1025"},
		{"in-flight -1", func(j *Job) { j.InFlight = -1 }, "in-flight frames must be >= 0, got -1"},
		{"frame 0 after good ones", func(j *Job) { j.Frames = []int{1, 2, 0} }, "frame numbers start at 1 and go up to 1000000, got 0"},
		{"frame past the end", func(j *Job) { j.Frames = []int{scene.MaxFrames + 1} }, "got 1000001"},
	} {
		j := smallJob(2)
		c.edit(&j)
		err := j.validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: validate = %v, want nil", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: validate = %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// TestRunFrames checks what the sink is given: the frames asked for, in any
// order, each with its time, its pixels, its evaluations and how long it
// took; and the job's totals.
func TestRunFrames(t *testing.T) {
	job := smallJob(0)
	job.Frames = []int{7, 2, 30}
	job.Width, job.Height, job.Tile = 24, 16, 8
	var mu sync.Mutex
	got := map[int]Frame{}
	pix := map[int][]byte{}
	st, err := Run(context.Background(), job, func(_ context.Context, f Frame) error {
		mu.Lock()
		defer mu.Unlock()
		got[f.Number] = f
		pix[f.Number] = slices.Clone(f.Image.(*image.RGBA).Pix)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var evals int64
	for _, n := range job.Frames {
		f, ok := got[n]
		if !ok {
			t.Errorf("frame %d was not delivered", n)
			continue
		}
		if f.Time != float64(n-1)/30 {
			t.Errorf("frame %d: Time = %g, want %g", n, f.Time, float64(n-1)/30)
		}
		if f.Elapsed <= 0 || f.Elapsed > st.Wall {
			t.Errorf("frame %d: Elapsed = %v, want above 0 and at most the job's %v", n, f.Elapsed, st.Wall)
		}
		// Its pixels and evaluations are those of its tiles rendered one by one.
		plan := newFramePlan(job.Animation.At(f.Time), job.Settings, nil)
		img := job.Settings.newImage()
		var want int64
		s := newScratch(waveSize(job.Tile, job.Samples))
		for _, r := range tiles(job.Width, job.Height, job.Tile) {
			want += plan.renderTile(img, r, s)
		}
		if f.Evals != want {
			t.Errorf("frame %d: Evals = %d, want %d, its tiles' sum", n, f.Evals, want)
		}
		if !slices.Equal(pix[n], img.(*image.RGBA).Pix) {
			t.Errorf("frame %d: pixels differ from its tiles rendered one by one", n)
		}
		evals += want
	}
	if len(got) != 3 || st.Frames != 3 || st.Units != 3*6 || st.Evals != evals {
		t.Errorf("delivered %d frames; Stats = %+v; want 3 frames, 18 units, %d evaluations", len(got), st, evals)
	}
}

// TestRunHoldsExactlyInFlightFrames blocks the sink until the job holds its
// limit of frames, and checks that no further frame is started meanwhile and
// that the peak is the limit exactly.
func TestRunHoldsExactlyInFlightFrames(t *testing.T) {
	for _, c := range []struct{ workers, inFlight, want int }{{2, 3, 3}, {1, 0, 3}, {2, 1, 1}} {
		t.Run(fmt.Sprintf("workers %d, in-flight %d", c.workers, c.inFlight), func(t *testing.T) {
			job := smallJob(c.want + 3)
			job.Width, job.Height, job.Tile = 16, 8, 8
			job.Workers, job.InFlight = c.workers, c.inFlight
			full := make(chan struct{}) // closed once a tile of the last frame the limit allows is rendered
			gate := make(chan struct{}) // closed to let the sink go on
			var once sync.Once
			var mu sync.Mutex
			var early []int
			open := false
			job.OnTile = func(d TileDone) {
				mu.Lock()
				defer mu.Unlock()
				if !open && d.Frame > c.want {
					early = append(early, d.Frame)
				}
				if d.Frame == c.want {
					once.Do(func() { close(full) })
				}
			}
			go func() {
				select {
				case <-full:
					time.Sleep(50 * time.Millisecond) // for a frame beyond the limit to show up, wrongly
				case <-time.After(10 * time.Second):
					t.Errorf("frame %d never started while the sink held the frames before it", c.want)
				}
				mu.Lock()
				open = true
				mu.Unlock()
				close(gate)
			}()
			st, err := Run(context.Background(), job, func(context.Context, Frame) error {
				<-gate
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(early) > 0 {
				t.Errorf("frames %v started while %d frames were held, the limit", early, c.want)
			}
			if st.PeakHeld != c.want || st.Frames != c.want+3 {
				t.Errorf("PeakHeld = %d, Frames = %d; want %d and %d", st.PeakHeld, st.Frames, c.want, c.want+3)
			}
		})
	}
}

func TestRunCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("stopped by the user")
	cancel(stop)
	called := false
	st, err := Run(ctx, smallJob(3), func(context.Context, Frame) error { called = true; return nil })
	if !errors.Is(err, stop) {
		t.Errorf("Run with a cancelled context: err = %v, want its cause %v", err, stop)
	}
	if called || st.Frames != 0 || st.Units != 0 {
		t.Errorf("Run with a cancelled context: sink called %v, Stats %+v; want nothing done", called, st)
	}
}

// TestRunStopsAtTheFailingFrame checks that a sink's error is Run's, as it
// was returned, and that no frame is handed over after it.
func TestRunStopsAtTheFailingFrame(t *testing.T) {
	job := smallJob(20)
	job.Workers, job.InFlight, job.Output = 1, 1, Inline{}
	boom := errors.New("no space left on device")
	var calls []int
	st, err := Run(context.Background(), job, func(_ context.Context, f Frame) error {
		calls = append(calls, f.Number)
		if f.Number == 3 {
			return boom
		}
		return nil
	})
	if err != boom {
		t.Errorf("err = %v, want the sink's own %v", err, boom)
	}
	if !slices.Equal(calls, []int{1, 2, 3}) || st.Frames != 2 {
		t.Errorf("sink called for %v, Stats.Frames %d; want frames 1 to 3, and 2 accepted", calls, st.Frames)
	}
}

// TestRunTracesEveryUnit checks the spans' contents: one tile span per unit,
// with its frame and rectangle, and one output span per frame in its slot's
// lane.
func TestRunTracesEveryUnit(t *testing.T) {
	job := smallJob(4)
	job.Width, job.Height, job.Tile, job.Workers, job.InFlight = 20, 10, 8, 2, 2
	job.Trace = true
	_, st := collect(t, job)
	ts := tiles(job.Width, job.Height, job.Tile)
	tilesSeen := map[int][]image.Rectangle{}
	outputs := map[int]int{}
	for _, s := range st.Spans {
		switch s.Kind {
		case SpanTile:
			tilesSeen[s.Frame] = append(tilesSeen[s.Frame], s.Tile)
			if s.Lane < 0 || s.Lane >= job.Workers {
				t.Errorf("tile span in lane %d, want a worker's, 0 or 1", s.Lane)
			}
		case SpanOutput:
			outputs[s.Frame]++
			if s.Lane < job.Workers || s.Lane >= job.Workers+job.InFlight || s.Tile != (image.Rectangle{}) {
				t.Errorf("output span %+v: want lane 2 or 3 (a slot's) and no tile", s)
			}
		default:
			t.Errorf("span of kind %d", s.Kind)
		}
	}
	for _, n := range job.Frames {
		got := tilesSeen[n]
		slices.SortFunc(got, func(a, b image.Rectangle) int {
			return cmpInts(a.Min.Y, b.Min.Y, a.Min.X, b.Min.X)
		})
		if !slices.Equal(got, ts) {
			t.Errorf("frame %d: tile spans %v, want %v", n, got, ts)
		}
		if outputs[n] != 1 {
			t.Errorf("frame %d: %d output spans, want 1", n, outputs[n])
		}
	}
}

func cmpInts(a1, b1, a2, b2 int) int {
	if a1 != b1 {
		return a1 - b1
	}
	return a2 - b2
}
