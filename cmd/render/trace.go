package main

import (
	"fmt"
	"io"
	"runtime/pprof"

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

// startProfile starts a CPU profile into path; stop finishes it and puts it in
// place, or, if the job failed, removes it.
func startProfile(path string) (stop func(ok bool) error, err error) {
	f, err := temps.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Abort()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func(ok bool) error {
		pprof.StopCPUProfile()
		if !ok {
			f.Abort()
			return nil
		}
		return f.Commit()
	}, nil
}
