package render

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sdfrender/render/scene"
)

// PixelVersion changes whenever a change to the renderer changes the pixels it
// makes. Job fingerprints include it, so frames of another version are not taken
// for this one's.
const PixelVersion = 4

// Limits on a job's scheduling, so that a typo cannot ask for a goroutine
// explosion. The limits on what is rendered (size, samples, frames, fps) are
// scene's: scene.MaxSize and its neighbours.
const (
	MaxWorkers = 1024
	MaxTile    = 4096
)

// Job is an animation to render: some of its frames, each cut into square tiles
// that a pool of workers renders in parallel.
type Job struct {
	Animation scene.Animation
	Frames    []int   // frame numbers to render, from 1; frame n shows time (n-1)/FPS
	FPS       float64 // frames per second of the animation
	Settings
	Tile    int // edge of a tile in pixels; tiles at the right and bottom edges may be smaller
	Workers int // goroutines rendering tiles
	// InFlight bounds the frames held in memory at once: frames being rendered plus
	// frames being written. 0 means Workers + 2, enough to keep every worker busy
	// while finished frames are encoded.
	InFlight int
	// Output is where a finished frame is handed to the Sink; nil means
	// Overlapped, on a goroutine of its own while the workers go on rendering.
	Output Output
	// Trace records a Span for every tile and every output in Stats.Spans.
	Trace bool
	// OnTile, if set, is called by the worker that rendered each tile, just after,
	// to watch the job live. It runs on the hot path: it must be quick and must
	// never wait.
	OnTile func(TileDone)
}

// TileDone is a tile just rendered, as OnTile sees it.
type TileDone struct {
	Frame      int
	Worker     int             // from 0 to Workers-1
	Rect       image.Rectangle // the tile's pixels in the frame
	Start, End time.Duration   // since the job started
	// Image is the frame being rendered. Only Rect may be read, and only until
	// OnTile returns: other workers are writing the rest, and the memory is reused.
	Image image.Image
}

func (j Job) validate() error {
	if err := j.Settings.Validate(); err != nil {
		return err
	}
	switch {
	case j.Animation == nil:
		return errors.New("render: the job has no animation")
	case len(j.Frames) == 0:
		return errors.New("render: the job has no frames")
	case !(j.FPS > 0 && j.FPS <= scene.MaxFPS):
		return fmt.Errorf("render: fps must be above 0 and at most %d, got %g", scene.MaxFPS, j.FPS)
	case j.Tile < 1 || j.Tile > MaxTile:
		return fmt.Errorf("render: tile must be between 1 and %d pixels, got %d", MaxTile, j.Tile)
	case j.Workers < 1 || j.Workers > MaxWorkers:
		return fmt.Errorf("render: workers must be between 1 and %d, got %d", MaxWorkers, j.Workers)
	case j.InFlight < 0:
		return fmt.Errorf("render: in-flight frames must be >= 0, got %d", j.InFlight)
	}
	for _, n := range j.Frames {
		if n < 1 || n > scene.MaxFrames {
			return fmt.Errorf("render: frame numbers start at 1 and go up to %d, got %d", scene.MaxFrames, n)
		}
	}
	return nil
}

// FramesHeld returns the most frames the job holds in memory at once: InFlight,
// or Workers + 2 when that is 0.
func (j Job) FramesHeld() int {
	if j.InFlight > 0 {
		return j.InFlight
	}
	return j.Workers + 2
}

// Time returns the time in seconds that frame n of the animation shows.
func (j Job) Time(n int) float64 { return float64(n-1) / j.FPS }

// Frame is a finished frame, handed to the Sink.
type Frame struct {
	Number  int
	Time    float64    // seconds
	Image   draw.Image // *image.RGBA, or *image.RGBA64 at depth 16; valid only until the Sink returns: its memory is reused
	Elapsed time.Duration
	Evals   int64 // signed distance evaluations it took
}

// Sink takes finished frames: it encodes and writes them, typically. Run calls it
// from several goroutines at once, while the workers go on rendering the next
// frames, so frames may arrive slightly out of order. An error stops the job.
type Sink func(ctx context.Context, f Frame) error

// Stats describe a finished (or stopped) job.
type Stats struct {
	Frames   int   // frames rendered and accepted by the Sink
	Units    int   // tiles rendered
	Evals    int64 // signed distance evaluations
	Samples  int64 // samples that make the pixels rendered: Samples per pixel, or more with adaptive anti-aliasing
	PeakHeld int   // most frames held in memory at once
	Procs    int   // GOMAXPROCS while the job ran: the cores its goroutines could run on at once
	Wall     time.Duration
	Spans    []Span // with Job.Trace: every tile and output, by start time
}

// SpanKind says what a Span was doing.
type SpanKind int

// The kinds of span.
const (
	SpanTile   SpanKind = iota // a worker rendering a tile
	SpanOutput                 // a finished frame handed to the Sink
)

// Span is one piece of work of a traced job, timed from the start of the job.
type Span struct {
	Kind SpanKind
	// Lane is who did it: worker i is lane i, and outputs use lanes Workers to
	// Workers+InFlight-1, one per frame slot, so that no two spans of a lane overlap
	// (with Inline output, the worker that ran the output).
	Lane       int
	Frame      int
	Tile       image.Rectangle // the tile, for SpanTile
	Start, End time.Duration
}

// Run renders job, handing each finished frame to sink, and returns when every frame
// is delivered, when the sink or a frame fails, or when ctx is cancelled. Then it
// stops handing out tiles, lets the frames already handed to sink finish, drops
// the frames not yet complete, and returns the cause: ctx.Err() on cancellation.
//
// All (frame, tile) units of the job go through one queue, frame by frame, served by
// job.Workers goroutines, so no worker idles while any unit is left and frames finish
// roughly in order. A finished frame goes to sink as job.Output says: by default on
// a goroutine of its own, so encoding and writing overlap with rendering. The
// pixels do not depend on the number of workers, the tile size or job.Output:
// every pixel is a pure function of the scene, the settings and its position.
func Run(ctx context.Context, job Job, sink Sink) (Stats, error) {
	if err := job.validate(); err != nil {
		return Stats{}, err
	}
	job.InFlight = job.FramesHeld()
	if job.Output == nil {
		job.Output = Overlapped{}
	}
	procs := runtime.GOMAXPROCS(0)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ts := tiles(job.Width, job.Height, job.Tile)
	r := &run{
		job:    job,
		sink:   sink,
		ctx:    ctx,
		cancel: cancel,
		start:  time.Now(),
		tiles:  ts,
		// Room for a whole frame's tiles, so the workers do not starve while the
		// producer waits for a core to set up the next frame.
		units:   make(chan unit, len(ts)+job.Workers),
		slots:   make(chan int, job.InFlight),
		buffers: make(chan draw.Image, job.InFlight),
		codes:   make(chan []instruction, job.InFlight),
		spans:   make([][]Span, job.Workers+job.InFlight),
	}
	for i := range job.InFlight {
		r.slots <- i
	}
	var workers sync.WaitGroup
	for i := range job.Workers {
		workers.Go(func() { r.work(i) })
	}
	r.produce()
	workers.Wait()
	r.outputs.Wait() // every output was started by a worker, so none starts after this

	st := Stats{
		Frames:   int(r.delivered.Load()),
		Units:    int(r.rendered.Load()),
		Evals:    r.evals.Load(),
		Samples:  r.samples.Load(),
		PeakHeld: int(r.peak.Load()),
		Procs:    procs,
		Wall:     time.Since(r.start),
	}
	if job.Trace {
		for _, lane := range r.spans {
			st.Spans = append(st.Spans, lane...)
		}
		slices.SortFunc(st.Spans, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	}
	return st, context.Cause(ctx)
}

// run is the state of one Run, shared by its goroutines.
type run struct {
	job    Job
	sink   Sink
	ctx    context.Context
	cancel context.CancelCauseFunc
	start  time.Time
	tiles  []image.Rectangle

	units   chan unit
	slots   chan int           // the free frame slots: a frame holds one while in memory
	buffers chan draw.Image    // frame buffers to reuse, at most one per slot
	codes   chan []instruction // compiled programs' memory to reuse, likewise
	outputs sync.WaitGroup     // frames being delivered to the sink
	// spans holds each lane's trace, written only by that lane's goroutine:
	// a worker, or the output of the frame holding a slot.
	spans [][]Span

	held, peak atomic.Int32 // frames held now, and the most ever
	delivered  atomic.Int32
	rendered   atomic.Int64
	evals      atomic.Int64
	samples    atomic.Int64
}

// frame is one frame being rendered: its tiles are written by many workers at once,
// each to its own pixels.
type frame struct {
	number    int
	slot      int
	time      float64
	plan      *framePlan
	img       draw.Image
	remaining atomic.Int32 // tiles still to render
	started   atomic.Int64 // Unix nanoseconds when its first tile started
	evals     atomic.Int64
}

// unit is one tile of one frame: what a worker takes from the queue.
type unit struct {
	frame *frame
	rect  image.Rectangle
}

// produce queues the units of every frame, frame by frame, waiting for a free slot
// before it starts a frame, and closes the queue when done or cancelled.
func (r *run) produce() {
	defer close(r.units)
	for _, n := range r.job.Frames {
		var slot int
		select {
		case slot = <-r.slots:
		case <-r.ctx.Done():
			return
		}
		held := r.held.Add(1)
		for p := r.peak.Load(); held > p && !r.peak.CompareAndSwap(p, held); p = r.peak.Load() {
		}
		t := r.job.Time(n)
		times := r.job.SampleTimes(n)
		scenes := make([]*scene.Scene, len(times))
		for k, at := range times {
			scenes[k] = r.job.Animation.At(at)
			if err := scenes[k].Validate(); err != nil {
				r.cancel(fmt.Errorf("render: frame %d: %w", n, err))
				return
			}
		}
		var plan *framePlan
		if len(scenes) > 1 {
			plan = newMomentsPlan(scenes, r.job.Settings, n)
		} else {
			var code []instruction
			select {
			case code = <-r.codes:
			default:
			}
			plan = newFramePlan(scenes[0], r.job.Settings, code)
			plan.frame = n
		}
		f := &frame{number: n, slot: slot, time: t, plan: plan, img: r.buffer()}
		f.remaining.Store(int32(len(r.tiles)))
		for _, rect := range r.tiles {
			select {
			case r.units <- unit{f, rect}:
			case <-r.ctx.Done():
				return
			}
		}
	}
}

// work renders units as worker number lane until the queue is closed. Once the
// job is stopped it only drains the queue.
func (r *run) work(lane int) {
	s := workerScratch(r.job.Settings, r.job.Tile)
	for u := range r.units {
		if r.ctx.Err() != nil {
			continue
		}
		start := time.Since(r.start)
		if err := r.render(u, s); err != nil {
			r.cancel(err)
			continue
		}
		r.trace(lane, Span{Kind: SpanTile, Frame: u.frame.number, Tile: u.rect, Start: start})
		if r.job.OnTile != nil {
			r.job.OnTile(TileDone{Frame: u.frame.number, Worker: lane, Rect: u.rect, Start: start, End: time.Since(r.start), Image: u.frame.img})
		}
		if u.frame.remaining.Add(-1) != 0 {
			continue
		}
		r.job.Output.hand(r, u.frame, lane)
	}
}

// trace records span, ending now, in lane's trace.
func (r *run) trace(lane int, span Span) {
	if r.job.Trace {
		span.Lane, span.End = lane, time.Since(r.start)
		r.spans[lane] = append(r.spans[lane], span)
	}
}

// render renders one unit, turning a panic (a bug in a shape, say) into an error
// that names the frame and tile instead of killing the process mid-write.
func (r *run) render(u unit, s *scratch) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("render: frame %d, tile %v: panic: %v", u.frame.number, u.rect, p)
		}
	}()
	u.frame.started.CompareAndSwap(0, time.Now().UnixNano())
	before := s.samples
	evals := u.frame.plan.renderTile(u.frame.img, u.rect, s)
	u.frame.evals.Add(evals)
	r.evals.Add(evals)
	r.samples.Add(s.samples - before)
	r.rendered.Add(1)
	return nil
}

// deliver hands a finished frame to the sink and frees its slot; lane is whose
// work it is, for the trace.
func (r *run) deliver(f *frame, lane int) {
	defer r.release(f)
	if r.ctx.Err() != nil {
		return
	}
	start := time.Since(r.start)
	defer r.trace(lane, Span{Kind: SpanOutput, Frame: f.number, Start: start})
	err := r.sink(r.ctx, Frame{
		Number:  f.number,
		Time:    f.time,
		Image:   f.img,
		Elapsed: time.Duration(time.Now().UnixNano() - f.started.Load()),
		Evals:   f.evals.Load(),
	})
	if err != nil {
		r.cancel(err)
		return
	}
	r.delivered.Add(1)
}

// buffer returns a frame buffer, reusing a released one where it can.
// Every frame starts transparent, new or reused, and a render writes only
// opaque pixels: a tile left unrendered shows as transparent, never as the
// frame that last used the buffer, and tests can tell.
func (r *run) buffer() draw.Image {
	select {
	case img := <-r.buffers:
		switch img := img.(type) {
		case *image.RGBA:
			clear(img.Pix)
		case *image.RGBA64:
			clear(img.Pix)
		}
		return img
	default:
		return r.job.Settings.newImage()
	}
}

func (r *run) release(f *frame) {
	r.buffers <- f.img // never blocks: at most one buffer exists per slot
	if f.plan.prog != nil {
		r.codes <- f.plan.prog.code // nor this
	}
	r.held.Add(-1)
	r.slots <- f.slot
}

// tiles cuts a width × height image into tiles of size × size pixels, row by row.
func tiles(width, height, size int) []image.Rectangle {
	var ts []image.Rectangle
	for y := 0; y < height; y += size {
		for x := 0; x < width; x += size {
			ts = append(ts, image.Rect(x, y, min(x+size, width), min(y+size, height)))
		}
	}
	return ts
}
