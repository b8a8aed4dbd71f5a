package main

import (
	"image"
	"io"

	"github.com/sdfrender/render/render"
)

// An extra is an output of the whole job besides its frames, asked for by a
// flag: a contact sheet, a GIF, a video, a trace, a profile. render_ makes
// those asked for before the first frame, gives each frame as it is written to
// those that are collectors, and finishes them in turn once the job is over.
type extra interface {
	// Finish makes the output once the job is over, as long as every step
	// before it went well.
	Finish(end ending) error
}

// A collector is an extra made of the frames themselves. Add is given every
// frame of the job, as it is written or, when an earlier run wrote it, read
// back; it may be called from several goroutines at once.
type collector interface {
	extra
	Add(n int, img image.Image)
}

// An aborter is an extra that holds something to let go of when the job, or an
// extra finished before it, fails: Abort is called instead of Finish.
type aborter interface {
	extra
	Abort()
}

// ending is how the job went, for the extras to finish with.
type ending struct {
	stats       render.Stats
	interrupted bool // by a signal: frames of the job may be missing
}

// extras are the outputs of the whole job, each made when its flag names a
// file, and finished in this order. A new output is a file of its own, a line
// here and its flag in newFlagSet: the checks before rendering (the file's
// name and directory, that it overwrites no frame, scene or other output, that
// a shard does not make what needs every frame) read this list.
var extras = []struct {
	flag       string                  // the flag that asks for it
	ext        string                  // the extension its file must have; "" for any
	everyFrame bool                    // it needs every frame of the job: not made by one shard
	file       func(o *options) string // the file its flag names, "" when not asked for
	make       func(file string, o options, j job, stderr io.Writer) (extra, error)
}{
	{"--cpuprofile", "", false, func(o *options) string { return o.cpuprofile }, newProfile}, // first, to see the whole render
	{"--contact-sheet", ".png", true, func(o *options) string { return o.contactSheet }, newContactSheet},
	{"--video", ".mp4", true, func(o *options) string { return o.video }, newVideo},
	{"--gif", ".gif", true, func(o *options) string { return o.gif }, newGIF},
	{"--trace", ".json", false, func(o *options) string { return o.trace }, newTrace},
	{"--timeline", ".png", false, func(o *options) string { return o.timeline }, newTimeline},
}

// startExtras makes the extras the command line asks for. If one cannot be
// made, those made before it are aborted.
func startExtras(o options, j job, stderr io.Writer) ([]extra, error) {
	var xs []extra
	for _, e := range extras {
		file := e.file(&o)
		if file == "" {
			continue
		}
		x, err := e.make(file, o, j, stderr)
		if err != nil {
			finishExtras(xs, ending{}, err)
			return nil, err
		}
		xs = append(xs, x)
	}
	return xs, nil
}

// finishExtras finishes xs in order while all goes well, err being how the job
// went so far, and returns the first error; after one, the rest are aborted.
func finishExtras(xs []extra, end ending, err error) error {
	for _, x := range xs {
		if err == nil {
			err = x.Finish(end)
		} else if a, ok := x.(aborter); ok {
			a.Abort()
		}
	}
	return err
}

// collectors returns the extras of xs that are made of the frames.
func collectors(xs []extra) []collector {
	var cs []collector
	for _, x := range xs {
		if c, ok := x.(collector); ok {
			cs = append(cs, c)
		}
	}
	return cs
}
