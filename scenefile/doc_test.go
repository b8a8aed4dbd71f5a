package scenefile

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The scene-file reference, docs/scene-format.md, is tested against the loader's
// own tables, so that a field added to the loader and not to the reference fails
// here, and so that every example in the reference parses.
const (
	docPath     = "../docs/scene-format.md"
	examplePath = "../docs/example.yaml"
)

// docText returns the text of the reference.
func docText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatalf("reading the reference: %v", err)
	}
	return string(b)
}

// docSections splits the reference at its "## " and "### " headings, keyed by the
// heading's text: each section runs to the next heading of either level.
func docSections(doc string) map[string]string {
	sections := map[string]string{}
	heading, body := "", strings.Builder{}
	flush := func() { sections[heading] += body.String(); body.Reset() }
	for line := range strings.Lines(doc) {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			flush()
			heading = strings.TrimSpace(h)
			continue
		}
		if h, ok := strings.CutPrefix(line, "### "); ok {
			flush()
			heading = strings.TrimSpace(h)
			continue
		}
		body.WriteString(line)
	}
	flush()
	return sections
}

// docBlock is one fenced code block of the reference.
type docBlock struct {
	info string // what follows the opening ```, such as "yaml" or "yaml invalid"
	line int    // line of the opening fence, from 1
	text string
}

// docBlocks returns the fenced code blocks of doc.
func docBlocks(doc string) []docBlock {
	var blocks []docBlock
	var cur *docBlock
	sc := bufio.NewScanner(strings.NewReader(doc))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		fence, isFence := strings.CutPrefix(line, "```")
		switch {
		case isFence && cur == nil:
			cur = &docBlock{info: strings.TrimSpace(fence), line: n}
		case isFence && fence == "":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	return blocks
}

// unknownKey is a key no part of a scene file knows, and too far from every known
// key for the loader to suggest one: the loader's error then lists all it knows.
const unknownKey = "zzzzzzzzzzzzzzzz"

var backquoted = regexp.MustCompile("`([^`]+)`")

// knownKeys parses src, which must fail on unknownKey, and returns the keys the
// error message says are known there. It reads them from the loader's message
// because some mappings (render, tracks, keys, orbits) list their keys only there.
func knownKeys(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse("known.yaml", []byte(src))
	if err == nil {
		t.Fatalf("Parse(%q) succeeded, want an unknown-key error", src)
	}
	_, list, ok := strings.Cut(err.Error(), "known keys here: ")
	if !ok {
		t.Fatalf("Parse(%q) = %v, want an error that lists the known keys", src, err)
	}
	var keys []string
	for _, m := range backquoted.FindAllStringSubmatch(list, -1) {
		keys = append(keys, m[1])
	}
	return keys
}

// docRows says that each of keys must have a row in the reference's section.
type docRows struct {
	section string
	keys    []string
}

func TestDocNamesEveryKey(t *testing.T) {
	doc := docText(t)
	sections := docSections(doc)
	camera := "camera:\n  position: [0, 2, 6]\n"
	objects := "objects:\n  - sphere: {radius: 1}\n"

	// Each field must have a row "| `name` |" in a table of its own section.
	rows := []docRows{
		{"The top level", topKeys},
		{"render", knownKeys(t, "render: {"+unknownKey+": 1}\n"+camera+objects)},
		{"camera", names(cameraParams)},
		{"sky", names(skyParams)},
		{"lights", names(lightParams)},
		{"Materials", names(materialParams)},
		{"Objects", objectKeys},
		{"rotate", names(rotationAxisParams)},
		{"spin", names(spinParams)},
		{"Easings", easeNames},
		{"Keyframe tracks", append(knownKeys(t, "camera:\n  position: {keys: [{"+unknownKey+": 1}]}\n"+objects), "loop")},
		{"Orbits", knownKeys(t, "camera:\n  position: {orbit: {"+unknownKey+": 1}}\n"+objects)},
	}
	for _, p := range Primitives() {
		rows = append(rows, docRows{p.Name, append(names(p.params), p.Children...)})
	}
	for _, r := range rows {
		body, ok := sections[r.section]
		if !ok {
			t.Errorf("%s has no section headed %q; want one", docPath, r.section)
			continue
		}
		for _, key := range r.keys {
			t.Run(r.section+"/"+key, func(t *testing.T) {
				row := "| `" + key + "` |"
				if !strings.Contains(body, row) {
					t.Errorf("section %q of %s has no row %q, want one", r.section, docPath, row)
				}
			})
		}
	}

	// The forms of an animated value are named in the text rather than in a table.
	for _, key := range knownKeys(t, "camera:\n  position: {"+unknownKey+": 1}\n"+objects) {
		t.Run("values/"+key, func(t *testing.T) {
			if n := strings.Count(doc, "`"+key+"`"); n == 0 {
				t.Errorf("%s names `%s` %d times, want at least 1", docPath, key, n)
			}
		})
	}
}

func TestDocExamplesParse(t *testing.T) {
	doc := docText(t)
	scenes, invalid := 0, 0
	for _, b := range docBlocks(doc) {
		lang, _, _ := strings.Cut(b.info, " ")
		if lang != "yaml" {
			continue
		}
		t.Run("line "+strconv.Itoa(b.line), func(t *testing.T) {
			if b.info == "yaml invalid" {
				invalid++
				checkDocError(t, doc, b)
				return
			}
			var root yaml.Node
			if err := yaml.Unmarshal([]byte(b.text), &root); err != nil {
				t.Fatalf("block at %s:%d is not YAML: %v", docPath, b.line, err)
			}
			if !hasTopKeys(&root, "camera", "objects") {
				return // a fragment, not a scene
			}
			scenes++
			if _, err := Parse("my.yaml", []byte(b.text)); err != nil {
				t.Errorf("Parse(block at %s:%d) = %v, want no error", docPath, b.line, err)
			}
		})
	}
	if scenes == 0 || invalid == 0 {
		t.Errorf("%s has %d yaml scenes and %d yaml invalid scenes, want at least 1 of each", docPath, scenes, invalid)
	}
}

// checkDocError checks that a block marked "yaml invalid" fails to parse, with
// exactly the message that the reference prints for it.
func checkDocError(t *testing.T, doc string, b docBlock) {
	t.Helper()
	_, err := Parse("my.yaml", []byte(b.text))
	if err == nil {
		t.Fatalf("Parse(block at %s:%d) succeeded, want the error the reference shows", docPath, b.line)
	}
	if !strings.Contains(doc, "\n"+err.Error()+"\n") {
		t.Errorf("Parse(block at %s:%d) = %q; %s does not show that line, want it shown", docPath, b.line, err, docPath)
	}
}

// hasTopKeys reports whether the document root is a mapping with all of keys.
func hasTopKeys(root *yaml.Node, keys ...string) bool {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := root.Content[0]
	for _, k := range keys {
		if !hasKey(m, k) {
			return false
		}
	}
	return true
}

func TestDocExampleFile(t *testing.T) {
	src, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatalf("reading the example: %v", err)
	}
	f, err := Parse(examplePath, src)
	if err != nil {
		t.Fatalf("Parse(%s) = %v, want no error", examplePath, err)
	}
	if got, want := f.Name, "example"; got != want {
		t.Errorf("Parse(%s).Name = %q, want %q", examplePath, got, want)
	}
	if doc := docText(t); !strings.Contains(doc, "```yaml\n"+string(src)+"```\n") {
		t.Errorf("%s does not quote %s whole in a yaml block, want it to", docPath, examplePath)
	}
}
