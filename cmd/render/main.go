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
	"io"
	"os"
	"runtime/debug"
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

// command is one of render's commands: `render NAME ARGS`.
type command struct {
	name string // "" for the command that renders, which takes flags only
	args string // what it takes, as the usage shows it
	help string // what it does, in one line
	run  func(args []string, stdout, stderr io.Writer) error
}

// commands are render's commands, in the order the usage lists them; the
// first renders. (A function, not a variable: render's usage lists them.)
func commands() []command {
	return []command{
		{"", "[flags]", "render an animation into a PNG sequence", runRender},
		{"scenes", "[--dump NAME]", "list the built-in scenes, or print one as YAML", runScenes},
		{"validate", "FILE...", "check scene files without rendering", runValidate},
		{"verify", "DIR", "check a directory's frames against its manifest", runVerify},
		{"bench", "[flags]", "compare one core, many goroutines, all cores, tile sizes", runBench},
	}
}

// run is the whole program, with its outputs given, so tests can call it: it
// runs the command args name, reports its error and returns its exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cs := commands()
	c := cs[0]
	for _, sub := range cs[1:] {
		if len(args) > 0 && args[0] == sub.name {
			c, args = sub, args[1:]
			break
		}
	}
	err := c.run(args, stdout, stderr)
	printError(stderr, err)
	return exitCode(err)
}
