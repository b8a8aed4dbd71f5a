// Package scenefile reads and writes scene files, the YAML format in which an
// animated scene is written down (docs/scene-format.md). Load and Parse decode a
// file into a File, an animation that builds a scene.Scene for any time, and
// refuse a bad one with an error that points at its line (PosError); Dump writes
// a File back. Builtins and Lookup give the built-in scenes, scene files embedded
// in the program. Primitives is the registry of the shapes and operations that a
// file can name (primitives.go).
//
// With scene (the model: shapes, operations, materials, camera, animation) and
// render (the renderer), scenefile is the library API of this module: a program
// loads a scene file here, or builds a scene.Animation in Go, and renders it with
// render. The package opens no file but the one Load is given, and knows nothing
// of pixels or goroutines.
package scenefile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

// File is an animated scene as a scene file describes it. It is an Animation: At
// builds the frozen Scene for any time. Make one with Parse or Load.
type File struct {
	Name        string
	Description string
	Duration    float64 // seconds over which orbits and spins make their turns
	Render      RenderDefaults
	Source      []byte // the text it was parsed from

	durationSet bool
	camera      params
	sky         params
	lights      []params
	materials   map[string]params
	matOrder    []string // material names in file order, for dumping
	objects     []*Object
}

// RenderDefaults are the settings a scene file suggests; command-line flags
// override them. A zero field is not set.
type RenderDefaults struct {
	Frames, Width, Height, Samples int
	FPS                            float64
	Shutter                        float64 // fraction of the frame interval open, for motion blur
	// Adaptive anti-aliasing: the most samples a pixel gets (0 for none), and
	// the difference between neighbours, a fraction of the display range,
	// above which a pixel gets more.
	Adaptive  int
	Threshold float64
}

var topKeys = []string{"name", "description", "duration", "render", "camera", "sky", "lights", "materials", "objects"}

// Load reads and parses the scene file at path.
func Load(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scene: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("scene: %w", err)
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return parse(path, name, data)
}

// Parse parses a scene file's text; file names it in error messages and gives the
// scene its name when the text has none.
func Parse(file string, data []byte) (*File, error) {
	return parse(file, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)), data)
}

func parse(file, name string, data []byte) (f *File, err error) {
	if len(data) > MaxFileSize {
		return nil, &PosError{File: file, Msg: fmt.Sprintf("the file is larger than %d MiB: a scene file describes objects, it does not list them", MaxFileSize>>20)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc, extra yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, yamlError(file, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &PosError{File: file, Msg: "the file is empty: a scene needs at least a camera and objects"}
	}
	switch err := dec.Decode(&extra); {
	case err == io.EOF:
	case err != nil:
		return nil, yamlError(file, err)
	default:
		return nil, &PosError{File: file, Line: extra.Line, Column: extra.Column, Msg: "a scene file holds one YAML document, and a second one starts here (after ---): remove it"}
	}
	d := &decoder{file: file, scene: &File{Name: name, Source: data, materials: map[string]params{}}}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(*PosError)
			if !ok {
				panic(r)
			}
			f, err = nil, pe
		}
	}()
	d.file_(doc.Content[0])
	return d.scene, nil
}

// yamlError turns the YAML library's syntax error into the file:line form.
func yamlError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msg = strings.Join(te.Errors, "; ")
	}
	return &PosError{File: file, Line: line, Msg: msg}
}

// file_ decodes the top-level mapping.
func (d *decoder) file_(root *yaml.Node) {
	f := d.scene
	root = d.resolve(root, "")
	if root.Kind != yaml.MappingNode {
		d.fail(root, "", "a scene file must be a mapping with keys such as camera and objects, got %s", describe(root))
	}
	// Orbits and spins are given in turns over the duration, which may be written
	// after them: read duration and render first.
	var sections = map[string]*yaml.Node{}
	d.mapping(root, "", topKeys, func(key string, v *yaml.Node, _ string) { sections[key] = v })
	if n := sections["render"]; n != nil {
		f.Render = d.render(n, "render")
	}
	if n := sections["duration"]; n != nil {
		f.Duration, f.durationSet = d.number(n, "duration"), true
		d.check(n, "duration", scene.Vec3{X: f.Duration}, 1, positive)
	} else {
		f.Duration = float64(orDefault(f.Render.Frames, scene.DefaultFrames)) / orDefault(f.Render.FPS, scene.DefaultFPS)
	}
	d.duration = f.Duration
	if n := sections["name"]; n != nil {
		f.Name = d.str(n, "name")
	}
	if n := sections["description"]; n != nil {
		f.Description = d.str(n, "description")
	}
	if n := sections["materials"]; n != nil {
		d.mapping(n, "materials", nil, func(name string, mn *yaml.Node, mpath string) {
			f.materials[name] = d.params(mn, mpath, materialParams, nil, nil)
			f.matOrder = append(f.matOrder, name)
		})
	}
	if n := sections["camera"]; n != nil {
		f.camera = d.params(n, "camera", cameraParams, nil, nil)
	} else {
		d.fail(root, "", "missing required key `camera`")
	}
	f.sky = d.params(emptyIfNil(sections["sky"]), "sky", skyParams, nil, nil)
	if n := sections["lights"]; n != nil {
		for i, ln := range d.sequence(n, "lights", "lights", 64) {
			f.lights = append(f.lights, d.params(ln, indexPath("lights", i), lightParams, nil, nil))
		}
	}
	n := sections["objects"]
	if n == nil {
		d.fail(root, "", "missing required key `objects`")
	}
	for i, on := range d.sequence(n, "objects", "objects", maxObjects) {
		f.objects = append(f.objects, d.object(on, indexPath("objects", i), 1))
	}
	d.checkFrames(sections["camera"])
}

// orDefault returns x, or def when x is zero (not set).
func orDefault[T int | float64](x, def T) T {
	if x == 0 {
		return def
	}
	return x
}

// emptyIfNil returns n, or an empty mapping for a section the file leaves out.
func emptyIfNil(n *yaml.Node) *yaml.Node {
	if n == nil {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	return n
}

// render reads the render defaults.
func (d *decoder) render(n *yaml.Node, path string) RenderDefaults {
	var r RenderDefaults
	d.mapping(n, path, []string{"frames", "fps", "width", "height", "samples", "shutter", "adaptive", "threshold"}, func(key string, v *yaml.Node, p string) {
		switch key {
		case "frames":
			r.Frames = d.integer(v, p, 1, scene.MaxFrames)
		case "fps":
			r.FPS = d.number(v, p)
			if !(r.FPS > 0 && r.FPS <= scene.MaxFPS) {
				d.fail(v, p, "must be above 0 and at most %d, got %g", scene.MaxFPS, r.FPS)
			}
		case "width":
			r.Width = d.integer(v, p, 1, scene.MaxSize)
		case "height":
			r.Height = d.integer(v, p, 1, scene.MaxSize)
		case "samples":
			r.Samples = d.integer(v, p, 1, scene.MaxSamples)
		case "shutter":
			r.Shutter = d.number(v, p)
			if !(r.Shutter >= 0 && r.Shutter <= 1) {
				d.fail(v, p, "must be between 0 and 1 (a fraction of the frame interval), got %g", r.Shutter)
			}
		case "adaptive":
			r.Adaptive = d.integer(v, p, 2, scene.MaxSamples)
		case "threshold":
			r.Threshold = d.number(v, p)
			if !(r.Threshold > 0 && r.Threshold < 1) {
				d.fail(v, p, "must be above 0 and below 1 (a fraction of the display range), got %g", r.Threshold)
			}
		}
	})
	return r
}

// checkFrames builds the scene at times spread over the duration, and the camera
// at every key of the camera, and fails on one that cannot be rendered, such as a
// camera whose animated target passes through its position.
func (d *decoder) checkFrames(camera *yaml.Node) {
	f := d.scene
	check := func(t float64, s *scene.Scene) {
		if err := s.Validate(); err != nil {
			d.fail(d.resolve(camera, "camera"), "camera", "at t = %gs: %s", t, strings.TrimPrefix(err.Error(), "scene: "))
		}
	}
	const samples = 64
	for i := 0; i <= samples; i++ {
		t := f.Duration * float64(i) / samples
		check(t, f.At(t))
	}
	// Only the camera changes at its keys: building every object again for each of
	// thousands of keys would be slow.
	s := *f.At(0)
	for _, v := range f.camera.vals {
		if v != nil && v.Track != nil {
			for _, k := range v.Track.Keys {
				s.Camera = f.camera.camera(k.T)
				check(k.T, &s)
			}
		}
	}
}

// CameraAt returns the camera at time t seconds, without building the rest of
// the scene: for checking every frame's camera before rendering.
func (f *File) CameraAt(t float64) scene.Camera { return f.camera.camera(t) }

// defaultMaterial is the material of objects that name none: matte light grey.
var defaultMaterial = params{set: materialParams, vals: make([]*Value, len(materialParams))}.material(0)

// At implements Animation: it builds the frozen scene at time t seconds.
func (f *File) At(t float64) *scene.Scene {
	fs := &frameState{materials: make(map[string]scene.Material, len(f.materials)), duration: f.Duration}
	for name, p := range f.materials {
		fs.materials[name] = p.material(t)
	}
	s := &scene.Scene{Camera: f.camera.camera(t), Sky: f.sky.sky(t)}
	for _, l := range f.lights {
		s.Lights = append(s.Lights, l.light(t))
	}
	if len(f.objects) == 1 {
		s.Root = f.objects[0].build(t, fs, defaultMaterial)
	} else {
		u := make(scene.Union, len(f.objects))
		for i, o := range f.objects {
			u[i] = o.build(t, fs, defaultMaterial)
		}
		s.Root = u
	}
	return s
}
