package render

import (
	"fmt"
	"image"

	"render/scene"
)

// Settings say how finely a frame is rendered.
type Settings struct {
	Width, Height int // in pixels
	Samples       int // anti-aliasing samples per pixel, 1 to MaxSamples
}

// Validate reports settings that cannot be rendered.
func (s Settings) Validate() error {
	switch {
	case s.Width <= 0 || s.Height <= 0:
		return fmt.Errorf("render: size must be positive, got %dx%d", s.Width, s.Height)
	case s.Samples < 1 || s.Samples > MaxSamples:
		return fmt.Errorf("render: samples must be between 1 and %d, got %d", MaxSamples, s.Samples)
	}
	return nil
}

// maxBounces is how many mirror reflections a ray follows: one is enough to see a
// floor in a mirror ball.
const maxBounces = 1

// framePlan is everything a worker needs to render any tile of one frame. It is
// built once per frame and only read afterwards, so workers share it freely.
type framePlan struct {
	root       scene.Node
	prog       *program // the compiled root, or nil to evaluate the tree
	originDist float64  // the distance at the camera, with prog
	reference  bool     // render as the reference marcher does
	sky        scene.Sky
	lights     []light
	view       view
	pattern    []offset
}

// newFramePlan prepares s for rendering at set, compiling it into code's memory.
func newFramePlan(s *scene.Scene, set Settings, code []instruction) *framePlan {
	lights := make([]light, len(s.Lights))
	for i, l := range s.Lights {
		lights[i] = light{dir: l.Direction.Normalize(), color: l.Color.Scale(l.Intensity), shadow: l.Shadow}
	}
	return &framePlan{
		root:    s.Root,
		prog:    compile(s.Root, code),
		sky:     s.Sky,
		lights:  lights,
		view:    newView(s.Camera, set.Width, set.Height),
		pattern: samplePattern(set.Samples),
	}
}

// renderTile renders the pixels of r into img and returns how many distance
// evaluations that took. Different tiles of one image may be rendered at once by
// different goroutines: each writes only its own pixels.
func (f *framePlan) renderTile(img *image.RGBA, r image.Rectangle) int64 {
	tr := tracer{root: f.root, prog: f.prog, reference: f.reference, origin: f.view.origin, sky: f.sky, lights: f.lights, footprint: f.view.footprint()}
	if tr.prog != nil {
		tr.originDist = tr.distance(tr.origin)
	}
	inv := 1 / float64(len(f.pattern))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):]
		for x := r.Min.X; x < r.Max.X; x++ {
			var sum scene.Vec3
			for _, o := range f.pattern {
				c := tr.radiance(f.view.origin, f.view.ray(float64(x)+o.x, float64(y)+o.y), 0, maxBounces)
				// Tone-map each sample before averaging, so an edge against a bright
				// highlight is smoothed as the eye sees it.
				sum = sum.Add(scene.Vec3{X: toneMap(c.X), Y: toneMap(c.Y), Z: toneMap(c.Z)})
			}
			i := (x - r.Min.X) * 4
			row[i+0] = srgb8(sum.X * inv)
			row[i+1] = srgb8(sum.Y * inv)
			row[i+2] = srgb8(sum.Z * inv)
			row[i+3] = 255
		}
	}
	return tr.evals
}

// RenderFrame renders the whole of scene s on the calling goroutine: the simplest
// way to get one picture, used by tests and benchmarks. Run renders animations.
func RenderFrame(s *scene.Scene, set Settings) (*image.RGBA, error) {
	if err := set.Validate(); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
	newFramePlan(s, set, nil).renderTile(img, img.Rect)
	return img, nil
}
