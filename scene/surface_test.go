package scene

import (
	"math"
	"testing"
)

// TestSurfaceIntoIsSurface holds SurfaceInto to Surface, bit for bit, in the
// distance and every number of the material: for every node of this package,
// nested, with blends whose weights are 0, 1, ½ and between, checkers on one
// side of a blend or both, ties, empty groups, a node it does not know (which it asks for
// its Surface), and points anywhere, some of their numbers zeros of either
// sign, infinite or NaN; and that it sets the material whatever *m held.
func TestSurfaceIntoIsSurface(t *testing.T) {
	red := Material{Color: Vec3{X: 1}, Specular: 0.5, Shininess: 40}
	gold := Material{Color: Vec3{X: 1, Y: 0.68, Z: 0.18}, Specular: 0.9, Shininess: 120, Reflect: 0.25}
	floorM := Material{Color: Vec3{X: 0.62, Y: 0.6, Z: 0.56}, Checker: Vec3{X: 0.08, Y: 0.08, Z: 0.1}, CheckerSize: 1, Reflect: 0.12}
	tile := Material{Color: Vec3{Z: 1}, Checker: Vec3{Y: 1}, CheckerSize: 0.3}
	ball := func(x, r float64, m Material) Node {
		return &Translate{Offset: Vec3{X: x}, Child: &Solid{Shape: Sphere{Radius: r}, Material: m}}
	}
	box := &Solid{Shape: RoundBox{Half: Vec3{X: 0.6, Y: 0.6, Z: 0.6}, Radius: 0.12}, Material: tile}
	torus := RotateEuler(Vec3{X: 1.2}, &Solid{Shape: Torus{Major: 0.85, Minor: 0.2}, Material: gold})
	roots := map[string]Node{
		"solid":               box,
		"moved":               &Translate{Offset: Vec3{Y: 1}, Child: &Scale{Factor: 0.7, Child: torus}},
		"repeated":            &Repeat{Period: Vec3{X: 2}, Limit: Vec3{X: 3}, Child: ball(0, 0.3, red)},
		"union":               Union{&Solid{Shape: Plane{Normal: Vec3{Y: 1}}, Material: floorM}, ball(-1, 1, red), ball(1, 0.8, gold)},
		"empty union":         Union{},
		"intersection":        Intersection{ball(0, 1, red), box},
		"subtraction":         &Subtraction{A: box, B: ball(0.3, 0.7, gold)},
		"smooth union":        &SmoothUnion{K: 0.5, Children: []Node{ball(-0.4, 0.62, red), torus, ball(0.5, 0.3, floorM)}},
		"smooth union, k 0":   &SmoothUnion{K: 0, Children: []Node{ball(-0.4, 0.62, red), torus}},
		"empty smooth union":  &SmoothUnion{K: 0.5},
		"smooth intersection": &SmoothIntersection{K: 0.3, Children: []Node{box, ball(0.2, 1, tile)}},
		"smooth subtraction":  &SmoothSubtraction{K: 0.06, A: box, B: ball(0, 0.76, red)},
		"checkers both sides": &SmoothUnion{K: 0.8, Children: []Node{ball(-0.3, 0.6, floorM), ball(0.3, 0.6, tile)}},
		"nested":              &Translate{Offset: Vec3{X: -2.5, Z: 0.7}, Child: &SmoothUnion{K: 0.4, Children: []Node{&Translate{Offset: Vec3{Y: 0.9}, Child: &Solid{Shape: Sphere{Radius: 0.62}, Material: red}}, &Translate{Offset: Vec3{Y: 0.95}, Child: torus}}}},
		"unknown node":        opaque{ball(0, 1, gold)},
		// Ties: where y = 0.5, A's and B's distances are as near, and two
		// planes blend half and half everywhere, their checkers told apart.
		"subtraction, a tie":    &Subtraction{A: &Solid{Shape: Plane{Normal: Vec3{Y: 1}}, Material: red}, B: &Solid{Shape: Plane{Normal: Vec3{Y: 1}, Offset: 1}, Material: gold}},
		"checkers as near":      &SmoothUnion{K: 0.5, Children: []Node{&Solid{Shape: Plane{Normal: Vec3{Y: 1}}, Material: floorM}, &Solid{Shape: Plane{Normal: Vec3{Y: 1}}, Material: tile}}},
		"unknown under a blend": &SmoothSubtraction{K: 0.2, A: opaque{box}, B: ball(0, 0.7, red)},
	}
	r := newRand()
	special := []float64{0, math.Copysign(0, -1), 1e300, math.Inf(1), math.Inf(-1), math.NaN()}
	junk := Material{Color: Vec3{X: 7, Y: 7, Z: 7}, Specular: 7, Checker: Vec3{Z: 7}, CheckerSize: 7}
	for name, n := range roots {
		for range 4000 {
			p := randPoint(r, 3)
			switch r.IntN(30) {
			case 0:
				p.Y = special[r.IntN(len(special))]
			case 1:
				p.Y = 0.5
			}
			dw, mw := n.Surface(p)
			m := junk
			dg := SurfaceInto(n, p, &m)
			if !sameFloat(dg, dw) || !sameMaterial(m, mw) {
				t.Fatalf("%s at %v: SurfaceInto = %v, %+v; Surface = %v, %+v", name, p, dg, m, dw, mw)
			}
		}
	}
}

// opaque hides a node's type from SurfaceInto.
type opaque struct{ Node }

func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b
}

func sameMaterial(a, b Material) bool {
	fa := []float64{a.Color.X, a.Color.Y, a.Color.Z, a.Specular, a.Shininess, a.Reflect, a.Checker.X, a.Checker.Y, a.Checker.Z, a.CheckerSize}
	fb := []float64{b.Color.X, b.Color.Y, b.Color.Z, b.Specular, b.Shininess, b.Reflect, b.Checker.X, b.Checker.Y, b.Checker.Z, b.CheckerSize}
	for i := range fa {
		if !sameFloat(fa[i], fb[i]) {
			return false
		}
	}
	return true
}
