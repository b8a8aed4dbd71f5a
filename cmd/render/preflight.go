package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Preflight: before anything is rendered, check that the job fits the machine.

// pngBytesPerChannelByte is a generous estimate of a PNG frame's size on disk
// per byte of its pixels: the showcase compresses to about an eighth.
const pngBytesPerChannelByte = 0.25

// frameBytes is the memory of one frame buffer: RGBA at depth bits a channel.
func frameBytes(width, height, depth int) uint64 {
	return uint64(width) * uint64(height) * 4 * uint64(depth/8)
}

// checkMemory refuses a job whose frames in flight would not fit in the memory
// available (when it is known), keeping a fifth of it for everything else.
func checkMemory(inFlight, width, height, depth int, available uint64, known bool) error {
	need := uint64(inFlight) * frameBytes(width, height, depth)
	if !known || need <= available/5*4 {
		return nil
	}
	return usagef("this job holds up to %d frames of %dx%d in memory, about %s, but only %s is available: lower --workers, --width or --height",
		inFlight, width, height, formatBytes(need), formatBytes(available))
}

// warnDisk warns when the output directory's file system has less space free
// than the frames will likely take. It is only a warning: PNGs compress unevenly.
func warnDisk(w io.Writer, dir string, frames, width, height, depth int) {
	free, ok := freeDisk(dir)
	need := uint64(float64(frames) * float64(frameBytes(width, height, depth)) * pngBytesPerChannelByte)
	if ok && free < need {
		fmt.Fprintf(w, "render: warning: %d frames of %dx%d may take about %s, and %s has %s free\n",
			frames, width, height, formatBytes(need), dir, formatBytes(free))
	}
}

// availableMemory reads MemAvailable from /proc/meminfo; known is false where
// there is no such file.
func availableMemory() (bytes uint64, known bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}

// formatBytes prints a size in the largest binary unit that keeps it above 1.
func formatBytes(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	x, i := float64(n), 0
	for x >= 1024 && i < len(units)-1 {
		x /= 1024
		i++
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + " " + units[i]
}
