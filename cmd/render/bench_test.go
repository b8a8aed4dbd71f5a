package main

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBenchWritesReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report")
	code, stdout, stderr := renderCLI(t, "bench", "--frames", "3", "--width", "20", "--height", "12", "--runs", "2", "--many", "2", "--out", out, "-q")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, row := range []string{"serial ", "concurrent only", "parallel", "oversubscribed", "serial (uneven)", "tiles of 8 px", "whole frames", "I/O inline", "I/O overlapped", "median of 2 rounds"} {
		if !strings.Contains(stdout, row) {
			t.Errorf("the table does not show %q:\n%s", row, stdout)
		}
	}
	var report struct {
		Machine struct {
			CPU        string
			Cores      int
			GOMAXPROCS int
			Go         string
		}
		Configurations []struct {
			Name     string
			Cores    int
			Workers  int
			Walls    []float64 `json:"wall_seconds"`
			Wall     float64   `json:"wall_median_seconds"`
			Speedup  float64
			Speedups []float64 `json:"speedup_per_round"`
			Write    bool      `json:"writes_frames"`
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "bench.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("bench.json: %v", err)
	}
	if m := report.Machine; m.CPU == "" || m.Cores < 1 || m.GOMAXPROCS < 1 || !strings.HasPrefix(m.Go, "go") {
		t.Errorf("machine = %+v, want CPU, cores, GOMAXPROCS and Go version", m)
	}
	if len(report.Configurations) != 10 {
		t.Errorf("%d configurations, want 10 (tiles of 8 and 16 px only, at 20x12)", len(report.Configurations))
	}
	for _, c := range report.Configurations {
		if len(c.Walls) != 2 || c.Wall <= 0 || c.Speedup <= 0 || c.Cores < 1 || c.Workers < 1 {
			t.Errorf("configuration %+v: want 2 runs, a wall time and a speedup", c)
		}
		if len(c.Speedups) != 2 || c.Speedup != min(c.Speedups[0], c.Speedups[1]) {
			t.Errorf("configuration %q: speed-up %g, rounds' %v; want the median of two rounds (the lower)", c.Name, c.Speedup, c.Speedups)
		}
		if strings.HasPrefix(c.Name, "serial") && (c.Speedup != 1 || c.Speedups[0] != 1 || c.Speedups[1] != 1) {
			t.Errorf("configuration %q, a baseline: speed-up %g, rounds' %v; want 1", c.Name, c.Speedup, c.Speedups)
		}
		if strings.HasPrefix(c.Name, "I/O") != c.Write {
			t.Errorf("configuration %q writes frames: %v, want only the I/O rows to", c.Name, c.Write)
		}
	}
	f, err := os.Open(filepath.Join(out, "bench.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if cfg, err := png.DecodeConfig(f); err != nil || cfg.Width != 1200 {
		t.Errorf("bench.png: %+v, %v; want a 1200 px wide PNG", cfg, err)
	}
	// The I/O rows' frames went to a temporary directory, removed afterwards.
	if entries, _ := os.ReadDir(out); len(entries) != 2 {
		t.Errorf("%s holds %d entries, want bench.json and bench.png only", out, len(entries))
	}
}

// TestBenchRounds checks what makes the bench's comparisons hold on a
// machine whose speed drifts: each configuration runs as early in the rounds
// as every other, and the speed-up is the median of the rounds' ratios, not
// a ratio of medians taken minutes apart.
func TestBenchRounds(t *testing.T) {
	if got := roundOrder(4, 0); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("round 0's order %v, want the list's", got)
	}
	if got := roundOrder(4, 1); !slices.Equal(got, []int{3, 2, 1, 0}) {
		t.Errorf("round 1's order %v, want the list's reversed", got)
	}
	if got := roundOrder(3, 2); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("round 2's order %v, want the list's", got)
	}
	// The machine slows in the second round: the baseline's median is
	// 1.1 s and the configuration's 1.5 s, but in two rounds of three it
	// ran in half the baseline's time.
	median, each := roundSpeedups([]float64{1, 1.1, 3}, []float64{0.5, 2.2, 1.5})
	if median != 2 || !slices.Equal(each, []float64{2, 0.5, 2}) {
		t.Errorf("speed-ups %v, median %g; want [2 0.5 2] and 2", each, median)
	}
	// The runs themselves, as the progress lines show them.
	code, _, stderr := renderCLI(t, "bench", "--frames", "2", "--width", "20", "--height", "12", "--runs", "2", "--many", "2", "--out", t.TempDir())
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rounds [2][]string
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var round int
		if _, err := fmt.Sscanf(line, "[round %d/2]", &round); err != nil || round < 1 || round > 2 {
			t.Fatalf("progress line %q: want [round k/2] first", line)
		}
		name, _, _ := strings.Cut(line[len("[round 1/2] "):], ":")
		rounds[round-1] = append(rounds[round-1], name)
	}
	reversed := slices.Clone(rounds[0])
	slices.Reverse(reversed)
	if len(rounds[0]) != 10 || !slices.Equal(rounds[1], reversed) {
		t.Errorf("round 1 ran %v, round 2 %v; want the ten configurations, then the same in reverse", rounds[0], rounds[1])
	}
}

func TestBenchBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--runs", "0"}, {"--frames", "0"}, {"--scene", "nope"}, {"--many", "1"}, {"extra"}} {
		code, _, stderr := renderCLI(t, append([]string{"bench", "--out", t.TempDir()}, args...)...)
		if code != exitUsage || !strings.HasPrefix(stderr, "render: bench: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("bench %v: exit %d, stderr %q; want %d and one line", args, code, stderr, exitUsage)
		}
	}
}

func TestTraceTimelineAndProfile(t *testing.T) {
	dir := t.TempDir()
	trace, pic, prof := filepath.Join(dir, "t.json"), filepath.Join(dir, "t.png"), filepath.Join(dir, "cpu.prof")
	code, _, stderr := renderCLI(t, append(small(filepath.Join(dir, "out")), "--workers", "3", "--tile", "16", "--trace", trace, "--timeline", pic, "--cpuprofile", prof, "-q")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var tr struct {
		TraceEvents []struct {
			Name string
			Ph   string
			Tid  int
			Dur  float64
		}
	}
	data, _ := os.ReadFile(trace)
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatalf("trace: %v", err)
	}
	tiles, outputs, lanes := 0, 0, 0
	for _, e := range tr.TraceEvents {
		switch {
		case e.Ph == "M":
			lanes++
		case strings.Contains(e.Name, "tile"):
			tiles++
			if e.Tid >= 3 {
				t.Errorf("tile event %q on lane %d, want a worker lane", e.Name, e.Tid)
			}
		case strings.HasSuffix(e.Name, "output"):
			outputs++
		}
	}
	// 32x18 in 16 px tiles: 2 × 2 tiles a frame, 3 frames.
	if tiles != 12 || outputs != 3 || lanes < 4 {
		t.Errorf("trace has %d tile events, %d outputs, %d lanes; want 12, 3 and at least 4", tiles, outputs, lanes)
	}
	for _, path := range []string{pic, prof} {
		if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v, want a non-empty file", path, err)
		}
	}
	for _, args := range [][]string{{"--trace", filepath.Join(dir, "missing", "t.json")}, {"--timeline", filepath.Join(dir, "t.jpg")}, {"--cpuprofile", dir}} {
		if code, _, stderr := renderCLI(t, append(small(filepath.Join(dir, "out2")), args...)...); code != exitUsage || !strings.Contains(stderr, args[0]) {
			t.Errorf("%v: exit %d, stderr %q; want %d naming the flag", args, code, stderr, exitUsage)
		}
	}
}
