package render

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// constant is an instruction that pushes the distance d everywhere: a plane
// with a zero normal.
func constant(d float64) instruction { return instruction{op: opPlane, k: -d} }

// TestSkipAtTheBoundEdge evaluates, with every kernel, a program whose one
// skip test is made wrong on purpose (the skipped subtree is nearer than its
// bound says), at points on either side of the bound's edge and on it: a
// kernel must skip exactly where the interpreter does, and say so in the
// mask, all ones or nothing.
func TestSkipAtTheBoundEdge(t *testing.T) {
	const top, margin, radius = 2, 0.25, 0.75
	for _, c := range []struct {
		name   string
		center scene.Vec3
		axis   scene.Vec3
	}{
		{"along x from the origin", scene.Vec3{}, scene.Vec3{X: 1}},
		{"along y", scene.Vec3{X: 0.5, Y: -0.25, Z: 0.75}, scene.Vec3{Y: 1}},
		{"along z", scene.Vec3{X: -0.5, Y: 0.25, Z: 0.125}, scene.Vec3{Z: -1}},
	} {
		prog := &program{code: []instruction{
			constant(top),
			{op: opSkipFar, a: c.center, k: skipReach(radius, margin), mask: 1, jump: 4},
			constant(1), // the subtree, nearer than its bound says
			{op: opMin, mask: 1},
		}}
		// The edge, as the interpreter tests it: |v|² >= r².
		r := top + skipReach(radius, margin)
		var st stacks
		for _, k := range testKernels() {
			b := new(batch)
			b.n = batchLanes
			skips := 0
			for l := range batchLanes {
				p := c.center.Add(c.axis.Scale(r + float64(l-batchLanes/2)*0.25e-9))
				b.x[0][l], b.y[0][l], b.z[0][l] = p.X, p.Y, p.Z
			}
			b.eval(k, prog)
			for l := range batchLanes {
				p := scene.Vec3{X: b.x[0][l], Y: b.y[0][l], Z: b.z[0][l]}
				want := prog.distance(p, &st)
				if got := b.ds[0][l]; math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("%s, %s kernel, at %v (%g from the centre, the edge at %.17g): %g, interpreter %g",
						c.name, k.name(), p, p.Sub(c.center).Length(), r, got, want)
				}
				skipped := want == top
				if m := b.skip[0][l]; skipped && m != 1<<64-1 || !skipped && m != 0 {
					t.Errorf("%s, %s kernel, at %v: mask %#x, want all ones if the interpreter skips (%v), else 0", c.name, k.name(), p, m, skipped)
				}
				if skipped {
					skips++
				}
			}
			if skips == 0 || skips == batchLanes {
				t.Errorf("%s, %s kernel: %d of %d points skip, want the edge between them", c.name, k.name(), skips, batchLanes)
			}
			// far, over a group of lanes and over all: true exactly where the
			// interpreter skips at every point.
			top := b.ds[0][:] // the subtree's distance went in above it: the top again
			for i := range top {
				top[i] = 2
			}
			in := &prog.code[1]
			for from := 0; from < batchLanes; from += laneGroup {
				for _, to := range []int{from + laneGroup, batchLanes} {
					want := true
					for l := from; l < to; l++ {
						want = want && prog.distance(scene.Vec3{X: b.x[0][l], Y: b.y[0][l], Z: b.z[0][l]}, &st) == top[l]
					}
					if got := k.far(in, b.x[0][from:to], b.y[0][from:to], b.z[0][from:to], top[from:to]); got != want {
						t.Errorf("%s, %s kernel: far over points %d to %d = %v, want %v", c.name, k.name(), from, to, got, want)
					}
				}
			}
		}
	}
}

// tooSmall makes every bound of pr too small, so that the interpreter skips
// what it should not, with skipsExact as exact says, and returns it.
func tooSmall(pr *program, exact bool) *program {
	for i := range pr.code {
		if pr.code[i].op == opSkipFar {
			pr.code[i].k *= 0.3
		}
	}
	pr.skipsExact = exact
	return pr
}

// testKernels are the kernels of this build: the portable one, and the active
// one if it is another.
func testKernels() []kernel {
	ks := []kernel{&batchKernel{}}
	if activeKernel.name() != ks[0].name() {
		ks = append(ks, activeKernel)
	}
	return ks
}

// TestWaveMatchesTracerAtEdges renders, with the batched renderer and the
// tracer, a scene made to sit on the edges of their decisions: a light
// exactly level with the floor (no light there, no shadow ray to march), a
// light that casts no shadow, a matte floor that reflects nothing beside a
// mirror ball; and wants the same bytes and the same count of evaluations.
func TestWaveMatchesTracerAtEdges(t *testing.T) {
	checker := scene.Material{Color: scene.Vec3{X: 0.8, Y: 0.8, Z: 0.8}, Checker: scene.Vec3{X: 0.2, Y: 0.2, Z: 0.2}, CheckerSize: 0.5}
	mirror := scene.Material{Color: scene.Vec3{X: 0.9, Y: 0.3, Z: 0.2}, Specular: 0.6, Shininess: 32, Reflect: 0.4}
	s := &scene.Scene{
		Camera: scene.Camera{Position: scene.Vec3{X: 1, Y: 1.5, Z: 5}, Target: scene.Vec3{Y: 0.2}, Up: scene.Vec3{Y: 1}, FOV: 45},
		Sky:    scene.Sky{Zenith: scene.Vec3{X: 0.3, Y: 0.5, Z: 0.9}, Horizon: scene.Vec3{X: 0.8, Y: 0.85, Z: 0.9}, Ground: scene.Vec3{X: 0.3, Y: 0.25, Z: 0.2}, Ambient: 0.4, Fog: 0.02},
		Lights: []scene.Light{
			{Direction: scene.Vec3{X: 1}, Color: scene.Vec3{X: 1, Y: 1, Z: 1}, Intensity: 1, Shadow: 8},
			{Direction: scene.Vec3{X: 0.3, Y: 1, Z: 0.2}, Color: scene.Vec3{X: 0.5, Y: 0.5, Z: 0.6}, Intensity: 0.5},
			{Direction: scene.Vec3{X: -0.5, Y: 0.7, Z: 0.4}, Color: scene.Vec3{X: 1, Y: 0.9, Z: 0.8}, Intensity: 1.2, Shadow: 12},
		},
		Root: scene.Union{
			&scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}, Offset: -1}, Material: checker},
			&scene.Translate{Offset: scene.Vec3{Y: 0.1}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 1}, Material: mirror}},
			&scene.Translate{Offset: scene.Vec3{X: -2, Y: -0.5, Z: -1}, Child: &scene.Solid{Shape: scene.Box{Half: scene.Vec3{X: 0.5, Y: 0.5, Z: 0.5}}, Material: checker}},
		},
	}
	for _, samples := range []int{1, 4} {
		for _, ungrouped := range []bool{true, false} {
			set := Settings{Width: 48, Height: 27, Samples: samples}
			plan := newFramePlan(s, set, nil)
			want, got := set.newImage(), set.newImage()
			wantEvals, gotEvals := int64(0), int64(0)
			sc := newScratch(waveSize(16, samples))
			sc.ungrouped = ungrouped
			for _, r := range tiles(set.Width, set.Height, 16) {
				wantEvals += plan.renderTile(want, r, nil)
				gotEvals += plan.renderTile(got, r, sc)
			}
			if i := firstDifference(got, want); i >= 0 {
				t.Errorf("%d samples, ungrouped %v: batched frame differs from the tracer's at byte %d", samples, ungrouped, i)
			}
			// Each ray on its own, the waves make the tracer's
			// evaluations; the groups of rays tested at once spare some.
			if ungrouped && gotEvals != wantEvals || !ungrouped && gotEvals >= wantEvals {
				t.Errorf("%d samples, ungrouped %v: batched renderer counts %d evaluations, the tracer %d", samples, ungrouped, gotEvals, wantEvals)
			}
		}
	}
}

// TestGrow checks that grow keeps what it can: the memory and the contents
// when there is room, and room to spare when there is not.
func TestGrow(t *testing.T) {
	s := make([]int, 2, 4)
	s[0], s[1] = 7, 8
	g := grow(s, 4)
	if len(g) != 4 || &g[0] != &s[0] || g[0] != 7 || g[1] != 8 {
		t.Errorf("grow to the capacity = %v (len %d, same memory %v), want [7 8 0 0] in the same memory", g, len(g), &g[0] == &s[0])
	}
	if g := grow(s, 1); len(g) != 1 || &g[0] != &s[0] {
		t.Errorf("grow to less = len %d, want 1 in the same memory", len(g))
	}
	if g := grow(s, 5); len(g) != 5 || cap(g) < 8 {
		t.Errorf("grow past the capacity 4 to 5 = len %d, cap %d; want 5 and at least twice the old capacity", len(g), cap(g))
	}
	if g := grow(s, 20); len(g) != 20 || cap(g) != 20 {
		t.Errorf("grow far past the capacity = len %d, cap %d; want 20, 20", len(g), cap(g))
	}
	// One at a time, the memory is made again only a few times.
	var q []float64
	allocs := 0
	for n := 1; n <= 1000; n++ {
		before := cap(q)
		q = grow(q, n)
		if cap(q) != before {
			allocs++
		}
	}
	if allocs > 11 {
		t.Errorf("growing one at a time to 1000 made the memory %d times, want at most 11", allocs)
	}
}

// TestFloorBoxSkips evaluates, with every kernel, a floor and a sphere whose
// bound is made too small on purpose, so that a batch that skips the sphere
// where the interpreter would not gets other bits: a batch of points far from
// it near the floor, which the box test must skip as a whole; points from the
// floor up past the sphere's height, where only the lowest may skip, so the
// box must not (tested at its highest point, not its lowest); points from
// afar to just under the sphere, and from under the floor up to the
// sphere's centre, of which the last may not skip, so the box around them
// must not either; and two batches with a NaN among their points, which no
// box holds: one far and above the floor, and one deep under it, where every
// other point may skip whatever its distance to the sphere (its distance so
// far is negative) and the box, were the NaN left out of it, would too.
func TestFloorBoxSkips(t *testing.T) {
	root := scene.Union{
		&scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}}},
		&scene.Translate{Offset: scene.Vec3{Y: 0.5}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 0.25}}},
	}
	prog := tooSmall(compile(root, nil), false) // the sphere reaches beyond its bound
	skip := -1
	for i := range prog.code {
		if in := &prog.code[i]; in.op == opSkipFar {
			in.floored = true // as if there were boxTests children
			skip = i
		}
	}
	if prog.floor < 0 || skip < 0 {
		t.Fatalf("floor %d, skip test at %d; want the plane as the floor and a test of the sphere", prog.floor, skip)
	}
	far := func(l int) scene.Vec3 { return scene.Vec3{X: 3 + float64(l)/batchLanes, Y: 0.01 * float64(l%5), Z: 1} }
	for _, c := range []struct {
		name    string
		at      func(l int) scene.Vec3
		boxSkip bool
	}{
		{"far, near the floor", far, true},
		{"from the floor up past the sphere", func(l int) scene.Vec3 { return scene.Vec3{X: 1, Y: 1.5 * float64(l) / (batchLanes - 1)} }, false},
		{"from afar to under the sphere", func(l int) scene.Vec3 {
			s := 3 * float64(l) / (batchLanes - 1)
			return scene.Vec3{X: s - 3, Y: 0.3, Z: 3 - s}
		}, false},
		{"from under the floor up to the sphere's centre", func(l int) scene.Vec3 { return scene.Vec3{Y: 2.5*float64(l)/(batchLanes-1) - 2} }, false},
		{"far, with a NaN", func(l int) scene.Vec3 {
			if l == batchLanes/2 {
				return scene.Vec3{X: 3, Y: math.NaN(), Z: 1}
			}
			return far(l)
		}, false},
		{"deep under the floor, with a NaN", func(l int) scene.Vec3 {
			if l == batchLanes/2 {
				return scene.Vec3{X: math.NaN(), Y: -5, Z: 1}
			}
			return scene.Vec3{X: float64(l) / batchLanes, Y: -5, Z: 1}
		}, false},
	} {
		var st stacks
		for _, k := range testKernels() {
			b := new(batch)
			b.n = batchLanes
			for l := range batchLanes {
				p := c.at(l)
				b.x[0][l], b.y[0][l], b.z[0][l] = p.X, p.Y, p.Z
			}
			b.bound(k)
			b.floorMax = b.most(k, prog, false)
			if got := b.boxSkips(&prog.code[skip]); got != c.boxSkip {
				t.Errorf("%s: boxSkips = %v, want %v", c.name, got, c.boxSkip)
			}
			b.eval(k, prog)
			for l := range batchLanes {
				p := c.at(l)
				want := prog.distance(p, &st)
				if got := b.ds[0][l]; math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("%s, %s kernel, at %v: %g, interpreter %g", c.name, k.name(), p, got, want)
				}
			}
		}
	}
}

// TestBoxTestsWherePaying checks that the root's tests of its children are
// marked for the box test (floored) only where there are boxTests of them or
// more, and then every one, and only with a plane floor.
func TestBoxTestsWherePaying(t *testing.T) {
	floor := &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}}}
	for _, c := range []struct {
		balls int
		floor bool
		want  int
	}{{boxTests - 1, true, 0}, {boxTests, true, boxTests}, {boxTests + 3, true, boxTests + 3}, {boxTests + 3, false, 0}} {
		root := scene.Union{}
		if c.floor {
			root = append(root, floor)
		}
		for i := range c.balls {
			root = append(root, &scene.Translate{Offset: scene.Vec3{X: float64(3 * i), Y: 1}, Child: &scene.Solid{Shape: scene.Sphere{Radius: 1}}})
		}
		prog := compile(root, nil)
		floored := 0
		for _, in := range prog.code {
			if in.floored {
				floored++
			}
		}
		if floored != c.want {
			t.Errorf("%d balls, floor %v: %d tests floored, want %d", c.balls, c.floor, floored, c.want)
		}
	}
}

// TestSpan puts the least and the greatest of a batch's numbers, and then a
// NaN, at every place in turn, for every kernel and every whole number of
// lane groups (and for the portable kernel, every count): span must find
// them wherever they are.
func TestSpan(t *testing.T) {
	for _, k := range testKernels() {
		step := laneGroup
		if _, portable := k.(*batchKernel); portable {
			step = 1
		}
		for n := step; n <= batchLanes; n += step {
			xs := make([]float64, n)
			for i := range n {
				for j := range n {
					for l := range xs {
						xs[l] = float64(l%7) - 3
					}
					xs[i], xs[j] = -1e9, 1e9
					if i == j {
						xs[i] = 5
					}
					lo, hi := k.span(xs)
					wantLo, wantHi := slices.Min(xs), slices.Max(xs)
					if lo != wantLo || hi != wantHi {
						t.Fatalf("%s kernel, %d numbers, least at %d, greatest at %d: span %g, %g; want %g, %g", k.name(), n, i, j, lo, hi, wantLo, wantHi)
					}
				}
				xs[i] = math.NaN()
				if lo, hi := k.span(xs); !math.IsNaN(lo) || !math.IsNaN(hi) {
					t.Fatalf("%s kernel, %d numbers, NaN at %d: span %g, %g; want NaN, NaN", k.name(), n, i, lo, hi)
				}
			}
		}
	}
}

// TestOrderedBits checks that orderedBits orders floats as they compare,
// -0 before +0 and NaNs beyond the infinities, and that fromOrderedBits
// undoes it.
func TestOrderedBits(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	ordered := []float64{math.Copysign(nan, -1), -inf, -1e300, -1, -1e-300, math.Copysign(0, -1), 0, 1e-300, 1, 1e300, inf, nan}
	for i, x := range ordered {
		if got := fromOrderedBits(orderedBits(x)); math.Float64bits(got) != math.Float64bits(x) {
			t.Errorf("fromOrderedBits(orderedBits(%g)) = %g (bits %#x), want bits %#x", x, got, math.Float64bits(got), math.Float64bits(x))
		}
		if i > 0 && orderedBits(ordered[i-1]) >= orderedBits(x) {
			t.Errorf("orderedBits(%g) = %#x, orderedBits(%g) = %#x: want the first below", ordered[i-1], orderedBits(ordered[i-1]), x, orderedBits(x))
		}
	}
}

// TestCombineOnOddValues folds, with the portable kernel, every pair of signed
// zeros, NaNs, infinities and plain numbers by every operation, masked and not,
// against the scene's functions one pair at a time: the selections by bits
// must give scene.Min's and scene.Max's operand (the second where they
// compare false), and a masked point its own distance.
func TestCombineOnOddValues(t *testing.T) {
	a, c := oddPairs()
	const k = 0.3
	ops := map[opcode]func(a, b float64) float64{
		opMin:       scene.Min,
		opMax:       scene.Max,
		opSubtract:  func(a, b float64) float64 { return scene.Max(a, -b) },
		opSmoothMin: func(a, b float64) float64 { return scene.SmoothMin(a, b, k) },
		opSmoothMax: func(a, b float64) float64 { return scene.SmoothMax(a, b, k) },
		opSmoothSub: func(a, b float64) float64 { return scene.SmoothMax(a, -b, k) },
	}
	for op, f := range ops {
		for _, masked := range []bool{false, true} {
			mask := everyThird(len(a), masked)
			got := append([]float64(nil), a...)
			(&batchKernel{}).combine(&instruction{op: op, k: k}, got, c, mask)
			for i := range a {
				want := f(a[i], c[i])
				if masked && mask[i] != 0 {
					want = a[i]
				}
				if math.Float64bits(got[i]) != math.Float64bits(want) && !(math.IsNaN(got[i]) && math.IsNaN(want)) {
					t.Errorf("op %d (masked %v) on %g, %g: %g (bits %#x), want %g (bits %#x)", op, masked, a[i], c[i], got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
				}
			}
		}
	}
}

// TestSmoothLanesAtTheBlendsEdge checks the portable kernel's smooth
// operations, which decide most points' weights without a division, against
// the scene's functions bit for bit where the division decides: differences
// of the two distances at the blend's edges, a few ulps either side, and at
// random near them.
func TestSmoothLanesAtTheBlendsEdge(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var a, c []float64
	for _, k := range []float64{0.3, 0.06, 1e-3, 7} {
		for range 2000 {
			x := r.NormFloat64() * 4
			for _, edge := range []float64{k, -k} {
				e := edge * (1 + r.NormFloat64()*1e-8)
				for range 4 {
					a, c = append(a, x), append(c, x-e)
					e = math.Nextafter(e, 0)
				}
			}
		}
		ops := map[opcode]func(a, b float64) float64{
			opSmoothMin: func(a, b float64) float64 { return scene.SmoothMin(a, b, k) },
			opSmoothMax: func(a, b float64) float64 { return scene.SmoothMax(a, b, k) },
			opSmoothSub: func(a, b float64) float64 { return scene.SmoothMax(a, -b, k) },
		}
		for op, f := range ops {
			got := append([]float64(nil), a...)
			(&batchKernel{}).combine(&instruction{op: op, k: k}, got, c, nil)
			for i := range a {
				if want := f(a[i], c[i]); math.Float64bits(got[i]) != math.Float64bits(want) {
					t.Fatalf("op %d, blend %g, on %.17g, %.17g: %.17g, want %.17g", op, k, a[i], c[i], got[i], want)
				}
			}
		}
		a, c = a[:0], c[:0]
	}
}

// TestSkipsIsTheSquareTest checks skips, written as |v|² >= r² or else
// r <= 0, against the test it stands for, |v|² >= r·|r|, where v is the point
// less the bound's centre and r the distance so far plus the bound's reach:
// for every pair of odd values and large ones, and at random.
func TestSkipsIsTheSquareTest(t *testing.T) {
	vals := append([]float64{3, -3, 1e200, -1e200, 1e-200, 5e-324}, oddValues...)
	check := func(x, top, k float64) {
		in := instruction{k: k}
		vv, r := x*x, top+k
		if got, want := in.skips(x, 0, 0, top), vv >= r*math.Abs(r); got != want {
			t.Fatalf("skips at x %g, top %g, reach %g = %v, want %v", x, top, k, got, want)
		}
	}
	for _, x := range vals {
		for _, top := range vals {
			for _, k := range []float64{0, 1, -1, math.Inf(1), math.NaN()} {
				check(x, top, k)
			}
		}
	}
	r := rand.New(rand.NewPCG(11, 12))
	for range 100000 {
		check(r.NormFloat64()*3, r.NormFloat64()*3, r.NormFloat64())
	}
}

// oddValues are the distances where operand order and selection decide the
// bits: signed zeros, infinities and a NaN, among plain numbers.
var oddValues = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, math.Inf(1), math.Inf(-1), math.NaN()}

// oddPairs returns every pair of oddValues, as two lists.
func oddPairs() (a, c []float64) {
	for _, u := range oddValues {
		for _, v := range oddValues {
			a, c = append(a, u), append(c, v)
		}
	}
	return a, c
}

// everyThird is a mask for n points with every third set (that point keeps
// its distance), or nil if not masked.
func everyThird(n int, masked bool) []uint64 {
	if !masked {
		return nil
	}
	mask := make([]uint64, n)
	for i := 0; i < n; i += 3 {
		mask[i] = 1<<64 - 1
	}
	return mask
}

// TestBatchMasksWhereSkipsMayNotBeExact evaluates programs whose bounds are
// too small while compile still holds their skips exact, so that going
// through a subtree a point may skip changes its distance. Among moderate
// points a batch goes through without masks, and some distances differ from
// the interpreter's; with one point of the batch beyond moderate, or not a
// number at all, it masks, and every point gets the interpreter's bits.
func TestBatchMasksWhereSkipsMayNotBeExact(t *testing.T) {
	cases := compileCases()
	for _, name := range []string{"union", "nested", "smooth union", "showcase at 0"} {
		prog := tooSmall(compile(cases[name], nil), true)
		for _, k := range testKernels() {
			var st stacks
			b := new(batch)
			r := rand.New(rand.NewPCG(3, 4))
			differ := 0
			for _, odd := range []float64{0, moderate, -moderate, math.Inf(1), math.NaN()} {
				for range 40 {
					b.n = batchLanes
					c := scene.Vec3{X: r.Float64()*6 - 3, Y: r.Float64()*3 - 1, Z: r.Float64()*6 - 3}
					for l := range b.n {
						b.x[0][l] = c.X + r.Float64() - 0.5
						b.y[0][l] = c.Y + r.Float64() - 0.5
						b.z[0][l] = c.Z + r.Float64() - 0.5
					}
					oddLane := r.IntN(b.n)
					if odd != 0 {
						[]*lanes{&b.x[0], &b.y[0], &b.z[0]}[r.IntN(3)][oddLane] = odd
					}
					b.eval(k, prog)
					for l := range b.n {
						if odd != 0 && l == oddLane {
							continue
						}
						p := scene.Vec3{X: b.x[0][l], Y: b.y[0][l], Z: b.z[0][l]}
						want := prog.distance(p, &st)
						if got := b.ds[0][l]; math.Float64bits(got) != math.Float64bits(want) {
							if odd != 0 {
								t.Fatalf("%s, %s kernel, a batch with a point at %g: at %v %.17g, interpreter %.17g", name, k.name(), odd, p, got, want)
							}
							differ++
						}
					}
				}
			}
			if differ == 0 {
				t.Errorf("%s, %s kernel: every moderate batch gave the interpreter's distances, bounds too small and all; want some through the subtrees it skips, unmasked", name, k.name())
			}
		}
	}
}

// TestSkipsExact checks which programs compile holds exact skips for: those
// with skip tests whose numbers are all moderate, and that call no opaque node.
func TestSkipsExact(t *testing.T) {
	sphere := &scene.Solid{Shape: scene.Sphere{Radius: 0.5}}
	floor := &scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}, Offset: -1}}
	at := func(x float64, n scene.Node) scene.Node { return &scene.Translate{Offset: scene.Vec3{X: x}, Child: n} }
	cases := compileCases()
	for _, c := range []struct {
		name string
		root scene.Node
		want bool
	}{
		{"a union", cases["union"], true},
		{"the showcase", cases["showcase at 0"], true},
		{"nested", cases["nested"], true},
		{"one sphere: no skip test", sphere, false},
		{"an opaque node", cases["opaque node"], false},
		{"a sphere just within moderate", scene.Union{floor, at(moderate-1, sphere)}, true},
		{"a sphere at moderate", scene.Union{floor, at(moderate, sphere)}, false},
		{"a floor beyond moderate", scene.Union{&scene.Solid{Shape: scene.Plane{Normal: scene.Vec3{Y: 1}, Offset: -2 * moderate}}, sphere, at(2, sphere)}, false},
		{"a large sphere", scene.Union{floor, &scene.Solid{Shape: scene.Sphere{Radius: moderate}}}, false},
		{"a small scale", scene.Union{floor, &scene.Scale{Factor: 1.0 / moderate, Child: sphere}}, false},
		{"a long period", scene.Union{floor, &scene.Repeat{Period: scene.Vec3{Z: moderate}, Child: sphere}}, false},
		{"a moderate period", scene.Union{floor, &scene.Repeat{Period: scene.Vec3{Z: 3}, Child: sphere}}, true},
	} {
		if got := compile(c.root, nil).skipsExact; got != c.want {
			t.Errorf("%s: skipsExact = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestModerate checks each kernel's moderate: every coordinate of every
// point below moderate in magnitude, none infinite or NaN, wherever the odd
// one is among the points and whichever its axis.
func TestModerate(t *testing.T) {
	below := math.Nextafter(moderate, 0)
	for _, k := range testKernels() {
		for _, n := range []int{laneGroup, 3 * laneGroup, batchLanes} {
			var x, y, z lanes
			for l := range n {
				x[l], y[l], z[l] = float64(l)-30, 0.5, -below
			}
			if !k.moderate(x[:n], y[:n], z[:n]) {
				t.Errorf("%s kernel, %d points within moderate: not moderate", k.name(), n)
			}
			for _, odd := range []float64{moderate, -moderate, 1e300, math.Inf(1), math.Inf(-1), math.NaN()} {
				for _, l := range []int{0, n / 2, n - 1} {
					for axis, c := range []*lanes{&x, &y, &z} {
						was := c[l]
						c[l] = odd
						if k.moderate(x[:n], y[:n], z[:n]) {
							t.Errorf("%s kernel, %d points, %g at point %d, axis %d: moderate", k.name(), n, odd, l, axis)
						}
						c[l] = was
					}
				}
			}
		}
	}
}

// reachRecorder is the portable kernel, recording how far from a position
// the points it is asked about (moderate: the untransformed points of every
// batch of a program with exact skips) are, and how many there were.
type reachRecorder struct {
	batchKernel
	from   scene.Vec3
	most   float64
	points int
}

func (k *reachRecorder) moderate(x, y, z []float64) bool {
	for l := range x {
		k.most = max(k.most, scene.Vec3{X: x[l], Y: y[l], Z: z[l]}.Sub(k.from).Length())
	}
	k.points += len(x)
	return k.batchKernel.moderate(x, y, z)
}

// TestWavePointsWithinReach renders every built-in scene, and scenes made to
// stretch the reach (a wide view on a small image, whose hits lift far off
// the surface; a wide lens; a camera far out), with the plan's near unset,
// so that every batch looks at its points: each point must be within the
// view's reach of the camera's position, which is what near relies on to
// spare the batches the look. And near holds for the built-in scenes, and
// not for a camera beyond moderate.
func TestWavePointsWithinReach(t *testing.T) {
	type shot struct {
		name string
		s    *scene.Scene
		set  Settings
		near bool
	}
	var shots []shot
	for _, f := range scenefile.Builtins() {
		for _, at := range []float64{0, 0.5} {
			shots = append(shots, shot{f.Name, f.At(at), Settings{Width: 64, Height: 36, Samples: 1}, true})
		}
	}
	show, _ := scenefile.Lookup("showcase")
	for _, fov := range []float64{120, 150, 170} {
		wide := show.At(0.3)
		wide.Camera.FOV = fov
		shots = append(shots, shot{fmt.Sprintf("a %g° view on 2x1 pixels", fov), wide, Settings{Width: 2, Height: 1, Samples: 16}, fov < 160})
	}
	lens := show.At(0.3)
	lens.Camera.Aperture, lens.Camera.Focus = 3, 2
	shots = append(shots, shot{"a wide lens", lens, Settings{Width: 48, Height: 27, Samples: 2}, true})
	for _, sh := range shots {
		plan := newFramePlan(sh.s, sh.set, nil)
		if plan.near != sh.near {
			t.Errorf("%s: near %v, want %v (camera at %v, reach %g)", sh.name, plan.near, sh.near, plan.view.origin, plan.view.reach())
		}
		if plan.prog == nil || !plan.prog.skipsExact {
			continue // no skip to make exact (field): no batch asks, near or not
		}
		if plan.moments != nil {
			t.Fatalf("%s: a plan with moments, each of its own reach", sh.name)
		}
		plan.near = false
		k := &reachRecorder{from: plan.view.origin}
		s := workerScratch(sh.set, 16)
		s.kernel = k
		img := image.NewRGBA(image.Rect(0, 0, sh.set.Width, sh.set.Height))
		plan.renderTile(img, img.Rect, s)
		if k.points == 0 {
			t.Fatalf("%s: no batch looked at its points", sh.name)
		}
		if reach := plan.view.reach(); !(k.most <= reach) {
			t.Errorf("%s: a point %g from the camera, beyond its reach %g", sh.name, k.most, reach)
		}
	}
	far := show.At(0)
	far.Camera.Position.X += moderate
	if newFramePlan(far, Settings{Width: 64, Height: 36, Samples: 1}, nil).near {
		t.Errorf("a camera beyond moderate: near")
	}
}
