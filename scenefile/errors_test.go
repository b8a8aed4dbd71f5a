package scenefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sdfrender/render/scene"
)

// Lines that many error cases share: a valid camera, the objects key, and a
// valid object, each to be put on the line a case says.
const (
	lCamera  = "camera: {position: [0, 0, 5]}"
	lObjects = "objects:"
	lSphere  = "  - sphere: {radius: 1}"
)

// errorCase is a scene file that Parse must reject, and the error it must give.
type errorCase struct {
	name string
	src  string
	pos  string // "line:column", "line" when the column is unknown, "" when both are
	path string // where in the document; "" for the file as a whole
	msg  string // a part of the message
}

// checkParseError parses tc.src as test.yaml and checks the error against tc.
func checkParseError(t *testing.T, tc errorCase) {
	t.Helper()
	f, err := Parse("test.yaml", []byte(tc.src))
	if err == nil {
		t.Fatalf("Parse(%q) = %v, nil; want an error containing %q", short(tc.src), f.Name, tc.msg)
	}
	var pe *PosError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse(%q) error = %T %v, want a *PosError", short(tc.src), err, err)
	}
	pos := ""
	switch {
	case pe.Column > 0:
		pos = fmt.Sprintf("%d:%d", pe.Line, pe.Column)
	case pe.Line > 0:
		pos = fmt.Sprint(pe.Line)
	}
	if pe.File != "test.yaml" || pos != tc.pos || pe.Path != tc.path || !strings.Contains(pe.Msg, tc.msg) {
		t.Errorf("Parse(%q) error = %q (file %q, position %q, path %q), want file %q, position %q, path %q, message containing %q",
			short(tc.src), err, pe.File, pos, pe.Path, "test.yaml", tc.pos, tc.path, tc.msg)
	}
	want := "test.yaml"
	if tc.pos != "" {
		want += ":" + tc.pos
	}
	want += ": "
	if tc.path != "" {
		want += tc.path + ": "
	}
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Parse(%q) error = %q, want it to start with %q", short(tc.src), err, want)
	}
}

// short returns s, or its start and end when it is too long to print.
func short(s string) string {
	if len(s) <= 300 {
		return s
	}
	return fmt.Sprintf("%s...(%d bytes)...%s", s[:150], len(s)-300, s[len(s)-150:])
}

func TestParseErrors(t *testing.T) {
	tests := []errorCase{
		// Wrong types.
		{"string for number", yamlLines(lCamera, lObjects, "  - sphere: {radius: big}"),
			"3:22", "objects[0].sphere.radius", `must be a number, got "big"`},
		{"quoted number", yamlLines(lCamera, lObjects, `  - sphere: {radius: "1"}`),
			"3:22", "objects[0].sphere.radius", `must be a number, got "1"`},
		{"nothing for number", yamlLines(lCamera, lObjects, "  - sphere: {radius: ~}"),
			"3:22", "objects[0].sphere.radius", "must be a number, got nothing"},
		{"list for number", yamlLines(lCamera, lObjects, "  - sphere: {radius: [1]}"),
			"3:22", "objects[0].sphere.radius", "must be a number, got a list of 1"},
		{"number for vector", yamlLines(lCamera, lObjects, lSphere, "    translate: 5"),
			"4:16", "objects[0].translate", "must be a vector [x, y, z], got 5"},
		{"list of 2 for vector", yamlLines(lCamera, lObjects, lSphere, "    translate: [1, 2]"),
			"4:16", "objects[0].translate", "must be a vector [x, y, z], got a list of 2"},
		{"list of 4 for vector", yamlLines(lCamera, lObjects, lSphere, "    translate: [1, 2, 3, 4]"),
			"4:16", "objects[0].translate", "must be a vector [x, y, z], got a list of 4"},
		{"string in vector", yamlLines(lCamera, lObjects, lSphere, "    translate: [1, up, 2]"),
			"4:20", "objects[0].translate[1]", `must be a number, got "up"`},
		{"list of 2 for camera position", yamlLines("camera: {position: [0, 5]}", lObjects, lSphere),
			"1:20", "camera.position", "must be a vector [x, y, z], got a list of 2"},
		{"list of 2 as a key's value", yamlLines(lCamera, lObjects, lSphere, "    translate: {keys: [{t: 0, value: [1, 2]}]}"),
			"4:38", "objects[0].translate.keys[0].value", "must be a vector [x, y, z], got a list of 2"},
		{"mapping for string", yamlLines("name: {first: a}", lCamera, lObjects, lSphere),
			"1:7", "name", "must be a string, got a mapping"},
		{"number for string", yamlLines("description: 12", lCamera, lObjects, lSphere),
			"1:14", "description", "must be a string, got 12"},
		{"number for material name", yamlLines(lCamera, lObjects, lSphere, "    material: 5"),
			"4:15", "objects[0].material", "must be a string, got 5"},
		{"list for camera", yamlLines("camera: [0, 0, 5]", lObjects, lSphere),
			"1:9", "camera", "must be a mapping of `position`, `target`, `up`, `fov`, `aperture`, `focus`, got a list of 3"},
		{"mapping for objects", yamlLines(lCamera, "objects: {sphere: {radius: 1}}"),
			"2:10", "objects", "must be a list of objects, got a mapping"},
		{"string for object", yamlLines(lCamera, lObjects, "  - sphere"),
			"3:5", "objects[0]", `must be a mapping of ` + "`sphere`"},
		{"mapping for lights", yamlLines(lCamera, "lights: {direction: [0, 1, 0]}", lObjects, lSphere),
			"2:9", "lights", "must be a list of lights, got a mapping"},
		{"list for materials", yamlLines("materials: [red]", lCamera, lObjects, lSphere),
			"1:12", "materials", "must be a mapping, got a list of 1"},
		{"string for loop", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, value: 1}], loop: yes}}"),
			"3:55", "objects[0].sphere.radius.loop", `must be true or false, got "yes"`},
		{"number for easing", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, value: 1, ease: 2}]}}"),
			"3:53", "objects[0].sphere.radius.keys[0].ease", "must be a string, got 2"},
		{"fraction for frames", yamlLines("render: {frames: 2.5}", lCamera, lObjects, lSphere),
			"1:18", "render.frames", "must be a whole number, got 2.5"},
		{"zero width", yamlLines("render: {width: 0}", lCamera, lObjects, lSphere),
			"1:17", "render.width", "must be between 1 and 16384, got 0"},
		{"too many samples", yamlLines("render: {samples: 257}", lCamera, lObjects, lSphere),
			"1:19", "render.samples", "must be between 1 and 256, got 257"},
		{"zero fps", yamlLines("render: {fps: 0}", lCamera, lObjects, lSphere),
			"1:15", "render.fps", "must be above 0 and at most 1000, got 0"},
		{"orbit for a number", yamlLines(lCamera, lObjects, "  - sphere: {radius: {orbit: {radius: 1}}}"),
			"3:30", "objects[0].sphere.radius.orbit", "an orbit gives a position, not a number"},
		{"orbit leaving a colour's range", yamlLines(lCamera, "materials:", "  m: {color: {orbit: {radius: 1}}}", lObjects, lSphere),
			"3:22", "materials.m.color.orbit", "every component must be >= 0, got [0.9951847266721968, 0, -0.09801714032956066] at t = 1.0625s on the orbit"},
		{"number too large for a float", yamlLines(lCamera, lObjects, "  - sphere: {radius: 1e999}"),
			"3:22", "objects[0].sphere.radius", "must be a finite number, got 1e999"},
		{"fractional repeat limit", yamlLines(lCamera, lObjects, "  - repeat: {period: [2, 0, 0], limit: [2.5, 0, 0], object: {sphere: {radius: 1}}}"),
			"3:40", "objects[0].repeat.limit", "every component must be a whole number >= 0, got [2.5, 0, 0]"},
		{"axis-angle rotation without an axis", yamlLines(lCamera, lObjects, lSphere, "    rotate: {angle: 30}"),
			"4:13", "objects[0].rotate", "missing required key `axis`"},
		{"a second YAML document", yamlLines(lCamera, lObjects, lSphere, "---", "camera: {position: [0, 0, 5]}"),
			"4:1", "", "a scene file holds one YAML document, and a second one starts here"},
		{"empty value mapping", yamlLines(lCamera, lObjects, "  - sphere: {radius: {}}"),
			"3:22", "objects[0].sphere.radius", "give a number, keys: [...] or orbit: {...}"},
		{"keys and orbit", yamlLines(lCamera, lObjects, lSphere, "    translate: {keys: [{t: 0, value: [0, 0, 0]}], orbit: {radius: 1}}"),
			"4:16", "objects[0].translate", "give keys or an orbit, not both"},
		{"loop without keys", yamlLines(lCamera, lObjects, lSphere, "    translate: {orbit: {radius: 1}, loop: true}"),
			"4:43", "objects[0].translate.loop", "only keys can loop"},
		{"no keys", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: []}}"),
			"3:29", "objects[0].sphere.radius.keys", "must be a list of keys such as {t: 0, value: 1}, got a list of 0"},
		{"merge key", yamlLines("materials: {red: &red {color: [1, 0, 0]}, blue: {<<: *red}}", lCamera, lObjects, lSphere),
			"1:50", "materials.blue", "merge keys (<<) are not supported"},
		{"list as a key", yamlLines("? [a, b]", ": 1", lCamera, lObjects, lSphere),
			"1:3", "", "keys must be plain names, got a list of 2"},
		{"animated spin", yamlLines(lCamera, lObjects, lSphere, "    spin: {turns: {keys: [{t: 0, value: 1}]}}"),
			"4:11", "objects[0].spin", "a spin's axis, turns and phase must be constants"},
		{"animated spin axis", yamlLines(lCamera, lObjects, lSphere, "    spin: {axis: {keys: [{t: 0, value: [0, 1, 0]}]}}"),
			"4:11", "objects[0].spin", "a spin's axis, turns and phase must be constants"},
		{"orbiting spin axis", yamlLines(lCamera, lObjects, lSphere, "    spin: {axis: {orbit: {radius: 1}}}"),
			"4:11", "objects[0].spin", "a spin's axis, turns and phase must be constants"},
		{"animated spin phase", yamlLines(lCamera, lObjects, lSphere, "    spin: {axis: [0, 1, 0], turns: 2, phase: {keys: [{t: 0, value: 1}]}}"),
			"4:11", "objects[0].spin", "a spin's axis, turns and phase must be constants"},
		{"orbiting rotation axis", yamlLines(lCamera, lObjects, lSphere, "    rotate: {axis: {orbit: {radius: 1}}, angle: 10}"),
			"4:13", "objects[0].rotate.axis", "the axis of a rotation must be a constant"},
		{"animated rotation axis", yamlLines(lCamera, lObjects, lSphere, "    rotate: {axis: {keys: [{t: 0, value: [0, 1, 0]}]}, angle: 10}"),
			"4:13", "objects[0].rotate.axis", "the axis of a rotation must be a constant"},

		// Values out of range.
		{"fov 180", yamlLines("camera: {position: [0, 0, 5], fov: 180}", lObjects, lSphere),
			"1:36", "camera.fov", "must be between 0 and 180 degrees, got 180"},
		{"zero up", yamlLines("camera: {position: [0, 0, 5], up: [0, 0, 0]}", lObjects, lSphere),
			"1:35", "camera.up", "must not be the zero vector, got [0, 0, 0]"},
		{"up along the view", yamlLines("camera: {position: [0, 0, 5], up: [0, 0, 1]}", lObjects, lSphere),
			"1:9", "camera", "at t = 0s: camera up"},
		{"reflect above 1", yamlLines(lCamera, "materials: {m: {reflect: 1.5}}", lObjects, lSphere),
			"2:26", "materials.m.reflect", "must be between 0 and 1, got 1.5"},
		{"negative colour", yamlLines(lCamera, "materials: {m: {color: [1, -0.5, 0]}}", lObjects, lSphere),
			"2:24", "materials.m.color", "every component must be >= 0, got [1, -0.5, 0]"},
		{"zero shininess", yamlLines(lCamera, lObjects, lSphere, "    material: {shininess: 0}"),
			"4:27", "objects[0].material.shininess", "must be > 0, got 0"},
		{"zero light direction", yamlLines(lCamera, "lights: [{direction: [0, 0, 0]}]", lObjects, lSphere),
			"2:22", "lights[0].direction", "must not be the zero vector"},
		{"zero duration", yamlLines("duration: 0", lCamera, lObjects, lSphere),
			"1:11", "duration", "must be > 0, got 0"},
		{"negative orbit radius", yamlLines("camera: {position: {orbit: {radius: -2}}}", lObjects, lSphere),
			"1:37", "camera.position.orbit.radius", "must be > 0, got -2"},
		{"zero plane normal", yamlLines(lCamera, lObjects, "  - plane: {normal: [0, 0, 0]}"),
			"3:21", "objects[0].plane.normal", "must not be the zero vector"},
		{"zero smooth union k", yamlLines(lCamera, lObjects, "  - smooth_union: {k: 0, objects: [{sphere: {radius: 1}}]}"),
			"3:23", "objects[0].smooth_union.k", "must be > 0, got 0"},
		{"negative repeat period", yamlLines(lCamera, lObjects, "  - repeat: {period: [-1, 0, 0], object: {sphere: {radius: 1}}}"),
			"3:22", "objects[0].repeat.period", "every component must be >= 0, got [-1, 0, 0]"},

		// Missing required fields.
		{"no camera", yamlLines(lObjects, lSphere),
			"1:1", "", "missing required key `camera`"},
		{"no objects", yamlLines(lCamera),
			"1:1", "", "missing required key `objects`"},
		{"no camera position", yamlLines("camera: {target: [0, 0, 0]}", lObjects, lSphere),
			"1:9", "camera", "missing required key `position`"},
		{"no camera position, block", yamlLines("camera:", "  fov: 30", lObjects, lSphere),
			"2:3", "camera", "missing required key `position`"},
		{"no sphere radius", yamlLines(lCamera, lObjects, "  - sphere: {}"),
			"3:13", "objects[0].sphere", "missing required key `radius`"},
		{"no box size", yamlLines(lCamera, lObjects, "  - box: {}"),
			"3:10", "objects[0].box", "missing required key `size`"},
		{"no light direction", yamlLines(lCamera, "lights: [{color: [1, 1, 1]}]", lObjects, lSphere),
			"2:10", "lights[0]", "missing required key `direction`"},
		{"no key t", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{value: 1}]}}"),
			"3:30", "objects[0].sphere.radius.keys[0]", "a key needs both t and value"},
		{"no key value", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0}]}}"),
			"3:30", "objects[0].sphere.radius.keys[0]", "a key needs both t and value"},
		{"no orbit radius", yamlLines("camera: {position: {orbit: {center: [0, 0, 0]}}}", lObjects, lSphere),
			"1:28", "camera.position.orbit", "an orbit needs a radius"},
		{"no subtraction cut", yamlLines(lCamera, lObjects, "  - subtraction: {from: {sphere: {radius: 1}}}"),
			"3:18", "objects[0].subtraction", "missing required key `cut`"},
		{"no repeat object", yamlLines(lCamera, lObjects, "  - repeat: {period: [1, 1, 1]}"),
			"3:13", "objects[0].repeat", "missing required key `object`"},
		{"no smooth union k", yamlLines(lCamera, lObjects, "  - smooth_union: {objects: [{sphere: {radius: 1}}]}"),
			"3:19", "objects[0].smooth_union", "missing required key `k`"},
		{"no union objects", yamlLines(lCamera, lObjects, "  - union: {}"),
			"3:12", "objects[0].union", "missing required key `objects`"},
		{"no rotation angle", yamlLines(lCamera, lObjects, lSphere, "    rotate: {axis: [0, 1, 0]}"),
			"4:13", "objects[0].rotate", "missing required key `angle`"},

		// Numbers that are not finite.
		{"nan radius", yamlLines(lCamera, lObjects, "  - sphere: {radius: .nan}"),
			"3:22", "objects[0].sphere.radius", "must be a finite number, got .nan"},
		{"NaN radius", yamlLines(lCamera, lObjects, "  - sphere: {radius: .NaN}"),
			"3:22", "objects[0].sphere.radius", "must be a finite number, got .NaN"},
		{"inf radius", yamlLines(lCamera, lObjects, "  - sphere: {radius: .inf}"),
			"3:22", "objects[0].sphere.radius", "must be a finite number, got .inf"},
		{"-inf offset", yamlLines(lCamera, lObjects, "  - plane: {offset: -.inf}"),
			"3:21", "objects[0].plane.offset", "must be a finite number, got -.inf"},
		{"inf in a vector", yamlLines(lCamera, lObjects, lSphere, "    translate: [0, .inf, 0]"),
			"4:20", "objects[0].translate[1]", "must be a finite number, got .inf"},
		{"nan fov", yamlLines("camera: {position: [0, 0, 5], fov: .nan}", lObjects, lSphere),
			"1:36", "camera.fov", "must be a finite number, got .nan"},
		{"-inf key time", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: -.inf, value: 1}]}}"),
			"3:34", "objects[0].sphere.radius.keys[0].t", "must be a finite number, got -.inf"},
		{"nan key value", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, value: .nan}]}}"),
			"3:44", "objects[0].sphere.radius.keys[0].value", "must be a finite number, got .nan"},
		{"inf duration", yamlLines("duration: .inf", lCamera, lObjects, lSphere),
			"1:11", "duration", "must be a finite number, got .inf"},
		{"inf orbit turns", yamlLines("camera: {position: {orbit: {radius: 1, turns: .inf}}}", lObjects, lSphere),
			"1:47", "camera.position.orbit.turns", "must be a finite number, got .inf"},
		{"inf fps", yamlLines("render: {fps: .inf}", lCamera, lObjects, lSphere),
			"1:15", "render.fps", "must be a finite number, got .inf"},

		// Negative or zero sizes.
		{"negative box size", yamlLines(lCamera, lObjects, "  - box: {size: [1, -1, 1]}"),
			"3:17", "objects[0].box.size", "every component must be > 0, got [1, -1, 1]"},
		{"zero box size", yamlLines(lCamera, lObjects, "  - box: {size: [1, 1, 0]}"),
			"3:17", "objects[0].box.size", "every component must be > 0, got [1, 1, 0]"},
		{"negative sphere radius", yamlLines(lCamera, lObjects, "  - sphere: {radius: -1}"),
			"3:22", "objects[0].sphere.radius", "must be > 0, got -1"},
		{"zero sphere radius", yamlLines(lCamera, lObjects, "  - sphere: {radius: 0}"),
			"3:22", "objects[0].sphere.radius", "must be > 0, got 0"},
		{"negative torus minor", yamlLines(lCamera, lObjects, "  - torus: {major: 1, minor: -0.2}"),
			"3:30", "objects[0].torus.minor", "must be > 0, got -0.2"},
		{"negative cylinder height", yamlLines(lCamera, lObjects, "  - cylinder: {radius: 1, height: -2}"),
			"3:35", "objects[0].cylinder.height", "must be > 0, got -2"},
		{"zero capsule radius", yamlLines(lCamera, lObjects, "  - capsule: {a: [0, 0, 0], b: [0, 1, 0], radius: 0}"),
			"3:51", "objects[0].capsule.radius", "must be > 0, got 0"},
		{"negative round box radius", yamlLines(lCamera, lObjects, "  - round_box: {size: [1, 1, 1], radius: -0.1}"),
			"3:42", "objects[0].round_box.radius", "must be >= 0, got -0.1"},
		{"negative scale", yamlLines(lCamera, lObjects, lSphere, "    scale: -2"),
			"4:12", "objects[0].scale", "must be > 0, got -2"},
		{"zero scale", yamlLines(lCamera, lObjects, lSphere, "    scale: 0"),
			"4:12", "objects[0].scale", "must be > 0, got 0"},
		{"negative radius at a key", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, value: 1}, {t: 1, value: -1}]}}"),
			"3:62", "objects[0].sphere.radius.keys[1].value", "must be > 0, got -1"},
		{"negative scale at a key", yamlLines(lCamera, lObjects, lSphere, "    scale: {keys: [{t: 0, value: 1}, {t: 1, value: -0.5}]}"),
			"4:52", "objects[0].scale.keys[1].value", "must be > 0, got -0.5"},

		// Keyframes out of time order.
		{"keys out of order", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 2, value: 1}, {t: 1, value: 2}]}}"),
			"3:48", "objects[0].sphere.radius.keys[1].t", "keys must be in time order: 1 is not after 2"},
		{"keys at equal times", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 1, value: 1}, {t: 1, value: 2}]}}"),
			"3:48", "objects[0].sphere.radius.keys[1].t", "keys must be in time order: 1 is not after 1"},
		{"third key before the second", yamlLines(lCamera, lObjects, lSphere,
			"    translate:", "      keys:", "        - {t: 0, value: [0, 0, 0]}", "        - {t: 2, value: [1, 0, 0]}", "        - {t: 1.5, value: [2, 0, 0]}"),
			"8:11", "objects[0].translate.keys[2].t", "keys must be in time order: 1.5 is not after 2"},

		// Empty object lists.
		{"no objects in the list", yamlLines(lCamera, "objects: []"),
			"2:10", "objects", "must hold at least one of objects"},
		{"null objects", yamlLines(lCamera, "objects:"),
			"2:9", "objects", "must be a list of objects, got nothing"},
		{"no objects in a union", yamlLines(lCamera, lObjects, "  - union: {objects: []}"),
			"3:22", "objects[0].union.objects", "must hold at least one of objects"},
		{"no objects in a smooth union", yamlLines(lCamera, lObjects, "  - smooth_union: {k: 1, objects: []}"),
			"3:35", "objects[0].smooth_union.objects", "must hold at least one of objects"},

		// Cameras that cannot render.
		{"target at the position by default", yamlLines("camera: {position: [0, 0, 0]}", lObjects, lSphere),
			"1:9", "camera", "at t = 0s: camera target"},
		{"target at the position", yamlLines("camera: {position: [1, 2, 3], target: [1, 2, 3]}", lObjects, lSphere),
			"1:9", "camera", "equals its position"},
		{"position passes through the target", yamlLines(
			"duration: 4", "camera:",
			"  position: {keys: [{t: 0, value: [0, 0, 5]}, {t: 4, value: [0, 0, -5]}]}",
			"  target: [0, 0, 0]", lObjects, lSphere),
			"3:3", "camera", "at t = 2s: camera target"},
		{"target orbits into the position", yamlLines(
			"duration: 4", "camera:",
			"  position: [0, 1, 5]",
			"  target: {orbit: {center: [0, 1, 0], radius: 5, phase: -90}}", lObjects, lSphere),
			"3:3", "camera", "at t = 1s: camera target"},
		// At t = duration only: the last of the times spread over the duration.
		{"position meets the target at the end", yamlLines(
			"duration: 4", "camera:",
			"  position: {keys: [{t: 0, value: [0, 0, 5]}, {t: 8, value: [0, 0, -5]}]}",
			"  target: [0, 0, 0]", lObjects, lSphere),
			"3:3", "camera", "at t = 4s: camera target"},
		// At 0.1 s only, which is no multiple of duration/64: the check promises
		// to look at every key as well as at evenly spread times.
		{"position meets the target at a key", yamlLines(
			"duration: 4", "camera:",
			"  position: {keys: [{t: 0, value: [0, 0, 5]}, {t: 0.1, value: [0, 0, 0]}, {t: 4, value: [0, 0, 5]}]}",
			"  target: [0, 0, 0]", lObjects, lSphere),
			"3:3", "camera", "at t = 0.1s: camera target"},

		// Undefined materials.
		{"material like a defined one", yamlLines("materials: {red: {}, blue: {}}", lCamera, lObjects, lSphere, "    material: rde"),
			"5:15", "objects[0].material", "undefined material \"rde\"; did you mean `red`? (defined: `blue`, `red`)"},
		{"material unlike any", yamlLines("materials: {red: {}, blue: {}}", lCamera, lObjects, lSphere, "    material: gold"),
			"5:15", "objects[0].material", "undefined material \"gold\" (defined: `blue`, `red`)"},
		{"material with none defined", yamlLines(lCamera, lObjects, lSphere, "    material: red"),
			"4:15", "objects[0].material", "undefined material \"red\": define it under `materials`"},
		{"material of a nested object", yamlLines("materials: {stone: {}}", lCamera, lObjects,
			"  - union: {objects: [{sphere: {radius: 1}, material: ston}]}"),
			"4:55", "objects[0].union.objects[0].material", "did you mean `stone`?"},

		// Unknown keys.
		{"spere", yamlLines(lCamera, lObjects, "  - spere: {radius: 1}"),
			"3:5", "objects[0].spere", "unknown key; did you mean `sphere`?"},
		{"Sphere", yamlLines(lCamera, lObjects, "  - Sphere: {radius: 1}"),
			"3:5", "objects[0].Sphere", "unknown key; did you mean `sphere`?"},
		{"radus", yamlLines(lCamera, lObjects, "  - sphere: {radus: 1}"),
			"3:14", "objects[0].sphere.radus", "unknown key; did you mean `radius`?"},
		{"tagret", yamlLines("camera: {position: [0, 0, 5], tagret: [0, 0, 0]}", lObjects, lSphere),
			"1:31", "camera.tagret", "unknown key; did you mean `target`?"},
		{"objetcs", yamlLines(lCamera, "objetcs:", lSphere),
			"2:1", "objetcs", "unknown key; did you mean `objects`?"},
		{"translation", yamlLines(lCamera, lObjects, lSphere, "    translation: [1, 0, 0]"),
			"4:5", "objects[0].translation", "unknown key; did you mean `translate`?"},
		{"colour", yamlLines(lCamera, lObjects, lSphere, "    material: {colour: [1, 0, 0]}"),
			"4:16", "objects[0].material.colour", "unknown key; did you mean `color`?"},
		{"valeu", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, valeu: 1}]}}"),
			"3:37", "objects[0].sphere.radius.keys[0].valeu", "unknown key; did you mean `value`?"},
		{"orbit radious", yamlLines("camera: {position: {orbit: {radious: 3}}}", lObjects, lSphere),
			"1:29", "camera.position.orbit.radious", "unknown key; did you mean `radius`?"},
		{"unlike any key", yamlLines(lCamera, lObjects, "  - pyramid: {height: 1}"),
			"3:5", "objects[0].pyramid", "unknown key; known keys here: `sphere`, `box`,"},
		{"unknown top-level key", yamlLines("version: 2", lCamera, lObjects, lSphere),
			"1:1", "version", "unknown key; known keys here: `name`, `description`, `duration`, `render`, `camera`, `sky`, `lights`, `materials`, `objects`"},

		// Unknown easings.
		{"easing like a known one", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, value: 1, ease: smoothstpe}]}}"),
			"3:53", "objects[0].sphere.radius.keys[0].ease", "unknown easing \"smoothstpe\"; did you mean `smoothstep`? (easings: `linear`, `smoothstep`, `ease-in`, `ease-out`, `ease-in-out`, `hold`)"},
		{"easein", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, value: 1, ease: easein}]}}"),
			"3:53", "objects[0].sphere.radius.keys[0].ease", "unknown easing \"easein\"; did you mean `ease-in`?"},
		{"easing unlike any", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, value: 1, ease: bounce}]}}"),
			"3:53", "objects[0].sphere.radius.keys[0].ease", "unknown easing \"bounce\" (easings: `linear`,"},

		// Objects that are not one shape or operation.
		{"two shapes", yamlLines(lCamera, lObjects, lSphere, "    box: {size: [1, 1, 1]}"),
			"4:10", "objects[0].box", "an object is one shape or operation, and this one is already a `sphere`: put them in a union"},
		{"shape and operation", yamlLines(lCamera, lObjects, "  - union: {objects: [{sphere: {radius: 1}}]}", "    sphere: {radius: 1}"),
			"4:13", "objects[0].sphere", "already a `union`"},
		{"no shape", yamlLines(lCamera, lObjects, "  - translate: [1, 2, 3]"),
			"3:5", "objects[0]", "an object needs a shape or an operation: one of `sphere`, `box`, `round_box`, `torus`, `capsule`, `cylinder`, `plane`, `union`, `intersection`, `subtraction`, `smooth_union`, `smooth_intersection`, `smooth_subtraction`, `repeat`"},
		{"empty object", yamlLines(lCamera, lObjects, "  - {}"),
			"3:5", "objects[0]", "an object needs a shape or an operation"},
		{"no shape in a union", yamlLines(lCamera, lObjects, "  - union: {objects: [{scale: 2}]}"),
			"3:23", "objects[0].union.objects[0]", "an object needs a shape or an operation"},
		{"no shape for a cut", yamlLines(lCamera, lObjects, "  - subtraction: {from: {sphere: {radius: 1}}, cut: {scale: 2}}"),
			"3:53", "objects[0].subtraction.cut", "an object needs a shape or an operation"},

		// Duplicate keys.
		{"duplicate top-level key", yamlLines(lCamera, "camera: {position: [0, 0, 6]}", lObjects, lSphere),
			"2:1", "camera", "duplicate key"},
		{"duplicate field", yamlLines(lCamera, lObjects, "  - sphere: {radius: 1, radius: 2}"),
			"3:25", "objects[0].sphere.radius", "duplicate key"},
		{"duplicate material", yamlLines("materials: {red: {}, red: {}}", lCamera, lObjects, lSphere),
			"1:22", "materials.red", "duplicate key"},
		{"duplicate object key", yamlLines(lCamera, lObjects, lSphere, "    scale: 2", "    scale: 3"),
			"5:5", "objects[0].scale", "duplicate key"},
		{"duplicate key field", yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: [{t: 0, t: 1, value: 1}]}}"),
			"3:37", "objects[0].sphere.radius.keys[0].t", "duplicate key"},

		// YAML syntax errors: the YAML library gives the line only.
		{"unclosed flow mapping", yamlLines("camera: {position: [0, 0, 5]", lObjects, lSphere),
			"1", "", "did not find expected ',' or '}'"},
		{"tab indentation", yamlLines("camera:", "  position: [0, 0, 5]", "\tfov: 30", lObjects, lSphere),
			"3", "", "found character that cannot start any token"},
		{"bad indentation", yamlLines("camera:", "  position: [0, 0, 5]", " target: [0, 0, 0]", lObjects, lSphere),
			"2", "", "did not find expected key"},
		{"unterminated string", yamlLines(lCamera, lObjects, lSphere, `    material: "red`),
			"4", "", "found unexpected end of stream"},

		// Files that are not a mapping.
		{"empty", "", "", "", "the file is empty: a scene needs at least a camera and objects"},
		{"blank", "  \n\n", "", "", "the file is empty"},
		{"only comments", "# a scene\n# to come\n", "", "", "the file is empty"},
		{"empty document", "---\n", "2:1", "", "a scene file must be a mapping with keys such as camera and objects, got nothing"},
		{"list", yamlLines("- "+lCamera, "- objects: []"),
			"1:1", "", "a scene file must be a mapping with keys such as camera and objects, got a list of 2"},
		{"string", "a scene\n", "1:1", "", `a scene file must be a mapping with keys such as camera and objects, got "a scene"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkParseError(t, tc) })
	}
}

func TestParseLimits(t *testing.T) {
	t.Run("file larger than MaxFileSize", func(t *testing.T) {
		data := []byte(yamlLines(lCamera, lObjects, lSphere) + "#")
		data = append(data, strings.Repeat("x", MaxFileSize+1-len(data))...)
		checkParseError(t, errorCase{"", string(data), "", "", fmt.Sprintf("the file is larger than %d MiB", MaxFileSize>>20)})
	})
	// A file of exactly MaxFileSize: TestLoadAtMaxFileSize.
	t.Run("nesting at the limit", func(t *testing.T) {
		src, _, _ := nestedUnions(maxNesting)
		mustParse(t, src)
	})
	t.Run("nesting beyond the limit", func(t *testing.T) {
		src, pos, path := nestedUnions(maxNesting + 1)
		checkParseError(t, errorCase{"", src, pos, path, fmt.Sprintf("objects are nested more than %d deep", maxNesting)})
	})
	t.Run("nesting through single children at the limit", func(t *testing.T) {
		src, _, _ := nestedCuts(maxNesting)
		mustParse(t, src)
	})
	t.Run("nesting through single children beyond the limit", func(t *testing.T) {
		src, pos, path := nestedCuts(maxNesting + 1)
		checkParseError(t, errorCase{"", src, pos, path, fmt.Sprintf("objects are nested more than %d deep", maxNesting)})
	})
	t.Run("list of more than maxObjects", func(t *testing.T) {
		src := lCamera + "\nobjects:\n" + strings.Repeat(lSphere+"\n", maxObjects+1)
		checkParseError(t, errorCase{"", src, "3:3", "objects", fmt.Sprintf("may hold at most %d objects, got %d", maxObjects, maxObjects+1)})
	})
	t.Run("more than maxObjects in all", func(t *testing.T) {
		// Two unions of maxObjects/2 spheres: the unions themselves make it too many.
		half := strings.Repeat("{sphere: {radius: 1}}, ", maxObjects/2-1) + "{sphere: {radius: 1}}"
		src := yamlLines(lCamera, lObjects, "  - union: {objects: ["+half+"]}", "  - union: {objects: ["+half+"]}")
		// Objects are counted depth first: the first union and its children, the
		// second union, then its children until the count passes the limit.
		last := maxObjects - (1 + maxObjects/2) - 1
		col := len("  - union: {objects: [") + last*len("{sphere: {radius: 1}}, ") + 1
		checkParseError(t, errorCase{"", src, fmt.Sprintf("4:%d", col), fmt.Sprintf("objects[1].union.objects[%d]", last),
			fmt.Sprintf("a scene may hold at most %d objects", maxObjects)})
	})
	t.Run("more than 64 lights", func(t *testing.T) {
		src := yamlLines(lCamera, "lights:"+strings.Repeat("\n  - direction: [0, 1, 0]", 65), lObjects, lSphere)
		checkParseError(t, errorCase{"", src, "3:3", "lights", "may hold at most 64 lights, got 65"})
	})
	t.Run("more than maxKeys keys", func(t *testing.T) {
		var b strings.Builder
		for i := range maxKeys + 1 {
			fmt.Fprintf(&b, ", {t: %d, value: 1}", i)
		}
		src := yamlLines(lCamera, lObjects, "  - sphere: {radius: {keys: ["+b.String()[2:]+"]}}")
		checkParseError(t, errorCase{"", src, "3:29", "objects[0].sphere.radius.keys", fmt.Sprintf("at most %d", maxKeys)})
	})
}

// nestedUnions returns a scene whose one object is depth objects deep (unions
// around a sphere), with the position and path of the innermost object.
func nestedUnions(depth int) (src, pos, path string) {
	line := "  - "
	path = "objects[0]"
	for range depth - 1 {
		line += "{union: {objects: ["
		path += ".union.objects[0]"
	}
	pos = fmt.Sprintf("3:%d", len(line)+1)
	line += "{sphere: {radius: 1}}" + strings.Repeat("]}}", depth-1)
	return yamlLines(lCamera, lObjects, line), pos, path
}

// nestedCuts is nestedUnions through the operations with one object per key:
// a repeat of a subtraction from a repeat of ..., cutting a sphere each time.
func nestedCuts(depth int) (src, pos, path string) {
	line := "  - "
	path = "objects[0]"
	closing := ""
	for i := range depth - 1 {
		if i%2 == 0 {
			line += "{repeat: {period: [9, 9, 9], object: "
			path += ".repeat.object"
			closing = "}}" + closing
		} else {
			line += "{subtraction: {from: "
			path += ".subtraction.from"
			closing = ", cut: {sphere: {radius: 0.1}}}}" + closing
		}
	}
	pos = fmt.Sprintf("3:%d", len(line)+1)
	return yamlLines(lCamera, lObjects, line+"{sphere: {radius: 1}}"+closing), pos, path
}

// aliasBomb returns a billion-laughs scene: a sphere with a thousand keys, then
// levels of unions each holding ten aliases of the level below, so that the
// last level stands for 10⁹ spheres in a file of about 20 kB.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString(yamlLines(lCamera, lObjects, "  - union:", "      objects:"))
	b.WriteString("        - &lol0 {sphere: {radius: {keys: [")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{t: %d, value: 1}", i)
	}
	b.WriteString("]}}}\n")
	for level := 1; level <= 9; level++ {
		fmt.Fprintf(&b, "        - &lol%d {union: {objects: [", level)
		for i := range 10 {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*lol%d", level-1)
		}
		b.WriteString("]}}\n")
	}
	return b.String()
}

func TestParseAliasBomb(t *testing.T) {
	src := []byte(aliasBomb())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Parse("test.yaml", src)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	var pe *PosError
	const want = "the document is too large once its aliases are expanded"
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, want) || pe.Line == 0 || pe.Column == 0 {
		t.Errorf("Parse(alias bomb) = %v, want a *PosError at a line and column containing %q", err, want)
	}
	if elapsed > 2*time.Second {
		t.Errorf("Parse(alias bomb) took %v, want under 2s", elapsed)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Errorf("Parse(alias bomb) allocated %d MiB, want under 256 MiB", alloc>>20)
	}
}

// wantComment is the line of a file in testdata/scenes/invalid that gives the
// error Load must return: "# want: line:column: path: message".
var wantComment = regexp.MustCompile(`(?m)^# want: (.+)$`)

// errorPosition is the start of the error of a file that Load rejects.
var errorPosition = regexp.MustCompile(`^(.+):(\d+):(\d+): `)

func TestLoadInvalidFiles(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "scenes", "invalid", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("Glob(testdata/scenes/invalid/*.yaml) = %v, %v; want the invalid scene files", paths, err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			m := wantComment.FindSubmatch(data)
			if m == nil {
				t.Fatalf("%s has no %q line, want one saying what Load must return", path, "# want: ")
			}
			f, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%q) = %q, nil; want an error", path, f.Name)
			}
			if p := errorPosition.FindStringSubmatch(err.Error()); p == nil || p[1] != path {
				t.Errorf("Load(%q) = %q, want it to start with %q and a line and column", path, err, path+":")
			}
			if want := path + ":" + string(m[1]); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Load(%q) = %q, want it to start with %q", path, err, want)
			}
		})
	}
}

// TestLoadAtMaxFileSize loads a file of exactly MaxFileSize bytes whose last
// byte matters: Load must read it whole.
func TestLoadAtMaxFileSize(t *testing.T) {
	tail := yamlLines(lCamera, lObjects) + "  - sphere: {radius: 1.25}" // no newline: the "}" is the last byte
	head := "#" + strings.Repeat("x", MaxFileSize-len(tail)-2) + "\n"
	path := filepath.Join(t.TempDir(), "full.yaml")
	if err := os.WriteFile(path, []byte(head+tail), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatalf("Load(a file of exactly MaxFileSize bytes) = %v, want no error", err)
	}
	if len(f.Source) != MaxFileSize {
		t.Errorf("Load(a file of %d bytes).Source has %d bytes, want them all", MaxFileSize, len(f.Source))
	}
	if s, ok := f.At(0).Root.(*scene.Solid); !ok || s.Shape != (scene.Sphere{Radius: 1.25}) {
		t.Errorf("Load(a file of exactly MaxFileSize bytes).At(0).Root = %#v, want the sphere of radius 1.25 its last line gives", f.At(0).Root)
	}
	if f.Name != "full" {
		t.Errorf("Load(%q).Name = %q, want %q", path, f.Name, "full")
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	data := []byte(yamlLines(lCamera, lObjects, lSphere) + "#")
	data = append(data, strings.Repeat("x", MaxFileSize+1-len(data))...)
	if err := os.WriteFile(big, data, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "missing.yaml"), "scene: open " + filepath.Join(dir, "missing.yaml")},
		{"directory", dir, "scene: read " + dir},
		{"too large", big, big + ": the file is larger than 10 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Load(%q) = %v, want an error starting with %q", tt.path, err, tt.want)
			}
		})
	}
}

// TestYAMLSyntaxErrors checks the whole message of the YAML library's errors
// as Parse passes them on: the line taken out of the library's text into the
// position, and nothing else of it lost or kept.
func TestYAMLSyntaxErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{yamlLines("camera: {position: [0, 0, 5]", lObjects, lSphere), "test.yaml:1: did not find expected ',' or '}'"},
		{yamlLines(lCamera, lObjects, lSphere, "\tscale: 2"), "test.yaml:4: found character that cannot start any token"},
		{yamlLines(lCamera, lObjects, "  - sphere: {radius: *r}"), "test.yaml: unknown anchor 'r' referenced"},
		{"camera: \x01\n", "test.yaml: control characters are not allowed"},
	}
	for _, tt := range tests {
		_, err := Parse("test.yaml", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) = %v, want %q", tt.src, err, tt.want)
		}
	}
}
