package render

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// TestConeStartIsClear checks what coneStart promises: along every primary
// ray through a block, up to where the block's cone stops, the distance to
// the scene but the planes the marcher takes itself (to all of it, where it
// takes none) stays at least the hit threshold; and up to where the ray
// starts (rayStart), it has not crossed a plane. So the march from the
// camera could not have hit anything there. It looks along rays through the
// block's corners and at random points within it, in every built-in scene
// with a pinhole camera, and wants the rays to start a good way out.
func TestConeStartIsClear(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, f := range scenefile.Builtins() {
		for _, at := range []float64{0.3, 2.1} {
			set := Settings{Width: 96, Height: 54, Samples: 1}
			plan := newFramePlan(f.At(at), set, nil)
			if !plan.view.pinhole() {
				continue // TestConeStartsAtTheLens
			}
			tr := plan.tracer()
			var blocks, far int
			for by := 0; by*block < set.Height; by++ {
				for bx := 0; bx*block < set.Width; bx++ {
					s := plan.coneStart(&tr, bx, by)
					blocks++
					x0, y0 := float64(bx*block), float64(by*block)
					points := [][2]float64{{x0, y0}, {x0 + block, y0}, {x0, y0 + block}, {x0 + block, y0 + block}}
					for range 8 {
						points = append(points, [2]float64{x0 + block*r.Float64(), y0 + block*r.Float64()})
					}
					starts := 0.0
					for _, p := range points {
						ro, rd := plan.view.through(p[0], p[1], 0, 0)
						for k := 0; k <= 64; k++ {
							u := s * float64(k) / 64
							if d, thr := tr.stepDistance(ro.Add(rd.Scale(u)), math.Inf(1)), tr.hitThreshold(u); d < thr {
								t.Fatalf("%s at %gs, block (%d, %d): the cone stops at %g, but the ray through (%g, %g) comes within %g of the scene at %g, under the hit threshold %g",
									f.Name, at, bx, by, s, p[0], p[1], d, u, thr)
							}
						}
						start := tr.rayStart(rd, s)
						for k := 0; k <= 64; k++ {
							u := start * float64(k) / 64
							if plane, _ := tr.planesAhead(ro.Add(rd.Scale(u)), rd); plane < -1e-9*max(1, u) {
								t.Fatalf("%s at %gs, block (%d, %d): the ray through (%g, %g) starts at %g, but is %g under a plane at %g", f.Name, at, bx, by, p[0], p[1], start, -plane, u)
							}
						}
						starts += start
					}
					if starts/float64(len(points)) >= 1 {
						far++
					}
				}
			}
			if far < blocks/2 {
				t.Errorf("%s at %gs: the rays of %d blocks of %d start a unit or more from the camera, want half of them or more", f.Name, at, far, blocks)
			}
		}
	}
}

// TestMirrorStartIsClear checks what mirrorStart promises: along every
// reflection of a primary ray, up to where it starts, the distance to the
// scene stays at least the reflection's hit threshold, so its march from its
// hit could not have hit anything there; and the reflections of open ground,
// not of the ball, most of them start further on. It follows the rays of
// pixels of every built-in scene with a pinhole camera and a reflecting
// plane, as the tracer does, at a size where a pixel is as small as in a
// frame worth the cones.
func TestMirrorStartIsClear(t *testing.T) {
	for _, f := range scenefile.Builtins() {
		for _, at := range []float64{0.3, 2.1} {
			set := Settings{Width: 240, Height: 135, Samples: 1}
			plan := newFramePlan(f.At(at), set, nil)
			tr := plan.tracer()
			if !plan.view.pinhole() || tr.prog == nil || !tr.prog.split() || len(tr.prog.planes) != 1 {
				continue
			}
			tr.originDist = tr.stepDistance(tr.origin, math.Inf(1))
			reflections, further, ground := 0, 0, 0
			for y := 0; y < set.Height; y += 3 {
				for x := 0; x < set.Width; x += 3 {
					ro, rd := plan.primary(x, y, 0, offset{0.5, 0.5})
					m := plan.mirrorCone(&tr, x/block, y/block)
					hitT, hit := tr.march(ro, rd, tr.rayStart(rd, plan.coneStart(&tr, x/block, y/block)))
					if !hit {
						continue
					}
					p := ro.Add(rd.Scale(hitT))
					n := tr.normal(p, hitT)
					var mat scene.Material
					if tr.surface(p, false, &mat); mat.Reflect == 0 {
						continue
					}
					onGround := tr.prog.planes[0].Distance(p) < tr.hitThreshold(hitT)
					p = p.Add(n.Scale(surfaceLift * tr.hitThreshold(hitT)))
					d := reflect(rd, n)
					start := tr.mirrorStart(p, d, &m)
					reflections++
					if start > 0 {
						further++
						if !onGround {
							t.Errorf("%s at %gs, pixel (%d, %d): a reflection off something other than the plane starts at %g", f.Name, at, x, y, start)
						}
					}
					if onGround {
						ground++
					}
					for k := 0; start > 0 && k <= 128; k++ {
						u := min(start, farPlane) * float64(k) / 128
						if dist, thr := tr.distance(p.Add(d.Scale(u))), tr.hitThreshold(u); dist < thr {
							t.Fatalf("%s at %gs, pixel (%d, %d): the reflection starts at %g, but comes within %g of the scene at %g, under the hit threshold %g",
								f.Name, at, x, y, start, dist, u, thr)
						}
					}
				}
			}
			if further < ground*2/3 {
				t.Errorf("%s at %gs: %d of %d reflections, %d of them off the ground, start further on; want two thirds of the ground's or more", f.Name, at, further, reflections, ground)
			}
		}
	}
}

// TestConeStartsAtTheLens checks that the rays of a lens camera, which start
// apart, and those of the reference marcher start at the camera.
func TestConeStartsAtTheLens(t *testing.T) {
	focus, _ := scenefile.Lookup("focus")
	set := Settings{Width: 64, Height: 36, Samples: 1}
	plan := newFramePlan(focus.At(1), set, nil)
	tr := plan.tracer()
	if plan.view.pinhole() {
		t.Fatal("the focus scene's camera is a pinhole; the test wants a lens")
	}
	if s := plan.coneStart(&tr, 3, 2); s != 0 || tr.evals != 0 {
		t.Errorf("a lens camera's rays start at %g, after %d evaluations, want 0 and none", s, tr.evals)
	}
	showcase, _ := scenefile.Lookup("showcase")
	plan = newFramePlan(showcase.At(1), set, nil)
	tr = plan.tracer()
	tr.asReference()
	if s := plan.coneStart(&tr, 3, 2); s != 0 {
		t.Errorf("the reference marcher's rays start at %g, want 0", s)
	}
}

// TestConeRoom checks that a worker's memory for the cones, made once, holds
// those of any tile, wherever it lies on the blocks' grid: rendering does not
// grow it.
func TestConeRoom(t *testing.T) {
	showcase, _ := scenefile.Lookup("showcase")
	for _, c := range []struct {
		set  Settings
		tile int
	}{
		{Settings{Width: 200, Height: 120, Samples: 1}, 32},
		{Settings{Width: 200, Height: 120, Samples: 1}, 13},
		{Settings{Width: 200, Height: 120, Samples: 1}, 128}, // in bands
		{Settings{Width: 200, Height: 120, Samples: 1, MaxSamples: 8, Threshold: 0.01}, 21},
		{Settings{Width: 200, Height: 120, Samples: 2, Shutter: 0.5}, 19},
	} {
		t.Run(fmt.Sprintf("%+v/tile%d", c.set, c.tile), func(t *testing.T) {
			job := Job{Settings: c.set, Tile: c.tile, FPS: 30}
			plan := newFramePlan(showcase.At(0.1), c.set, nil)
			if c.set.Shutter > 0 {
				var scenes []*scene.Scene
				for _, at := range job.SampleTimes(3) {
					scenes = append(scenes, showcase.At(at))
				}
				plan = newMomentsPlan(scenes, c.set, 3)
			}
			s := workerScratch(c.set, c.tile)
			room, marches := cap(s.sampler.cones.starts), cap(s.sampler.cones.marches)
			img := c.set.newImage()
			for _, r := range tiles(c.set.Width, c.set.Height, c.tile) {
				plan.renderTile(img, r, s)
			}
			if got := cap(s.sampler.cones.starts); got != room {
				t.Errorf("the cones' memory grew from %d to %d", room, got)
			}
			if got := cap(s.sampler.cones.marches); got != marches {
				t.Errorf("the memory of the cones' marches grew from %d to %d", marches, got)
			}
		})
	}
}

// TestConesLookUpTheirBlocks checks the table of cones: a pixel's rays start
// where its own block's cone, at its own moment, stops, and their reflections
// take its own block's mirror cone.
func TestConesLookUpTheirBlocks(t *testing.T) {
	showcase, _ := scenefile.Lookup("showcase")
	set := Settings{Width: 120, Height: 80, Samples: 1}
	plans := []*framePlan{newFramePlan(showcase.At(0.2), set, nil), newFramePlan(showcase.At(1.7), set, nil)}
	var c cones
	for _, r := range []image.Rectangle{image.Rect(0, 0, 120, 80), image.Rect(13, 7, 45, 39), image.Rect(64, 32, 96, 64)} {
		c.reset(r, len(plans))
		for y := r.Min.Y; y < r.Max.Y; y += 3 {
			for x := r.Min.X; x < r.Max.X; x += 5 {
				for k, m := range plans {
					tr := m.tracer()
					got := c.starts[c.at(m, &tr, k, x, y)]
					if want := m.coneStart(&tr, x/block, y/block); got.start != want {
						t.Fatalf("in %v, pixel (%d, %d) at moment %d starts at %g, want its block's %g", r, x, y, k, got.start, want)
					}
					if want := m.mirrorCone(&tr, x/block, y/block); got.mirror != want {
						t.Fatalf("in %v, pixel (%d, %d) at moment %d has the mirror cone %+v, want its block's %+v", r, x, y, k, got.mirror, want)
					}
				}
			}
		}
	}
}

// TestWaveMarchesConesAsAlone renders tiles with waves, which march the
// cones of a wave's blocks together in batches (wave.marchCones), and checks
// every cone they worked out against the cone marched alone, with the
// interpreter (coneStart, mirrorCone): the same bits, for a pinhole camera
// and for one with a shutter open over moments the camera moves through.
func TestWaveMarchesConesAsAlone(t *testing.T) {
	showcase, _ := scenefile.Lookup("showcase")
	for _, shutter := range []float64{0, 0.5} {
		set := Settings{Width: 96, Height: 64, Samples: 2, Shutter: shutter}
		plan := newFramePlan(showcase.At(0.4), set, nil)
		if shutter > 0 {
			job := Job{Settings: set, Tile: 32, FPS: 30}
			var scenes []*scene.Scene
			for _, at := range job.SampleTimes(12) {
				scenes = append(scenes, showcase.At(at))
			}
			plan = newMomentsPlan(scenes, set, 12)
		}
		s := workerScratch(set, 40)
		img := set.newImage()
		checked, mirrors := 0, 0
		for _, r := range tiles(set.Width, set.Height, 40) {
			plan.renderTile(img, r, s)
			c := &s.sampler.cones
			for k := range max(1, len(plan.moments)) {
				m := plan.momentPlan(k)
				for by := range c.down {
					for bx := range c.across {
						got := c.starts[(k*c.down+by)*c.across+bx]
						if got.start != got.start {
							continue // no sample there looked through it
						}
						tr := m.tracer()
						if want := m.coneStart(&tr, c.x0+bx, c.y0+by); got.start != want {
							t.Fatalf("shutter %g, moment %d, block (%d, %d): the wave's cone stops at %g, alone at %g", shutter, k, c.x0+bx, c.y0+by, got.start, want)
						}
						if want := m.mirrorCone(&tr, c.x0+bx, c.y0+by); got.mirror != want {
							t.Fatalf("shutter %g, moment %d, block (%d, %d): the wave's mirror cone %+v, alone %+v", shutter, k, c.x0+bx, c.y0+by, got.mirror, want)
						}
						checked++
						if got.mirror.stop > 0 {
							mirrors++
						}
					}
				}
			}
		}
		if checked == 0 || mirrors == 0 {
			t.Errorf("shutter %g: %d cones checked, %d mirror cones that go anywhere; want some of each", shutter, checked, mirrors)
		}
	}
}
