package render

import (
	"context"
	"image"
	"runtime"
	"testing"
	"time"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// TestTileAllocatesNothing checks the inner loop: rendering a tile of a prepared
// frame allocates nothing, so nothing is allocated per pixel or per ray.
func TestTileAllocatesNothing(t *testing.T) {
	b, _ := scenefile.Lookup("showcase")
	for _, set := range []Settings{{Width: 32, Height: 18, Samples: 4}, {Width: 32, Height: 18, Samples: 1, MaxSamples: 16, Threshold: 0.05}} {
		plan := newFramePlan(b.At(0.7), set, nil)
		img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
		s := workerScratch(set, 32)
		if n := testing.AllocsPerRun(3, func() { plan.renderTile(img, image.Rect(0, 0, 16, 16), s) }); n != 0 {
			t.Errorf("%+v: renderTile allocates %v times per tile, want 0", set, n)
		}
	}
}

// BenchmarkFrame renders one showcase frame at the default size on one goroutine,
// with the kernel of this build: run it as it is and with GOEXPERIMENT=simd to
// compare the two. ns/eval is per point evaluated, all the frame's time
// included, so it says what a whole evaluation costs in a render.
func BenchmarkFrame(b *testing.B) {
	sc, _ := scenefile.Lookup("showcase")
	s := sc.At(0.7)
	set := Settings{Width: 480, Height: 270, Samples: 1}
	img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
	scratch := newScratch(waveRays)
	b.ReportAllocs()
	var evals int64
	for b.Loop() {
		evals += newFramePlan(s, set, nil).renderTile(img, img.Rect, scratch)
	}
	px := float64(set.Width*set.Height) * float64(b.N)
	b.ReportMetric(px/b.Elapsed().Seconds()/1e6, "Mpx/s")
	b.ReportMetric(float64(evals)/px, "evals/px")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(evals), "ns/eval")
}

// BenchmarkDistance measures one evaluation of the showcase's distance field.
func BenchmarkDistance(b *testing.B) {
	sc, _ := scenefile.Lookup("showcase")
	root := sc.At(0.7).Root
	p := scene.Vec3{X: 0.3, Y: 0.8, Z: 1.9}
	var sink float64
	for b.Loop() {
		sink += root.Distance(p)
	}
	_ = sink
}

// BenchmarkJob renders a 12-frame job on the pool at one core and at all cores;
// compare the two ns/op for the speedup.
func BenchmarkJob(b *testing.B) {
	for _, cores := range []int{1, runtime.NumCPU()} {
		b.Run(map[bool]string{true: "cores=1", false: "cores=all"}[cores == 1], func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(cores))
			job := smallJob(12)
			job.Width, job.Height, job.Tile, job.Workers = 240, 135, 32, cores
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(context.Background(), job, func(context.Context, Frame) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(12*b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}

// BenchmarkSpeedup renders the same 12-frame job on one core and on all cores in
// every iteration, and reports the ratio of their wall times: the parallel speedup.
func BenchmarkSpeedup(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	all := runtime.NumCPU()
	job := smallJob(12)
	job.Width, job.Height, job.Tile = 240, 135, 32
	var one, many time.Duration
	for b.Loop() {
		for _, cores := range []int{1, all} {
			runtime.GOMAXPROCS(cores)
			job.Workers = cores
			st, err := Run(context.Background(), job, func(context.Context, Frame) error { return nil })
			if err != nil {
				b.Fatal(err)
			}
			if cores == 1 {
				one += st.Wall
			} else {
				many += st.Wall
			}
		}
	}
	b.ReportMetric(one.Seconds()/many.Seconds(), "speedup")
	b.ReportMetric(float64(all), "cores")
}

// BenchmarkMarcher renders one showcase frame at the default size, 480×270 at one
// sample, on one goroutine with the reference marcher and with the fast one, for
// benchstat to compare: go test -run XXX -bench Marcher -count 10 ./render.
func BenchmarkMarcher(b *testing.B) {
	sc, _ := scenefile.Lookup("showcase")
	s := sc.At(0.7)
	set := Settings{Width: 480, Height: 270, Samples: 1}
	for _, impl := range []string{"reference", "fast"} {
		b.Run("impl="+impl, func(b *testing.B) {
			var evals int64
			for b.Loop() {
				if impl == "reference" {
					_, n := renderReference(s, set)
					evals += n
					continue
				}
				img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
				evals += newFramePlan(s, set, nil).renderTile(img, img.Rect, newScratch(waveRays))
			}
			px := float64(set.Width*set.Height) * float64(b.N)
			b.ReportMetric(px/b.Elapsed().Seconds()/1e6, "Mpx/s")
			b.ReportMetric(float64(evals)/px, "evals/px")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(evals), "ns/eval")
		})
	}
}

// BenchmarkCompiledDistance measures one evaluation of the showcase's compiled
// distance field, to set beside BenchmarkDistance (the tree).
func BenchmarkCompiledDistance(b *testing.B) {
	sc, _ := scenefile.Lookup("showcase")
	prog := compile(sc.At(0.7).Root, nil)
	var st stacks
	p := scene.Vec3{X: 0.3, Y: 0.8, Z: 1.9}
	var sink float64
	for b.Loop() {
		sink += prog.distance(p, &st)
	}
	_ = sink
}

// BenchmarkKernel evaluates the showcase's compiled distance field over a full
// batch of points near its objects (few skips) with the kernel in use, and
// reports the cost per point, to set beside BenchmarkCompiledDistance (the
// interpreter, a point at a time, at a point where it skips most objects).
func BenchmarkKernel(b *testing.B) {
	sc, _ := scenefile.Lookup("showcase")
	prog := compile(sc.At(0.7).Root, nil)
	s := newScratch(waveRays)
	bt := &s.batch
	bt.n = batchLanes
	for l := range batchLanes {
		bt.x[0][l], bt.y[0][l], bt.z[0][l] = -3+6*float64(l)/batchLanes, 0.8, 1.9-float64(l%7)*0.3
	}
	for b.Loop() {
		bt.eval(s.kernel, prog)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batchLanes), "ns/point")
}

// BenchmarkChecks measures the march's escape checks (program.leaving) and
// the shadow rays' (program.unshaded), one at a time, at the points where a
// showcase frame's rays make them: ns/check is per check.
func BenchmarkChecks(b *testing.B) {
	sc, _ := scenefile.Lookup("showcase")
	plan := newFramePlan(sc.At(0.7), Settings{Width: 160, Height: 90, Samples: 1}, nil)
	tr := plan.tracer()
	type check struct {
		q, d   scene.Vec3
		t, res float64
	}
	var march, shadow []check
	l := tr.lights[0]
	for y := range 90 {
		for x := range 160 {
			ro, rd := plan.primary(x, y, 0, offset{0.5, 0.5})
			m := progress{}
			for i := range maxSteps {
				plane, ahead := tr.planesAhead(ro.Add(rd.Scale(m.t)), rd)
				d := tr.stepDistance(ro.Add(rd.Scale(m.t)), ahead)
				march = append(march, check{q: ro.Add(rd.Scale(m.t + d)), d: rd, t: m.t + d})
				if hit, done := tr.step(ro, rd, i, d, plane, &m); done {
					if hit {
						p := ro.Add(rd.Scale(m.t))
						p = p.Add(tr.normal(p, m.t).Scale(surfaceLift * tr.hitThreshold(m.t)))
						res, t := 1.0, shadowStart
						var blocker int32
						for i := range shadowSteps {
							q := p.Add(l.dir.Scale(t))
							plane, ahead := tr.planesAhead(q, l.dir)
							done := tr.shadowStep(p, l.dir, l.shadow, i, tr.stepDistance(q, ahead), plane, &t, &res, &blocker)
							shadow = append(shadow, check{q: p.Add(l.dir.Scale(t)), d: l.dir, t: t, res: res})
							if done {
								break
							}
						}
					}
					break
				}
			}
		}
	}
	pr := plan.prog
	b.Run("escape", func(b *testing.B) {
		for b.Loop() {
			var blocker int32
			for _, c := range march {
				pr.leaving(c.q, c.d, c.t, minHitDist, tr.slope, false, &blocker)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(march)), "ns/check")
	})
	b.Run("unshaded", func(b *testing.B) {
		for b.Loop() {
			var blocker int32
			for _, c := range shadow {
				pr.unshaded(c.q, c.d, c.t, l.shadow, c.res, &blocker)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(shadow)), "ns/check")
	})
}
