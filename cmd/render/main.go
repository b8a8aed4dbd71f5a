// Command render renders an animated signed-distance-field scene into a PNG
// sequence, cutting every frame into tiles that a pool of goroutines renders in
// parallel, one per core by default.
//
//	render --frames 120 --workers 8 --out out
//
// It parses flags, wires the scene, render and output packages together, and
// reports; it holds no rendering logic.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/sdfrender/render/internal/output"
	"github.com/sdfrender/render/internal/parallel"
	"github.com/sdfrender/render/internal/preview"
	"github.com/sdfrender/render/internal/report"
	"github.com/sdfrender/render/render"
	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

// Exit codes.
const (
	exitOK          = 0   // every frame written
	exitFailure     = 1   // a render or I/O failure
	exitUsage       = 2   // bad flags or input: nothing was rendered
	exitHangup      = 129 // stopped by SIGHUP (the terminal closed)
	exitInterrupted = 130 // stopped by SIGINT (Ctrl-C)
	exitTerminated  = 143 // stopped by SIGTERM
)

// maxGIFWidth limits --gif-width, so a typo fails fast instead of exhausting the
// machine. The limits on the frames (size, samples, count, fps) are scene's
// (scene.MaxSize and its neighbours), those on the job's tiles and workers
// render's (render.MaxTile, render.MaxWorkers).
const maxGIFWidth = 2048

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// gcPercent is the garbage collector's target (GOGC) unless the environment
// sets one: collect when the heap has grown a quarter past what the last
// collection left, not Go's default of double. A render's heap is nearly all
// buffers it keeps for the whole job (frames in flight, the workers' scratch,
// the PNG encoders: what the preflight counts), holding no pointers, and each
// frame leaves a few KiB of garbage, so a collection costs little and a
// smaller target keeps a long job's peak memory near a short one's: 600
// small frames peak within 1.10x of 60, against 1.2x at the default, and at
// no measurable cost in CPU time (see the README's memory section).
const gcPercent = 25

// options are the parsed command line.
type options struct {
	scene          string
	frames         int
	fps            float64
	width, height  int
	samples, tile  int
	depth          int
	workers, cores int
	out, name      string
	frameRange     string // --range: the frames to render, "" for all
	shard          string // --shard INDEX/COUNT, "" for none given
	shards         int    // --shards COUNT
	force          bool
	quiet          bool
	version        bool
	burnIn         bool
	contactSheet   string // file for the contact sheet picture
	gif            string // file for the animated GIF preview
	video          string // file for the H.264 video
	gifWidth       int
	trace          string // file for the job's Chrome trace
	timeline       string // file for the picture of its timeline
	cpuprofile     string
	serve          string // address for the live page
	serveExit      bool
	changed        func(name string) bool // whether the command line set a flag
}

func newFlagSet(o *options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("render", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringVar(&o.scene, "scene", "showcase", "built-in scene name (see render scenes) or scene file (.yaml)")
	fs.IntVar(&o.frames, "frames", scene.DefaultFrames, "number of frames to render; a scene file may set its own")
	fs.Float64Var(&o.fps, "fps", scene.DefaultFPS, "frames per second: frame n shows time (n-1)/fps; a scene file may set its own")
	fs.IntVar(&o.width, "width", 480, "frame width in pixels; a scene file may set its own")
	fs.IntVar(&o.height, "height", 270, "frame height in pixels; a scene file may set its own")
	fs.IntVar(&o.samples, "samples", 1, fmt.Sprintf("anti-aliasing samples per pixel, 1 to %d (4 is a rotated grid); a scene file may set its own", scene.MaxSamples))
	fs.IntVar(&o.depth, "depth", 8, "bits per channel of the PNG frames: 8, or 16 for grading afterwards")
	fs.IntVar(&o.tile, "tile", 32, "tile edge in pixels: the unit of work a worker takes")
	fs.IntVar(&o.workers, "workers", 0, "goroutines rendering tiles (default: one per core)")
	fs.IntVar(&o.cores, "cores", runtime.GOMAXPROCS(0), "cores to run on (sets GOMAXPROCS)")
	fs.StringVarP(&o.out, "out", "o", "out", "directory to write frames into (created if needed)")
	fs.StringVar(&o.name, "name", output.DefaultPattern, "frame file name pattern, with one printf verb for the 1-based frame number")
	fs.StringVar(&o.frameRange, "range", "", "render only the frames in `LIST`, 1-based and inclusive, such as 1-10,50,90-120; numbering and timing stay the whole animation's")
	fs.StringVar(&o.shard, "shard", "", "render only share `INDEX/COUNT` of the frames (index from 0): every COUNT-th from the INDEX-th. Without it, read from JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX or CLOUD_RUN_TASK_INDEX")
	fs.IntVar(&o.shards, "shards", 0, "shard `COUNT` where the environment gives only the index (Kubernetes, AWS Batch); or set RENDER_SHARDS")
	fs.BoolVar(&o.force, "force", false, "render every frame again, and take over an --out that holds another job's frames; without it, frames already in --out, whole and from the same job, are skipped")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "print no progress bar and no summary, only errors")
	fs.BoolVar(&o.version, "version", false, "print the version, the Go toolchain and the distance kernel in use, and exit")
	fs.BoolVar(&o.burnIn, "burn-in", false, "draw the frame number, time code and scene name on every frame")
	fs.StringVar(&o.contactSheet, "contact-sheet", "", "draw thumbnails of the frames (every Nth past 60), with their numbers, to `FILE.png`")
	fs.StringVar(&o.gif, "gif", "", "write an animated GIF preview, at the animation's fps, to `FILE.gif`")
	fs.IntVar(&o.gifWidth, "gif-width", 320, "width of the GIF preview in pixels")
	fs.StringVar(&o.video, "video", "", "encode the frames to H.264 `FILE.mp4` with ffmpeg once they are written (needs ffmpeg on PATH)")
	fs.StringVar(&o.trace, "trace", "", "write every tile's start and end per worker to `FILE.json` (Chrome trace format: open in Perfetto)")
	fs.StringVar(&o.timeline, "timeline", "", "draw the workers' timeline to `FILE.png`")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a pprof CPU profile of the run to `FILE`")
	fs.StringVar(&o.serve, "serve", "", "serve a live page of the render at `HOST:PORT`, such as 127.0.0.1:8080 (a port alone is this machine only; other hosts must be written out), until Ctrl-C")
	fs.BoolVar(&o.serveExit, "serve-exit", false, "with --serve, exit when the render ends instead of serving the finished page until Ctrl-C")
	fs.Usage = func() {}
	return fs
}

const usageHeader = `render renders an animated scene into a PNG sequence, frames and tiles in parallel.

Usage:
  render [flags]                 render an animation into a PNG sequence
  render scenes [--dump NAME]    list the built-in scenes, or print one as YAML
  render validate FILE...        check scene files without rendering
  render verify DIR              check a directory's frames against its manifest
  render bench [flags]           compare one core, many goroutines, all cores, tile sizes

Examples:
  render                                  the default animation into ./out
  render --frames 120 --workers 8         eight goroutines, whatever the core count
  render --cores 1 --force && render --cores 2 --force
                                          compare one core with two: see the summary
  render --shard 0/4 --out /shared/out    a quarter of the frames, for a render farm
  render scenes --dump minimal > my.yaml && render --scene my.yaml

Flags:
`

const usageFooter = `
Exit codes: 0 done, 1 render or I/O failure, 2 bad flags or input, 130 interrupted (129 on SIGHUP, 143 on SIGTERM).
`

// usageError is a mistake in the command line: exit code 2, nothing rendered.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// ioFailure is a failure to read or write the output directory while preparing
// the job: exit code 1, as when it happens while rendering, since running
// again may well work (a render farm retries it; it gives up on exit code 2).
type ioFailure struct{ error }

// run is the whole program, with its outputs given, so tests can call it.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "scenes":
			return runScenes(args[1:], stdout, stderr)
		case "validate":
			return runValidate(args[1:], stdout, stderr)
		case "bench":
			return runBench(args[1:], stdout, stderr)
		case "verify":
			return runVerify(args[1:], stdout, stderr)
		}
	}
	var o options
	fs := newFlagSet(&o)
	usage := usageHeader + fs.FlagUsages() + usageFooter
	if code, stop := parseFlags(fs, args, usage, "; every setting is a flag, and the commands are scenes, validate, bench and verify", stdout, stderr); stop {
		return code
	}
	if o.version {
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	}
	o.changed = fs.Changed
	// Signals are caught from here on: a wait for the output directory's lock
	// while preparing stops on the first one, as the render does.
	ctx, stopped, release := withSignals(context.Background())
	defer release()
	j, err := prepare(ctx, &o, stderr)
	if err != nil {
		if sig := stopped(); sig != nil {
			fmt.Fprintf(stderr, "render: interrupted by %v before rendering: %s\n", sig, printable(err))
			return signalExitCode(sig)
		}
		fmt.Fprintf(stderr, "render: %s\n", printable(err))
		if errors.As(err, new(ioFailure)) {
			return exitFailure
		}
		return exitUsage
	}
	defer j.dir.Close()
	return render_(ctx, stopped, o, j, stdout, stderr)
}

// parseFlags parses a command's args into fs, answering --help with usage on
// stdout. stop says whether the command is over, and code its exit code: a bad
// flag or a stray argument (explained by hint) fails with one line on stderr.
func parseFlags(fs *pflag.FlagSet, args []string, usage, hint string, stdout, stderr io.Writer) (code int, stop bool) {
	fs.SetOutput(io.Discard)
	prefix := strings.Replace(fs.Name(), " ", ": ", 1) // "render: bench"
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return exitOK, true
		}
		fmt.Fprintf(stderr, "%s: %s (see %s --help)\n", prefix, printable(err), fs.Name())
		return exitUsage, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q%s (see %s --help)\n", prefix, fs.Arg(0), hint, fs.Name())
		return exitUsage, true
	}
	return exitOK, false
}

// job is a checked command line, ready to render.
type job struct {
	render.Job        // Frames: those left to render
	scene      string // its name
	dir        *output.Dir
	seq        *output.Sequence
	manifest   *output.ManifestWriter
	total      int   // frames in the animation
	selected   []int // the frames --range selects, all by default
	shard      shard
	share      []int        // the shard's share of selected: what this process makes
	finished   []int        // frames of the share already in the directory, whole
	removed    int          // temporary files of a killed run removed
	listener   net.Listener // for --serve
}

// prepare checks every option and the output directory before anything is
// rendered, so that a mistake costs nothing.
func prepare(ctx context.Context, o *options, stderr io.Writer) (job, error) {
	sc, err := loadScene(o.scene)
	if err != nil {
		return job{}, err
	}
	// The scene file's render settings fill in what the command line leaves out.
	r := sc.Render
	for _, d := range []struct {
		flag string
		set  bool
		do   func()
	}{
		{"frames", r.Frames != 0, func() { o.frames = r.Frames }},
		{"fps", r.FPS != 0, func() { o.fps = r.FPS }},
		{"width", r.Width != 0, func() { o.width = r.Width }},
		{"height", r.Height != 0, func() { o.height = r.Height }},
		{"samples", r.Samples != 0, func() { o.samples = r.Samples }},
	} {
		if d.set && !o.changed(d.flag) {
			d.do()
		}
	}
	switch {
	case o.frames < 1 || o.frames > scene.MaxFrames:
		return job{}, usagef("--frames must be between 1 and %d, got %d", scene.MaxFrames, o.frames)
	case !(o.fps > 0 && o.fps <= scene.MaxFPS):
		return job{}, usagef("--fps must be a number above 0 and at most %d, got %g", scene.MaxFPS, o.fps)
	case o.width < 1 || o.width > scene.MaxSize || o.height < 1 || o.height > scene.MaxSize:
		return job{}, usagef("--width and --height must be between 1 and %d, got %dx%d", scene.MaxSize, o.width, o.height)
	case o.samples < 1 || o.samples > scene.MaxSamples:
		return job{}, usagef("--samples must be between 1 and %d, got %d", scene.MaxSamples, o.samples)
	case o.depth != 8 && o.depth != 16:
		return job{}, usagef("--depth must be 8 or 16 bits per channel, got %d", o.depth)
	case o.tile < 1 || o.tile > render.MaxTile:
		return job{}, usagef("--tile must be between 1 and %d pixels, got %d", render.MaxTile, o.tile)
	case o.cores < 1 || o.cores > render.MaxWorkers:
		return job{}, usagef("--cores must be between 1 and %d, got %d", render.MaxWorkers, o.cores)
	case o.gifWidth < 16 || o.gifWidth > maxGIFWidth:
		return job{}, usagef("--gif-width must be between 16 and %d, got %d", maxGIFWidth, o.gifWidth)
	case o.changed("workers") && (o.workers < 1 || o.workers > render.MaxWorkers):
		return job{}, usagef("--workers must be between 1 and %d, got %d", render.MaxWorkers, o.workers)
	}
	if !o.changed("workers") {
		o.workers = o.cores
	}
	for _, f := range []struct{ flag, path, ext string }{
		{"--trace", o.trace, ".json"}, {"--timeline", o.timeline, ".png"}, {"--cpuprofile", o.cpuprofile, ""},
		{"--contact-sheet", o.contactSheet, ".png"}, {"--gif", o.gif, ".gif"},
	} {
		if err := checkOutputFile(f.flag, f.path, f.ext); err != nil {
			return job{}, err
		}
	}
	if err := checkOutputsApart(o); err != nil {
		return job{}, err
	}
	selected, err := parseRange(o.frameRange, o.frames)
	if err != nil {
		return job{}, err
	}
	sh, err := resolveShard(o.shard, o.shards, o.changed("shards"), os.Getenv)
	if err != nil {
		return job{}, err
	}
	if sh.count > 1 {
		for _, f := range []struct{ flag, file string }{{"--contact-sheet", o.contactSheet}, {"--gif", o.gif}, {"--video", o.video}} {
			if f.file != "" {
				return job{}, usagef("%s needs every frame of the job, and %s has only some: leave it out here, and once every shard is done run the same command as one process (it skips the finished frames) to make it", f.flag, sh)
			}
		}
	}
	if err := checkVideo(o, selected); err != nil {
		return job{}, err
	}
	if err := checkFrameTimes(sc, sh.of(selected), o.fps); err != nil {
		return job{}, err
	}
	rj := render.Job{
		Animation: sc,
		Frames:    sh.of(selected),
		FPS:       o.fps,
		Settings:  render.Settings{Width: o.width, Height: o.height, Samples: o.samples, Depth: o.depth},
		Tile:      o.tile,
		Workers:   o.workers,
		Trace:     o.trace != "" || o.timeline != "",
	}
	held := rj.FramesHeld()
	if o.serve != "" {
		held += 16 / o.depth // the live page's canvas and its snapshot: 8 bytes a pixel
	}
	available, known := availableMemory()
	if err := checkMemory(held, o.width, o.height, o.depth, available, known); err != nil {
		return job{}, err
	}
	if err := checkFeatureMemory(held, o.width, o.height, o.depth, featureMemory(o, len(rj.Frames), rj.WorkerBytes()), available, known); err != nil {
		return job{}, err
	}
	var listener net.Listener
	if o.serve != "" {
		if listener, err = listen(o.serve); err != nil {
			return job{}, err
		}
	} else if o.serveExit {
		return job{}, usagef("--serve-exit goes with --serve ADDRESS")
	}
	j, err := prepareDir(ctx, o, sc, rj, selected, sh, stderr)
	if err != nil {
		if listener != nil {
			listener.Close()
		}
		return job{}, err
	}
	j.scene, j.total, j.selected, j.shard, j.listener = sc.Name, o.frames, selected, sh, listener
	return j, nil
}

// checkOutputFile checks that a file can be written at path: its directory
// exists and it is not itself a directory. An empty path is not asked for.
func checkOutputFile(flag, path, ext string) error {
	if path == "" {
		return nil
	}
	if ext != "" && !strings.EqualFold(filepath.Ext(path), ext) {
		return usagef("%s %s: the file name must end in %s", flag, path, ext)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return usagef("%s %s: directory %s does not exist", flag, path, filepath.Dir(path))
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usagef("%s %s: is a directory", flag, path)
	}
	if err := output.CheckNameLength(filepath.Dir(path), filepath.Base(path)); err != nil {
		return usagef("%s: %v", flag, err)
	}
	return nil
}

// loadScene returns the built-in scene called name, or loads the scene file at
// name: a name with a path separator or a .yaml or .yml extension is a file.
func loadScene(name string) (*scenefile.File, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".yaml" || ext == ".yml" || strings.ContainsRune(name, filepath.Separator) || strings.Contains(name, "/") {
		return scenefile.Load(name)
	}
	sc, err := scenefile.Lookup(name)
	if err != nil {
		return nil, usagef("%v; --scene also takes a scene file (.yaml)", strings.TrimPrefix(err.Error(), "scene: "))
	}
	return sc, nil
}

// render_ runs the job with a progress bar and reports how it went.
func render_(ctx context.Context, stopped func() os.Signal, o options, j job, stdout, stderr io.Writer) int {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(o.cores))

	warnDisk(stderr, j.seq.Dir(), len(j.Frames), j.Width, j.Height, o.depth)
	stopProfile := func(bool) error { return nil }
	if o.cpuprofile != "" {
		stop, err := startProfile(o.cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "render: %s\n", printable(err))
			return exitFailure
		}
		stopProfile = stop
	}
	bar := newBar(o, stderr, len(j.Frames), "rendering")
	var sheet *preview.ContactSheet
	if o.contactSheet != "" {
		sheet = preview.NewContactSheet(j.selected)
	}
	var gif *preview.GIFPreview
	if o.gif != "" {
		gif = preview.NewGIFPreview(o.gifWidth, j.FPS)
	}
	var watch *watch
	if j.listener != nil {
		watch = startWatch(j.listener, &j, stderr, o.quiet)
		defer watch.stop()
	}
	var stats render.Stats
	err := addFinished(j, o.cores, sheet, gif)
	cpu0 := cpuTime()
	if err == nil && len(j.Frames) > 0 {
		stats, err = render.Run(ctx, j.Job, sink(o, j, sheet, gif, bar, watch))
	}
	bar.Finish()
	cpu := cpuTime() - cpu0
	if merr := j.manifest.Flush(); err == nil {
		err = merr
	}
	if perr := stopProfile(err == nil); err == nil {
		err = perr
	}
	if err == nil && sheet != nil {
		subtitle := fmt.Sprintf("%s, %dx%d at %s", plural(len(j.selected), "frame"), j.Width, j.Height, plural(j.Samples, "sample"))
		if len(j.finished) == 0 {
			// Only a sheet of frames all rendered now can say how long they took.
			subtitle += fmt.Sprintf(", %.1f s to render on %s", stats.Wall.Seconds(), plural(j.Workers, "worker"))
		}
		err = temps.WritePNG(o.contactSheet, sheet.Draw(j.scene, subtitle))
	}
	if err == nil && o.video != "" && stopped() == nil {
		err = encodeVideo(o, j, stderr)
	}
	if err == nil && gif != nil {
		err = temps.WriteFile(o.gif, gif.Encode)
	}
	if err == nil && o.trace != "" {
		err = writeTrace(o.trace, stats, j.Workers)
	}
	if err == nil && o.timeline != "" {
		title := fmt.Sprintf("%s: %s on %s, tile %d px", j.scene, plural(j.Workers, "worker"), plural(o.cores, "core"), j.Tile)
		err = temps.WritePNG(o.timeline, report.DrawTimeline(timeline(title, stats, j.Workers, true)))
	}

	if sig := stopped(); sig != nil {
		msg := fmt.Sprintf("render: interrupted by %v after %d of %d frames; every file in %s is whole; the same command goes on from there, skipping the finished frames", sig, stats.Frames, len(j.Frames), j.seq.Dir())
		fmt.Fprintf(stderr, "\n%s\n", msg)
		if watch != nil {
			watch.page.Finish(msg)
		}
		return signalExitCode(sig)
	}
	if err != nil {
		msg := fmt.Sprintf("render: %s (%d of %d frames were written)", printable(err), stats.Frames, len(j.Frames))
		fmt.Fprintln(stderr, msg)
		if watch != nil {
			watch.page.Finish(msg)
		}
		return exitFailure
	}
	var summary strings.Builder
	printSummary(&summary, o, j, stats, cpu)
	if !o.quiet {
		fmt.Fprint(stdout, summary.String())
	}
	if watch != nil {
		watch.page.Finish(summary.String())
		if !o.serveExit {
			watch.linger(ctx, stderr, o.quiet)
		}
	}
	return exitOK
}

// sink returns what render_ does with each finished frame: burn in its caption,
// keep its previews, write it, record it in the manifest and show it on the live page.
func sink(o options, j job, sheet *preview.ContactSheet, gif *preview.GIFPreview, bar *progressbar.ProgressBar, watch *watch) render.Sink {
	return func(_ context.Context, f render.Frame) error {
		if o.burnIn {
			preview.BurnIn(f.Image, fmt.Sprintf("%s   frame %d", j.scene, f.Number), preview.Timecode(f.Number-1, j.FPS))
		}
		if sheet != nil {
			sheet.Add(f.Number, f.Image)
		}
		if gif != nil {
			gif.Add(f.Number, f.Image)
		}
		w, err := j.seq.Write(f.Number, f.Image)
		if err != nil {
			return err
		}
		err = j.manifest.Add(output.FrameRecord{Number: f.Number, File: filepath.Base(w.Path), SHA256: w.SHA256, Size: w.Size})
		if watch != nil {
			watch.page.FrameDone(f.Number, w.Path, w.Info)
		}
		bar.Add(1)
		return err
	}
}

// addFinished adds the frames finished by earlier runs, read back from their
// files, to the previews that need every frame.
func addFinished(j job, workers int, sheet *preview.ContactSheet, gif *preview.GIFPreview) error {
	if sheet == nil && gif == nil {
		return nil
	}
	return parallel.For(len(j.finished), workers, func(i int) error {
		n := j.finished[i]
		img, err := j.seq.Read(n, maxPNGSize(j.Width, j.Height, j.Depth))
		if err != nil {
			return err
		}
		if sheet != nil {
			sheet.Add(n, img)
		}
		if gif != nil {
			gif.Add(n, img)
		}
		return nil
	})
}

// newBar returns a progress bar of total frames, doing what, on stderr when it
// is a terminal and the command is not quiet.
func newBar(o options, stderr io.Writer, total int, what string) *progressbar.ProgressBar {
	f, ok := stderr.(*os.File)
	visible := !o.quiet && ok && term.IsTerminal(int(f.Fd()))
	return progressbar.NewOptions(total,
		progressbar.OptionSetVisibility(visible),
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("frames"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// withSignals returns a context cancelled by SIGINT, SIGTERM or SIGHUP, a function that
// says which signal cancelled it, if any, and one to call when the command is
// done with signals. On the first signal the job stops handing out work and
// finishes the frames being written. A second signal exits at once, with the
// first one's exit code, after removing the files still being written: only
// whole frames are left.
func withSignals(parent context.Context) (ctx context.Context, stopped func() os.Signal, release func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	// A closed stdout or stderr pipe must not kill a render that is writing
	// frames: with SIGPIPE ignored, writes to it fail instead, and are let go.
	signal.Ignore(syscall.SIGPIPE)
	got := make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		var first os.Signal
		select {
		case first = <-sigs:
		case <-done:
			return
		}
		got <- first
		cancel()
		select {
		case <-sigs:
		case <-done:
			return
		}
		temps.RemoveAll()
		fmt.Fprintf(os.Stderr, "\nrender: stopped at once by a second signal; files being written were removed\n")
		os.Exit(signalExitCode(first))
	}()
	stopped = func() os.Signal {
		select {
		case s := <-got:
			got <- s
			return s
		default:
			return nil
		}
	}
	release = func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
	return ctx, stopped, release
}

// signalExitCode is the exit code for being stopped by sig: 128 + its number.
func signalExitCode(sig os.Signal) int {
	switch sig {
	case syscall.SIGTERM:
		return exitTerminated
	case syscall.SIGHUP:
		return exitHangup
	}
	return exitInterrupted
}

func printSummary(w io.Writer, o options, j job, st render.Stats, cpu time.Duration) {
	if j.shard.count > 1 || len(j.selected) < j.total {
		what := "frames"
		if j.shard.count > 1 {
			what = j.shard.String() + ": frames"
		}
		fmt.Fprintf(w, "%s %s (%d of the animation's %d)\n", what, describeFrames(j.share), len(j.share), j.total)
	}
	if len(j.finished) > 0 {
		fmt.Fprintf(w, "skipped %s already in %s, whole, from this job (--force renders them again)\n", plural(len(j.finished), "frame"), j.seq.Dir())
	}
	if j.removed > 0 {
		fmt.Fprintf(w, "removed %s left by a run that was killed while writing\n", plural(j.removed, "partial file"))
	}
	if len(j.Frames) == 0 {
		fmt.Fprintf(w, "nothing left to render of %s into %s\n", j.scene, j.seq.Dir())
		return
	}
	secs := st.Wall.Seconds()
	pixels := float64(st.Frames) * float64(j.Width*j.Height)
	fmt.Fprintf(w, "rendered %s of %s, %dx%d at %s, into %s\n",
		plural(st.Frames, "frame"), j.scene, j.Width, j.Height, plural(j.Samples, "sample"), j.seq.Dir())
	fmt.Fprintf(w, "  wall %.2fs   %.2f frames/s   %.2f Mpx/s   %.0f SDF evaluations per pixel\n",
		secs, float64(st.Frames)/secs, pixels/secs/1e6, float64(st.Evals)/pixels)
	util := "unknown on this system"
	if cpu > 0 {
		util = fmt.Sprintf("%.0f%%", 100*cpu.Seconds()/(secs*float64(o.cores)))
	}
	fmt.Fprintf(w, "  %s on %s, tile %d px, kernel %s, CPU utilisation %s\n", plural(j.Workers, "worker"), plural(o.cores, "core"), j.Tile, render.KernelName(), util)
}

// plural returns "1 frame" or "3 frames".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
