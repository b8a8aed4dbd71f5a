// Package live serves a live web view of a running render job: a page that any
// number of browsers open while the workers render, showing the frame being
// rendered tile by tile (each tile outlined in the colour of the worker that
// rendered it), the finished frames, the progress, and a lane chart of what every
// worker did in the last seconds.
//
// The renderer reports to a Server through Tile, FrameDone and Finish; Handler
// serves the page. Rendering never waits for a browser: Tile copies the tile's
// pixels into one server-side canvas under a short lock and appends a small record
// to a queue, and a hub goroutine does everything else. Every Batch (150 ms) the hub
// drains the queue, encodes the tiles that landed into one message, and hands that
// message to every client's bounded buffer without waiting; a client whose buffer
// is full is dropped (its stream ends, and the browser reconnects and catches up).
// The package owns no rendering and opens no file but the frames registered with
// FrameDone.
//
// # Routes
//
// Only GET and HEAD are served; any other method gets 405.
//
//	/              the page (index.html, app.js, style.css, embedded)
//	/events        the job as Server-Sent Events, below
//	/live.png      the canvas: the latest pixels of every tile, as a PNG
//	/frames/N.png  finished frame N, only if registered with FrameDone
//
// /live.png is encoded at most every PNGEvery (400 ms; longer for a frame so large
// that encoding it takes more than a fortieth of that), and only when asked for,
// so that many clients share one encode; its X-Live-Version header says which
// canvas version it shows (a tiles event's "v" is the version after that batch).
//
// # Events
//
// /events is a text/event-stream; every event's data is one JSON object. Times are
// seconds since the job started.
//
//	info    {"scene":"showcase","width":480,"height":270,"frames":[1,2,3],
//	         "workers":8,"tile":32,"fps":30,"cores":8,"tilesPerFrame":135}
//	tiles   {"v":42,"tiles":[{"frame":1,"worker":0,"x":0,"y":0,"w":32,"h":32,
//	         "start":0.0123,"end":0.0191}, ...]}
//	frames  {"frames":[{"frame":1,"url":"frames/1.png"}, ...]}
//	stats   {"done":1,"total":3,"elapsed":0.52,"eta":1.04,"mpxs":0.75,
//	         "cpu":0.97,"cores":8,"tiles":170,"workers":[22,21,...]}
//	end     {"summary":"rendered 3 frames ...","elapsed":1.61}
//
// A frames event says that those frames are written; its URLs are relative to the
// page. A stats event comes every StatsEvery (500 ms) and once more before end:
// done of total frames, the ETA from the pixels rendered so far (null until the
// first tile), the throughput in megapixels per second, and the CPU utilisation,
// process CPU time since New over wall time × cores, where cores is
// runtime.GOMAXPROCS(0) at New (null without Options.CPU), and the tiles landed
// in all and by worker. end carries the CLI's summary and comes last.
//
// Events keep the order of the calls: a frame's tiles come before the frames
// event that finishes it, and end comes after everything. A client that connects
// late first gets the state so far, as the same events: info, one frames event
// with every finished frame, one tiles event with the tiles of the frames still in
// progress, the latest stats, and end if the job is over; then it follows live.
//
// # Page
//
// The page (page/index.html, app.js, style.css: no framework, no build step)
// draws /live.png with every landed tile outlined in its worker's colour, bold for
// frames in progress; a lane chart of the last 5 seconds, a row per worker; the
// last 20 finished frames; the stats; and the summary at the end. For tests, it
// keeps on <body> data-state ("connecting", "rendering", "done", "reconnecting",
// "disconnected"), data-tiles (tiles drawn), data-frames (frames written) and
// data-version (the canvas version drawn).
package live

import (
	"bytes"
	"embed"
	"errors"
	"image"
	"net/http"
	"os"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

//go:embed page
var page embed.FS

// Info describes the job about to render.
type Info struct {
	Scene         string
	Width, Height int
	Frames        []int // frame numbers to render, in order (not necessarily 1..N)
	Workers       int
	Tile          int // tile edge in pixels
	FPS           float64
}

// Tile is one rendered tile, reported by the worker that rendered it.
type Tile struct {
	Frame      int
	Worker     int             // 0..Workers-1
	Rect       image.Rectangle // in frame pixels
	Start, End time.Duration   // since the job started
	// Pixels is the frame being rendered (*image.RGBA or *image.RGBA64; other
	// images work, slowly). Only Rect may be read, and only during the call.
	Pixels image.Image
}

// Options tune a Server. The zero value is ready to use.
type Options struct {
	// CPU returns the CPU time the process has used so far; nil leaves the CPU
	// utilisation out of the stats.
	CPU func() time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Batch is how often the tiles that landed go out, as one message; 0 means 150 ms.
	Batch time.Duration
	// StatsEvery is how often a stats event goes out; 0 means 500 ms.
	StatsEvery time.Duration
	// Buffer is how many messages a client may have waiting; a client that falls
	// further behind is dropped. 0 means 64 (about 5 s of batches); at least 8.
	Buffer int
	// WriteTimeout bounds one write to a client; 0 means 10 s.
	WriteTimeout time.Duration
	// PNGEvery is the least time between two encodes of /live.png; 0 means 400 ms.
	PNGEvery time.Duration
}

// withDefaults fills in the zero fields of o.
func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Batch <= 0 {
		o.Batch = 150 * time.Millisecond
	}
	if o.StatsEvery <= 0 {
		o.StatsEvery = 500 * time.Millisecond
	}
	if o.Buffer <= 0 {
		o.Buffer = 64
	}
	o.Buffer = max(o.Buffer, minBuffer)
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.PNGEvery <= 0 {
		o.PNGEvery = 400 * time.Millisecond
	}
	return o
}

// minBuffer holds a late client's catch-up (at most five messages) and then some.
const minBuffer = 8

// Server is the live view of one job. Its methods are safe for concurrent use.
type Server struct {
	info  Info
	opts  Options
	start time.Time
	cpu0  time.Duration
	cores int

	canvas canvas

	qmu    sync.Mutex
	queue  []event // drained by the hub every Batch
	closed bool

	fmu   sync.RWMutex
	files map[int]frameFile // frame number -> PNG file, only from FrameDone

	hub       *hub
	join      chan *client
	leave     chan *client
	wake      chan struct{} // buffered: Finish asks the hub to flush now
	quit      chan struct{} // closed by Close
	done      chan struct{} // closed when the hub has returned
	closeOnce sync.Once
	drops     atomic.Int64 // clients dropped for falling behind
}

// New returns the live view of the job that info describes, which starts now:
// elapsed times, the ETA and the CPU utilisation count from this call. It starts a
// hub goroutine; call Close to stop it.
func New(info Info, opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{
		info:  info,
		opts:  opts,
		start: opts.Now(),
		cores: runtime.GOMAXPROCS(0),
		files: make(map[int]frameFile),
		join:  make(chan *client),
		leave: make(chan *client),
		wake:  make(chan struct{}, 1),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	if opts.CPU != nil {
		s.cpu0 = opts.CPU()
	}
	s.canvas.init(max(info.Width, 0), max(info.Height, 0), info.Tile, info.Frames, opts.PNGEvery, opts.Now)
	s.hub = newHub(s)
	go s.hub.run()
	return s
}

// Tile reports a rendered tile. It is called by the workers, on the render's hot
// path: it copies the tile's pixels into the canvas under a short lock, queues an
// event without waiting for anyone, and allocates nothing (but for the queue's
// occasional growth).
func (s *Server) Tile(t Tile) {
	s.canvas.put(t.Frame, t.Rect, t.Pixels)
	s.push(event{kind: kindTile, frame: t.Frame, worker: t.Worker, rect: t.Rect, start: t.Start, end: t.End})
}

// FrameDone reports that frame n was written to path, a PNG file, which
// /frames/n.png then serves; written is the file written (its device, inode and
// size). Only paths given here are ever served, and only while they hold the
// file written: never a file put in its place, nor one a link points to.
func (s *Server) FrameDone(n int, path string, written os.FileInfo) {
	s.fmu.Lock()
	s.files[n] = frameFile{path, written}
	s.fmu.Unlock()
	s.push(event{kind: kindFrame, frame: n})
}

// Finish reports that the job ended; summary is the CLI's summary text. The end
// event goes out at once, after everything reported before it.
func (s *Server) Finish(summary string) {
	f := &finish{summary: summary, at: s.opts.Now()}
	if s.opts.CPU != nil {
		f.cpu = s.opts.CPU()
	}
	s.push(event{kind: kindEnd, finish: f})
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Close sends what is queued, ends every event stream and stops the hub. It does
// not stop an http.Server that serves Handler; later reports are ignored.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.quit)
		<-s.done
		s.qmu.Lock()
		s.closed = true
		s.queue = nil
		s.qmu.Unlock()
	})
}

// push queues e for the hub, unless the server is closed.
func (s *Server) push(e event) {
	s.qmu.Lock()
	if !s.closed {
		s.queue = append(s.queue, e)
	}
	s.qmu.Unlock()
}

// elapsed returns the time since the job started.
func (s *Server) elapsed() time.Duration { return s.opts.Now().Sub(s.start) }

// Handler returns the HTTP handler of the live view: the page, its assets,
// /events, /live.png and /frames/N.png. Mount it at the root of a server, or at
// a path ending in a slash with http.StripPrefix: the page uses relative URLs.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "live: only GET and HEAD are served here", http.StatusMethodNotAllowed)
		return
	}
	switch p := r.URL.Path; {
	case p == "/" || p == "/index.html":
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		s.serveAsset(w, r, "index.html")
	case p == "/app.js" || p == "/style.css":
		s.serveAsset(w, r, p[1:])
	case p == "/events":
		s.serveEvents(w, r)
	case p == "/live.png":
		s.serveCanvas(w, r)
	case strings.HasPrefix(p, "/frames/"):
		s.serveFrame(w, r, strings.TrimPrefix(p, "/frames/"))
	default:
		http.NotFound(w, r)
	}
}

// serveAsset serves one embedded file of the page.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	b, err := page.ReadFile(path.Join("page", name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// serveCanvas serves the canvas as a PNG, from the shared encode.
func (s *Server) serveCanvas(w http.ResponseWriter, r *http.Request) {
	b, v, err := s.canvas.png(s.opts.Now())
	if err != nil {
		http.Error(w, "live: cannot encode the canvas: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Live-Version", strconv.FormatUint(v, 10))
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(b)
}

// serveFrame serves finished frame name ("12.png"). The name must be digits and
// ".png", and the frame must be registered with FrameDone: no path from the URL
// ever reaches the file system.
func (s *Server) serveFrame(w http.ResponseWriter, r *http.Request, name string) {
	digits, ok := strings.CutSuffix(name, ".png")
	if !ok || digits == "" || len(digits) > 9 || strings.Trim(digits, "0123456789") != "" {
		http.NotFound(w, r)
		return
	}
	n, _ := strconv.Atoi(digits)
	s.fmu.RLock()
	file, ok := s.files[n]
	s.fmu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	f, st, err := file.open()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// frameFile is a frame the render wrote: its path, and the file written there.
type frameFile struct {
	path    string
	written os.FileInfo
}

// open opens the frame, without following a link and without waiting on a FIFO
// or device, and only if it is still the file written, the same size.
func (f frameFile) open() (*os.File, os.FileInfo, error) {
	file, err := os.OpenFile(f.path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := file.Stat()
	if err == nil && (!st.Mode().IsRegular() || f.written == nil || !os.SameFile(st, f.written) || st.Size() != f.written.Size()) {
		err = errors.New("live: not the frame written")
	}
	if err != nil {
		file.Close()
		return nil, nil, err
	}
	return file, st, nil
}
