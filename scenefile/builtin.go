package scenefile

import (
	"embed"
	"fmt"
	"strings"
)

// The built-in scenes are scene files like any user's, embedded in the program,
// so that the format is exercised by the project itself.
//
//go:embed scenes/*.yaml
var builtinFS embed.FS

// builtinOrder lists the built-in scenes, the default first.
var builtinOrder = []string{"showcase", "field", "hotspot", "gallery", "minimal", "focus"}

var builtins = func() []*File {
	fs := make([]*File, len(builtinOrder))
	for i, name := range builtinOrder {
		path := "scenes/" + name + ".yaml"
		data, err := builtinFS.ReadFile(path)
		if err == nil {
			fs[i], err = Parse(path, data)
		}
		if err != nil {
			panic(fmt.Sprintf("scene: built-in scene %s: %v", name, err)) // caught by the tests
		}
	}
	return fs
}()

// Builtins returns copies of the built-in scenes, the default first.
func Builtins() []*File {
	fs := make([]*File, len(builtins))
	for i, f := range builtins {
		c := *f
		fs[i] = &c
	}
	return fs
}

// Lookup returns the built-in scene called name.
func Lookup(name string) (*File, error) {
	for _, f := range builtins {
		if f.Name == name {
			c := *f
			return &c, nil
		}
	}
	return nil, fmt.Errorf("scene: unknown scene %q%s (built-in scenes: %s)", name, suggest(name, builtinOrder), strings.Join(builtinOrder, ", "))
}
