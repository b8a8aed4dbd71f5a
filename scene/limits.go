package scene

// Limits on rendering an animation, so that a typo fails fast instead of
// exhausting the machine. They are defined here, once, for everything that
// checks a request to render: a scene file's render section (package
// scenefile), the renderer's Settings and Job (package render), and the
// command line. The limits on a render job's scheduling (tile size, workers)
// are the renderer's: render.MaxTile and render.MaxWorkers.
const (
	MaxSize    = 16384     // pixels across or down a frame
	MaxSamples = 256       // anti-aliasing samples per pixel
	MaxFrames  = 1_000_000 // frames in an animation
	MaxFPS     = 1000      // frames per second
)

// Defaults used when neither a scene file nor a flag sets them.
const (
	DefaultFrames = 120
	DefaultFPS    = 30
)
