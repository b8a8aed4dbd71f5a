package render

import (
	"bytes"
	"math"
	"testing"

	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// TestLensFocuses checks the thin lens's geometry: every ray of an image point,
// whatever point of the lens it enters by, passes through the same point of
// the plane in focus (where the pinhole ray through the image point meets
// it), and starts on the lens, at most its radius from the camera, in the
// plane square to the view.
func TestLensFocuses(t *testing.T) {
	c := scene.Camera{Position: scene.V(1, 2, 6), Target: scene.V(0, 0.5, 0), Up: scene.V(0, 1, 0), FOV: 50, Aperture: 0.8, Focus: 4.5}
	v := newView(c, 64, 36)
	for _, px := range [][2]float64{{0, 0}, {32, 18}, {63.5, 2.25}, {10, 35}} {
		pinhole := v.ray(px[0], px[1])
		focal := c.Position.Add(pinhole.Scale(c.Focus / pinhole.Dot(v.forward)))
		for _, l := range [][2]float64{{0, 0}, {1, 0}, {0, -1}, {0.6, 0.7}, {-0.3, 0.2}} {
			ro, rd := v.through(px[0], px[1], l[0], l[1])
			off := ro.Sub(c.Position)
			if got, want := off.Length(), 0.4*math.Hypot(l[0], l[1]); math.Abs(got-want) > 1e-12 {
				t.Errorf("pixel %v, lens point %v: the ray starts %g from the camera, want %g", px, l, got, want)
			}
			if d := off.Dot(v.forward); math.Abs(d) > 1e-12 {
				t.Errorf("pixel %v, lens point %v: the ray starts %g off the lens plane, want 0", px, l, d)
			}
			// Where the ray meets the plane in focus.
			s := (c.Focus - off.Dot(v.forward)) / rd.Dot(v.forward)
			if miss := ro.Add(rd.Scale(s)).Sub(focal).Length(); miss > 1e-9 {
				t.Errorf("pixel %v, lens point %v: the ray meets the plane in focus %g from the pinhole ray's point, want 0", px, l, miss)
			}
			if math.Abs(rd.Length()-1) > 1e-12 {
				t.Errorf("pixel %v, lens point %v: direction of length %g, want 1", px, l, rd.Length())
			}
		}
	}
	// Focus 0 focuses at the target's distance; a pinhole ignores the lens.
	c.Focus = 0
	if v := newView(c, 64, 36); v.focus != c.Target.Sub(c.Position).Length() {
		t.Errorf("focus 0: the plane in focus at %g, want the target's distance %g", v.focus, c.Target.Sub(c.Position).Length())
	}
	c.Aperture = 0
	pin := newView(c, 64, 36)
	if ro, rd := pin.through(5, 7, 0.9, -0.4); ro != c.Position || rd != pin.ray(5, 7) {
		t.Errorf("a pinhole's ray from lens point (0.9, -0.4) = %v, %v; want the camera and the pinhole ray", ro, rd)
	}
}

// TestLensPoints checks where samples enter the lens: on the unit disk, spread
// evenly over it (the mean near the centre, each quarter of the area about a
// quarter of the points), the same for the same pixel, sample and frame, and
// different for a neighbouring pixel, another sample and another frame, so
// that a blur is fine grain that changes from frame to frame, not a pattern.
func TestLensPoints(t *testing.T) {
	var sx, sy float64
	var quarter [4]int
	n := 0
	for y := range 40 {
		for x := range 40 {
			for j := range 4 {
				lx, ly := lensPoint(7, x, y, j)
				if r := math.Hypot(lx, ly); !(r <= 1) {
					t.Fatalf("lensPoint(7, %d, %d, %d) = (%g, %g), %g from the centre, want within the unit disk", x, y, j, lx, ly, r)
				}
				sx, sy = sx+lx, sy+ly
				q := 0
				if lx < 0 {
					q++
				}
				if ly < 0 {
					q += 2
				}
				quarter[q]++
				n++
			}
		}
	}
	if mx, my := sx/float64(n), sy/float64(n); math.Hypot(mx, my) > 0.03 {
		t.Errorf("mean lens point (%g, %g) over %d samples, want near the centre", mx, my, n)
	}
	for q, c := range quarter {
		if f := float64(c) / float64(n); math.Abs(f-0.25) > 0.03 {
			t.Errorf("quarter %d of the disk got %.3f of the points, want about 0.25", q, f)
		}
	}
	lx, ly := lensPoint(3, 10, 20, 1)
	if x2, y2 := lensPoint(3, 10, 20, 1); x2 != lx || y2 != ly {
		t.Error("lensPoint is not a function of its arguments")
	}
	for _, c := range []struct {
		name        string
		frame, x, y int
		j           int
	}{{"the next pixel", 3, 11, 20, 1}, {"the pixel below", 3, 10, 21, 1}, {"another sample", 3, 10, 20, 2}, {"the next frame", 4, 10, 20, 1}} {
		if x2, y2 := lensPoint(c.frame, c.x, c.y, c.j); x2 == lx && y2 == ly {
			t.Errorf("%s enters the lens where pixel (10, 20) of frame 3 does, want elsewhere", c.name)
		}
	}
}

// TestLensFramesAreDeterministic renders the focus pull, whose lens blurs, on
// one worker in 8 px tiles on one core and on many workers in 64 px tiles on
// every core: the same bytes. And a lens of aperture 0 renders as the pinhole.
func TestLensFramesAreDeterministic(t *testing.T) {
	f, err := scenefile.Lookup("focus")
	if err != nil {
		t.Fatal(err)
	}
	a := sameOnAnyWorkers(t, Job{Animation: f, FPS: 24, Frames: []int{1, 30}, Settings: Settings{Width: 64, Height: 36, Samples: 4}}, 5)
	if bytes.Equal(a[1], a[30]) {
		t.Error("frames 1 and 30 of the focus pull are the same bytes, want the focus moved")
	}

	s := f.At(1.2)
	set := Settings{Width: 64, Height: 36, Samples: 4}
	lens, _ := RenderFrame(s, set)
	s.Camera.Aperture = 0
	pinhole, _ := RenderFrame(s, set)
	if bytes.Equal(lens.Pix, pinhole.Pix) {
		t.Error("the focus pull renders the same with and without its lens, want the lens to blur")
	}
	s.Camera.Focus = 1 // ignored without a lens
	again, _ := RenderFrame(s, set)
	if !bytes.Equal(again.Pix, pinhole.Pix) {
		t.Error("a pinhole camera renders differently with another focus, want focus ignored")
	}
}
