package scenefile

import (
	"math"
	"testing"

	"github.com/sdfrender/render/scene"
)

// numberScene returns a scene whose one object is a plane with the given
// offset, a number that may be animated; head goes before it (duration, render).
func numberScene(head, offset string) string {
	return head + "\ncamera: {position: [0, 0, 5]}\nobjects:\n  - plane: {offset: " + offset + "}\n"
}

// offsetAt returns the plane offset of a numberScene at time t.
func offsetAt(t *testing.T, f *File, tm float64) float64 {
	t.Helper()
	s, ok := f.At(tm).Root.(*scene.Solid)
	if !ok {
		t.Fatalf("At(%g).Root = %T, want a *Solid", tm, f.At(tm).Root)
	}
	p, ok := s.Shape.(scene.Plane)
	if !ok {
		t.Fatalf("At(%g).Root.Shape = %T, want a Plane", tm, s.Shape)
	}
	return p.Offset
}

// vectorScene returns a scene whose one object is a sphere translated by the
// given vector, which may be animated; head goes before it.
func vectorScene(head, translate string) string {
	return head + "\ncamera: {position: [0, 0, 50]}\nobjects:\n  - sphere: {radius: 1}\n    translate: " + translate + "\n"
}

// translateAt returns the offset of a vectorScene at time t.
func translateAt(t *testing.T, f *File, tm float64) scene.Vec3 {
	t.Helper()
	tr, ok := f.At(tm).Root.(*scene.Translate)
	if !ok {
		t.Fatalf("At(%g).Root = %T, want a *Translate", tm, f.At(tm).Root)
	}
	return tr.Offset
}

func TestTrackEasings(t *testing.T) {
	// From 10 at t = 1 to 20 at t = 3: u = 0.25 at t = 1.5, 0.5 at t = 2.
	tests := []struct {
		ease                 string
		quarter, half, later float64 // values at t = 1.5, 2 and 3 - 1e-9
	}{
		{"linear", 12.5, 15, 20},
		{"smoothstep", 11.5625, 15, 20},
		{"ease-in", 10.625, 12.5, 20},
		{"ease-out", 14.375, 17.5, 20},
		{"ease-in-out", 11.25, 15, 20},
		{"hold", 10, 10, 10},
	}
	for _, tt := range tests {
		t.Run(tt.ease, func(t *testing.T) {
			f := mustParse(t, numberScene("duration: 4", "{keys: [{t: 1, value: 10, ease: "+tt.ease+"}, {t: 3, value: 20}]}"))
			exact := []struct {
				t, want float64
			}{
				{1, 10}, {3, 20}, // at the keys, exactly the keys' values
				{0, 10}, {-5, 10}, {1 - 1e-9, 10}, // before the first key
				{3 + 1e-9, 20}, {4, 20}, {1e6, 20}, // after the last
			}
			for _, c := range exact {
				if got := offsetAt(t, f, c.t); got != c.want {
					t.Errorf("%s: value at %g = %.17g, want exactly %g", tt.ease, c.t, got, c.want)
				}
			}
			near := []struct {
				t, want float64
			}{
				{1.5, tt.quarter}, {2, tt.half}, {3 - 1e-9, tt.later},
			}
			for _, c := range near {
				if got := offsetAt(t, f, c.t); math.Abs(got-c.want) > 1e-6 {
					t.Errorf("%s: value at %g = %.17g, want %g", tt.ease, c.t, got, c.want)
				}
			}
		})
	}
}

func TestTrackSegments(t *testing.T) {
	// Each key's easing shapes the segment that starts at it.
	f := mustParse(t, numberScene("duration: 4", "{keys: ["+
		"{t: 0, value: 0, ease: ease-in}, "+
		"{t: 1, value: 4, ease: hold}, "+
		"{t: 2, value: 8, ease: ease-out}, "+
		"{t: 4, value: 2}]}"))
	tests := []struct {
		name    string
		t, want float64
		exact   bool
	}{
		{"before the first key", -1, 0, true},
		{"first key", 0, 0, true},
		{"ease-in midway", 0.5, 1, false},
		{"just before the second key", 1 - 1e-9, 4, false},
		{"second key", 1, 4, true},
		{"just after the second key: hold", 1 + 1e-9, 4, true},
		{"held midway", 1.5, 4, true},
		{"just before the third key: still held", 2 - 1e-9, 4, true},
		{"third key", 2, 8, true},
		{"ease-out midway", 3, 3.5, false},
		{"just before the last key", 4 - 1e-9, 2, false},
		{"last key", 4, 2, true},
		{"after the last key", 7, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := offsetAt(t, f, tt.t)
			if tt.exact && got != tt.want || !tt.exact && math.Abs(got-tt.want) > 1e-6 {
				t.Errorf("value at %g = %.17g, want %g", tt.t, got, tt.want)
			}
		})
	}
}

func TestTrackVector(t *testing.T) {
	f := mustParse(t, vectorScene("duration: 4", "{keys: [{t: 0, value: [0, 0, 0], ease: ease-in}, {t: 2, value: [2, 4, -6]}]}"))
	tests := []struct {
		t    float64
		want scene.Vec3
	}{
		{-1, scene.V(0, 0, 0)},
		{0, scene.V(0, 0, 0)},
		{1, scene.V(0.5, 1, -1.5)},
		{2, scene.V(2, 4, -6)},
		{3, scene.V(2, 4, -6)},
	}
	for _, tt := range tests {
		if got := translateAt(t, f, tt.t); !vecNear(got, tt.want, eps) {
			t.Errorf("translate at %g = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestTrackLoop(t *testing.T) {
	// Keys from t = 1 to t = 3: a period of 2.
	const keys = "keys: [{t: 1, value: 0}, {t: 2, value: 10, ease: ease-in}, {t: 3, value: 0}]"
	looped := mustParse(t, numberScene("duration: 4", "{"+keys+", loop: true}"))
	once := mustParse(t, numberScene("duration: 4", "{"+keys+", loop: false}"))
	const period = 2
	t.Run("values", func(t *testing.T) {
		tests := []struct {
			t, want, wantOnce float64
		}{
			{1, 0, 0},
			{1.5, 5, 5},
			{2, 10, 10},
			{2.5, 7.5, 7.5}, // ease-in: a quarter of the way down
			{3, 0, 0},
			{3.5, 5, 0},  // 1.5 again
			{4, 10, 0},   // 2 again
			{0, 10, 0},   // before the keys: 2 again
			{-0.5, 5, 0}, // 1.5 again
			{-1, 0, 0},   // 1 again
			{21.5, 5, 0}, // ten periods on
		}
		for _, tt := range tests {
			if got := offsetAt(t, looped, tt.t); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("looped value at %g = %.17g, want %g", tt.t, got, tt.want)
			}
			if got := offsetAt(t, once, tt.t); math.Abs(got-tt.wantOnce) > 1e-9 {
				t.Errorf("unlooped value at %g = %.17g, want %g", tt.t, got, tt.wantOnce)
			}
		}
	})
	t.Run("period", func(t *testing.T) {
		for _, tm := range []float64{1.25, 1.7, 2.5, 2.9, 0.3, -0.6, -4.2} {
			want := offsetAt(t, looped, tm)
			for _, k := range []float64{1, -1, 3, -3, 10} {
				if got := offsetAt(t, looped, tm+k*period); math.Abs(got-want) > 1e-9 {
					t.Errorf("value at %g + %g periods = %.17g, want the value at %g, %.17g", tm, k, got, tm, want)
				}
			}
		}
	})
}

func TestOrbit(t *testing.T) {
	tests := []struct {
		name  string
		head  string
		orbit string
		t     float64
		want  scene.Vec3
	}{
		// Phase 0 is +Z from the centre; a turn is counter-clockwise seen from
		// above, through +X.
		{"start", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5}", 0, scene.V(1, 2.5, 5)},
		{"quarter turn", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5}", 1, scene.V(3, 2.5, 3)},
		{"half turn", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5}", 2, scene.V(1, 2.5, 1)},
		{"whole turn", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5}", 4, scene.V(1, 2.5, 5)},
		{"before the start", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5}", -1, scene.V(-1, 2.5, 3)},
		{"phase in degrees", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5, phase: 90}", 0, scene.V(3, 2.5, 3)},
		{"two turns: period 2", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5, turns: 2}", 0.5, scene.V(3, 2.5, 3)},
		{"two turns, one period", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5, turns: 2, phase: 90}", 2, scene.V(3, 2.5, 3)},
		{"two turns, phase", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5, turns: 2, phase: 90}", 0.5, scene.V(1, 2.5, 1)},
		{"backwards", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5, turns: -1}", 1, scene.V(-1, 2.5, 3)},
		{"no turns", "duration: 4", "{center: [1, 2, 3], radius: 2, height: 0.5, turns: 0, phase: 180}", 3.3, scene.V(1, 2.5, 1)},
		{"quarter turns", "duration: 4", "{radius: 1, turns: 0.25}", 4, scene.V(1, 0, 0)},
		{"duration from render", "render: {frames: 60, fps: 30}", "{radius: 1}", 1, scene.V(0, 0, -1)},
		{"duration by default", "", "{radius: 1}", scene.DefaultFrames / scene.DefaultFPS / 4, scene.V(1, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, vectorScene(tt.head, "{orbit: "+tt.orbit+"}"))
			if got := translateAt(t, f, tt.t); !vecNear(got, tt.want, 1e-9) {
				t.Errorf("orbit %s at %g = %v, want %v", tt.orbit, tt.t, got, tt.want)
			}
		})
	}
}

func TestOrbitCamera(t *testing.T) {
	f := mustParse(t, yamlLines(
		"duration: 3",
		"camera: {position: {orbit: {center: [0, 1, 0], radius: 4, height: 2, turns: 3}}, target: [0, 1, 0]}",
		"objects: [{sphere: {radius: 1}}]"))
	for _, tm := range []float64{0, 0.25, 0.6} {
		got, want := f.At(tm+1).Camera.Position, f.At(tm).Camera.Position
		if !vecNear(got, want, 1e-9) {
			t.Errorf("camera position at %g = %v, want the position a period (1s) before, %v", tm+1, got, want)
		}
	}
	if got, want := f.At(0.5).Camera.Position, (scene.V(0, 3, -4)); !vecNear(got, want, 1e-9) {
		t.Errorf("camera position at 0.5 = %v, want %v", got, want)
	}
}

func TestSpin(t *testing.T) {
	// A box longer in x than in z, so that a quarter turn moves its surface.
	distanceAt := func(t *testing.T, spin string, tm float64, p scene.Vec3) float64 {
		t.Helper()
		f := mustParse(t, yamlLines("duration: 4", lCamera, lObjects, "  - box: {size: [2, 1, 0.5]}", "    spin: "+spin))
		return f.At(tm).Root.Distance(p)
	}
	probes := []scene.Vec3{scene.V(0.9, 0.2, 0.4), scene.V(-0.3, 0.1, 1.2), scene.V(1.5, -0.4, -0.2)}
	t.Run("repeats after duration/turns", func(t *testing.T) {
		for _, c := range []struct {
			spin   string
			period float64
		}{
			{"{turns: 2}", 2},
			{"{}", 4},
			{"{turns: -4}", 1},
			{"{turns: 0.5, axis: [1, 0, 0], phase: 30}", 8},
		} {
			for _, p := range probes {
				for _, tm := range []float64{0, 0.3, 1.1} {
					want := distanceAt(t, c.spin, tm, p)
					if got := distanceAt(t, c.spin, tm+c.period, p); math.Abs(got-want) > 1e-9 {
						t.Errorf("spin %s: distance at %v at %g = %.17g, want the distance a period (%g) earlier, %.17g", c.spin, p, tm+c.period, got, c.period, want)
					}
					if got := distanceAt(t, c.spin, tm+c.period/4, p); math.Abs(got-want) < 1e-3 {
						t.Errorf("spin %s: distance at %v at %g = %.17g, want it to differ from a quarter period earlier, %.17g", c.spin, p, tm+c.period/4, got, want)
					}
				}
			}
		}
	})
	t.Run("phase and direction", func(t *testing.T) {
		for _, p := range probes {
			for _, c := range []struct {
				spin string
				t    float64
				like string
				tl   float64
			}{
				{"{phase: 90}", 0, "{}", 1},
				{"{phase: 90}", 0.4, "{}", 1.4},
				{"{turns: -1}", 0.7, "{}", -0.7},
				{"{turns: 2, phase: -45}", 1, "{turns: 2}", 0.75},
			} {
				got, want := distanceAt(t, c.spin, c.t, p), distanceAt(t, c.like, c.tl, p)
				if math.Abs(got-want) > 1e-9 {
					t.Errorf("spin %s: distance at %v at %g = %.17g, want spin %s's at %g, %.17g", c.spin, p, c.t, got, c.like, c.tl, want)
				}
			}
		}
	})
}
