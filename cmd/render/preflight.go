package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sdfrender/render/internal/output"
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

// memoryItem is a feature's share of a job's memory, beside its frame buffers.
type memoryItem struct {
	bytes uint64
	what  string // what holds it, and how to make it smaller
}

// Per-item memory, measured or read off the types, rounded up.
const (
	tileBytes  = 96   // a tile in the renderer's list and work queue
	spanBytes  = 1024 // a traced tile: its span, the copies made to sort it, its trace event and JSON, its timeline box
	thumbBytes = 4    // a contact-sheet thumbnail's pixel

	tileEventBytes = 128 // a tile on the live page: its event, and its JSON in a message
)

// encoders is how many frames the job encodes at once: one per core, or per
// worker if there are fewer, since encoding is work for a core, not a wait.
func encoders(o *options) int { return max(1, min(o.workers, o.cores)) }

// featureMemory lists what the job holds in memory beyond its frames: the tiles
// of a frame, every traced tile (--trace, --timeline), every GIF frame, the
// contact sheet's thumbnails.
func featureMemory(o *options, frames int, perWorker uint64) []memoryItem {
	tiles := uint64((o.width+o.tile-1)/o.tile) * uint64((o.height+o.tile-1)/o.tile)
	items := []memoryItem{{tiles * tileBytes, fmt.Sprintf("--tile %d cuts each frame into %d tiles, which take about %s: raise --tile", o.tile, tiles, formatBytes(tiles*tileBytes))}}
	if w := uint64(o.workers) * perWorker; w > 0 {
		items = append(items, memoryItem{w, fmt.Sprintf("%d workers keep %s each to render their tiles in, %s in all: use fewer --workers, or a smaller --tile", o.workers, formatBytes(perWorker), formatBytes(w))})
	}
	if n := uint64(encoders(o)) * output.EncoderBytes; n > 0 {
		items = append(items, memoryItem{n, fmt.Sprintf("%d PNG encoders, one per frame written at once, take about %s: use fewer --cores", encoders(o), formatBytes(n))})
	}
	if o.trace != "" || o.timeline != "" {
		n := uint64(frames) * (tiles + 1) * spanBytes
		items = append(items, memoryItem{n, fmt.Sprintf("--trace and --timeline keep every tile of every frame, %d frames of %d tiles, about %s: raise --tile, or trace fewer frames with --range", frames, tiles, formatBytes(n))})
	}
	if o.gif != "" {
		h := max(1, o.gifWidth*o.height/o.width)
		n := uint64(frames) * (uint64(o.gifWidth)*uint64(h) + 1024)
		items = append(items, memoryItem{n, fmt.Sprintf("--gif keeps %d frames of %dx%d, about %s: lower --gif-width, or make it of fewer frames with --range", frames, o.gifWidth, h, formatBytes(n))})
	}
	if o.serve != "" {
		// The page's hub keeps the tile events of the frames in flight, for
		// late clients, and up to 64 messages a client behind, shared by all
		// clients (see live.Options.Buffer): say two frames of tiles each.
		n := tiles*uint64(o.workers+2)*tileEventBytes + 64*2*tiles*tileEventBytes
		items = append(items, memoryItem{n, fmt.Sprintf("--serve sends the page every tile, %d a frame, and keeps up to 64 messages of them, about %s: raise --tile", tiles, formatBytes(n))})
	}
	if o.contactSheet != "" {
		// At most about 60 thumbnails, 160 px wide (see preview.NewContactSheet).
		n := uint64(2*60*160) * uint64(max(1, 160*o.height/o.width)) * thumbBytes
		items = append(items, memoryItem{n, "--contact-sheet keeps its thumbnails"})
	}
	return items
}

// checkFeatureMemory refuses a job whose frames in flight and features would not
// fit in the memory available (when it is known), naming the biggest feature.
func checkFeatureMemory(inFlight, width, height, depth int, items []memoryItem, available uint64, known bool) error {
	need := uint64(inFlight) * frameBytes(width, height, depth)
	var big memoryItem
	for _, it := range items {
		need += it.bytes
		if it.bytes > big.bytes {
			big = it
		}
	}
	if !known || need <= available/5*4 || big.bytes*2 < need {
		return nil // fits, or the frames are most of it: checkMemory's to say
	}
	return usagef("this job needs about %s of memory, but only %s is available: %s", formatBytes(need), formatBytes(available), big.what)
}
