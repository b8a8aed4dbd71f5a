package scenefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that it fails only with a
// *PosError, and that a scene it accepts dumps to a file that parses again.
func FuzzParse(f *testing.F) {
	for _, b := range Builtins() {
		f.Add(b.Source)
	}
	// Every scene file of the project, valid and invalid.
	root := filepath.Join("..", "testdata", "scenes")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil {
			f.Add(data)
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		f.Fatalf("WalkDir(%s) = %v", root, err)
	}
	for _, s := range []string{
		"",
		"---\n",
		"- a\n- b\n",
		"camera: {position: [0, 0, 5]}\nobjects: []\n",
		"camera: {position: [0, 0, 5]\n",
		"camera: {position: [0, 0, 0]}\nobjects: [{sphere: {radius: 1}}]\n",
		"camera: {position: [0, 0, 5]}\nobjects: [{sphere: {radius: .nan}}]\n",
		"camera: {position: [0, 0, 5]}\nobjects: [{spere: {radius: 1}}]\n",
		"camera: {position: [0, 0, 5]}\nobjects: &a [{union: {objects: *a}}]\n",
		"camera: {position: [0, 0, 5]}\nobjects: [{sphere: {radius: {keys: [{t: 1, value: 1}, {t: 0, value: 2}]}}}]\n",
		"materials: {m: &m {color: [1, 0, 0]}, n: {<<: *m}}\ncamera: {position: [0, 0, 5]}\nobjects: [{sphere: {radius: 1}}]\n",
		"render: {frames: 1000000, fps: 0.001}\ncamera: {position: {orbit: {radius: 1, turns: 0}}}\nobjects: [{box: {size: [1, 1, 1]}, spin: {turns: -3}, rotate: {axis: [1, 0, 0], angle: 5}}]\n",
		kitchenSink,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if err != nil {
			var pe *PosError
			if !errors.As(err, &pe) || pe.File != "fuzz.yaml" {
				t.Fatalf("Parse(%q) error = %T %v, want a *PosError in fuzz.yaml", data, err, err)
			}
			return
		}
		dump, err := file.Dump()
		if err != nil {
			t.Fatalf("Parse(%q).Dump() = %v, want no error", data, err)
		}
		if _, err := Parse("dump.yaml", dump); err != nil {
			t.Fatalf("Parse(Dump()) = %v, want no error; the input:\n%q\nthe dump:\n%s", err, data, dump)
		}
	})
}
