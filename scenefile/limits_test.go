package scenefile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

// TestRenderLimits checks each render setting at its limits and one step past
// them: the largest and smallest accepted, and the nearest refused.
func TestRenderLimits(t *testing.T) {
	rest := []string{lCamera, lObjects, lSphere}
	accepted := []struct {
		render string
		want   RenderDefaults
	}{
		{"{frames: 1}", RenderDefaults{Frames: 1}},
		{fmt.Sprintf("{frames: %d}", scene.MaxFrames), RenderDefaults{Frames: scene.MaxFrames}},
		{"{width: 1, height: 1}", RenderDefaults{Width: 1, Height: 1}},
		{fmt.Sprintf("{width: %d, height: %d}", scene.MaxSize, scene.MaxSize), RenderDefaults{Width: scene.MaxSize, Height: scene.MaxSize}},
		{"{samples: 1}", RenderDefaults{Samples: 1}},
		{fmt.Sprintf("{samples: %d}", scene.MaxSamples), RenderDefaults{Samples: scene.MaxSamples}},
		{fmt.Sprintf("{fps: %d}", scene.MaxFPS), RenderDefaults{FPS: scene.MaxFPS}},
		{"{fps: 1e-9}", RenderDefaults{FPS: 1e-9}},
		{"{shutter: 0}", RenderDefaults{}},
		{"{shutter: 1}", RenderDefaults{Shutter: 1}},
		{"{adaptive: 2}", RenderDefaults{Adaptive: 2}},
		{fmt.Sprintf("{adaptive: %d, threshold: 0.999}", scene.MaxSamples), RenderDefaults{Adaptive: scene.MaxSamples, Threshold: 0.999}},
		{"{threshold: 1e-9}", RenderDefaults{Threshold: 1e-9}},
	}
	for _, tt := range accepted {
		t.Run(tt.render, func(t *testing.T) {
			f := mustParse(t, yamlLines(append([]string{"render: " + tt.render}, rest...)...))
			if f.Render != tt.want {
				t.Errorf("render: %s gives %+v, want %+v", tt.render, f.Render, tt.want)
			}
		})
	}
	refused := []struct{ key, value, msg string }{
		{"frames", "0", fmt.Sprintf("must be between 1 and %d, got 0", scene.MaxFrames)},
		{"frames", fmt.Sprint(scene.MaxFrames + 1), fmt.Sprintf("must be between 1 and %d, got %d", scene.MaxFrames, scene.MaxFrames+1)},
		{"width", "0", fmt.Sprintf("must be between 1 and %d, got 0", scene.MaxSize)},
		{"width", fmt.Sprint(scene.MaxSize + 1), fmt.Sprintf("must be between 1 and %d, got %d", scene.MaxSize, scene.MaxSize+1)},
		{"height", "0", fmt.Sprintf("must be between 1 and %d, got 0", scene.MaxSize)},
		{"height", fmt.Sprint(scene.MaxSize + 1), fmt.Sprintf("must be between 1 and %d, got %d", scene.MaxSize, scene.MaxSize+1)},
		{"samples", "0", fmt.Sprintf("must be between 1 and %d, got 0", scene.MaxSamples)},
		{"samples", fmt.Sprint(scene.MaxSamples + 1), fmt.Sprintf("must be between 1 and %d, got %d", scene.MaxSamples, scene.MaxSamples+1)},
		{"fps", "0", fmt.Sprintf("must be above 0 and at most %d, got 0", scene.MaxFPS)},
		{"fps", "-1", fmt.Sprintf("must be above 0 and at most %d, got -1", scene.MaxFPS)},
		{"fps", "1000.0000000000001", fmt.Sprintf("must be above 0 and at most %d, got 1000.0000000000001", scene.MaxFPS)},
		{"shutter", "-1e-9", "must be between 0 and 1 (a fraction of the frame interval), got -1e-09"},
		{"shutter", "1.0000000000000002", "must be between 0 and 1 (a fraction of the frame interval), got 1.0000000000000002"},
		{"adaptive", "1", fmt.Sprintf("must be between 2 and %d, got 1", scene.MaxSamples)},
		{"adaptive", fmt.Sprint(scene.MaxSamples + 1), fmt.Sprintf("must be between 2 and %d, got %d", scene.MaxSamples, scene.MaxSamples+1)},
		{"threshold", "0", "must be above 0 and below 1 (a fraction of the display range), got 0"},
		{"threshold", "1", "must be above 0 and below 1 (a fraction of the display range), got 1"},
		{"height", "1.5", "must be a whole number, got 1.5"},
		{"samples", "four", `must be a whole number, got "four"`},
	}
	for _, tt := range refused {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			line := "render: {" + tt.key + ": " + tt.value + "}"
			checkParseError(t, errorCase{"", yamlLines(append([]string{line}, rest...)...),
				fmt.Sprintf("1:%d", len("render: {"+tt.key+": ")+1), "render." + tt.key, tt.msg})
		})
	}
}

// TestParseAtTheLimits checks the limits on lists and on the whole scene at
// exactly the limit, which is accepted; TestParseLimits checks one past them.
func TestParseAtTheLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds scenes of thousands of objects")
	}
	t.Run("maxObjects objects", func(t *testing.T) {
		src := lCamera + "\nobjects:\n" + strings.Repeat(lSphere+"\n", maxObjects)
		f := mustParse(t, src)
		if u, ok := f.At(0).Root.(scene.Union); !ok || len(u) != maxObjects {
			t.Errorf("At(0).Root = %T of %d, want a Union of %d", f.At(0).Root, len(u), maxObjects)
		}
	})
	t.Run("64 lights", func(t *testing.T) {
		src := yamlLines(lCamera, "lights:"+strings.Repeat("\n  - direction: [0, 1, 0]", 64), lObjects, lSphere)
		if n := len(mustParse(t, src).At(0).Lights); n != 64 {
			t.Errorf("At(0).Lights has %d lights, want 64", n)
		}
	})
	t.Run("maxKeys keys", func(t *testing.T) {
		src := yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: ["+keyList(maxKeys)+"]}}")
		f := mustParse(t, src)
		if got := f.objects[0].params.vals[0].Track; got == nil || len(got.Keys) != maxKeys {
			t.Errorf("the radius track = %v, want %d keys", got, maxKeys)
		}
	})
}

// keyList returns n keys of a number track, "{t: 0, value: 1}, {t: 1, value: 1}, ...".
func keyList(n int) string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("{t: %d, value: 1}", i)
	}
	return strings.Join(keys, ", ")
}

// nodesVisited decodes src as Parse does and returns how many YAML nodes the
// decoder visited, aliases expanded, up to the first error.
func nodesVisited(t *testing.T, src string) int {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	d := &decoder{file: "test.yaml", scene: &File{materials: map[string]params{}}}
	func() {
		defer func() { _ = recover() }()
		d.file_(doc.Content[0])
	}()
	return d.nodes
}

// TestMaxNodes checks the limit on nodes visited, aliases expanded, at exactly
// maxNodes (accepted) and one more (refused). The scene is spheres sharing one
// radius track of a thousand keys through an alias, padded with lights and
// materials to the exact count.
func TestMaxNodes(t *testing.T) {
	scene := func(keys, spheres, lights, materials int) string {
		var b strings.Builder
		b.WriteString(lCamera + "\n")
		if lights > 0 {
			b.WriteString("lights:" + strings.Repeat("\n  - {direction: [0, 1, 0]}", lights) + "\n")
		}
		if materials > 0 {
			b.WriteString("materials:\n")
			for i := range materials {
				fmt.Fprintf(&b, "  m%d: {}\n", i)
			}
		}
		b.WriteString(lObjects + "\n")
		b.WriteString("  - sphere: {radius: &r {keys: [" + keyList(keys) + "]}}\n")
		b.WriteString(strings.Repeat("  - sphere: {radius: *r}\n", spheres-1))
		return b.String()
	}
	// What each part costs, measured on a small scene: the first light and
	// material cost more than the next (their section's key and list or mapping).
	small := nodesVisited(t, scene(1, 1, 0, 0))
	firstLight := nodesVisited(t, scene(1, 1, 1, 0)) - small
	perLight := nodesVisited(t, scene(1, 1, 2, 0)) - small - firstLight
	firstMaterial := nodesVisited(t, scene(1, 1, 0, 1)) - small
	perMaterial := nodesVisited(t, scene(1, 1, 0, 2)) - small - firstMaterial
	padding := func(n, first, each int) int {
		if n == 0 {
			return 0
		}
		return first + (n-1)*each
	}
	const keys = 1000
	one := nodesVisited(t, scene(keys, 1, 0, 0))
	perSphere := nodesVisited(t, scene(keys, 2, 0, 0)) - one
	spheres := 1 + (maxNodes-one-firstLight-firstMaterial)/perSphere
	base := one + (spheres-1)*perSphere
	find := func(total int) string {
		for l := range perMaterial + 1 {
			for m := 0; base+padding(l, firstLight, perLight)+padding(m, firstMaterial, perMaterial) <= total; m++ {
				if base+padding(l, firstLight, perLight)+padding(m, firstMaterial, perMaterial) == total {
					return scene(keys, spheres, l, m)
				}
			}
		}
		t.Fatalf("no padding brings the scene of %d spheres (%d nodes) to %d nodes", spheres, base, total)
		return ""
	}
	at := find(maxNodes)
	if n := nodesVisited(t, at); n != maxNodes {
		t.Fatalf("the padded scene visits %d nodes, want %d", n, maxNodes)
	}
	if _, err := Parse("test.yaml", []byte(at)); err != nil {
		t.Errorf("Parse(a scene of exactly maxNodes = %d nodes) = %v, want no error", maxNodes, err)
	}
	past := find(maxNodes + 1)
	_, err := Parse("test.yaml", []byte(past))
	if want := fmt.Sprintf("the document is too large once its aliases are expanded (more than %d nodes)", maxNodes); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse(a scene of maxNodes + 1 nodes) = %v, want an error containing %q", err, want)
	}
}

// TestValueRanges checks each kind of range a number or vector may be held to,
// at its edges: the edge itself, the nearest value inside and outside, and for
// a vector each component on its own.
func TestValueRanges(t *testing.T) {
	// Each place puts a value (%s) on the line it says of a scene file that is
	// valid otherwise.
	type place struct {
		line  int
		text  string
		path  string
		lines func(v string) string
	}
	at := func(line int, text, path string) place {
		p := place{line: line, text: text, path: path}
		p.lines = func(v string) string {
			l := []string{lCamera, "sky: {}", lObjects, lSphere}
			s := fmt.Sprintf(text, v)
			switch line {
			case 1:
				l[0] = s
			case 2:
				l[1] = s
			case 4:
				l[3] = s
			}
			return yamlLines(l...)
		}
		return p
	}
	var (
		radius    = at(4, "  - sphere: {radius: %s}", "objects[0].sphere.radius")
		specular  = at(2, "materials: {m: {specular: %s}}", "materials.m.specular")
		ambient   = at(2, "sky: {ambient: %s}", "sky.ambient")
		fog       = at(2, "sky: {fog: %s}", "sky.fog")
		intensity = at(2, "lights: [{direction: [0, 1, 0], intensity: %s}]", "lights[0].intensity")
		shadow    = at(2, "lights: [{direction: [0, 1, 0], shadow: %s}]", "lights[0].shadow")
		reflect   = at(2, "materials: {m: {reflect: %s}}", "materials.m.reflect")
		fov       = at(1, "camera: {position: [0, 0, 5], fov: %s}", "camera.fov")
		size      = at(4, "  - box: {size: %s}", "objects[0].box.size")
		limit     = at(4, "  - repeat: {period: [1, 1, 1], limit: %s, object: {sphere: {radius: 0.1}}}", "objects[0].repeat.limit")
		period    = at(4, "  - repeat: {period: %s, object: {sphere: {radius: 0.1}}}", "objects[0].repeat.period")
		color     = at(2, "materials: {m: {color: %s}}", "materials.m.color")
		zenith    = at(2, "sky: {zenith: %s}", "sky.zenith")
		scale     = at(4, "  - {sphere: {radius: 1}, scale: %s}", "objects[0].scale")
	)
	tests := []struct {
		p     place
		value string
		msg   string // "" where the value is accepted
	}{
		{radius, "1e-300", ""},
		{radius, "0", "must be > 0, got 0"},
		{radius, "-1e-300", "must be > 0, got -1e-300"},
		{scale, "1e-9", ""},
		{scale, "0", "must be > 0, got 0"},
		{specular, "0", ""},
		{specular, "-1e-9", "must be >= 0, got -1e-09"},
		{ambient, "0", ""},
		{ambient, "-0.5", "must be >= 0, got -0.5"},
		{fog, "0", ""},
		{fog, "-1e-9", "must be >= 0, got -1e-09"},
		{intensity, "0", ""},
		{intensity, "-1", "must be >= 0, got -1"},
		{shadow, "0", ""},
		{shadow, "-4", "must be >= 0, got -4"},
		{reflect, "0", ""},
		{reflect, "1", ""},
		{reflect, "-1e-9", "must be between 0 and 1, got -1e-09"},
		{reflect, "1.0000000000000002", "must be between 0 and 1, got 1.0000000000000002"},
		{fov, "1e-9", ""},
		{fov, "179.99999999999997", ""},
		{fov, "0", "must be between 0 and 180 degrees, got 0"},
		{fov, "-45", "must be between 0 and 180 degrees, got -45"},
		{fov, "180", "must be between 0 and 180 degrees, got 180"},
		{size, "[1e-9, 1e-9, 1e-9]", ""},
		{size, "[0, 1, 1]", "every component must be > 0, got [0, 1, 1]"},
		{size, "[1, 0, 1]", "every component must be > 0, got [1, 0, 1]"},
		{size, "[1, 1, 0]", "every component must be > 0, got [1, 1, 0]"},
		{limit, "[0, 0, 0]", ""},
		{limit, "[3, 1, 2]", ""},
		{limit, "[-1, 0, 0]", "every component must be a whole number >= 0, got [-1, 0, 0]"},
		{limit, "[0, -1, 0]", "every component must be a whole number >= 0, got [0, -1, 0]"},
		{limit, "[0, 0, -1]", "every component must be a whole number >= 0, got [0, 0, -1]"},
		{limit, "[0.5, 0, 0]", "every component must be a whole number >= 0, got [0.5, 0, 0]"},
		{limit, "[0, 1.5, 0]", "every component must be a whole number >= 0, got [0, 1.5, 0]"},
		{limit, "[0, 0, 2.5]", "every component must be a whole number >= 0, got [0, 0, 2.5]"},
		{period, "[0, 0, 0]", ""},
		{period, "[-1e-9, 0, 0]", "every component must be >= 0, got [-1e-09, 0, 0]"},
		{period, "[0, -1e-9, 0]", "every component must be >= 0, got [0, -1e-09, 0]"},
		{period, "[0, 0, -1e-9]", "every component must be >= 0, got [0, 0, -1e-09]"},
		{color, "[0, 0, 0]", ""},
		{color, "[-0.1, 0, 0]", "every component must be >= 0, got [-0.1, 0, 0]"},
		{color, "[0, -0.1, 0]", "every component must be >= 0, got [0, -0.1, 0]"},
		{color, "[0, 0, -0.1]", "every component must be >= 0, got [0, 0, -0.1]"},
		{zenith, "[0, 0, -2]", "every component must be >= 0, got [0, 0, -2]"},
	}
	for _, tt := range tests {
		t.Run(tt.p.path+"="+tt.value, func(t *testing.T) {
			src := tt.p.lines(tt.value)
			if tt.msg == "" {
				mustParse(t, src)
				return
			}
			col := strings.Index(tt.p.text, "%s") + 1
			checkParseError(t, errorCase{"", src, fmt.Sprintf("%d:%d", tt.p.line, col), tt.p.path, tt.msg})
		})
	}
}
