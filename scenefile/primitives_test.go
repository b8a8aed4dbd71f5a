package scenefile

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sdfrender/render/scene"
)

// primitiveScene is a scene of one object, the example of p.
func primitiveScene(p Primitive) string {
	return yamlLines("camera: {position: [0, 2, 6]}", "objects:", "  - "+p.Example)
}

func TestPrimitiveExamples(t *testing.T) {
	ps := Primitives()
	if len(ps) != len(primitives) {
		t.Fatalf("len(Primitives()) = %d, want the registry's %d", len(ps), len(primitives))
	}
	for _, p := range ps {
		t.Run(p.Name, func(t *testing.T) {
			if !strings.HasPrefix(p.Example, p.Name+":") {
				t.Errorf("%s.Example = %q, want an object of that primitive, %q first", p.Name, p.Example, p.Name+":")
			}
			f := mustParse(t, primitiveScene(p))
			if got := f.objects[0].kind; got != primitiveByName[p.Name] {
				t.Errorf("%s.Example parses to a %s, want a %s", p.Name, got.Name, p.Name)
			}
			if err := f.At(0).Validate(); err != nil {
				t.Errorf("%s.Example: At(0).Validate() = %v, want nil", p.Name, err)
			}
		})
	}
}

func TestPrimitivesReturnsACopy(t *testing.T) {
	ps := Primitives()
	for i := range ps {
		ps[i].Name = "changed"
		if len(ps[i].Children) > 0 {
			ps[i].Children[0] = "changed"
		}
	}
	for i, p := range Primitives() {
		if p.Name != primitives[i].Name || strings.Join(p.Children, ",") != strings.Join(primitives[i].Children, ",") || p.Name == "changed" {
			t.Fatalf("Primitives()[%d] = %+v after changing an earlier result, want the registry's %+v", i, p, *primitives[i])
		}
		if slices.Contains(p.Children, "changed") {
			t.Fatalf("Primitives()[%d].Children = %q after changing an earlier result, want the registry's", i, p.Children)
		}
	}
}

// TestPrimitiveNodes checks the node each shape and operation builds from its
// fields: sizes halved where the scene takes half-extents, a rounding larger
// than the box reduced, the plane's normal made unit length, and the children
// in their places.
func TestPrimitiveNodes(t *testing.T) {
	m := defaultMaterial
	ball := &scene.Solid{Shape: scene.Sphere{Radius: 0.5}, Material: m}
	cube := &scene.Solid{Shape: scene.Box{Half: scene.V(1, 1, 1)}, Material: m}
	const kids = "[{sphere: {radius: 0.5}}, {box: {size: [2, 2, 2]}}]"
	tests := []struct {
		object string
		want   scene.Node
	}{
		{"sphere: {radius: 0.7}", &scene.Solid{Shape: scene.Sphere{Radius: 0.7}, Material: m}},
		{"box: {size: [1, 0.6, 0.8]}", &scene.Solid{Shape: scene.Box{Half: scene.V(0.5, 0.3, 0.4)}, Material: m}},
		{"round_box: {size: [1, 0.8, 1.2], radius: 0.1}", &scene.Solid{Shape: scene.RoundBox{Half: scene.V(0.5, 0.4, 0.6), Radius: 0.1}, Material: m}},
		{"round_box: {size: [3, 0.8, 1.2], radius: 5}", &scene.Solid{Shape: scene.RoundBox{Half: scene.V(1.5, 0.4, 0.6), Radius: 0.4}, Material: m}},
		{"round_box: {size: [3, 2, 1], radius: 5}", &scene.Solid{Shape: scene.RoundBox{Half: scene.V(1.5, 1, 0.5), Radius: 0.5}, Material: m}},
		{"round_box: {size: [0.5, 2, 1], radius: 5}", &scene.Solid{Shape: scene.RoundBox{Half: scene.V(0.25, 1, 0.5), Radius: 0.25}, Material: m}},
		{"torus: {major: 0.8, minor: 0.2}", &scene.Solid{Shape: scene.Torus{Major: 0.8, Minor: 0.2}, Material: m}},
		{"capsule: {a: [-0.5, 0, 0], b: [0, 0.7, 0.2], radius: 0.25}", &scene.Solid{Shape: scene.Capsule{A: scene.V(-0.5, 0, 0), B: scene.V(0, 0.7, 0.2), Radius: 0.25}, Material: m}},
		{"cylinder: {radius: 0.4, height: 1.2}", &scene.Solid{Shape: scene.Cylinder{Radius: 0.4, HalfHeight: 0.6}, Material: m}},
		{"plane: {normal: [0, 0, -3], offset: -0.3}", &scene.Solid{Shape: scene.Plane{Normal: scene.V(0, 0, -1), Offset: -0.3}, Material: m}},
		{"plane: {}", &scene.Solid{Shape: scene.Plane{Normal: scene.V(0, 1, 0)}, Material: m}},
		{"union: {objects: " + kids + "}", scene.Union{ball, cube}},
		{"intersection: {objects: " + kids + "}", scene.Intersection{ball, cube}},
		{"subtraction: {cut: {sphere: {radius: 0.5}}, from: {box: {size: [2, 2, 2]}}}", &scene.Subtraction{A: cube, B: ball}},
		{"smooth_union: {k: 0.4, objects: " + kids + "}", &scene.SmoothUnion{K: 0.4, Children: []scene.Node{ball, cube}}},
		{"smooth_intersection: {k: 0.2, objects: " + kids + "}", &scene.SmoothIntersection{K: 0.2, Children: []scene.Node{ball, cube}}},
		{"smooth_subtraction: {k: 0.15, from: {box: {size: [2, 2, 2]}}, cut: {sphere: {radius: 0.5}}}", &scene.SmoothSubtraction{K: 0.15, A: cube, B: ball}},
		{"repeat: {period: [2, 0, 1.5], limit: [2, 0, 1], object: {sphere: {radius: 0.5}}}", &scene.Repeat{Period: scene.V(2, 0, 1.5), Limit: scene.V(2, 0, 1), Child: ball}},
		{"repeat: {period: [2, 0, 1.5], object: {sphere: {radius: 0.5}}}", &scene.Repeat{Period: scene.V(2, 0, 1.5), Child: ball}},
	}
	for _, tt := range tests {
		t.Run(tt.object, func(t *testing.T) {
			f := mustParse(t, yamlLines("camera: {position: [0, 2, 6]}", "objects:", "  - "+tt.object))
			if got := f.At(0).Root; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s builds %#v, want %#v", tt.object, got, tt.want)
			}
		})
	}
}
