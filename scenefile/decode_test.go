package scenefile

import (
	"fmt"
	"testing"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"sphere", "sphere", 0},
		{"spere", "sphere", 1},   // a letter left out
		{"spheres", "sphere", 1}, // one too many
		{"sphrre", "sphere", 1},  // one changed
		{"shpere", "sphere", 2},  // two swapped
		{"kitten", "sitting", 3},
		{"sitting", "kitten", 3},
		{"flaw", "lawn", 2},
		{"abc", "xyz", 3},
		{"a", "b", 1},
		{"ab", "ba", 2},
		{"intention", "execution", 5},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name  string
		known []string
		want  string
	}{
		{"spere", []string{"sphere", "box"}, "; did you mean `sphere`?"},
		{"SPHERE", []string{"sphere", "box"}, "; did you mean `sphere`?"},
		{"pyramid", []string{"sphere", "box"}, ""},
		// Up to max(2, len/3) edits away is near enough: 2 for short names.
		{"bx", []string{"box"}, "; did you mean `box`?"},
		{"xbxx", []string{"box"}, "; did you mean `box`?"},
		{"xxbx", []string{"box"}, ""},
		// A name of 9 letters may be 3 edits away, not 4.
		{"cyllindre", []string{"cylinder"}, "; did you mean `cylinder`?"},
		{"cylxxxder", []string{"cylinder"}, "; did you mean `cylinder`?"},
		{"cxxxxnder", []string{"cylinder"}, ""},
		// Of two equally near names the first is suggested, the nearest otherwise.
		{"rxd", []string{"rad", "red"}, "; did you mean `rad`?"},
		{"rxd", []string{"red", "rad"}, "; did you mean `red`?"},
		{"redd", []string{"rad", "red"}, "; did you mean `red`?"},
		{"x", nil, ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.name, tt.known); got != tt.want {
			t.Errorf("suggest(%q, %q) = %q, want %q", tt.name, tt.known, got, tt.want)
		}
	}
}

func TestPosErrorString(t *testing.T) {
	tests := []struct {
		e    PosError
		want string
	}{
		{PosError{File: "a.yaml", Msg: "empty"}, "a.yaml: empty"},
		{PosError{File: "a.yaml", Line: 3, Msg: "bad"}, "a.yaml:3: bad"},
		{PosError{File: "a.yaml", Line: 3, Column: 7, Msg: "bad"}, "a.yaml:3:7: bad"},
		{PosError{File: "a.yaml", Column: 7, Msg: "bad"}, "a.yaml: bad"},
		{PosError{File: "a.yaml", Line: 1, Column: 1, Path: "objects[0]", Msg: "bad"}, "a.yaml:1:1: objects[0]: bad"},
		{PosError{File: "a.yaml", Path: "camera", Msg: "bad"}, "a.yaml: camera: bad"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v.Error() = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		n    *yaml.Node
		want string
	}{
		{&yaml.Node{Kind: yaml.MappingNode}, "a mapping"},
		{&yaml.Node{Kind: yaml.SequenceNode, Content: make([]*yaml.Node, 3)}, "a list of 3"},
		{&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "~"}, "nothing"},
		{&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: `a "b"`}, `"a \"b\""`},
		{&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: "1.5"}, "1.5"},
		{&yaml.Node{Kind: yaml.AliasNode}, "an alias"},
	}
	for _, tt := range tests {
		if got := describe(tt.n); got != tt.want {
			t.Errorf("describe(%v node %q) = %q, want %q", tt.n.Kind, tt.n.Value, got, tt.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    scene.Vec3
		dim  int
		want string
	}{
		{scene.V(0.1, 2, 3), 1, "0.1"},
		{scene.V(-2.5, 2, 3), 1, "-2.5"},
		{scene.V(1e21, 0, 0), 1, "1e+21"},
		{scene.V(0.1, -2, 1e-7), 3, "[0.1, -2, 1e-07]"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.dim); got != tt.want {
			t.Errorf("formatValue(%v, %d) = %q, want %q", tt.v, tt.dim, got, tt.want)
		}
	}
	if got := fmt.Sprint(indexPath("objects", 12)); got != "objects[12]" {
		t.Errorf("indexPath(objects, 12) = %q, want %q", got, "objects[12]")
	}
}
