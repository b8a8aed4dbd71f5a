package scenefile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sdfrender/render/scene"
)

// sampleTimes are the times at which every built-in must give a valid frame.
var sampleTimes = []float64{0, 0.5, 1.7, 3.99}

// probes are fixed points around the built-ins' objects, to compare frames by.
func probes() []scene.Vec3 {
	var ps []scene.Vec3
	for x := -4.0; x <= 4; x += 0.5 {
		for _, z := range []float64{-1, 0, 0.7, 1, 2.3} {
			ps = append(ps, scene.V(x, 0.6, z), scene.V(x, 1.2, z), scene.V(x, 3.1, z))
		}
	}
	return ps
}

func TestBuiltinsValidate(t *testing.T) {
	for _, b := range Builtins() {
		for _, at := range sampleTimes {
			t.Run(fmt.Sprintf("%s/t=%g", b.Name, at), func(t *testing.T) {
				s := b.At(at)
				if s == nil {
					t.Fatalf("%s.At(%g) = nil, want a scene", b.Name, at)
				}
				if err := s.Validate(); err != nil {
					t.Errorf("%s.At(%g).Validate() = %v, want nil", b.Name, at, err)
				}
			})
		}
	}
}

func TestBuiltinsAnimate(t *testing.T) {
	for _, b := range Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			for i := 1; i < len(sampleTimes); i++ {
				t0, t1 := sampleTimes[i-1], sampleTimes[i]
				s0, s1 := b.At(t0), b.At(t1)
				if s0.Camera != s1.Camera {
					continue
				}
				moved := false
				for _, p := range probes() {
					if s0.Root.Distance(p) != s1.Root.Distance(p) {
						moved = true
						break
					}
				}
				if !moved {
					t.Errorf("%s: frames at t=%g and t=%g have the same camera and distances, want them to differ", b.Name, t0, t1)
				}
			}
		})
	}
}

func TestBuiltinsArePeriodic(t *testing.T) {
	periods := map[string]float64{"showcase": 4, "gallery": 8}
	for name, period := range periods {
		t.Run(name, func(t *testing.T) {
			b, err := Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, at := range sampleTimes {
				s0, s1 := b.At(at), b.At(at+period)
				if !vecNear(s0.Camera.Position, s1.Camera.Position, 1e-9) {
					t.Errorf("%s camera at t=%g+%g = %v, want %v as at t=%g", name, at, period, s1.Camera.Position, s0.Camera.Position, at)
				}
				for _, p := range probes() {
					if d0, d1 := s0.Root.Distance(p), s1.Root.Distance(p); !near(d0, d1, 1e-9) {
						t.Fatalf("%s distance at %v, t=%g+%g = %.17g, want %.17g as at t=%g", name, p, at, period, d1, d0, at)
					}
				}
			}
		})
	}
}

// TestBuiltinsAreSafeToMarch checks every built-in frame as the renderer uses it:
// 1-Lipschitz distances, Surface agreeing with Distance, and materials in range.
func TestBuiltinsAreSafeToMarch(t *testing.T) {
	for _, b := range Builtins() {
		for _, at := range []float64{0.5, 1.7} {
			t.Run(fmt.Sprintf("%s/t=%g", b.Name, at), func(t *testing.T) {
				root := b.At(at).Root
				// A fixed seed, so that any failure reproduces.
				r := rand.New(rand.NewPCG(20240601, 7))
				in := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
				const slack = 1e-9 // rounding in |d(p) - d(q)| <= |p - q|
				for range 1500 {
					p := scene.V(in(-6, 6), in(0, 12), in(-6, 6))
					dir := scene.V(r.NormFloat64(), r.NormFloat64(), r.NormFloat64()).Normalize()
					q := p.Add(dir.Scale(in(0, 1)))
					dp, dq := root.Distance(p), root.Distance(q)
					if math.Abs(dp-dq) > p.Sub(q).Length()+slack {
						t.Fatalf("|Distance(%v) - Distance(%v)| = %g, want <= |p-q| = %g", p, q, math.Abs(dp-dq), p.Sub(q).Length())
					}
					ds, m := root.Surface(p)
					if ds != dp {
						t.Fatalf("Surface(%v) distance = %.17g, want Distance = %.17g", p, ds, dp)
					}
					c := m.Color
					if !(c.X >= 0 && c.X <= 1 && c.Y >= 0 && c.Y <= 1 && c.Z >= 0 && c.Z <= 1) || !(m.Reflect >= 0 && m.Reflect <= 1) {
						t.Fatalf("Surface(%v) material = %v, want colour and reflectance in [0, 1]", p, m)
					}
				}
			})
		}
	}
}

func TestBuiltinsList(t *testing.T) {
	bs := Builtins()
	if len(bs) == 0 {
		t.Fatal("Builtins() is empty, want at least the default scene")
	}
	if bs[0].Name != "showcase" {
		t.Errorf("Builtins()[0].Name = %q, want the default %q first", bs[0].Name, "showcase")
	}
	seen := map[string]bool{}
	for i, b := range bs {
		if b.Name == "" || b.Description == "" || len(b.Source) == 0 {
			t.Errorf("Builtins()[%d] = %+v, want a name, a description and its source", i, b)
		}
		if strings.Contains(b.Description, "\n") {
			t.Errorf("Builtins()[%d].Description = %q, want one line", i, b.Description)
		}
		if seen[b.Name] {
			t.Errorf("Builtins()[%d].Name = %q, want names to be unique", i, b.Name)
		}
		seen[b.Name] = true
	}
}

func TestLookup(t *testing.T) {
	for _, want := range Builtins() {
		t.Run(want.Name, func(t *testing.T) {
			got, err := Lookup(want.Name)
			if err != nil {
				t.Fatalf("Lookup(%q) error = %v, want nil", want.Name, err)
			}
			if got.Name != want.Name || got.Description != want.Description {
				t.Errorf("Lookup(%q) = %q, %q, want %q, %q", want.Name, got.Name, got.Description, want.Name, want.Description)
			}
			if g, w := got.At(1.7).Camera, want.At(1.7).Camera; g != w {
				t.Errorf("Lookup(%q).At(1.7).Camera = %v, want %v", want.Name, g, w)
			}
		})
	}
	for _, name := range []string{"nope", "", "Showcase", "showcase "} {
		t.Run(fmt.Sprintf("unknown %q", name), func(t *testing.T) {
			_, err := Lookup(name)
			if err == nil {
				t.Fatalf("Lookup(%q) error = nil, want an error", name)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "scene: ") || !strings.Contains(msg, fmt.Sprintf("%q", name)) {
				t.Errorf("Lookup(%q) error = %q, want it to start with \"scene: \" and quote the name", name, msg)
			}
			for _, b := range Builtins() {
				if !strings.Contains(msg, b.Name) {
					t.Errorf("Lookup(%q) error = %q, want it to list %q", name, msg, b.Name)
				}
			}
		})
	}
}

func TestBuiltinsReturnsACopy(t *testing.T) {
	bs := Builtins()
	name := bs[0].Name
	bs[0].Name, bs[0].Description = "changed", "changed"
	if got := Builtins()[0].Name; got != name {
		t.Errorf("Builtins()[0].Name = %q after changing an earlier result, want %q", got, name)
	}
	b, err := Lookup(name)
	if err != nil || b.Name != name {
		t.Fatalf("Lookup(%q) = %+v, %v after changing Builtins()' result, want the untouched scene", name, b, err)
	}
	if _, err := Lookup("changed"); err == nil {
		t.Errorf("Lookup(%q) error = nil after renaming a copy, want an error", "changed")
	}
}
