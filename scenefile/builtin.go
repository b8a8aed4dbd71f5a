package scenefile

import (
	"embed"
	"fmt"
	"strings"
	"sync"
)

// The built-in scenes are scene files like any user's, embedded in the program,
// so that the format is exercised by the project itself.
//
//go:embed scenes/*.yaml
var builtinFS embed.FS

// builtinOrder lists the built-in scenes, the default first.
var builtinOrder = []string{"showcase", "field", "hotspot", "gallery", "minimal", "focus"}

// builtins parses each built-in scene when it is first wanted: a run that
// renders one scene parses that one alone (parsing all six took 5 ms of every
// start-up, `render --version` included).
var builtins = func() []func() *File {
	fs := make([]func() *File, len(builtinOrder))
	for i, name := range builtinOrder {
		fs[i] = sync.OnceValue(func() *File { return parseBuiltin(name) })
	}
	return fs
}()

// parseBuiltin parses the built-in scene called name, whose file says that
// name.
func parseBuiltin(name string) *File {
	path := "scenes/" + name + ".yaml"
	data, err := builtinFS.ReadFile(path)
	var f *File
	if err == nil {
		f, err = Parse(path, data)
	}
	if err == nil && f.Name != name {
		err = fmt.Errorf("its file names it %q", f.Name)
	}
	if err != nil {
		panic(fmt.Sprintf("scene: built-in scene %s: %v", name, err)) // caught by the tests
	}
	return f
}

// Builtins returns copies of the built-in scenes, the default first.
func Builtins() []*File {
	fs := make([]*File, len(builtins))
	for i, f := range builtins {
		c := *f()
		fs[i] = &c
	}
	return fs
}

// Lookup returns the built-in scene called name.
func Lookup(name string) (*File, error) {
	for i, n := range builtinOrder {
		if n == name {
			c := *builtins[i]()
			return &c, nil
		}
	}
	return nil, fmt.Errorf("scene: unknown scene %q%s (built-in scenes: %s)", name, suggest(name, builtinOrder), strings.Join(builtinOrder, ", "))
}
