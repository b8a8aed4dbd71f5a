package live

import (
	"bufio"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// sseEvent is one event as a client reads it.
type sseEvent struct {
	Name string
	Data string
}

// decode unmarshals the event's data into v, or fails the test.
func (e sseEvent) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(e.Data), v); err != nil {
		t.Fatalf("%s event %q: %v", e.Name, e.Data, err)
	}
}

// tileData and the other ...Data types are the events' JSON, as a client sees it.
type tileData struct {
	Frame, Worker, X, Y, W, H int
	Start, End                float64
}

type tilesData struct {
	V     uint64
	Tiles []tileData
}

type framesData struct {
	Frames []struct {
		Frame int
		URL   string
	}
}

type statsData struct {
	Done, Total, Cores, Tiles int
	Elapsed, Mpxs             float64
	ETA, CPU                  *float64
	Workers                   []int
}

type infoData struct {
	Scene                        string
	Width, Height, Workers, Tile int
	Frames                       []int
	FPS                          float64
	Cores, TilesPerFrame         int
}

type endData struct {
	Summary string
	Elapsed float64
}

// readEvents parses a text/event-stream from r and sends its events on the
// returned channel, which is closed when the stream ends.
func readEvents(r io.Reader) <-chan sseEvent {
	ch := make(chan sseEvent, 1024)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 64<<20)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.Name != "" || e.Data != "" {
					ch <- e
				}
				e = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				e.Name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.Data += strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return ch
}

// serve starts a Server for info and an HTTP server for it, both closed when the
// test ends (after the event streams that follow opened).
func serve(t *testing.T, info Info, opts Options) (*Server, *httptest.Server) {
	s := New(info, opts)
	t.Cleanup(s.Close)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv
}

// follow connects to url's /events and returns its events; the stream is closed
// when the test ends.
func follow(t *testing.T, url string) <-chan sseEvent {
	t.Helper()
	resp, err := http.Get(url + "/events")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events: status %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("GET /events: Content-Type %q, want text/event-stream", ct)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return readEvents(resp.Body)
}

// next returns the next event, failing the test after a while.
func next(t *testing.T, ch <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("the event stream ended early")
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	panic("unreachable")
}

// until reads events until one named name, and returns all it read.
func until(t *testing.T, ch <-chan sseEvent, name string) []sseEvent {
	t.Helper()
	var got []sseEvent
	for {
		e := next(t, ch)
		got = append(got, e)
		if e.Name == name {
			return got
		}
	}
}

// unit is one (frame, tile) of a synthetic job.
type unit struct {
	frame int
	rect  image.Rectangle
}

// job is a small synthetic job: frames of tiles, rendered by fake workers that
// paint a gradient per frame.
type job struct {
	info   Info
	dir    string // where finished frames are written
	mu     sync.Mutex
	images map[int]*image.RGBA
	left   map[int]int // tiles left per frame
}

func newJob(t *testing.T, info Info) *job {
	j := &job{info: info, dir: t.TempDir(), images: map[int]*image.RGBA{}, left: map[int]int{}}
	for _, f := range info.Frames {
		j.images[f] = image.NewRGBA(image.Rect(0, 0, info.Width, info.Height))
		j.left[f] = len(j.tiles())
	}
	return j
}

// tiles returns the tiles of a frame, row by row.
func (j *job) tiles() []image.Rectangle {
	var rs []image.Rectangle
	for y := 0; y < j.info.Height; y += j.info.Tile {
		for x := 0; x < j.info.Width; x += j.info.Tile {
			rs = append(rs, image.Rect(x, y, x+j.info.Tile, y+j.info.Tile).Intersect(image.Rect(0, 0, j.info.Width, j.info.Height)))
		}
	}
	return rs
}

// units returns every (frame, tile) of the job, frame by frame.
func (j *job) units() []unit {
	var us []unit
	for _, f := range j.info.Frames {
		for _, r := range j.tiles() {
			us = append(us, unit{f, r})
		}
	}
	return us
}

// gradient is the colour of pixel (x, y) of frame f: dark blue-violet, far from
// the first workers' outline colours.
func gradient(f, x, y, w, h int) color.RGBA {
	return color.RGBA{
		R: uint8(30 + 110*x/w),
		G: uint8(20 + 8*(f%6) + 30*y/h),
		B: uint8(90 + 110*y/h),
		A: 255,
	}
}

// render paints u, reports it to s as worker's, and when it was the frame's last
// tile writes the frame and reports that too.
func (j *job) render(s *Server, worker int, u unit, start time.Time) {
	img := j.images[u.frame] // written only by the worker that owns the tile
	t0 := time.Since(start)
	for y := u.rect.Min.Y; y < u.rect.Max.Y; y++ {
		for x := u.rect.Min.X; x < u.rect.Max.X; x++ {
			img.SetRGBA(x, y, gradient(u.frame, x, y, j.info.Width, j.info.Height))
		}
	}
	s.Tile(Tile{Frame: u.frame, Worker: worker, Rect: u.rect, Start: t0, End: time.Since(start), Pixels: img})
	j.mu.Lock()
	j.left[u.frame]--
	last := j.left[u.frame] == 0
	j.mu.Unlock()
	if last {
		path := j.writeFrame(u.frame)
		s.FrameDone(u.frame, path, stat(path))
	}
}

// writeFrame writes frame f as a PNG and returns its path.
func (j *job) writeFrame(f int) string {
	p := filepath.Join(j.dir, fmt.Sprintf("frame_%04d.png", f))
	file, err := os.Create(p)
	if err != nil {
		panic(err)
	}
	defer file.Close()
	if err := png.Encode(file, j.images[f]); err != nil {
		panic(err)
	}
	return p
}

// run renders us on workers goroutines, waiting pause per tile, and returns
// when all are done. Units are dealt round-robin, worker w taking us[w],
// us[w+workers], ..., so which worker renders a tile never depends on how the
// goroutines happen to be scheduled: a test can count on every worker's
// outline in any run of tiles.
func (j *job) run(s *Server, us []unit, workers int, pause time.Duration, start time.Time) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(us); i += workers {
				time.Sleep(pause)
				j.render(s, w, us[i], start)
			}
		})
	}
	wg.Wait()
}

// stat returns the file at path, which must exist.
func stat(path string) os.FileInfo {
	fi, err := os.Stat(path)
	if err != nil {
		panic(err)
	}
	return fi
}
