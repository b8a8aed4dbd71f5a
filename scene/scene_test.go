package scene

import (
	"math"
	"testing"
)

// validScene returns a small scene that passes Validate, for tests to break.
func validScene() *Scene {
	return &Scene{
		Camera: Camera{Position: V(0, 1, 5), Target: V(0, 0.5, 0), Up: V(0, 1, 0), FOV: 45},
		Lights: []Light{
			{Direction: V(1, 1, 1), Color: V(1, 1, 1), Intensity: 1},
			{Direction: V(-1, 0.5, 0), Color: V(0.5, 0.5, 1), Intensity: 0.3},
		},
		Sky:  Sky{Zenith: V(0, 0, 1), Horizon: V(1, 1, 1), Ambient: 0.2},
		Root: &Solid{Sphere{1}, matRed},
	}
}

func TestSceneValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name    string
		change  func(s *Scene)
		wantErr string // "" for a valid scene
	}{
		{"valid", func(s *Scene) {}, ""},
		{"no lights", func(s *Scene) { s.Lights = nil }, ""},
		{"up not perpendicular to the view", func(s *Scene) { s.Camera.Up = V(0.3, 1, 2) }, ""},
		{"up not unit length", func(s *Scene) { s.Camera.Up = V(0, 1e-3, 0) }, ""},
		{"narrow fov", func(s *Scene) { s.Camera.FOV = 0.01 }, ""},
		{"wide fov", func(s *Scene) { s.Camera.FOV = 179.9 }, ""},
		{"looking straight down with up +Z", func(s *Scene) {
			s.Camera.Position, s.Camera.Target, s.Camera.Up = V(0, 10, 0), V(0, 0, 0), V(0, 0, 1)
		}, ""},

		{"nil root", func(s *Scene) { s.Root = nil }, "no objects"},
		{"target equals position", func(s *Scene) { s.Camera.Target = s.Camera.Position }, "equals its position"},
		{"up along the view", func(s *Scene) { s.Camera.Up = s.Camera.Target.Sub(s.Camera.Position) }, "parallel"},
		{"up against the view", func(s *Scene) { s.Camera.Up = s.Camera.Position.Sub(s.Camera.Target).Scale(3) }, "parallel"},
		{"looking straight down with up +Y", func(s *Scene) {
			s.Camera.Position, s.Camera.Target = V(0, 10, 0), V(0, 0, 0)
		}, "parallel"},
		{"zero up", func(s *Scene) { s.Camera.Up = Vec3{} }, "up"},
		{"fov 0", func(s *Scene) { s.Camera.FOV = 0 }, "fov"},
		{"fov negative", func(s *Scene) { s.Camera.FOV = -30 }, "fov"},
		{"fov 180", func(s *Scene) { s.Camera.FOV = 180 }, "fov"},
		{"fov 270", func(s *Scene) { s.Camera.FOV = 270 }, "fov"},
		{"fov NaN", func(s *Scene) { s.Camera.FOV = nan }, "fov"},
		{"fov +Inf", func(s *Scene) { s.Camera.FOV = inf }, "fov"},
		{"position NaN", func(s *Scene) { s.Camera.Position.X = nan }, "finite"},
		{"position +Inf", func(s *Scene) { s.Camera.Position.Z = inf }, "finite"},
		{"target -Inf", func(s *Scene) { s.Camera.Target.Y = -inf }, "finite"},
		{"up NaN", func(s *Scene) { s.Camera.Up.Y = nan }, "finite"},
		{"zero light direction", func(s *Scene) { s.Lights[1].Direction = Vec3{} }, "lights[1]"},
		{"NaN light direction", func(s *Scene) { s.Lights[0].Direction.Y = nan }, "lights[0]"},
		{"infinite light direction", func(s *Scene) { s.Lights[0].Direction.X = inf }, "lights[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validScene()
			tt.change(s)
			checkErr(t, "Validate()", s.Validate(), tt.wantErr)
		})
	}
}

func TestAnimationFunc(t *testing.T) {
	var gotT float64
	want := validScene()
	a := AnimationFunc(func(t float64) *Scene { gotT = t; return want })
	if got := a.At(2.5); got != want || gotT != 2.5 {
		t.Errorf("AnimationFunc.At(2.5) = %p after calling f(%g), want %p after f(2.5)", got, gotT, want)
	}
}
