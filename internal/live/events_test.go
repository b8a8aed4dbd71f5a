package live

import (
	"bufio"
	"fmt"
	"image"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fast are options for tests: batches and stats come often.
var fast = Options{Batch: 5 * time.Millisecond, StatsEvery: 20 * time.Millisecond}

// stream checks the events a client read against the job: every tile once, before
// its frame's frames event, every frame once, and end last.
type streamCheck struct {
	t       *testing.T
	info    Info
	tiles   map[unit]int
	done    map[int]bool
	stats   []statsData
	ended   bool
	lastEnd endData
}

func newStreamCheck(t *testing.T, info Info) *streamCheck {
	return &streamCheck{t: t, info: info, tiles: map[unit]int{}, done: map[int]bool{}}
}

func (c *streamCheck) add(events []sseEvent) {
	t := c.t
	t.Helper()
	for _, e := range events {
		if c.ended {
			t.Fatalf("%s event after the end event", e.Name)
		}
		switch e.Name {
		case "info":
			t.Fatal("a second info event")
		case "tiles":
			var d tilesData
			e.decode(t, &d)
			for _, td := range d.Tiles {
				u := unit{td.Frame, image.Rect(td.X, td.Y, td.X+td.W, td.Y+td.H)}
				if c.done[td.Frame] {
					t.Errorf("tile %v of frame %d after the frame was done", u.rect, td.Frame)
				}
				if td.Worker < 0 || td.Worker >= c.info.Workers {
					t.Errorf("tile %v: worker %d, want 0..%d", u.rect, td.Worker, c.info.Workers-1)
				}
				if td.End < td.Start {
					t.Errorf("tile %v: end %g before start %g", u.rect, td.End, td.Start)
				}
				c.tiles[u]++
			}
		case "frames":
			var d framesData
			e.decode(t, &d)
			for _, f := range d.Frames {
				if c.done[f.Frame] {
					t.Errorf("frame %d done twice", f.Frame)
				}
				c.done[f.Frame] = true
				if want := fmt.Sprintf("frames/%d.png", f.Frame); f.URL != want {
					t.Errorf("frame %d: url %q, want %q", f.Frame, f.URL, want)
				}
			}
		case "stats":
			var d statsData
			e.decode(t, &d)
			c.stats = append(c.stats, d)
		case "end":
			e.decode(t, &c.lastEnd)
			c.ended = true
		default:
			t.Errorf("unknown event %q", e.Name)
		}
	}
}

// checkTiles checks that every tile of the frames in fs came exactly once.
func (c *streamCheck) checkTiles(j *job, fs []int) {
	c.t.Helper()
	for _, u := range j.units() {
		if slices.Contains(fs, u.frame) && c.tiles[u] != 1 {
			c.t.Errorf("tile %v of frame %d came %d times, want once", u.rect, u.frame, c.tiles[u])
		}
	}
}

func TestEventStream(t *testing.T) {
	s, srv := serve(t, smallInfo, fast)
	ch := follow(t, srv.URL)
	e := next(t, ch)
	if e.Name != "info" {
		t.Fatalf("first event %q, want info", e.Name)
	}
	var info infoData
	e.decode(t, &info)
	if info.Width != 32 || info.Height != 24 || info.Tile != 8 || info.Workers != 2 || info.TilesPerFrame != 12 || !slices.Equal(info.Frames, []int{1, 2, 3}) || info.Scene != "test" {
		t.Errorf("info = %+v, want the job's", info)
	}

	j := newJob(t, smallInfo)
	j.run(s, j.units(), 2, 200*time.Microsecond, time.Now())
	s.Finish("rendered 3 frames\n  wall 0.1s")

	c := newStreamCheck(t, smallInfo)
	c.add(until(t, ch, "end"))
	c.checkTiles(j, smallInfo.Frames)
	for _, f := range smallInfo.Frames {
		if !c.done[f] {
			t.Errorf("no frames event for frame %d", f)
		}
	}
	if c.lastEnd.Summary != "rendered 3 frames\n  wall 0.1s" {
		t.Errorf("end summary %q, want the one given to Finish", c.lastEnd.Summary)
	}
	if len(c.stats) == 0 {
		t.Fatal("no stats event before end")
	}
	last := c.stats[len(c.stats)-1]
	if last.Done != 3 || last.Total != 3 || last.ETA == nil || *last.ETA != 0 || last.Tiles != 36 {
		t.Errorf("last stats = %+v, want 3 of 3 done, ETA 0, 36 tiles", last)
	}
	if len(last.Workers) != 2 || last.Workers[0]+last.Workers[1] != 36 {
		t.Errorf("last stats: tiles by worker %v, want 2 counts that add up to 36", last.Workers)
	}
	// Close ends the stream, with nothing after end.
	s.Close()
	select {
	case e, ok := <-ch:
		if ok {
			t.Errorf("%s event after end", e.Name)
		}
	case <-time.After(5 * time.Second):
		t.Error("the stream did not end within 5 s of Close")
	}
}

func TestLateClientCatchesUp(t *testing.T) {
	s, srv := serve(t, smallInfo, fast)
	j := newJob(t, smallInfo)
	us := j.units()
	start := time.Now()

	// Frames 1 and 2 and half of frame 3, watched by an early client until the
	// hub has sent it all, with stats that count the two frames.
	early := follow(t, srv.URL)
	j.run(s, us[:30], 2, 0, start)
	seen := newStreamCheck(t, smallInfo)
	seen.add(until(t, early, "info")[1:])
	for len(seen.stats) == 0 || seen.stats[len(seen.stats)-1].Done != 2 || seen.stats[len(seen.stats)-1].Tiles != 30 {
		seen.add([]sseEvent{next(t, early)})
	}

	late := follow(t, srv.URL)
	got := until(t, late, "stats")
	if names := eventNames(got); !slices.Equal(names, []string{"info", "frames", "tiles", "stats"}) {
		t.Fatalf("late client's catch-up: %v, want [info frames tiles stats]", names)
	}
	c := newStreamCheck(t, smallInfo)
	c.add(got[1:])
	if !c.done[1] || !c.done[2] || c.done[3] {
		t.Errorf("catch-up frames done %v, want 1 and 2", c.done)
	}
	if n := len(c.tiles); n != 6 {
		t.Errorf("catch-up has %d tiles, want the 6 of frame 3 so far", n)
	}
	if st := c.stats[0]; st.Done != 2 || st.Tiles != 30 {
		t.Errorf("catch-up stats %+v, want 2 frames done, 30 tiles", st)
	}

	// The rest of the job, live.
	j.run(s, us[30:], 2, 0, start)
	s.Finish("done")
	c.add(until(t, late, "end"))
	c.checkTiles(j, []int{3})
	if !c.done[3] {
		t.Error("no frames event for frame 3")
	}

	// A client after the end gets the whole story and the end.
	last := follow(t, srv.URL)
	got = until(t, last, "end")
	if names := eventNames(got); !slices.Equal(names, []string{"info", "frames", "stats", "end"}) {
		t.Fatalf("catch-up after the end: %v, want [info frames stats end]", names)
	}
	var fd framesData
	got[1].decode(t, &fd)
	if len(fd.Frames) != 3 {
		t.Errorf("catch-up after the end has %d frames, want 3", len(fd.Frames))
	}
}

func eventNames(es []sseEvent) []string {
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
	}
	return names
}

func TestStats(t *testing.T) {
	var now atomic.Int64 // nanoseconds of a fake clock
	var cpu atomic.Int64 // nanoseconds of fake CPU time
	cpu.Store(int64(time.Second))
	opts := fast
	opts.Now = func() time.Time { return time.Unix(0, now.Load()) }
	opts.CPU = func() time.Duration { return time.Duration(cpu.Load()) }
	s, srv := serve(t, smallInfo, opts)
	ch := follow(t, srv.URL)
	next(t, ch)

	j := newJob(t, smallInfo)
	j.run(s, j.units(), 2, 0, time.Now())
	now.Store(int64(2 * time.Second))
	cpu.Add(int64(time.Duration(s.cores) * time.Second)) // half of every core for 2 s
	s.Finish("done")
	now.Store(int64(time.Hour)) // the end's stats use the time of Finish

	var st statsData
	for _, e := range until(t, ch, "end") {
		if e.Name == "stats" {
			e.decode(t, &st)
		}
	}
	wantMpxs := float64(3*32*24) / 2 / 1e6
	if st.Elapsed != 2 || st.Mpxs != wantMpxs || st.CPU == nil || *st.CPU != 0.5 || st.ETA == nil || *st.ETA != 0 || st.Cores != s.cores {
		t.Errorf("final stats = %+v (cpu %v), want elapsed 2, %g Mpx/s, CPU 0.5, ETA 0, %d cores", st, deref(st.CPU), wantMpxs, s.cores)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestETA(t *testing.T) {
	var now atomic.Int64
	opts := fast
	opts.Now = func() time.Time { return time.Unix(0, now.Load()) }
	s, srv := serve(t, smallInfo, opts)
	ch := follow(t, srv.URL)
	next(t, ch)
	j := newJob(t, smallInfo)
	now.Store(int64(3 * time.Second))
	j.run(s, j.units()[:9], 1, 0, time.Now()) // a quarter of the pixels, in 3 s
	for {
		if e := next(t, ch); e.Name == "stats" {
			var st statsData
			e.decode(t, &st)
			if st.Tiles < 9 {
				continue
			}
			if st.ETA == nil || *st.ETA != 9 || st.CPU != nil || st.Done != 0 {
				t.Errorf("stats after a quarter of the pixels in 3 s = %+v (ETA %v), want ETA 9 s, no CPU, 0 done", st, deref(st.ETA))
			}
			return
		}
	}
}

func TestSlowClientIsDropped(t *testing.T) {
	opts := Options{Batch: 5 * time.Millisecond, StatsEvery: 20 * time.Millisecond, Buffer: 64, WriteTimeout: time.Minute}
	s := New(smallInfo, opts)
	t.Cleanup(s.Close)
	// Small socket buffers, so that a client that does not read stalls its
	// handler soon.
	srv := httptest.NewUnstartedServer(s.Handler())
	srv.Listener = smallBuffers{srv.Listener}
	srv.Start()
	t.Cleanup(srv.Close)

	stalled, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	stalled.(*net.TCPConn).SetReadBuffer(4 << 10)
	fmt.Fprintf(stalled, "GET /events HTTP/1.1\r\nHost: test\r\n\r\n")

	// A client that reads keeps up and gets everything.
	healthy := follow(t, srv.URL)
	next(t, healthy)
	var received atomic.Int64
	var healthyDone sync.WaitGroup
	healthyDone.Go(func() {
		for e := range healthy {
			if e.Name == "tiles" {
				var d tilesData
				e.decode(t, &d)
				received.Add(int64(len(d.Tiles)))
			}
			if e.Name == "end" {
				return
			}
		}
		t.Error("the healthy client's stream ended before the end event")
	})

	// Feed tiles from 4 goroutines, at a pace the healthy client keeps up with,
	// until the stalled client is dropped and then some, timing every Tile call.
	img := image.NewRGBA(image.Rect(0, 0, smallInfo.Width, smallInfo.Height))
	var fed, slowest atomic.Int64
	deadline := time.Now().Add(20 * time.Second)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i, after := 0, 0; s.drops.Load() == 0 || after < 500; i++ {
				if s.drops.Load() > 0 {
					after++
				}
				if time.Now().After(deadline) {
					return
				}
				r := image.Rect(8*(i%4), 8*(i/4%3), 8*(i%4)+8, 8*(i/4%3)+8)
				time.Sleep(20 * time.Microsecond)
				t0 := time.Now()
				s.Tile(Tile{Frame: 1, Worker: w % 2, Rect: r, Pixels: img})
				if d := int64(time.Since(t0)); d > slowest.Load() {
					slowest.Store(d) // racy max, good enough for a bound
				}
				fed.Add(1)
			}
		})
	}
	wg.Wait()
	if s.drops.Load() != 1 {
		t.Fatalf("%d clients dropped after %d tiles, want the stalled one", s.drops.Load(), fed.Load())
	}
	t.Logf("%d tiles fed, slowest Tile call %v", fed.Load(), time.Duration(slowest.Load()))
	if d := time.Duration(slowest.Load()); d > 500*time.Millisecond {
		t.Errorf("the slowest Tile call took %v, want it never to wait for a client", d)
	}

	// The stalled client's stream was ended: reading it now reaches its end,
	// although the write timeout is a minute.
	stalled.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(stalled), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the stalled client's stream did not end (read %d bytes, then %v)", n, err)
	}
	t.Logf("the stalled client read %d bytes, then %v", n, err)

	s.Finish("done")
	healthyDone.Wait()
	if got, want := received.Load(), fed.Load(); got != want {
		t.Errorf("the healthy client got %d tiles, want all %d", got, want)
	}
}

// smallBuffers gives the server's connections a small send buffer.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4 << 10)
	}
	return c, err
}
