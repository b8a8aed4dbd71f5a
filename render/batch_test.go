package render

import (
	"math"
	"testing"

	"github.com/sdfrender/render/scene"
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
			{op: opSkipFar, a: c.center, k: radius, b: scene.Vec3{X: margin}, mask: 1, jump: 4},
			constant(1), // the subtree, nearer than its bound says
			{op: opMin, mask: 1},
		}}
		// The edge, as the interpreter tests it: |v|² >= r².
		r := top + margin + boundSlack + radius
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
		}
	}
}

// testKernels are the kernels of this build: the portable one, and the active
// one if it is another.
func testKernels() []kernel {
	ks := []kernel{batchKernel{}}
	if activeKernel.name() != ks[0].name() {
		ks = append(ks, activeKernel)
	}
	return ks
}
