package render

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// TestKernelsMatchInterpreter evaluates every compile case over batches of random
// points with each kernel this build has, and wants the interpreter's bits for
// every point: the same distance, not one within a tolerance.
func TestKernelsMatchInterpreter(t *testing.T) {
	kernels := []kernel{&batchKernel{}}
	if activeKernel.name() != kernels[0].name() {
		kernels = append(kernels, activeKernel)
	}
	programs := map[string]*program{}
	for name, n := range compileCases() {
		programs[name] = compile(n, nil)
		// The same program with every bound too small, so that the
		// interpreter skips what it should not, and its skips marked as not
		// exact: a batch must still give its bits, which only the masks can (a
		// batch cannot skip for some points alone).
		programs[name+" (bounds too small)"] = tooSmall(compile(n, nil), false)
	}
	for name, prog := range programs {
		for _, k := range kernels {
			t.Run(name+"/"+k.name(), func(t *testing.T) {
				var st stacks
				b := new(batch)
				r := rand.New(rand.NewPCG(9, 10))
				for range 60 {
					// Points near each other, as a tile's rays are, some batches
					// short, so that skips are taken by some points and not others.
					b.n = laneGroup * (1 + r.IntN(batchLanes/laneGroup))
					c := scene.Vec3{X: r.Float64()*8 - 4, Y: r.Float64()*4 - 1, Z: r.Float64()*8 - 4}
					spread := []float64{0.05, 0.5, 3}[r.IntN(3)]
					for l := range b.n {
						b.x[0][l] = c.X + spread*(r.Float64()-0.5)
						b.y[0][l] = c.Y + spread*(r.Float64()-0.5)
						b.z[0][l] = c.Z + spread*(r.Float64()-0.5)
					}
					if strings.HasPrefix(name, "opaque shape") {
						continue // panicky panics by design
					}
					b.eval(k, prog)
					for l := range b.n {
						p := scene.Vec3{X: b.x[0][l], Y: b.y[0][l], Z: b.z[0][l]}
						want := prog.distance(p, &st)
						if got := b.ds[0][l]; math.Float64bits(got) != math.Float64bits(want) {
							t.Fatalf("%s kernel at %v = %.17g, interpreter %.17g", k.name(), p, got, want)
						}
					}
				}
			})
		}
	}
}

// TestWaveMatchesTracer renders every built-in scene, and a scene file, with the
// batched renderer and with the tracer, a ray at a time, and wants the same
// bytes: at one sample and four, at 8 and 16 bits, in tiles of several sizes.
func TestWaveMatchesTracer(t *testing.T) {
	files := scenefile.Builtins()
	f, err := scenefile.Load("../testdata/scenes/spinning-top.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, f)
	for _, f := range files {
		for _, c := range []struct {
			time           float64
			samples, depth int
		}{{0.4, 1, 8}, {2.3, 4, 8}, {1.1, 1, 16}} {
			t.Run(fmt.Sprintf("%s_t%g_%dx_%dbit", f.Name, c.time, c.samples, c.depth), func(t *testing.T) {
				t.Parallel()
				set := Settings{Width: 64, Height: 36, Samples: c.samples, Depth: c.depth}
				plan := newFramePlan(f.At(c.time), set, nil)
				if plan.prog == nil {
					t.Fatal("the scene did not compile")
				}
				want, got := set.newImage(), set.newImage()
				plan.renderTile(want, want.Bounds(), nil) // the tracer
				s := newScratch(waveRays)
				poisonRays(s)
				for _, r := range tiles(set.Width, set.Height, 24) {
					plan.renderTile(got, r, s)
				}
				if i := firstDifference(got, want); i >= 0 {
					t.Errorf("batched frame differs from the tracer's at byte %d", i)
				}
			})
		}
	}
}

// poisonRays fills the memory of every level of s's waves with rays that
// have found garbage: a stage that reads what it has not set gets it (or,
// for a cone's index, panics).
func poisonRays(s *scratch) {
	nan, huge := math.NaN(), scene.Vec3{X: 1e300, Y: -1e300, Z: 7}
	for i := range s.levels {
		rays := s.levels[i].rays[:cap(s.levels[i].rays)]
		for k := range rays {
			rays[k] = waveRay{
				ro: huge, rd: huge, t: nan, hit: true,
				p: huge, n: huge, planes: true, room: 1e300,
				m:      finish{Specular: 3, Shininess: 0.5, Reflect: 0.5},
				albedo: huge, ndl: 0.5, shadowRes: nan, color: huge,
				cones: math.MaxInt32,
			}
		}
	}
}

// firstDifference is the offset of the first byte where two frames differ, or -1.
func firstDifference(a, b draw.Image) int {
	pa, pb := pixels(a), pixels(b)
	if !bytes.Equal(pa, pb) {
		for i := range pa {
			if pa[i] != pb[i] {
				return i
			}
		}
	}
	return -1
}

func pixels(img draw.Image) []byte {
	switch img := img.(type) {
	case *image.RGBA:
		return img.Pix
	case *image.RGBA64:
		return img.Pix
	}
	panic(fmt.Sprintf("pixels of a %T", img))
}

// TestWaveCountsEvaluations checks that the batched renderer counts the
// evaluations it makes as the tracer does, give or take the first step of each
// primary ray (known at the camera, counted once per tile) and the padding of
// batches (not counted), with the tests of groups of rays at once off: the
// tracer makes the evaluations they spare.
func TestWaveCountsEvaluations(t *testing.T) {
	// Scenes where many rays end with only the floor near them (and march
	// to their end at once, wave.planesTo), step for step as the tracer.
	for _, name := range []string{"showcase", "gallery", "field"} {
		sc, _ := scenefile.Lookup(name)
		set := Settings{Width: 96, Height: 54, Samples: 1}
		plan := newFramePlan(sc.At(1), set, nil)
		img := set.newImage()
		want := plan.renderTile(img, img.Bounds(), nil)
		s := newScratch(waveRays)
		s.ungrouped = true // as the tracer, each ray on its own
		got := plan.renderTile(img, img.Bounds(), s)
		if got != want {
			t.Errorf("%s: batched renderer counts %d evaluations, the tracer %d", name, got, want)
		}
	}
}

func TestLeavingIsEscapedAndPlanesOnly(t *testing.T) {
	for _, name := range []string{"showcase", "hotspot", "gallery", "field"} {
		sc, _ := scenefile.Lookup(name)
		prog := compile(sc.At(1.5).Root, nil)
		r := rand.New(rand.NewPCG(11, 12))
		both := [4]int{}
		for range 20000 {
			q := scene.Vec3{X: r.Float64()*30 - 15, Y: r.Float64() * 15, Z: r.Float64()*30 - 15}
			d := scene.Vec3{X: r.Float64()*2 - 1, Y: r.Float64()*2 - 1, Z: r.Float64()*2 - 1}.Normalize()
			tt, slope := r.Float64()*20, r.Float64()*0.01
			known := r.IntN(4) == 0
			// Whichever bound it looks at first, and whichever the
			// unshaded test below starts from, the answers are the same.
			blocker := int32(r.IntN(max(1, len(prog.spheres))))
			escaped, planes := prog.leaving(q, d, tt, minHitDist, slope, known, &blocker)
			wantE := prog.escaped(q, d, tt, minHitDist, slope)
			wantP := known || prog.planesOnly(q, d)
			if escaped != wantE || planes != wantP {
				t.Fatalf("%s: leaving(%v, %v, t %g, known %v) = %v, %v; want %v, %v", name, q, d, tt, known, escaped, planes, wantE, wantP)
			}
			if blocker < 0 || int(blocker) >= max(1, len(prog.spheres)) {
				t.Fatalf("%s: leaving left blocker %d, want a bound's index", name, blocker)
			}
			k, res := 1+r.Float64()*15, r.Float64()
			from, first := int32(r.IntN(max(1, len(prog.spheres)))), int32(0)
			if got, want := prog.unshaded(q, d, tt, k, res, &from), prog.unshaded(q, d, tt, k, res, &first); got != want {
				t.Fatalf("%s: unshaded(%v, %v, t %g, k %g, res %g) from bound %d = %v, from the first %v", name, q, d, tt, k, res, from, got, want)
			}
			both[bit2(escaped)*2+bit2(planes)]++
		}
		for i, n := range both {
			if n == 0 && prog.canEscape {
				t.Errorf("%s: no ray with escaped %v, planes only %v: the test misses a case", name, i/2 == 1, i%2 == 1)
			}
		}
	}
}

func bit2(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestSRGBTableMatchesFormula checks the lookup against the formula, at every
// level's threshold and around it, and at a million other values.
func TestSRGBTableMatchesFormula(t *testing.T) {
	check := func(x float64) {
		if got, want := srgb8(x), srgb8Formula(x); got != want {
			t.Fatalf("srgb8(%.17g) = %d, formula %d", x, got, want)
		}
	}
	for v := 1; v < 256; v++ {
		th := srgb8Table[v]
		for d := -64; d <= 64; d++ {
			check(math.Float64frombits(uint64(int64(math.Float64bits(th)) + int64(d))))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		check(r.Float64())
	}
	for _, x := range []float64{0, math.Copysign(0, -1), -1, 1, 2, math.Inf(1), math.Inf(-1), math.NaN(), 0.0031308, 1 - 1e-17,
		-1e-300, -5e-324, 5e-324, 1e300, math.Nextafter(1, 0), math.Nextafter(0, -1) * 1e300} {
		check(x)
	}
}

// TestPowIntMatchesPow checks repeated squaring against math.Pow for the
// exponents shading uses, wherever the result is a normal number.
func TestPowIntMatchesPow(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 3, 8, 20, 40, 60, 80, 120, 250, 900, 1023} {
		for range 20000 {
			x := r.Float64()
			if r.IntN(8) == 0 {
				x = 1 - r.Float64()*1e-3 // near 1, where highlights are
			}
			want := math.Pow(x, float64(n))
			if got := pow(x, float64(n)); got != want && want >= 0x1p-1022 {
				t.Fatalf("pow(%.17g, %d) = %.17g, math.Pow %.17g", x, n, got, want)
			}
		}
	}
	if got, want := pow(0.7, 37.5), math.Pow(0.7, 37.5); got != want {
		t.Errorf("pow(0.7, 37.5) = %g, want math.Pow's %g", got, want)
	}
}

// TestPlanesToMarchesAsTheTracer marches, in a wave and with the tracer, rays
// that only the floor is near from their first check on, and so march to
// their end at once (wave.planesTo): grazing ones that run out of steps, where
// a step more or less shows in how far they got, and steeper ones that hit.
func TestPlanesToMarchesAsTheTracer(t *testing.T) {
	root := scene.Union{
		&scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}}},
		&scene.Translate{Offset: scene.Vec3{Y: 1, Z: -50}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 1}}},
	}
	tr := compiledTracer(root, 1e-5)
	w := wave{tracer: tr, scratch: newScratch(waveRays)}
	level := &w.levels[0]
	level.rays = level.rays[:0]
	for _, down := range []float64{0.02, 0.03, 0.2, 0.5} {
		level.rays = append(level.rays, waveRay{ro: scene.Vec3{Y: 1}, rd: scene.Vec3{Y: -down, Z: 1}.Normalize()})
	}
	w.march(level, false)
	for _, r := range level.rays {
		wantT, wantHit := tr.march(r.ro, r.rd, 0)
		if r.t != wantT || r.hit != wantHit {
			t.Errorf("ray %v: wave t %.17g, hit %v; tracer t %.17g, hit %v", r.rd, r.t, r.hit, wantT, wantHit)
		}
	}
}

// TestWaveOcclusionTakesPlanesWhereOnlyTheyAreNear traces waves of rays onto a
// floor under a ball, at heights around where the ball comes within the
// occlusion taps' reach, and checks each hit whose occlusion the wave took
// from the floor alone: only the planes may be near its taps where they are,
// a lift off the surface (planesNear at the lifted point). Some hits must be
// where the room found before the lift allowed that and the lift does not, so
// that the room's move by the lift is tested too.
func TestWaveOcclusionTakesPlanesWhereOnlyTheyAreNear(t *testing.T) {
	taken, band := 0, 0
	for c := 0.3; c < 1.2; c += 0.01 { // the ball c above the floor
		root := scene.Union{floor, &scene.Translate{Offset: scene.Vec3{Y: c}, Child: unitSphere}}
		tr := compiledTracer(root, 0.01)
		w := wave{tracer: tr, scratch: newScratch(waveRays)}
		level := &w.levels[0]
		level.rays = level.rays[:0]
		for x := -1.0; x <= 1; x += 0.05 {
			ro := scene.Vec3{X: x, Y: -0.6, Z: -5} // the floor is y = -1
			level.rays = append(level.rays, waveRay{ro: ro, rd: scene.Vec3{X: 0, Y: -1, Z: 0}.Sub(scene.Vec3{Y: -0.6, Z: -5}).Normalize()})
		}
		w.trace(0, maxBounces)
		for _, i := range level.hits {
			r := &level.rays[i]
			at := r.ro.Add(r.rd.Scale(r.t)) // before the lift
			if r.planes {
				taken++
				if !w.prog.planesNear(r.p, aoTapsReach) {
					t.Fatalf("ball at %g: occlusion at %v taken from the planes, but a bound is near its taps", c, r.p)
				}
			}
			if w.prog.planesNear(at, aoTapsReach) && !w.prog.planesNear(r.p, aoTapsReach) {
				band++
			}
		}
	}
	t.Logf("%d taken, %d in the band", taken, band)
	if taken == 0 || band == 0 {
		t.Errorf("%d hits took the planes' occlusion, %d where the lift decides: want some of each", taken, band)
	}
}

// TestBlockOrder checks the order of a wave's pixels: every pixel of the wave
// once, and the pixels of each block of the image's grid one after another,
// whatever the set's rectangle and wherever the wave starts and ends in it.
func TestBlockOrder(t *testing.T) {
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, 32, 32), image.Rect(96, 64, 128, 96), image.Rect(5, 3, 22, 40),
		image.Rect(-13, -6, 7, 9), image.Rect(0, 0, 480, 8), image.Rect(3, 0, 4, 30),
	} {
		set := allOf(r)
		for _, per := range []int{1, 7, 64, 100, 1024} {
			for first := 0; first < set.n; first += per {
				n := min(per, set.n-first)
				order := blockOrder(set, first, n, nil)
				seen := make(map[int32]bool)
				done := make(map[image.Point]bool) // blocks left behind
				var at image.Point
				for k, px := range order {
					i := px.i
					if i < 0 || int(i) >= n || seen[i] {
						t.Fatalf("%v, pixels %d to %d: order %v is not a permutation", r, first, first+n, order)
					}
					seen[i] = true
					x, y := set.at(first + int(i))
					if int(px.x) != x || int(px.y) != y {
						t.Fatalf("%v, pixels %d to %d: pixel %d is at (%d, %d), the order says (%d, %d)", r, first, first+n, i, x, y, px.x, px.y)
					}
					b := image.Pt(blockStart(x), blockStart(y))
					if k > 0 && b != at {
						done[at] = true
					}
					if done[b] {
						t.Fatalf("%v, pixels %d to %d: the order comes back to block %v", r, first, first+n, b)
					}
					at = b
				}
				if len(order) != n {
					t.Fatalf("%v, pixels %d to %d: %d pixels in the order, want %d", r, first, first+n, len(order), n)
				}
			}
		}
	}
	list := pixelSet{r: image.Rect(0, 0, 16, 16), list: []int32{200, 3, 77}, n: 3}
	if got, want := blockOrder(list, 0, 3, nil), []wavePixel{{0, 8, 12}, {1, 3, 0}, {2, 13, 4}}; !slices.Equal(got, want) {
		t.Errorf("a listed set is taken in the order %v, want its own, %v", got, want)
	}
}

// TestBlockOf checks the blocks' arithmetic against floored division, on
// either side of zero: a block's first coordinate, and its number.
func TestBlockOf(t *testing.T) {
	for v := -3*block - 1; v <= 3*block+1; v++ {
		want := int(math.Floor(float64(v) / block))
		if got := blockOf(v); got != want {
			t.Errorf("blockOf(%d) = %d, want %d", v, got, want)
		}
		if got := blockStart(v); got != want*block {
			t.Errorf("blockStart(%d) = %d, want %d", v, got, want*block)
		}
	}
}

// TestTapsIntoAreTheTracers writes the normal's and the occlusion's taps of
// hits into a queue as the waves do (normalTapsInto, aoTapsInto: with AVX2, a
// vector a point, from the ray's start, direction and distance) and wants the
// tracer's points (tapsAround, aoTapsAt) at the hit, bit for bit, with
// ceilings of 0: for rays from anywhere, in any
// direction, to hits at any distance, with normals of any length and sign,
// zeros of both signs, infinities and NaNs.
func TestTapsIntoAreTheTracers(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	special := []float64{0, math.Copysign(0, -1), 1, -1, 1e300, -1e-300, math.Inf(1), math.Inf(-1), math.NaN()}
	number := func() float64 {
		if r.IntN(4) == 0 {
			return special[r.IntN(len(special))]
		}
		return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(8)-3))
	}
	for range 5000 {
		vec := func() scene.Vec3 { return scene.Vec3{X: number(), Y: number(), Z: number()} }
		ray := waveRay{ro: vec(), rd: vec(), t: number(), p: vec(), n: vec()}
		ray.p = ray.ro.Add(ray.rd.Scale(ray.t)) // as wave.trace sets it
		var wantN [4]scene.Vec3
		tapsAround(&wantN, ray.p, normalSpacing(ray.t))
		var gotN [len(tetrahedron)]point
		normalTapsInto(&gotN, &ray)
		wantAO := aoTapsAt(ray.p, ray.n)
		var gotAO [aoTaps]point
		aoTapsInto(&gotAO, &ray)
		for i, want := range append(wantN[:], wantAO[:]...) {
			got := append(gotN[:], gotAO[:]...)[i]
			if !sameBits(got.x, want.X) || !sameBits(got.y, want.Y) || !sameBits(got.z, want.Z) || math.Float64bits(got.c) != 0 {
				t.Fatalf("hit at %v, normal %v, t %g: tap %d is %v, want %v with a ceiling of 0", ray.p, ray.n, ray.t, i, got, want)
			}
		}
	}
}

// sameBits reports whether a and b are the same float64, bit for bit, or both NaN.
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b
}
