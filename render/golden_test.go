package render

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdfrender/render/internal/golden"
	"github.com/sdfrender/render/scenefile"
)

var update = flag.Bool("update", false, "rewrite golden files")

var goldenCases = []struct {
	name    string
	scene   string
	time    float64
	samples int
}{
	{"showcase_t0", "showcase", 0, 1},
	{"showcase_t1.3", "showcase", 1.3, 1},
	{"showcase_t2.5_4x", "showcase", 2.5, 4},
	{"gallery_t0", "gallery", 0, 1},
	{"gallery_t3_4x", "gallery", 3, 4},
	{"field_t1", "field", 1, 1},
	{"hotspot_t3.5", "hotspot", 3.5, 1},
	{"minimal_t0.5", "minimal", 0.5, 1},
	{"focus_t0_8x", "focus", 0, 8}, // the lens focused on the near ball
	{"focus_t2_8x", "focus", 2, 8}, // and on the far one
	// A scene file as a user writes one, loaded from disk.
	{"spinning-top_t1.2_4x", "../testdata/scenes/spinning-top.yaml", 1.2, 4},
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b *scenefile.File
			var err error
			if strings.HasSuffix(c.scene, ".yaml") {
				b, err = scenefile.Load(c.scene)
			} else {
				b, err = scenefile.Lookup(c.scene)
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := RenderFrame(b.At(c.time), Settings{Width: 96, Height: 54, Samples: c.samples})
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", c.name+".png"), got, *update)
		})
	}
}
