package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestWriteChromeTrace(t *testing.T) {
	events := []TraceEvent{
		{Name: "tile", Category: "tile", Lane: 1, Start: 1500 * time.Microsecond, Dur: 2 * time.Millisecond, Args: map[string]any{"frame": 3}},
	}
	var buf bytes.Buffer
	if err := WriteChromeTrace(&buf, []string{"worker 0", "worker 1"}, events); err != nil {
		t.Fatal(err)
	}
	var got struct {
		TraceEvents []map[string]any
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.TraceEvents) != 3 {
		t.Fatalf("%d events, want 2 lane names and 1 span", len(got.TraceEvents))
	}
	e := got.TraceEvents[2]
	if e["ph"] != "X" || e["ts"] != 1500.0 || e["dur"] != 2000.0 || e["tid"] != 1.0 || e["name"] != "tile" {
		t.Errorf("span event = %v, want ph X, ts 1500, dur 2000 (µs), tid 1", e)
	}
	if m := got.TraceEvents[1]; m["ph"] != "M" || m["args"].(map[string]any)["name"] != "worker 1" {
		t.Errorf("lane event = %v, want a thread_name for worker 1", m)
	}
}
