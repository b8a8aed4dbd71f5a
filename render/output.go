package render

// Output is the policy that decides where a finished frame meets the Sink: on a
// goroutine of its own (Overlapped, the default) or on the worker that rendered
// its last tile (Inline). A new policy is one more type with a hand method; the
// interface is closed to other packages because a policy works on the run's
// internals (its lanes and the outputs Run waits for).
type Output interface {
	// hand delivers f, whose last tile worker has just rendered, with r.deliver:
	// at once, or on a goroutine joined by r.outputs.
	hand(r *run, f *frame, worker int)
}

// Overlapped hands each finished frame to the Sink on a goroutine of its own, so
// that encoding and writing overlap with rendering. A nil Job.Output means this.
// Its spans are traced in the lane of the frame's slot, after the workers' lanes.
type Overlapped struct{}

func (Overlapped) hand(r *run, f *frame, _ int) {
	r.outputs.Go(func() { r.deliver(f, r.job.Workers+f.slot) })
}

// Inline hands a finished frame to the Sink on the worker that rendered its last
// tile, which renders nothing meanwhile. It exists to measure what Overlapped
// gains. Its spans are traced in that worker's lane.
type Inline struct{}

func (Inline) hand(r *run, f *frame, worker int) { r.deliver(f, worker) }
