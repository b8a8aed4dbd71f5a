package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sdfrender/render/internal/output"
	"github.com/sdfrender/render/scene"
)

// options are the parsed command line.
type options struct {
	scene          string
	frames         int
	fps            float64
	width, height  int
	samples, tile  int
	shutter        float64
	adaptive       int
	threshold      float64
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
	fs.Float64Var(&o.shutter, "shutter", 0, "motion blur: the fraction of the frame interval, 0 to 1, that the shutter is open from each frame's time on, each sample seeing its own moment (0: none); a scene file may set its own")
	fs.IntVar(&o.adaptive, "adaptive", 0, fmt.Sprintf("adaptive anti-aliasing: the most samples a pixel gets, above --samples and at most %d, four times as many at each pass where the picture differs (0: none); a scene file may set its own", scene.MaxSamples))
	fs.Float64Var(&o.threshold, "threshold", 0.07, "adaptive anti-aliasing: the difference between neighbouring pixels, or a pixel's samples, above which a pixel gets more samples, a fraction of the display range above 0 and below 1; a scene file may set its own")
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

// renderUsage is `render --help`: what render does, its commands (from the
// table), examples and the flags of fs.
func renderUsage(fs *pflag.FlagSet) string {
	var b strings.Builder
	b.WriteString("render renders an animated scene into a PNG sequence, frames and tiles in parallel.\n\nUsage:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-31s%s\n", strings.Join(strings.Fields("render "+c.name+" "+c.args), " "), c.help)
	}
	return b.String() + usageExamples + fs.FlagUsages() + usageFooter
}

// renderHint explains an argument that is neither a flag nor a command.
func renderHint() string {
	var names []string
	for _, c := range commands()[1:] {
		names = append(names, c.name)
	}
	return fmt.Sprintf("; every setting is a flag, and the commands are %s and %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

const usageExamples = `
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

// parseFlags parses a command's args into fs, as every command does: --help
// prints usage on stdout and ends the command (help is true), and a bad flag is
// a usage error. So is an argument besides the flags, explained by hint, unless
// the command takes arguments (positional) and reads them from fs.Args().
func parseFlags(fs *pflag.FlagSet, args []string, usage string, positional bool, hint string, stdout io.Writer) (help bool, err error) {
	fs.SetOutput(io.Discard)
	prefix := strings.Replace(fs.Name(), " ", ": ", 1) // "render: bench"
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return true, nil
		}
		return false, usagef("%s: %s (see %s --help)", prefix, err, fs.Name())
	}
	if !positional && fs.NArg() > 0 {
		return false, usagef("%s: unexpected argument %q%s (see %s --help)", prefix, fs.Arg(0), hint, fs.Name())
	}
	return false, nil
}
