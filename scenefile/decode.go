package scenefile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

// Limits on a scene file, so that a hostile or broken file fails with a clear
// error instead of exhausting the machine.
const (
	MaxFileSize = 10 << 20 // bytes
	maxNodes    = 200_000  // YAML nodes visited, aliases expanded: no alias bombs
	maxNesting  = 64       // objects inside objects
	maxKeys     = 10_000   // keyframes in one track
	maxObjects  = 10_000   // objects in the whole scene
)

// PosError is an error at a place in a scene file: "scene.yaml:14:7:
// objects[2].smooth_union.k: must be > 0, got -0.5".
type PosError struct {
	File         string
	Line, Column int    // 1-based; 0 when unknown
	Path         string // where in the document, such as objects[2].sphere.radius
	Msg          string
}

func (e *PosError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// decoder walks the YAML node tree of one scene file. It stops at the first error
// by panicking with a *PosError, which Parse recovers: every check is then one
// line, and no half-decoded value escapes.
type decoder struct {
	file     string
	nodes    int     // YAML nodes visited so far
	objects  int     // objects decoded so far
	duration float64 // seconds, for orbits and spins given in turns
	scene    *File
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	e := &PosError{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	panic(e)
}

// resolve follows aliases and counts the nodes visited, so that a file whose
// aliases expand to billions of nodes fails quickly.
func (d *decoder) resolve(n *yaml.Node, path string) *yaml.Node {
	for hops := 0; n.Kind == yaml.AliasNode; hops++ {
		if n.Alias == nil || hops > 100 {
			d.fail(n, path, "broken alias *%s", n.Value)
		}
		n = n.Alias
	}
	d.nodes++
	if d.nodes > maxNodes {
		d.fail(n, path, "the document is too large once its aliases are expanded (more than %d nodes)", maxNodes)
	}
	return n
}

// mapping calls visit for each key of the mapping n, in the file's order. Keys must
// be among known, unless known is nil; an unknown key fails with the nearest known
// one suggested.
func (d *decoder) mapping(n *yaml.Node, path string, known []string, visit func(key string, v *yaml.Node, path string)) {
	n = d.resolve(n, path)
	if n.Kind != yaml.MappingNode {
		if known == nil {
			d.fail(n, path, "must be a mapping, got %s", describe(n))
		}
		d.fail(n, path, "must be a mapping of %s, got %s", joinQuoted(known), describe(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := d.resolve(n.Content[i], path), n.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			d.fail(kn, path, "keys must be plain names, got %s", describe(kn))
		}
		key := kn.Value
		kpath := joinPath(path, key)
		if kn.Tag == "!!merge" {
			d.fail(kn, path, "merge keys (<<) are not supported: write the keys out")
		}
		if known != nil && !slices.Contains(known, key) {
			if hint := suggest(key, known); hint != "" {
				d.fail(kn, kpath, "unknown key%s", hint)
			}
			d.fail(kn, kpath, "unknown key; known keys here: %s", joinQuoted(known))
		}
		if seen[key] {
			d.fail(kn, kpath, "duplicate key")
		}
		seen[key] = true
		visit(key, vn, kpath)
	}
}

// str reads a string.
func (d *decoder) str(n *yaml.Node, path string) string {
	n = d.resolve(n, path)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		d.fail(n, path, "must be a string, got %s", describe(n))
	}
	return n.Value
}

// boolean reads true or false.
func (d *decoder) boolean(n *yaml.Node, path string) bool {
	n = d.resolve(n, path)
	var b bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
		d.fail(n, path, "must be true or false, got %s", describe(n))
	}
	return b
}

// integer reads a whole number in [lo, hi].
func (d *decoder) integer(n *yaml.Node, path string, lo, hi int) int {
	n = d.resolve(n, path)
	var x int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&x) != nil {
		d.fail(n, path, "must be a whole number, got %s", describe(n))
	}
	if x < lo || x > hi {
		d.fail(n, path, "must be between %d and %d, got %d", lo, hi, x)
	}
	return x
}

// sequence returns the items of a list, checking its length.
func (d *decoder) sequence(n *yaml.Node, path string, what string, most int) []*yaml.Node {
	n = d.resolve(n, path)
	switch {
	case n.Kind != yaml.SequenceNode:
		d.fail(n, path, "must be a list of %s, got %s", what, describe(n))
	case len(n.Content) == 0:
		d.fail(n, path, "must hold at least one of %s", what)
	case len(n.Content) > most:
		d.fail(n, path, "may hold at most %d %s, got %d", most, what, len(n.Content))
	}
	return n.Content
}

// describe names what a node holds, for "must be X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return fmt.Sprintf("a list of %d", len(n.Content))
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		if n.Tag == "!!str" {
			return strconv.Quote(n.Value)
		}
		return n.Value
	}
	return "an alias"
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func indexPath(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}

// suggest returns "; did you mean `x`?" for the known name nearest to name, when
// one is near enough to be a likely typo, and "" otherwise.
func suggest(name string, known []string) string {
	best, bestDist := "", max(2, len(name)/3)+1
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean `%s`?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// formatValue prints a number or vector as a scene file would.
func formatValue(v scene.Vec3, dim int) string {
	if dim == 1 {
		return strconv.FormatFloat(v.X, 'g', -1, 64)
	}
	return v.String()
}
