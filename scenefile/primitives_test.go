package scenefile

import (
	"slices"
	"strings"
	"testing"
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
