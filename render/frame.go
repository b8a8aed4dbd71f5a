package render

import (
	"fmt"
	"image"
	"image/draw"

	"github.com/sdfrender/render/scene"
)

// Settings say how finely a frame is rendered.
type Settings struct {
	Width, Height int // in pixels
	Samples       int // anti-aliasing samples per pixel, 1 to scene.MaxSamples
	Depth         int // bits per channel of the frames: 8 (or 0) or 16
	// Shutter is the fraction of the frame interval, 0 to 1, that the shutter is
	// open, from the frame's time on, for motion blur: each sample sees the
	// scene at a moment of its own within it (see shutter.go). 0 is no blur.
	Shutter float64
	// MaxSamples, above Samples, turns on adaptive anti-aliasing (adaptive.go):
	// after a first pass at Samples, a pixel that differs from a neighbour by
	// more than Threshold of the 8-bit display range, in any channel, gets more
	// samples, and more again while they disagree, up to MaxSamples. 0 is off.
	MaxSamples int
	Threshold  float64
}

// PixelSamples is the most samples a pixel of a frame gets.
func (s Settings) PixelSamples() int { return max(s.Samples, s.MaxSamples) }

// newImage returns a frame buffer of the settings' size and depth.
func (s Settings) newImage() draw.Image {
	if s.Depth == 16 {
		return image.NewRGBA64(image.Rect(0, 0, s.Width, s.Height))
	}
	return image.NewRGBA(image.Rect(0, 0, s.Width, s.Height))
}

// Validate reports settings that cannot be rendered.
func (s Settings) Validate() error {
	switch {
	case s.Width <= 0 || s.Height <= 0:
		return fmt.Errorf("render: size must be positive, got %dx%d", s.Width, s.Height)
	case s.Width > scene.MaxSize || s.Height > scene.MaxSize:
		return fmt.Errorf("render: width and height must be at most %d, got %dx%d", scene.MaxSize, s.Width, s.Height)
	case s.Samples < 1 || s.Samples > scene.MaxSamples:
		return fmt.Errorf("render: samples must be between 1 and %d, got %d", scene.MaxSamples, s.Samples)
	case s.Depth != 0 && s.Depth != 8 && s.Depth != 16:
		return fmt.Errorf("render: depth must be 8 or 16 bits, got %d", s.Depth)
	case !(s.Shutter >= 0 && s.Shutter <= 1):
		return fmt.Errorf("render: shutter must be between 0 and 1 of the frame interval, got %g", s.Shutter)
	case s.MaxSamples != 0 && (s.MaxSamples <= s.Samples || s.MaxSamples > scene.MaxSamples):
		return fmt.Errorf("render: adaptive samples must be above the %d samples of the first pass and at most %d (0 for no adaptive pass), got %d", s.Samples, scene.MaxSamples, s.MaxSamples)
	case s.MaxSamples != 0 && !(s.Threshold >= 0 && s.Threshold < 1):
		return fmt.Errorf("render: the adaptive threshold must be at least 0 and below 1 (a fraction of the display range), got %g", s.Threshold)
	}
	return nil
}

// maxBounces is how many mirror reflections a ray follows: one is enough to see a
// floor in a mirror ball.
const maxBounces = 1

// framePlan is everything a worker needs to render any tile of one frame. It is
// built once per frame and only read afterwards, so workers share it freely.
type framePlan struct {
	root      scene.Node
	prog      *program // the compiled root, or nil to evaluate the tree
	reference bool     // render as the reference marcher does
	sky       scene.Sky
	lights    []light
	view      view
	pattern   []offset
	frame     int // the frame's number, which seeds where its samples enter the lens
	// moments are the plans of the moments the samples see, with the shutter
	// open; nil when every sample sees the frame's time, this plan's scene.
	moments []*framePlan
	// near is whether every point its waves evaluate is within moderate of
	// zero (view.near), so that a batch need not look (batch.near).
	near bool
	// With adaptive anti-aliasing, the pattern of a refined pixel, and the
	// difference in display levels, a fraction of 255, that refines one.
	refine    []offset
	threshold float64
}

// adapt sets f up for adaptive anti-aliasing as set says, if it does.
func (f *framePlan) adapt(set Settings) *framePlan {
	if set.MaxSamples > set.Samples {
		f.refine, f.threshold = refinePattern(set.MaxSamples), set.Threshold
	}
	return f
}

// primary returns the ray of sample j of pixel (x, y), which sits at o in the
// pixel: its origin, on the lens, and its unit direction.
func (f *framePlan) primary(x, y, j int, o offset) (ro, rd scene.Vec3) {
	var lx, ly float64
	if !f.view.pinhole() {
		lx, ly = lensPoint(f.frame, x, y, j)
	}
	return f.view.through(float64(x)+o.x, float64(y)+o.y, lx, ly)
}

// newFramePlan prepares s for rendering at set, compiling it into code's memory.
func newFramePlan(s *scene.Scene, set Settings, code []instruction) *framePlan {
	lights := make([]light, len(s.Lights))
	for i, l := range s.Lights {
		lights[i] = light{dir: l.Direction.Normalize(), color: l.Color.Scale(l.Intensity), shadow: l.Shadow}
	}
	v := newView(s.Camera, set.Width, set.Height)
	return (&framePlan{
		root:    s.Root,
		prog:    compile(s.Root, code),
		sky:     s.Sky,
		lights:  lights,
		view:    v,
		pattern: samplePattern(set.Samples),
		near:    v.near(),
	}).adapt(set)
}

// tracer returns a tracer of the frame, for one tile.
func (f *framePlan) tracer() tracer {
	tr := tracer{root: f.root, prog: f.prog, floor: onlyPlane(f.prog), origin: f.view.origin, sky: f.sky, lights: f.lights,
		slope: f.view.slope(), minHit: minHitDist, near: f.near}
	if f.reference {
		tr.asReference()
	}
	return tr
}

// setRow writes the colours cs, linear in [0, 1], each scaled by scale, to
// the pixels of row y of img from x on: setPixel's work, with the image's
// type found once a row and an 8-bit pixel's encoding inlined (srgb8),
// where a call a pixel and three a channel cost some 140 instructions a
// pixel.
func setRow(img draw.Image, x, y int, cs []scene.Vec3, scale float64) {
	rgba, ok := img.(*image.RGBA)
	if !ok {
		for k, c := range cs {
			setPixel(img, x+k, y, c.Scale(scale))
		}
		return
	}
	i := rgba.PixOffset(x, y)
	row := rgba.Pix[i : i+4*len(cs)]
	for k, c := range cs {
		c = c.Scale(scale)
		p := row[4*k : 4*k+4 : 4*k+4]
		p[0], p[1], p[2], p[3] = srgb8(c.X), srgb8(c.Y), srgb8(c.Z), 255
	}
}

// setPixel writes the colour c, linear in [0, 1], to pixel (x, y) of img.
func setPixel(img draw.Image, x, y int, c scene.Vec3) {
	switch img := img.(type) {
	case *image.RGBA:
		i := img.PixOffset(x, y)
		p := img.Pix[i : i+4 : i+4]
		p[0], p[1], p[2], p[3] = srgb8(c.X), srgb8(c.Y), srgb8(c.Z), 255
	case *image.RGBA64:
		i := img.PixOffset(x, y)
		p := img.Pix[i : i+8 : i+8]
		for k, v := range [4]uint16{srgb16(c.X), srgb16(c.Y), srgb16(c.Z), 0xffff} {
			p[2*k], p[2*k+1] = uint8(v>>8), uint8(v)
		}
	default:
		panic(fmt.Sprintf("render: cannot render into a %T", img)) // a bug: Run makes the buffers
	}
}

// toneMapped is c tone-mapped channel by channel.
func toneMapped(c scene.Vec3) scene.Vec3 {
	return scene.Vec3{X: toneMap(c.X), Y: toneMap(c.Y), Z: toneMap(c.Z)}
}

// RenderFrame renders the whole of scene s on the calling goroutine: the simplest
// way to get one picture, used by tests and benchmarks. Run renders animations.
// A camera with a lens has its samples placed as for frame 0; Run places them
// by each frame's number, so that the grain of a blur changes from frame to
// frame.
func RenderFrame(s *scene.Scene, set Settings) (*image.RGBA, error) {
	if err := set.Validate(); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, set.Width, set.Height))
	newFramePlan(s, set, nil).renderTile(img, img.Rect, workerScratch(set, max(set.Width, set.Height)))
	return img, nil
}
