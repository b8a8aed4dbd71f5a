package scene

import (
	"fmt"
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

// TestCameraValidateNamesTheCause checks that each unusable camera is refused
// with the message for its own cause, not a later check's.
func TestCameraValidateNamesTheCause(t *testing.T) {
	ok := Camera{Position: V(0, 1, 5), Target: V(0, 0.5, 0), Up: V(0, 1, 0), FOV: 45}
	tests := []struct {
		name    string
		change  func(c *Camera)
		wantErr string
	}{
		{"valid", func(c *Camera) {}, ""},
		{"position and target far apart", func(c *Camera) { c.Position, c.Target = V(1e200, 0, 0), V(-1e200, 0, 0) }, "too far apart, or too close"},
		{"position and target too close", func(c *Camera) { c.Position, c.Target = V(0, 0, 0), V(1e-170, 0, 0) }, "too far apart, or too close"},
		// 1.6e-162 squared is subnormal: the view direction would come out
		// 0.72 long, and the picture stretched.
		{"position and target too close for an exact direction", func(c *Camera) { c.Position, c.Target = V(0, 0, 0), V(1.6e-162, 0, 0) }, "too far apart, or too close"},
		{"position and target 1e-150 apart", func(c *Camera) { c.Position, c.Target = V(0, 0, 0), V(0, 0, 1e-150) }, ""},
		{"coordinates large but close", func(c *Camera) { c.Position, c.Target = V(1e150, 0, 0), V(1e150, 0, 1) }, ""},
		{"zero up", func(c *Camera) { c.Up = Vec3{} }, "up [0, 0, 0] must be a non-zero vector"},
		{"huge up", func(c *Camera) { c.Up = V(0, 1e200, 1e200) }, "up [0, 1e+200, 1e+200] must be a non-zero vector of length between 1e-150 and 1e150"},
		{"tiny up", func(c *Camera) { c.Up = V(0, 1e-170, 0) }, "must be a non-zero vector of length between 1e-150 and 1e150"},
		{"up too short for an exact direction", func(c *Camera) { c.Up = V(0, 1.6e-162, 0) }, "must be a non-zero vector of length between 1e-150 and 1e150"},
		{"up 1e-150 long", func(c *Camera) { c.Up = V(0, 1e-150, 0) }, ""},
		{"up along the view", func(c *Camera) { c.Up = V(0, -0.5, -5) }, "is parallel to the view direction"},
		{"target equals position", func(c *Camera) { c.Target = c.Position }, "camera target [0, 1, 5] equals its position"},
		{"infinite target", func(c *Camera) { c.Target.X = math.Inf(-1) }, "must be finite"},
		{"fov just above 0", func(c *Camera) { c.FOV = 1e-9 }, ""},
		{"fov just below 180", func(c *Camera) { c.FOV = math.Nextafter(180, 0) }, ""},
		{"fov 0", func(c *Camera) { c.FOV = 0 }, "fov must be between 0 and 180 degrees, got 0"},
		{"fov 180", func(c *Camera) { c.FOV = 180 }, "got 180"},
		{"thin lens", func(c *Camera) { c.Aperture, c.Focus = 0.1, 3 }, ""},
		{"negative aperture", func(c *Camera) { c.Aperture = -1e-9 }, "camera aperture must be a finite number >= 0 (0 for a pinhole), got -1e-09"},
		{"NaN aperture", func(c *Camera) { c.Aperture = math.NaN() }, "camera aperture must be a finite number >= 0"},
		{"infinite aperture", func(c *Camera) { c.Aperture = math.Inf(1) }, "camera aperture must be a finite number >= 0"},
		{"negative focus", func(c *Camera) { c.Focus = -2 }, "camera focus must be a finite distance >= 0 (0 to focus on the target), got -2"},
		{"NaN focus", func(c *Camera) { c.Focus = math.NaN() }, "camera focus must be a finite distance >= 0"},
		{"infinite focus", func(c *Camera) { c.Focus = math.Inf(1) }, "camera focus must be a finite distance >= 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			checkErr(t, "Validate()", c.Validate(), tt.wantErr)
		})
	}
}

func TestCameraFocusDistance(t *testing.T) {
	c := Camera{Position: V(3, 4, 12), Target: V(0, 0, 0), Up: V(0, 1, 0), FOV: 45}
	if got := c.FocusDistance(); got != 13 {
		t.Errorf("FocusDistance() with Focus 0 = %g, want the target's distance, 13", got)
	}
	c.Focus = 2.5
	if got := c.FocusDistance(); got != 2.5 {
		t.Errorf("FocusDistance() with Focus 2.5 = %g, want 2.5", got)
	}
	c.Focus = 1e-300
	if got := c.FocusDistance(); got != 1e-300 {
		t.Errorf("FocusDistance() with Focus 1e-300 = %g, want 1e-300", got)
	}
}

// TestCameraUpParallelLimit finds the up vector whose cross product with the
// view direction has length 1e-6, the smallest Validate accepts, and checks
// that it is accepted and the next smaller one is not.
func TestCameraUpParallelLimit(t *testing.T) {
	c := Camera{Position: V(0, 0, 1), Target: V(0, 0, 0), FOV: 45}
	view := V(0, 0, -1)
	// Up (x, 0, -1) is x/√(1+x²) away from parallel: search x up from 1e-6
	// for the first at which that reaches 1e-6.
	x := 1e-6
	for view.Cross(V(x, 0, -1).Normalize()).Length() < 1e-6 {
		x = math.Nextafter(x, 1)
	}
	if l := view.Cross(V(x, 0, -1).Normalize()).Length(); l != 1e-6 {
		t.Skipf("no up vector is exactly 1e-6 from parallel here (nearest %.17g): nothing to check at the limit", l)
	}
	c.Up = V(x, 0, -1)
	checkErr(t, fmt.Sprintf("Camera{Up: %v}.Validate()", c.Up), c.Validate(), "")
	c.Up = V(math.Nextafter(x, 0), 0, -1)
	checkErr(t, fmt.Sprintf("Camera{Up: %v}.Validate()", c.Up), c.Validate(), "parallel")
}

func TestSceneValidateLights(t *testing.T) {
	s := validScene()
	s.Lights = []Light{{Direction: V(0, 0, 1e-100)}}
	checkErr(t, "Validate() with a short light direction", s.Validate(), "")
	s.Lights = []Light{{Direction: V(0, 1, 0)}, {Direction: V(0, 0, 0)}}
	checkErr(t, "Validate() with a zero second light", s.Validate(), "lights[1].direction must be a finite non-zero vector, got [0, 0, 0]")
}
