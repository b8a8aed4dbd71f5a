package main

import (
	"fmt"
	"io"

	"github.com/sdfrender/render/internal/report"
	"github.com/sdfrender/render/render"
)

// lanes names the lanes of a traced job's spans: its workers, then as many output
// slots as the spans use (none if withOutputs is false).
func lanes(spans []render.Span, workers int, withOutputs bool) []string {
	n := workers
	if withOutputs {
		for _, s := range spans {
			n = max(n, s.Lane+1)
		}
	}
	names := make([]string, n)
	for i := range names {
		if i < workers {
			names[i] = fmt.Sprintf("worker %d", i)
		} else {
			names[i] = fmt.Sprintf("output %d", i-workers)
		}
	}
	return names
}

// timeline turns a traced job's spans into a timeline picture's boxes, coloured
// by frame. Output spans are left out unless withOutputs.
func timeline(title string, st render.Stats, workers int, withOutputs bool) report.Timeline {
	t := report.Timeline{Title: title, Lanes: lanes(st.Spans, workers, withOutputs), Duration: st.Wall.Seconds()}
	for _, s := range st.Spans {
		if s.Kind == render.SpanOutput && !withOutputs {
			continue
		}
		t.Boxes = append(t.Boxes, report.Box{Lane: s.Lane, Start: s.Start.Seconds(), End: s.End.Seconds(), Group: s.Frame})
	}
	return t
}

// writeTrace writes a traced job's spans as a Chrome trace.
func writeTrace(path string, st render.Stats, workers int) error {
	events := make([]report.TraceEvent, len(st.Spans))
	for i, s := range st.Spans {
		e := report.TraceEvent{Lane: s.Lane, Start: s.Start, Dur: s.End - s.Start, Args: map[string]any{"frame": s.Frame}}
		switch s.Kind {
		case render.SpanTile:
			e.Name, e.Category = fmt.Sprintf("frame %d tile %d,%d", s.Frame, s.Tile.Min.X, s.Tile.Min.Y), "tile"
			e.Args["tile"] = s.Tile.String()
		case render.SpanOutput:
			e.Name, e.Category = fmt.Sprintf("frame %d output", s.Frame), "output"
		}
		events[i] = e
	}
	return temps.WriteFile(path, func(w io.Writer) error {
		return report.WriteChromeTrace(w, lanes(st.Spans, workers, true), events)
	})
}

// chromeTrace is --trace: every tile's start and end per worker, and every
// frame's output, as a Chrome trace.
type chromeTrace struct {
	path    string
	workers int
}

func newTrace(file string, _ options, j job, _ io.Writer) (extra, error) {
	return chromeTrace{file, j.Workers}, nil
}

// Finish writes the trace of the job's spans.
func (t chromeTrace) Finish(end ending) error { return writeTrace(t.path, end.stats, t.workers) }

// timelinePicture is --timeline: the workers' timeline, drawn.
type timelinePicture struct {
	path, title string
	workers     int
}

func newTimeline(file string, o options, j job, _ io.Writer) (extra, error) {
	title := fmt.Sprintf("%s: %s on %s, tile %d px", j.scene, plural(j.Workers, "worker"), plural(o.cores, "core"), j.Tile)
	return timelinePicture{file, title, j.Workers}, nil
}

// Finish draws the timeline of the job's spans and writes it.
func (t timelinePicture) Finish(end ending) error {
	return temps.WritePNG(t.path, report.DrawTimeline(timeline(t.title, end.stats, t.workers, true)))
}
