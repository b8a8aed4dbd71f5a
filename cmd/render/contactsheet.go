package main

import (
	"fmt"
	"io"

	"github.com/sdfrender/render/internal/preview"
)

// contactSheet is --contact-sheet: thumbnails of the frames (every Nth past
// 60), with their numbers, in one picture.
type contactSheet struct {
	*preview.ContactSheet
	path string
	j    job
}

func newContactSheet(file string, _ options, j job, _ io.Writer) (extra, error) {
	return &contactSheet{preview.NewContactSheet(j.selected), file, j}, nil
}

// Finish draws the sheet and writes it.
func (s *contactSheet) Finish(end ending) error {
	j := s.j
	subtitle := fmt.Sprintf("%s, %dx%d at %s", plural(len(j.selected), "frame"), j.Width, j.Height, plural(j.Samples, "sample"))
	if len(j.finished) == 0 {
		// Only a sheet of frames all rendered now can say how long they took.
		subtitle += fmt.Sprintf(", %.1f s to render on %s", end.stats.Wall.Seconds(), plural(j.Workers, "worker"))
	}
	return temps.WritePNG(s.path, s.Draw(j.scene, subtitle))
}
