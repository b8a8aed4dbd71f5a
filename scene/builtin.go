package scene

import (
	"math"
	"slices"
)

// The built-in scenes are Go functions of time for now; every one is periodic, so an
// animation of any length loops without a jump.

var (
	up    = Vec3{0, 1, 0}
	floor = &Solid{Plane{Normal: up}, Material{
		Color: Vec3{0.62, 0.60, 0.56}, Checker: Vec3{0.08, 0.08, 0.10}, CheckerSize: 1,
		Specular: 0.25, Shininess: 60, Reflect: 0.12,
	}}
	daylight = Sky{
		Zenith: Vec3{0.10, 0.25, 0.62}, Horizon: Vec3{0.50, 0.60, 0.78}, Ground: Vec3{0.25, 0.21, 0.18},
		Ambient: 0.40, Fog: 0.010,
	}
	sunAndFill = []Light{
		{Direction: Vec3{-0.55, 0.75, 0.45}, Color: Vec3{1, 0.90, 0.75}, Intensity: 1.25, Shadow: 10},
		{Direction: Vec3{0.6, 0.35, -0.7}, Color: Vec3{0.55, 0.65, 0.85}, Intensity: 0.3},
	}
)

const showcasePeriod = 4 // seconds: 120 frames at 30 fps

// showcase is the default scene: one loop of the camera every four seconds around a
// mirror ball, a coral sphere melting into a spinning gold ring, a teal cube hollowed
// by a sphere and a colonnade behind, on a checkered floor under a warm sun.
func showcase(t float64) *Scene {
	phase := 2 * math.Pi * t / showcasePeriod
	blend := FloatTrack(
		Key[float64]{T: 0, Value: 0.1, Ease: EaseSmoothstep},
		Key[float64]{T: showcasePeriod / 2, Value: 0.5, Ease: EaseSmoothstep},
		Key[float64]{T: showcasePeriod, Value: 0.1},
	).At(loop(t, showcasePeriod))

	mirror := &Solid{Sphere{1}, Material{Color: Vec3{0.9, 0.92, 0.95}, Specular: 1, Shininess: 250, Reflect: 0.8}}
	coral := Material{Color: Vec3{0.9, 0.22, 0.16}, Specular: 0.5, Shininess: 40}
	gold := Material{Color: Vec3{1.0, 0.68, 0.18}, Specular: 0.9, Shininess: 120, Reflect: 0.25}
	blob := &SmoothUnion{K: blend, Children: []Node{
		&Translate{Vec3{0, 0.75 + 0.35*math.Sin(phase), 0}, &Solid{Sphere{0.62}, coral}},
		&Translate{Vec3{0, 0.95, 0}, RotateEuler(Vec3{Radians(70), phase, 0}, &Solid{Torus{0.85, 0.2}, gold})},
	}}
	teal := Material{Color: Vec3{0.08, 0.55, 0.58}, Specular: 0.6, Shininess: 80}
	cube := &SmoothSubtraction{K: 0.06,
		A: &Solid{RoundBox{Vec3{0.6, 0.6, 0.6}, 0.12}, teal},
		B: &Solid{Sphere{0.76}, teal},
	}
	pillars := &Repeat{Period: Vec3{2, 0, 0}, Limit: Vec3{3, 0, 0},
		Child: &Translate{Vec3{0, 1.6, 0}, &Solid{Cylinder{0.3, 1.6}, Material{Color: Vec3{0.6, 0.56, 0.7}, Specular: 0.2, Shininess: 20}}},
	}
	rod := &Solid{Capsule{Vec3{-0.7, 0.22, 0}, Vec3{0.7, 0.22, 0}, 0.22}, Material{Color: Vec3{0.95, 0.82, 0.25}, Specular: 0.6, Shininess: 60}}

	return &Scene{
		Camera: Camera{
			Position: Orbit{Center: Vec3{0, 0.9, 0}, Radius: 6.4, Height: 1.5, Period: showcasePeriod, Phase: 0.5}.At(t),
			Target:   Vec3{0, 0.8, 0},
			Up:       up,
			FOV:      45,
		},
		Lights: slices.Clone(sunAndFill),
		Sky:    daylight,
		Root: Union{
			floor,
			&Translate{Vec3{0, 1, 0}, mirror},
			&Translate{Vec3{-2.5, 0, 0.7}, blob},
			&Translate{Vec3{2.4, 0.72, 0.4}, RotateEuler(Vec3{0, -phase, Radians(20)}, cube)},
			&Translate{Vec3{0, 0, -8.5}, pillars}, // beyond the orbit: a backdrop, never in the way
			&Translate{Vec3{0.4, 0, 2.3}, RotateAxis(up, -phase, rod)},
		},
	}
}

const galleryPeriod = 8

// gallery lays out every primitive in the front row and every operation in the back
// row, turning slowly under a fixed camera.
func gallery(t float64) *Scene {
	spin := 2 * math.Pi * t / galleryPeriod
	paint := func(r, g, b float64) Material {
		return Material{Color: Vec3{r, g, b}, Specular: 0.5, Shininess: 50}
	}
	red, green, blue := paint(0.85, 0.2, 0.15), paint(0.2, 0.7, 0.3), paint(0.2, 0.35, 0.85)
	sphere := &Solid{Sphere{0.55}, red}
	box := &Solid{Box{Vec3{0.45, 0.45, 0.45}}, blue}
	primitives := []Node{
		sphere,
		box,
		&Solid{RoundBox{Vec3{0.5, 0.4, 0.4}, 0.15}, green},
		RotateAxis(Vec3{1, 0, 0}, Radians(60), &Solid{Torus{0.42, 0.15}, paint(0.95, 0.7, 0.2)}),
		&Solid{Capsule{Vec3{0, -0.35, 0}, Vec3{0, 0.35, 0}, 0.22}, paint(0.7, 0.3, 0.8)},
		&Solid{Cylinder{0.4, 0.45}, paint(0.3, 0.75, 0.8)},
	}
	operations := []Node{
		Union{sphere, &Translate{Vec3{0.35, 0.3, 0}, box}},
		Intersection{sphere, &Scale{1.15, box}},
		&Subtraction{box, sphere},
		&SmoothUnion{K: 0.3, Children: []Node{sphere, &Translate{Vec3{0.35, 0.3, 0}, box}}},
		&SmoothIntersection{K: 0.2, Children: []Node{sphere, &Scale{1.15, box}}},
		&SmoothSubtraction{K: 0.15, A: box, B: sphere},
	}
	row := func(nodes []Node, z float64) Node {
		u := make(Union, len(nodes))
		for i, n := range nodes {
			x := (float64(i) - float64(len(nodes)-1)/2) * 1.5
			u[i] = &Translate{Vec3{x, 0.6, z}, RotateAxis(up, spin+0.3, n)}
		}
		return u
	}
	return &Scene{
		Camera: Camera{Position: Vec3{0, 4.2, 7.5}, Target: Vec3{0, 0.3, 0}, Up: up, FOV: 50},
		Lights: slices.Clone(sunAndFill),
		Sky:    daylight,
		Root:   Union{floor, row(primitives, 1), row(operations, -1)},
	}
}

// loop maps t to [0, period), so an animation repeats before time 0 too.
func loop(t, period float64) float64 {
	t = math.Mod(t, period)
	if t < 0 {
		t += period
	}
	return t
}
