package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/sdfrender/render/internal/output"
	"github.com/sdfrender/render/internal/report"
	"github.com/sdfrender/render/render"
	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// benchOptions are the flags of `render bench`.
type benchOptions struct {
	scene, uneven  string
	frames         int
	unevenFrames   int
	width, height  int
	samples        int
	runs, many     int
	out, framesDir string
	quiet          bool
}

// benchConfig is one way of running the same job.
type benchConfig struct {
	Name     string `json:"name"`
	Group    string `json:"group"` // parallelism, granularity or io
	Scene    string `json:"scene"`
	Cores    int    `json:"cores"`
	Workers  int    `json:"workers"`
	Tile     int    `json:"tile_px"`
	Unit     string `json:"unit"`
	Write    bool   `json:"writes_frames"`
	Inline   bool   `json:"inline_output"`
	Frames   int    `json:"frames"`
	Baseline string `json:"speedup_against"` // the serial configuration of the same scene
	timeline bool   // drawn as a timeline in bench.png
}

// benchResult is a configuration's measurements.
type benchResult struct {
	benchConfig
	Walls       []float64 `json:"wall_seconds"` // every run
	Wall        float64   `json:"wall_median_seconds"`
	CPU         float64   `json:"cpu_seconds"`       // of the median run
	Speedup     float64   `json:"speedup"`           // the median of the rounds' speed-ups
	Speedups    []float64 `json:"speedup_per_round"` // the baseline's wall over this one's, round by round
	Efficiency  float64   `json:"efficiency"`        // speedup / cores
	Utilisation float64   `json:"cpu_utilisation"`   // CPU / (wall × cores)
	FPS         float64   `json:"frames_per_second"`
	stats       render.Stats
}

// machine describes where a benchmark ran.
type machine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	OS         string `json:"os"`
}

// runBench is `render bench`: it renders the same job under several
// configurations, prints the table and writes bench.json and bench.png.
func runBench(args []string, stdout, stderr io.Writer) error {
	var o benchOptions
	fs := pflag.NewFlagSet("render bench", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringVar(&o.scene, "scene", "showcase", "scene for the parallelism and I/O rows (built-in name or .yaml file)")
	fs.StringVar(&o.uneven, "uneven", "hotspot", "scene with uneven cost, for the granularity rows")
	fs.IntVar(&o.frames, "frames", 24, "frames per job, spread over the scene's whole duration")
	fs.IntVar(&o.unevenFrames, "uneven-frames", 4, "frames of the granularity rows' job: few, so that a coarse unit left to the end shows")
	fs.IntVar(&o.width, "width", 320, "frame width in pixels")
	fs.IntVar(&o.height, "height", 180, "frame height in pixels")
	fs.IntVar(&o.samples, "samples", 1, "anti-aliasing samples per pixel")
	fs.IntVar(&o.runs, "runs", 5, "rounds, each running every configuration once; the table shows the medians")
	fs.IntVar(&o.many, "many", 8, "workers of the concurrent-only configuration; oversubscribed uses 8 times as many per core")
	fs.StringVarP(&o.out, "out", "o", "bench", "directory for bench.json and bench.png")
	fs.StringVar(&o.framesDir, "frames-dir", "", "write every configuration's frames under this directory (by default only the I/O rows write, to a temporary directory)")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "print only the table")
	if help, err := parseFlags(fs, args, benchUsage+fs.FlagUsages(), false, "", stdout); help || err != nil {
		return err
	}
	scenes, err := o.check()
	if err != nil {
		return fmt.Errorf("render: bench: %w", err)
	}
	ctx, stopped, release := withSignals(context.Background())
	defer release()
	results, err := o.measure(ctx, scenes, stderr)
	if sig := stopped(); sig != nil {
		return interrupted{sig, fmt.Sprintf("render: bench: interrupted by %v; nothing written", sig)}
	}
	if err != nil {
		return fmt.Errorf("render: bench: %w", err)
	}
	m := describeMachine()
	printBench(stdout, o, m, results)
	if err := o.write(m, results); err != nil {
		return fmt.Errorf("render: bench: %w", err)
	}
	if !o.quiet {
		fmt.Fprintf(stdout, "\nwrote %s and %s\n", filepath.Join(o.out, "bench.json"), filepath.Join(o.out, "bench.png"))
	}
	return nil
}

const benchUsage = `render bench renders the same job under several configurations and compares them:
one core against all cores (parallelism), many goroutines on one core (concurrency
without parallelism), work units from 8 px tiles to whole frames on a scene of
uneven cost (granularity), and PNG writing inline or overlapped with rendering (I/O).

Usage:
  render bench [flags]

Flags:
`

// check validates the options and loads the two scenes.
func (o *benchOptions) check() (map[string]*scenefile.File, error) {
	switch {
	case o.frames < 1 || o.frames > 10000 || o.unevenFrames < 1 || o.unevenFrames > 10000:
		return nil, usagef("--frames and --uneven-frames must be between 1 and 10000, got %d and %d", o.frames, o.unevenFrames)
	case o.width < 1 || o.width > scene.MaxSize || o.height < 1 || o.height > scene.MaxSize:
		return nil, usagef("--width and --height must be between 1 and %d, got %dx%d", scene.MaxSize, o.width, o.height)
	case o.samples < 1 || o.samples > scene.MaxSamples:
		return nil, usagef("--samples must be between 1 and %d, got %d", scene.MaxSamples, o.samples)
	case o.runs < 1 || o.runs > 100:
		return nil, usagef("--runs must be between 1 and 100, got %d", o.runs)
	case o.many < 2 || o.many*8*runtime.GOMAXPROCS(0) > render.MaxWorkers:
		return nil, usagef("--many must be between 2 and %d, got %d", render.MaxWorkers/(8*runtime.GOMAXPROCS(0)), o.many)
	}
	if frame := max(o.width, o.height); frame > render.MaxTile {
		return nil, usagef("--width and --height must be at most %d for bench, whose whole-frames row renders each frame as one tile, got %dx%d", render.MaxTile, o.width, o.height)
	}
	// The oversubscribed row runs the most workers, each holding a frame.
	available, known := availableMemory()
	if err := checkMemory(8*o.many*runtime.GOMAXPROCS(0)+2, o.width, o.height, 8, available, known); err != nil {
		return nil, err
	}
	scenes := map[string]*scenefile.File{}
	for name, frames := range map[string]int{o.scene: o.frames, o.uneven: o.unevenFrames} {
		sc, err := loadScene(name)
		if err != nil {
			return nil, err
		}
		// measure spreads the frames over the scene's duration.
		if err := checkFrameTimes(sc, span(1, frames), render.Job{FPS: float64(frames) / sc.Duration, Settings: render.Settings{Samples: o.samples}}); err != nil {
			return nil, err
		}
		scenes[name] = sc
	}
	if err := output.PrepareDir(o.out); err != nil {
		return nil, dirError(err)
	}
	if o.framesDir != "" {
		if err := output.PrepareDir(o.framesDir); err != nil {
			return nil, dirError(err)
		}
	}
	return scenes, nil
}

// configs lists the configurations, each group with its serial baseline first.
func (o *benchOptions) configs() []benchConfig {
	n := runtime.GOMAXPROCS(0)
	frame := max(o.width, o.height)
	c := func(name, group, sc string, cores, workers, tile int) benchConfig {
		unit := fmt.Sprintf("tile %d", tile)
		if tile >= frame {
			unit = "frame"
		}
		return benchConfig{Name: name, Group: group, Scene: sc, Cores: cores, Workers: workers, Tile: tile, Unit: unit}
	}
	serial := c("serial", "parallelism", o.scene, 1, 1, 32)
	serial.timeline = true
	concurrent := c("concurrent only", "parallelism", o.scene, 1, o.many, 32)
	concurrent.timeline = true
	parallel := c("parallel", "parallelism", o.scene, n, n, 32)
	parallel.timeline = true
	list := []benchConfig{serial, concurrent, parallel, c("oversubscribed", "parallelism", o.scene, n, 8*o.many*n, 32)}
	unevenSerial := c("serial (uneven)", "granularity", o.uneven, 1, 1, 32)
	list = append(list, unevenSerial)
	for _, tile := range []int{8, 16, 32, 64, 128} {
		if tile < frame {
			tiled := c(fmt.Sprintf("tiles of %d px", tile), "granularity", o.uneven, n, n, tile)
			tiled.timeline = tile == 32 // beside whole frames, to compare
			list = append(list, tiled)
		}
	}
	whole := c("whole frames", "granularity", o.uneven, n, n, frame)
	whole.timeline = true
	list = append(list, whole)
	inline := c("I/O inline", "io", o.scene, n, n, 32)
	inline.Write, inline.Inline, inline.timeline = true, true, true
	overlapped := c("I/O overlapped", "io", o.scene, n, n, 32)
	overlapped.Write, overlapped.timeline = true, true
	list = append(list, inline, overlapped)
	for i := range list {
		list[i].Baseline = "serial"
		if list[i].Scene == o.uneven && list[i].Group == "granularity" {
			list[i].Baseline = "serial (uneven)"
		}
		if o.framesDir != "" {
			list[i].Write = true
		}
	}
	return list
}

// measure runs every configuration o.runs times, in rounds: each round runs
// every configuration once, in the list's order and, the next round, in the
// reverse order. A machine whose speed drifts (a shared one, a laptop that
// warms up) then slows every configuration alike, and the speed-up of each
// is the median of its rounds' ratios to its baseline in the same round, not
// the ratio of two medians taken minutes apart.
func (o *benchOptions) measure(ctx context.Context, scenes map[string]*scenefile.File, progress io.Writer) ([]benchResult, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	configs := o.configs()
	jobs := make([]render.Job, len(configs))
	results := make([]benchResult, len(configs))
	runs := make([][]render.Stats, len(configs))
	cpus := make([][]float64, len(configs))
	for i, c := range configs {
		sc := scenes[c.Scene]
		n := o.frames
		if c.Group == "granularity" {
			n = o.unevenFrames
		}
		frames := span(1, n)
		jobs[i] = render.Job{
			Animation: sc, Frames: frames, FPS: float64(len(frames)) / sc.Duration,
			Settings: render.Settings{Width: o.width, Height: o.height, Samples: o.samples},
			Tile:     c.Tile, Workers: c.Workers, Trace: true,
		}
		if c.Inline {
			jobs[i].Output = render.Inline{}
		}
		c.Frames = len(frames)
		results[i] = benchResult{benchConfig: c}
	}
	for round := range o.runs {
		for _, i := range roundOrder(len(configs), round) {
			c := results[i].benchConfig
			if !o.quiet {
				fmt.Fprintf(progress, "[round %d/%d] %s: %s on %s, %s\n", round+1, o.runs, c.Name, plural(c.Workers, "worker"), plural(c.Cores, "core"), c.Unit)
			}
			st, cpu, err := o.runOnce(ctx, c, jobs[i])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Name, err)
			}
			if st.Procs != c.Cores { // what the comparison stands on, seen from inside the job
				return nil, fmt.Errorf("%s: the job ran with %d cores (GOMAXPROCS), not %d", c.Name, st.Procs, c.Cores)
			}
			// A row drawn as a timeline keeps every run's spans until its
			// median run is known, the others none: a round's spans, a
			// tile's or a frame's 72 bytes each, are held for every round.
			if !c.timeline {
				st.Spans = nil
			}
			runs[i] = append(runs[i], st)
			cpus[i] = append(cpus[i], cpu)
			results[i].Walls = append(results[i].Walls, st.Wall.Seconds())
		}
	}
	for i := range results {
		r := &results[i]
		med := medianIndex(r.Walls)
		r.stats, r.Wall, r.CPU = runs[i][med], r.Walls[med], cpus[i][med]
		r.Utilisation = r.CPU / (r.Wall * float64(r.Cores))
		r.FPS = float64(r.Frames) / r.Wall
	}
	for i := range results {
		for _, b := range results {
			if b.Name == results[i].Baseline {
				r := &results[i]
				r.Speedup, r.Speedups = roundSpeedups(b.Walls, r.Walls)
				r.Efficiency = r.Speedup / float64(r.Cores)
			}
		}
	}
	return results, nil
}

// roundSpeedups returns the speed-up of each round, the baseline's wall time
// over walls's in the same round, and the median of them.
func roundSpeedups(baseline, walls []float64) (median float64, each []float64) {
	each = make([]float64, len(walls))
	for k := range walls {
		each[k] = baseline[k] / walls[k]
	}
	return each[medianIndex(each)], each
}

// roundOrder is the order in which round runs the n configurations: the
// list's order in even rounds, the reverse in odd ones, so that over two
// rounds each configuration runs as early as every other.
func roundOrder(n, round int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
		if round%2 == 1 {
			order[i] = n - 1 - i
		}
	}
	return order
}

// runOnce renders job once as configuration c and returns its stats and CPU time.
func (o *benchOptions) runOnce(ctx context.Context, c benchConfig, job render.Job) (render.Stats, float64, error) {
	sink := func(context.Context, render.Frame) error { return nil }
	if c.Write {
		dir := filepath.Join(o.framesDir, strings.ReplaceAll(c.Name, " ", "-"))
		if o.framesDir == "" {
			tmp, err := os.MkdirTemp(o.out, ".frames-*")
			if err != nil {
				return render.Stats{}, 0, err
			}
			defer os.RemoveAll(tmp)
			dir = tmp
		}
		d, err := temps.OpenDir(dir, "")
		if err != nil {
			return render.Stats{}, 0, err
		}
		defer d.Close()
		seq, err := output.NewSequence(d, output.DefaultPattern)
		if err != nil {
			return render.Stats{}, 0, err
		}
		seq.Reserve(min(c.Workers, c.Cores))
		sink = func(_ context.Context, f render.Frame) error { _, err := seq.Write(f.Number, f.Image); return err }
	}
	runtime.GOMAXPROCS(c.Cores)
	runtime.GC() // start every run with a clean heap
	cpu0 := cpuTime()
	st, err := render.Run(ctx, job, sink)
	return st, (cpuTime() - cpu0).Seconds(), err
}

// medianIndex returns the index of the median of xs (the lower one for an even count).
func medianIndex(xs []float64) int {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(xs[a], xs[b]) })
	return idx[(len(idx)-1)/2]
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func printBench(w io.Writer, o benchOptions, m machine, results []benchResult) {
	fmt.Fprintf(w, "render bench: frames of %dx%d at %s; %s\n", o.width, o.height, plural(o.samples, "sample"), m.String())
	fmt.Fprintf(w, "wall is the median of %s, each running every configuration once, in alternating order;\n", plural(o.runs, "round"))
	fmt.Fprintf(w, "speedup is the median of the rounds' ratios to the serial row of the same scene\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "configuration\tscene\tframes\tcores\tworkers\tunit\twall\tframes/s\tspeedup\tefficiency\tCPU use\t")
	group := ""
	for _, r := range results {
		if r.Group != group && group != "" {
			fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t\t")
		}
		group = r.Group
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%.3fs\t%.1f\t%.2f×\t%.0f%%\t%.0f%%\t\n",
			r.Name, r.Scene, r.Frames, r.Cores, r.Workers, r.Unit, r.Wall, r.FPS, r.Speedup, 100*r.Efficiency, 100*r.Utilisation)
	}
	tw.Flush()
}

func (m machine) String() string {
	return fmt.Sprintf("%s, %s, GOMAXPROCS %d, %s, %s", m.CPU, plural(m.Cores, "core"), m.GOMAXPROCS, m.Go, m.OS)
}

// write saves bench.json and draws bench.png.
func (o benchOptions) write(m machine, results []benchResult) error {
	summary := map[string]any{
		"machine":        m,
		"settings":       map[string]any{"scene": o.scene, "uneven_scene": o.uneven, "frames": o.frames, "uneven_frames": o.unevenFrames, "width": o.width, "height": o.height, "samples": o.samples, "runs": o.runs},
		"configurations": results,
		"date":           time.Now().UTC().Format(time.RFC3339),
	}
	err := temps.WriteFile(filepath.Join(o.out, "bench.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(summary)
	})
	if err != nil {
		return err
	}
	var bars []report.Bar
	var timelines []report.Timeline
	for _, r := range results {
		bars = append(bars, report.Bar{
			Label: fmt.Sprintf("%s (%s)", r.Name, r.Scene), Value: r.Wall,
			Note: fmt.Sprintf("%.2f× on %s, %s", r.Speedup, plural(r.Cores, "core"), plural(r.Workers, "worker")),
		})
		if r.timeline {
			title := fmt.Sprintf("%s: %s on %s, %s, %s", r.Name, plural(r.Workers, "worker"), plural(r.Cores, "core"), r.Unit, r.Scene)
			tl := timeline(title, r.stats, r.Workers, r.Write)
			tl.Group = r.Group
			timelines = append(timelines, tl)
		}
	}
	title := fmt.Sprintf("render bench: wall time by configuration (median of %s), %s", plural(o.runs, "round"), m.String())
	return temps.WritePNG(filepath.Join(o.out, "bench.png"), report.DrawBench(title, bars, "s", timelines))
}

// describeMachine reads the CPU model from /proc/cpuinfo where there is one.
func describeMachine() machine {
	m := machine{CPU: runtime.GOARCH, Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() {
			if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
