package report

import (
	"encoding/json"
	"io"
	"time"
)

// TraceEvent is one span of work in a Chrome trace: Lane's work from Start for Dur.
type TraceEvent struct {
	Name     string
	Category string
	Lane     int
	Start    time.Duration
	Dur      time.Duration
	Args     map[string]any
}

// WriteChromeTrace writes events to w in the Chrome trace event format, which
// Perfetto (ui.perfetto.dev) and chrome://tracing open: one row per lane, named
// by lanes.
func WriteChromeTrace(w io.Writer, lanes []string, events []TraceEvent) error {
	type event struct {
		Name string         `json:"name"`
		Cat  string         `json:"cat,omitempty"`
		Ph   string         `json:"ph"`
		Ts   float64        `json:"ts"` // microseconds
		Dur  float64        `json:"dur,omitempty"`
		Pid  int            `json:"pid"`
		Tid  int            `json:"tid"`
		Args map[string]any `json:"args,omitempty"`
	}
	all := make([]event, 0, len(lanes)+len(events))
	for i, name := range lanes {
		all = append(all, event{Name: "thread_name", Ph: "M", Pid: 1, Tid: i, Args: map[string]any{"name": name}})
	}
	for _, e := range events {
		all = append(all, event{
			Name: e.Name, Cat: e.Category, Ph: "X", Pid: 1, Tid: e.Lane, Args: e.Args,
			Ts:  float64(e.Start.Nanoseconds()) / 1e3,
			Dur: float64(e.Dur.Nanoseconds()) / 1e3,
		})
	}
	return json.NewEncoder(w).Encode(map[string]any{"traceEvents": all, "displayTimeUnit": "ms"})
}
