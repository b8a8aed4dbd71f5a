// Package scene owns what is rendered: signed distance primitives and the operations
// and transforms that combine them, materials, lights, the camera, and animation
// (keyframed tracks and orbits evaluated at a time t). An Animation gives, for any
// time, a frozen Scene: a snapshot with nothing left to animate, ready to render.
//
// The package knows nothing of pixels, goroutines or files: it never spawns a
// goroutine, and the renderer never animates. Scene files, the YAML format that
// describes an animation, are package scenefile's; limits.go holds the limits on
// what may be rendered, which scenefile, render and the command line all check.
package scene

import "fmt"

// Scene is a frozen snapshot of a scene at one instant: everything the renderer
// needs to draw a frame, with no time left in it. Nothing may change a Scene or its
// nodes once made: the renderer reads it from many goroutines at once, and frames of
// one animation may share nodes.
type Scene struct {
	Camera Camera
	Lights []Light
	Sky    Sky
	Root   Node
}

// Validate reports the first thing in s that cannot be rendered.
func (s *Scene) Validate() error {
	if s.Root == nil {
		return fmt.Errorf("scene: the scene has no objects")
	}
	if err := s.Camera.Validate(); err != nil {
		return err
	}
	for i, l := range s.Lights {
		if l.Direction.Length() == 0 || !l.Direction.IsFinite() {
			return fmt.Errorf("scene: lights[%d].direction must be a finite non-zero vector, got %v", i, l.Direction)
		}
	}
	return nil
}

// Animation is a scene as a function of time.
type Animation interface {
	// At returns the frozen scene at time t seconds. It is called once per frame.
	At(t float64) *Scene
}

// AnimationFunc adapts a plain function to Animation.
type AnimationFunc func(t float64) *Scene

// At implements Animation.
func (f AnimationFunc) At(t float64) *Scene { return f(t) }
