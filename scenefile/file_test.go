package scenefile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/sdfrender/render/scene"
)

// yamlLines joins lines into the text of a scene file, so that a test can say
// on which line (its index + 1) a thing is.
func yamlLines(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// mustParse parses src as test.yaml and fails the test on an error.
func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse(%q) = %v, want no error", src, err)
	}
	return f
}

// roundTripTimes are the times at which a dumped scene must equal the original.
func roundTripTimes(f *File) []float64 { return []float64{0, 0.37, 1.5, f.Duration} }

// checkRoundTrip checks that f dumps, that the dump parses to a File with the
// same frames at roundTripTimes, and that dumping that File gives the same bytes.
func checkRoundTrip(t *testing.T, f *File) {
	t.Helper()
	first, err := f.Dump()
	if err != nil {
		t.Fatalf("Dump() = %v, want no error", err)
	}
	g, err := Parse("dump.yaml", first)
	if err != nil {
		t.Fatalf("Parse(Dump()) = %v, want no error; the dump:\n%s", err, first)
	}
	if g.Name != f.Name || g.Description != f.Description || g.Duration != f.Duration || g.Render != f.Render {
		t.Errorf("Parse(Dump()) has name %q, description %q, duration %g, render %+v; want %q, %q, %g, %+v",
			g.Name, g.Description, g.Duration, g.Render, f.Name, f.Description, f.Duration, f.Render)
	}
	for _, tm := range roundTripTimes(f) {
		if got, want := g.At(tm), f.At(tm); !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(Dump()).At(%g) = %+v, want %+v (the original's); the dump:\n%s", tm, got, want, first)
		}
	}
	second, err := g.Dump()
	if err != nil {
		t.Fatalf("Parse(Dump()).Dump() = %v, want no error", err)
	}
	if !bytes.Equal(second, first) {
		t.Errorf("second Dump() =\n%s\nwant the first, byte for byte:\n%s", second, first)
	}
}

func TestBuiltinsRoundTrip(t *testing.T) {
	fs := Builtins()
	if len(fs) == 0 {
		t.Fatal("Builtins() is empty, want the built-in scenes")
	}
	for _, f := range fs {
		t.Run(f.Name, func(t *testing.T) {
			if len(f.Source) == 0 {
				t.Errorf("Builtins() %s has no Source, want the text it was parsed from", f.Name)
			}
			checkRoundTrip(t, f)
		})
	}
}

// kitchenSink uses every kind, every easing and every way of giving a value,
// so that a round trip covers what the built-in scenes leave out.
var kitchenSink = yamlLines(
	"name: sink",
	"description: 'every feature: once'",
	"render: {frames: 90, fps: 24, width: 320, height: 180, samples: 3}",
	"camera:",
	"  position: {orbit: {center: [0, 1, 0], radius: 8, height: 2, turns: -0.5, phase: 10}}",
	"  target: {keys: [{t: 0, value: [0, 0, 0], ease: hold}, {t: 1, value: [0, 1, 0], ease: ease-in-out}, {t: 3, value: [1, 1, 0]}], loop: true}",
	"  up: [0.1, 1, 0]",
	"  fov: {keys: [{t: 0, value: 40, ease: ease-out}, {t: 2, value: 60}]}",
	"sky: {zenith: [0.1, 0.2, 0.3], horizon: [0.4, 0.5, 0.6], ground: [0.3, 0.2, 0.1], ambient: 0.25, fog: 0}",
	"lights:",
	"  - {direction: {orbit: {radius: 1, height: 2, turns: 0, phase: 45}}, color: [1, 0.9, 0.8], intensity: 2, shadow: 4}",
	"  - direction: [0, 1, 0]",
	"materials:",
	"  unused: {}",
	"  glow: {color: {keys: [{t: 0, value: [1, 0, 0], ease: smoothstep}, {t: 2, value: [0, 0, 1]}]}, specular: 0.3, shininess: 7, reflect: 0.5, checker: [0, 0, 0], checker_size: 0.25}",
	"objects:",
	"  - plane: {normal: [0, 2, 0], offset: -1}",
	"  - sphere: {radius: {keys: [{t: 0, value: 0.5, ease: ease-in}, {t: 1e-3, value: 0.75}], loop: false}}",
	"    material: glow",
	"    scale: {keys: [{t: 0, value: 1}, {t: 2, value: 2.5}]}",
	"  - box: {size: [1, 2, 3]}",
	"    rotate: {axis: [1, 1, 0], angle: {keys: [{t: 0, value: 0}, {t: 3, value: 270}]}}",
	"    translate: [3, 0, 0]",
	"  - round_box: {size: [1, 1, 1], radius: 0.1}",
	"    rotate: {keys: [{t: 0, value: [0, 0, 0]}, {t: 3, value: [90, 45, 10]}]}",
	"    spin: {axis: [0, 0, 1], turns: 3, phase: -30}",
	"  - torus: {major: 1, minor: 0.25}",
	"    material: {color: [0.1, 0.9, 0.1], reflect: 0.2}",
	"  - capsule: {a: [0, 0, 0], b: {keys: [{t: 0, value: [0, 1, 0]}, {t: 2, value: [1, 1, 0]}]}, radius: 0.2}",
	"  - cylinder: {radius: 0.3, height: 2}",
	"    translate: {orbit: {center: [0, 0, -3], radius: 1.5, turns: 2}}",
	"  - intersection: {objects: [{sphere: {radius: 1}}, {box: {size: [1.5, 1.5, 1.5]}}]}",
	"    material: glow",
	"  - subtraction: {from: {box: {size: [1, 1, 1]}}, cut: {sphere: {radius: 0.6}, material: unused}}",
	"  - smooth_union: {k: 0.2, objects: [{sphere: {radius: 1}}, {sphere: {radius: 1}, translate: [1, 0, 0]}]}",
	"  - smooth_intersection: {k: {keys: [{t: 0, value: 0.1}, {t: 1, value: 0.3}]}, objects: [{sphere: {radius: 1}}, {box: {size: [1, 1, 1]}}]}",
	"  - smooth_subtraction: {k: 0.05, from: {sphere: {radius: 1}}, cut: {union: {objects: [{sphere: {radius: 0.5}}]}}}",
	"  - repeat: {period: [2, 0, 2], limit: [3, 0, 1], object: {sphere: {radius: 0.25}}}",
	"    translate: [0, -5, 0]",
)

func TestDumpRoundTrip(t *testing.T) {
	const camera = "camera: {position: [0, 0, 5]}"
	const objects = "objects: [{sphere: {radius: 1}}]"
	tests := []struct {
		name, src string
	}{
		{"kitchen sink", kitchenSink},
		{"smallest", yamlLines(camera, objects)},
		{"duration set", yamlLines("duration: 2.5", camera, objects)},
		{"largest render settings", yamlLines("render: {frames: 1000000, fps: 1000, width: 16384, height: 16384, samples: 256}", camera, objects)},
		{"odd fps", yamlLines("render: {frames: 7, fps: 0.001}", camera, objects)},
		{"film settings", yamlLines("render: {samples: 2, shutter: 0.5, adaptive: 16, threshold: 0.07}", camera, objects)},
		{"tiny and huge numbers", yamlLines(camera, "objects: [{sphere: {radius: 1e-300}, translate: [1e300, -2.5e-8, 123456789.125]}]")},
		{"names YAML would read as other things", yamlLines(
			`name: "true"`, `description: "- 12: #x"`,
			`materials: {"null": {}, "1.5": {}, "<<": {}, "": {}, "a: b": {}}`,
			camera,
			`objects: [{sphere: {radius: 1}, material: "<<"}, {sphere: {radius: 1}, material: "1.5"}, {sphere: {radius: 1}, material: ""}]`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRoundTrip(t, mustParse(t, tt.src)) })
	}
}

func TestRenderDefaultsAndDuration(t *testing.T) {
	const rest = "camera: {position: [0, 0, 5]}\nobjects: [{sphere: {radius: 1}}]\n"
	tests := []struct {
		name         string
		head         string
		wantRender   RenderDefaults
		wantDuration float64
	}{
		{"none", "", RenderDefaults{}, scene.DefaultFrames / scene.DefaultFPS},
		{"all", "render: {frames: 48, fps: 24, width: 320, height: 200, samples: 4}",
			RenderDefaults{Frames: 48, FPS: 24, Width: 320, Height: 200, Samples: 4}, 2},
		{"frames only", "render: {frames: 90}", RenderDefaults{Frames: 90}, 90.0 / scene.DefaultFPS},
		{"fps only", "render: {fps: 60}", RenderDefaults{FPS: 60}, scene.DefaultFrames / 60.0},
		{"fractional fps", "render: {frames: 50, fps: 12.5}", RenderDefaults{Frames: 50, FPS: 12.5}, 4},
		{"size only", "render: {width: 64, height: 48}", RenderDefaults{Width: 64, Height: 48}, scene.DefaultFrames / scene.DefaultFPS},
		{"duration wins", "duration: 1.5\nrender: {frames: 48, fps: 24}", RenderDefaults{Frames: 48, FPS: 24}, 1.5},
		{"duration after the rest", "render: {frames: 48, fps: 24}\n" + rest + "duration: 7", RenderDefaults{Frames: 48, FPS: 24}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.head + "\n" + rest
			if strings.Contains(tt.head, "camera") {
				src = tt.head + "\n"
			}
			f := mustParse(t, src)
			if f.Render != tt.wantRender {
				t.Errorf("Render = %+v, want %+v", f.Render, tt.wantRender)
			}
			if f.Duration != tt.wantDuration {
				t.Errorf("Duration = %g, want %g", f.Duration, tt.wantDuration)
			}
		})
	}
}

func TestNameAndDescription(t *testing.T) {
	const rest = "camera: {position: [0, 0, 5]}\nobjects: [{sphere: {radius: 1}}]\n"
	tests := []struct {
		file, src, wantName, wantDesc string
	}{
		{"dir/my-scene.yaml", rest, "my-scene", ""},
		{"dir/my-scene.yaml", "name: given\ndescription: a ball\n" + rest, "given", "a ball"},
		{"noext", rest, "noext", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.wantName, func(t *testing.T) {
			f, err := Parse(tt.file, []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse(%q) = %v, want no error", tt.file, err)
			}
			if f.Name != tt.wantName || f.Description != tt.wantDesc {
				t.Errorf("Parse(%q) name, description = %q, %q, want %q, %q", tt.file, f.Name, f.Description, tt.wantName, tt.wantDesc)
			}
			if string(f.Source) != tt.src {
				t.Errorf("Source = %q, want the text parsed, %q", f.Source, tt.src)
			}
		})
	}
}

func TestMaterialInheritance(t *testing.T) {
	src := yamlLines(
		"duration: 2",
		"camera: {position: [0, 0, 30]}",
		"materials:",
		"  red: {color: [1, 0, 0]}",
		"  blue: {color: [0, 0, 1], specular: 0.5}",
		"  pulse: {color: {keys: [{t: 0, value: [0, 0, 0]}, {t: 2, value: [1, 1, 1]}]}}",
		"objects:",
		"  - union:",
		"      objects:",
		"        - sphere: {radius: 0.5}", // x = 0: takes red from its parent
		"        - sphere: {radius: 0.5}", // x = 2: its own blue
		"          material: blue",
		"          translate: [2, 0, 0]",
		"        - union:", // x = 4: red from its grandparent
		"            objects: [{sphere: {radius: 0.5}, translate: [4, 0, 0]}]",
		"        - sphere: {radius: 0.5}", // x = 6: inline
		"          material: {color: [0, 1, 0], shininess: 8}",
		"          translate: [6, 0, 0]",
		"        - union:", // x = 8: blue from an inline-less parent that names blue
		"            objects: [{sphere: {radius: 0.5}, translate: [8, 0, 0]}]",
		"          material: blue",
		"    material: red",
		"  - sphere: {radius: 0.5}", // x = 10: no material anywhere
		"    translate: [10, 0, 0]",
		"  - subtraction:", // x = 12: both sides inherit the inline material
		"      from: {box: {size: [1, 1, 1]}}",
		"      cut: {sphere: {radius: 0.1}, translate: [0, 0, 0.5]}",
		"    material: {color: [0.5, 0.25, 0]}",
		"    translate: [12, 0, 0]",
		"  - repeat: {period: [0, 0, 0], object: {sphere: {radius: 0.5}}}", // x = 14: through repeat
		"    material: pulse",
		"    translate: [14, 0, 0]",
	)
	f := mustParse(t, src)
	red := scene.Material{Color: scene.V(1, 0, 0), Shininess: 32}
	blue := scene.Material{Color: scene.V(0, 0, 1), Specular: 0.5, Shininess: 32}
	green := scene.Material{Color: scene.V(0, 1, 0), Shininess: 8}
	grey := scene.Material{Color: scene.V(0.8, 0.8, 0.8), Shininess: 32}
	brown := scene.Material{Color: scene.V(0.5, 0.25, 0), Shininess: 32}
	tests := []struct {
		name string
		at   scene.Vec3
		t    float64
		want scene.Material
		cut  bool // at is in a carved-out part: outside, on the cut's side
	}{
		{"child without material", scene.V(0, 0, 0), 0, red, false},
		{"child with its own", scene.V(2, 0, 0), 0, blue, false},
		{"grandchild", scene.V(4, 0, 0), 0, red, false},
		{"inline", scene.V(6, 0, 0), 0, green, false},
		{"nearest parent wins", scene.V(8, 0, 0), 0, blue, false},
		{"none anywhere", scene.V(10, 0, 0), 0, grey, false},
		{"inline on an operation", scene.V(12, 0, 0), 0, brown, false},
		{"cut side of an operation", scene.V(12, 0, 0.45), 0, brown, true},
		{"animated at 0", scene.V(14, 0, 0), 0, scene.Material{Shininess: 32}, false},
		{"animated at 1", scene.V(14, 0, 0), 1, scene.Material{Color: scene.V(0.5, 0.5, 0.5), Shininess: 32}, false},
		{"animated at 2", scene.V(14, 0, 0), 2, scene.Material{Color: scene.V(1, 1, 1), Shininess: 32}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, m := f.At(tt.t).Root.Surface(tt.at)
			if inside := d < 0; inside == tt.cut {
				t.Fatalf("At(%g).Root.Surface(%v) distance = %g, want it %s", tt.t, tt.at, d, map[bool]string{false: "< 0 (inside)", true: "> 0 (carved out)"}[tt.cut])
			}
			if m != tt.want {
				t.Errorf("At(%g).Root.Surface(%v) material = %+v, want %+v", tt.t, tt.at, m, tt.want)
			}
		})
	}
	if defaultMaterial != grey {
		t.Errorf("defaultMaterial = %+v, want %+v", defaultMaterial, grey)
	}
}

// TestDumpText checks the dump's text, not only that it reads back: the
// fields a file leaves out stay out (a zero render setting, an absent
// description or duration, a linear easing, loop: false), the rest are written
// in a fixed order, and counts as whole numbers.
func TestDumpText(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"many features", yamlLines(
			"render: {frames: 1000000, width: 64}",
			"camera:",
			"  position: {orbit: {radius: 8, turns: 0.5}}",
			"  fov: {keys: [{t: 0, value: 40, ease: ease-out}, {t: 2, value: 60}], loop: true}",
			"lights: [{direction: [0, 1, 0]}]",
			"materials:",
			"  b: {color: [0, 0, 1]}",
			"  a: {reflect: 0.5}",
			"objects:",
			"  - sphere: {radius: {keys: [{t: 0, value: 0.5}, {t: 1, value: 0.75, ease: hold}], loop: false}}",
			"    material: b",
			"    scale: 2",
			"    spin: {turns: 3}",
			"  - union:",
			"      objects:",
			"        - box: {size: [1, 2, 3]}",
			"          rotate: {axis: [1, 0, 0], angle: 90}",
			"        - torus: {major: 1, minor: 0.25}",
			"          rotate: [10, 20, 30]",
			"          translate: [0, 1, 0]",
			"          material: {specular: 0.5}",
			"  - subtraction: {from: {sphere: {radius: 1}}, cut: {plane: {}}}",
		), yamlLines(
			"name: test",
			"render:",
			"  frames: 1000000",
			"  width: 64",
			"camera:",
			"  position:",
			"    orbit:",
			"      center: [0, 0, 0]",
			"      radius: 8",
			"      height: 0",
			"      turns: 0.5",
			"      phase: 0",
			"  fov:",
			"    keys:",
			"      - {t: 0, value: 40, ease: ease-out}",
			"      - {t: 2, value: 60}",
			"    loop: true",
			"sky: {}",
			"lights:",
			"  - direction: [0, 1, 0]",
			"materials:",
			"  b:",
			"    color: [0, 0, 1]",
			"  a:",
			"    reflect: 0.5",
			"objects:",
			"  - sphere:",
			"      radius:",
			"        keys:",
			"          - {t: 0, value: 0.5}",
			"          - {t: 1, value: 0.75, ease: hold}",
			"    material: b",
			"    scale: 2",
			"    spin:",
			"      axis: [0, 1, 0]",
			"      turns: 3",
			"      phase: 0",
			"  - union:",
			"      objects:",
			"        - box:",
			"            size: [1, 2, 3]",
			"          rotate:",
			"            axis: [1, 0, 0]",
			"            angle: 90",
			"        - torus:",
			"            major: 1",
			"            minor: 0.25",
			"          material:",
			"            specular: 0.5",
			"          translate: [0, 1, 0]",
			"          rotate: [10, 20, 30]",
			"  - subtraction:",
			"      from:",
			"        sphere:",
			"          radius: 1",
			"      cut:",
			"        plane: {}",
		)},
		{"description and duration", yamlLines(
			"description: a ball", "duration: 2.5", "render: {fps: 12.5, height: 48, samples: 4}", lCamera, lObjects, lSphere,
		), yamlLines(
			"name: test",
			"description: a ball",
			"duration: 2.5",
			"render:",
			"  fps: 12.5",
			"  height: 48",
			"  samples: 4",
			"camera:",
			"  position: [0, 0, 5]",
			"sky: {}",
			"objects:",
			"  - sphere:",
			"      radius: 1",
		)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustParse(t, tt.src).Dump()
			if err != nil || string(got) != tt.want {
				t.Errorf("Dump() = %v and\n%s\nwant\n%s", err, got, tt.want)
			}
		})
	}
}
