package main

import (
	"io"

	"github.com/sdfrender/render/internal/preview"
)

// gifPreview is --gif: an animated GIF of the frames, at the animation's fps.
type gifPreview struct {
	*preview.GIFPreview
	path string
}

func newGIF(file string, o options, j job, _ io.Writer) (extra, error) {
	return &gifPreview{preview.NewGIFPreview(o.gifWidth, j.FPS), file}, nil
}

// Finish encodes the GIF and writes it.
func (g *gifPreview) Finish(ending) error { return temps.WriteFile(g.path, g.Encode) }
