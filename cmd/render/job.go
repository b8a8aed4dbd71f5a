package main

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/sdfrender/render/internal/output"
	"github.com/sdfrender/render/render"
	"github.com/sdfrender/render/scene"
	"github.com/sdfrender/render/scenefile"
)

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
// rendered, so that a mistake costs nothing. Only once every check has passed
// does it acquire what the job needs: the live page's listener, then the output
// directory, which it claims for the job. What it acquired is let go of when a
// later step fails; otherwise job.close lets go of it.
func prepare(ctx context.Context, o *options, stderr io.Writer) (j job, err error) {
	p, err := check(o)
	if err != nil {
		return job{}, err
	}
	var listener net.Listener
	if o.serve != "" {
		if listener, err = listen(o.serve); err != nil {
			return job{}, err
		}
		defer func() {
			if err != nil {
				listener.Close()
			}
		}()
	}
	if j, err = prepareDir(ctx, o, p.scene, p.Job, p.selected, p.shard, stderr); err != nil {
		return job{}, err
	}
	j.scene, j.total, j.selected, j.shard, j.listener = p.scene.Name, o.frames, p.selected, p.shard, listener
	return j, nil
}

// close lets go of what prepare acquired.
func (j job) close() {
	j.dir.Close()
	if j.listener != nil {
		j.listener.Close() // already closed if the live page served on it
	}
}

// plan is a checked command line: the job to render, before its output
// directory is opened.
type plan struct {
	render.Job
	scene    *scenefile.File
	selected []int // the frames --range selects
	shard    shard
}

// check checks every option, reading but writing nothing: the scene file, the
// directories of the output files, the memory available.
func check(o *options) (plan, error) {
	sc, err := loadScene(o.scene)
	if err != nil {
		return plan{}, err
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
		{"shutter", r.Shutter != 0, func() { o.shutter = r.Shutter }},
		{"adaptive", r.Adaptive != 0, func() { o.adaptive = r.Adaptive }},
		{"threshold", r.Threshold != 0, func() { o.threshold = r.Threshold }},
	} {
		if d.set && !o.changed(d.flag) {
			d.do()
		}
	}
	switch {
	case o.frames < 1 || o.frames > scene.MaxFrames:
		return plan{}, usagef("--frames must be between 1 and %d, got %d", scene.MaxFrames, o.frames)
	case !(o.fps > 0 && o.fps <= scene.MaxFPS):
		return plan{}, usagef("--fps must be a number above 0 and at most %d, got %g", scene.MaxFPS, o.fps)
	case o.width < 1 || o.width > scene.MaxSize || o.height < 1 || o.height > scene.MaxSize:
		return plan{}, usagef("--width and --height must be between 1 and %d, got %dx%d", scene.MaxSize, o.width, o.height)
	case o.samples < 1 || o.samples > scene.MaxSamples:
		return plan{}, usagef("--samples must be between 1 and %d, got %d", scene.MaxSamples, o.samples)
	case !(o.shutter >= 0 && o.shutter <= 1):
		return plan{}, usagef("--shutter must be between 0 and 1 (a fraction of the frame interval; 0 for no motion blur), got %g", o.shutter)
	case o.adaptive != 0 && (o.adaptive <= o.samples || o.adaptive > scene.MaxSamples):
		return plan{}, usagef("--adaptive must be above the %d samples of --samples and at most %d (0 for no adaptive anti-aliasing), got %d", o.samples, scene.MaxSamples, o.adaptive)
	case o.adaptive == 0 && o.changed("threshold"):
		return plan{}, usagef("--threshold is for adaptive anti-aliasing, which is off: add --adaptive N (the most samples a pixel gets), or leave --threshold out")
	case !(o.threshold > 0 && o.threshold < 1):
		return plan{}, usagef("--threshold must be above 0 and below 1 (a fraction of the display range; 0.07 is 17 of 255 levels), got %g", o.threshold)
	case o.depth != 8 && o.depth != 16:
		return plan{}, usagef("--depth must be 8 or 16 bits per channel, got %d", o.depth)
	case o.tile < 1 || o.tile > render.MaxTile:
		return plan{}, usagef("--tile must be between 1 and %d pixels, got %d", render.MaxTile, o.tile)
	case o.cores < 1 || o.cores > render.MaxWorkers:
		return plan{}, usagef("--cores must be between 1 and %d, got %d", render.MaxWorkers, o.cores)
	case o.gifWidth < 16 || o.gifWidth > maxGIFWidth:
		return plan{}, usagef("--gif-width must be between 16 and %d, got %d", maxGIFWidth, o.gifWidth)
	case o.changed("workers") && (o.workers < 1 || o.workers > render.MaxWorkers):
		return plan{}, usagef("--workers must be between 1 and %d, got %d", render.MaxWorkers, o.workers)
	case o.serveExit && o.serve == "":
		return plan{}, usagef("--serve-exit goes with --serve ADDRESS")
	}
	if !o.changed("workers") {
		o.workers = o.cores
	}
	for _, e := range extras {
		if err := checkOutputFile(e.flag, e.file(o), e.ext); err != nil {
			return plan{}, err
		}
	}
	if err := checkOutputsApart(o); err != nil {
		return plan{}, err
	}
	selected, err := parseRange(o.frameRange, o.frames)
	if err != nil {
		return plan{}, err
	}
	sh, err := resolveShard(o.shard, o.shards, o.changed("shards"), os.Getenv)
	if err != nil {
		return plan{}, err
	}
	if sh.count > 1 {
		for _, e := range extras {
			if e.everyFrame && e.file(o) != "" {
				return plan{}, usagef("%s needs every frame of the job, and %s has only some: leave it out here, and once every shard is done run the same command as one process (it skips the finished frames) to make it", e.flag, sh)
			}
		}
	}
	if err := checkVideo(o, selected); err != nil {
		return plan{}, err
	}
	if err := checkFrameTimes(sc, sh.of(selected), render.Job{FPS: o.fps, Settings: render.Settings{Samples: o.samples, Shutter: o.shutter, MaxSamples: o.adaptive}}); err != nil {
		return plan{}, err
	}
	rj := render.Job{
		Animation: sc,
		Frames:    sh.of(selected),
		FPS:       o.fps,
		Settings:  render.Settings{Width: o.width, Height: o.height, Samples: o.samples, Depth: o.depth, Shutter: o.shutter, MaxSamples: o.adaptive, Threshold: o.threshold},
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
		return plan{}, err
	}
	if err := checkFeatureMemory(held, o.width, o.height, o.depth, featureMemory(o, len(rj.Frames), rj.WorkerBytes()), available, known); err != nil {
		return plan{}, err
	}
	if err := checkName(o); err != nil {
		return plan{}, err
	}
	return plan{Job: rj, scene: sc, selected: selected, shard: sh}, nil
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
		sc, err := scenefile.Load(name)
		if err != nil {
			return nil, inputError{err}
		}
		return sc, nil
	}
	sc, err := scenefile.Lookup(name)
	if err != nil {
		return nil, usagef("%v; --scene also takes a scene file (.yaml)", strings.TrimPrefix(err.Error(), "scene: "))
	}
	return sc, nil
}
