package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/sdfrender/render/render"
)

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
	samples := plural(j.Samples, "sample")
	if j.MaxSamples > 0 {
		samples += fmt.Sprintf(", adaptive to %d (%.2f a pixel)", j.MaxSamples, float64(st.Samples)/pixels)
	}
	fmt.Fprintf(w, "rendered %s of %s, %dx%d at %s, into %s\n",
		plural(st.Frames, "frame"), j.scene, j.Width, j.Height, samples, j.seq.Dir())
	fmt.Fprintf(w, "  wall %.2fs   %.2f frames/s   %.2f Mpx/s   %.0f SDF evaluations per pixel\n",
		secs, float64(st.Frames)/secs, pixels/secs/1e6, float64(st.Evals)/pixels)
	// The cores are those the runtime had while the job ran, as render saw
	// them, not those asked for: the comparison of one core against all
	// cores stands on it.
	cores := st.Procs
	util := "unknown on this system"
	if cpu > 0 {
		util = fmt.Sprintf("%.0f%%", 100*cpu.Seconds()/(secs*float64(cores)))
	}
	fmt.Fprintf(w, "  %s on %s, tile %d px, kernel %s, CPU utilisation %s\n", plural(j.Workers, "worker"), plural(cores, "core"), j.Tile, render.KernelName(), util)
}

// plural returns "1 frame" or "3 frames".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
