package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/sdfrender/render/internal/output"
	"github.com/sdfrender/render/internal/parallel"
	"github.com/sdfrender/render/internal/preview"
	"github.com/sdfrender/render/render"
)

// runRender is `render [flags]`: it checks the command line and the output
// directory, renders the animation into a PNG sequence and reports how it went.
func runRender(args []string, stdout, stderr io.Writer) error {
	var o options
	fs := newFlagSet(&o)
	if help, err := parseFlags(fs, args, renderUsage(fs), false, renderHint(), stdout); help || err != nil {
		return err
	}
	if o.version {
		fmt.Fprintln(stdout, versionLine())
		return nil
	}
	o.changed = fs.Changed
	// Signals are caught from here on: a wait for the output directory's lock
	// while preparing stops on the first one, as the render does.
	ctx, stopped, release := withSignals(context.Background())
	defer release()
	j, err := prepare(ctx, &o, stderr)
	if sig := stopped(); err != nil && sig != nil {
		return interrupted{sig, fmt.Sprintf("render: interrupted by %v before rendering: %s", sig, err)}
	}
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	defer j.close()
	return render_(ctx, stopped, o, j, stdout, stderr)
}

// render_ runs the job with a progress bar, makes the extras the command line
// asks for, and reports how it went.
func render_(ctx context.Context, stopped func() os.Signal, o options, j job, stdout, stderr io.Writer) error {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(o.cores))

	warnDisk(stderr, j.seq.Dir(), len(j.Frames), j.Width, j.Height, o.depth)
	xs, err := startExtras(o, j, stderr)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	bar := newBar(o, stderr, len(j.Frames), "rendering")
	var watch *watch
	if j.listener != nil {
		watch = startWatch(j.listener, &j, stderr, o.quiet)
		defer watch.stop()
	}
	cs := collectors(xs)
	var stats render.Stats
	err = addFinished(j, o.cores, cs)
	cpu0 := cpuTime()
	if err == nil && len(j.Frames) > 0 {
		stats, err = render.Run(ctx, j.Job, sink(o, j, cs, bar, watch))
	}
	bar.Finish()
	cpu := cpuTime() - cpu0
	if merr := j.manifest.Flush(); err == nil {
		err = merr
	}
	err = finishExtras(xs, ending{stats: stats, interrupted: stopped() != nil}, err)

	var summary strings.Builder
	switch sig := stopped(); {
	case sig != nil:
		err = interrupted{sig, fmt.Sprintf("render: interrupted by %v after %d of %d frames; every file in %s is whole; the same command goes on from there, skipping the finished frames", sig, stats.Frames, len(j.Frames), j.seq.Dir())}
		fmt.Fprintln(stderr) // off the line that the progress bar, or ^C, left
	case err != nil:
		// A failure to write or render, whatever its error: exit code 1.
		err = fmt.Errorf("render: %s (%d of %d frames were written)", printable(err), stats.Frames, len(j.Frames))
	default:
		printSummary(&summary, o, j, stats, cpu)
		if !o.quiet {
			fmt.Fprint(stdout, summary.String())
		}
	}
	if watch != nil {
		if err != nil {
			watch.page.Finish(err.Error())
		} else {
			watch.page.Finish(summary.String())
			if !o.serveExit {
				watch.linger(ctx, stderr, o.quiet)
			}
		}
	}
	return err
}

// sink returns what render_ does with each finished frame: burn in its caption,
// give it to the collectors, write it, record it in the manifest and show it on
// the live page.
func sink(o options, j job, cs []collector, bar *progressbar.ProgressBar, watch *watch) render.Sink {
	return func(_ context.Context, f render.Frame) error {
		if o.burnIn {
			preview.BurnIn(f.Image, fmt.Sprintf("%s   frame %d", j.scene, f.Number), preview.Timecode(f.Number-1, j.FPS))
		}
		for _, c := range cs {
			c.Add(f.Number, f.Image)
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

// addFinished gives the frames finished by earlier runs, read back from their
// files, to the collectors, which need every frame.
func addFinished(j job, workers int, cs []collector) error {
	if len(cs) == 0 {
		return nil
	}
	return parallel.For(len(j.finished), workers, func(i int) error {
		n := j.finished[i]
		img, err := j.seq.Read(n, maxPNGSize(j.Width, j.Height, j.Depth))
		if err != nil {
			return err
		}
		for _, c := range cs {
			c.Add(n, img)
		}
		return nil
	})
}
