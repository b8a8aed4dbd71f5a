package render

import (
	"image"
	"image/draw"
	"testing"

	"github.com/sdfrender/render/internal/golden"
)

// TestReusedBuffersStartTransparent checks that a frame buffer handed out again
// after a frame was released holds nothing of that frame: every pixel is
// transparent, which no render writes, so a tile a bug leaves unrendered in a
// later frame shows (golden.Unwritten counts it) instead of the earlier frame's
// pixels passing for it.
func TestReusedBuffersStartTransparent(t *testing.T) {
	for _, depth := range []int{8, 16} {
		r := &run{job: Job{Settings: Settings{Width: 6, Height: 4, Depth: depth}}, buffers: make(chan draw.Image, 1)}
		img := r.buffer()
		draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
		r.buffers <- img // as release does
		again := r.buffer()
		if again != img {
			t.Fatalf("depth %d: a new buffer, want the released one reused", depth)
		}
		if n, _ := golden.Unwritten(again); n != 24 {
			t.Errorf("depth %d: %d of 24 pixels of a reused buffer are transparent, want all", depth, n)
		}
	}
}
