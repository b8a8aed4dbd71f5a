package live

import (
	"image"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// statsUntil reads events until a stats event that ok accepts, and returns it.
func statsUntil(t *testing.T, ch <-chan sseEvent, ok func(statsData) bool) statsData {
	t.Helper()
	for {
		if e := next(t, ch); e.Name == "stats" {
			var st statsData
			e.decode(t, &st)
			if ok(st) {
				return st
			}
		}
	}
}

// TestStatsBeforeAnyTile checks the stats of a job that has rendered nothing
// yet: no ETA, no throughput, the CPU counted from New, nothing done.
func TestStatsBeforeAnyTile(t *testing.T) {
	var now atomic.Int64
	opts := fast
	opts.Now = func() time.Time { return time.Unix(0, now.Load()) }
	opts.CPU = func() time.Duration { return 5 * time.Second } // all of it before New: not the job's
	_, srv := serve(t, smallInfo, opts)
	now.Store(int64(2 * time.Second))
	ch := follow(t, srv.URL)
	// A stats event may have gone out before the clock moved: wait for one after.
	st := statsUntil(t, ch, func(st statsData) bool { return st.Elapsed == 2 })
	if st.ETA != nil || st.Mpxs != 0 || st.CPU == nil || *st.CPU != 0 || st.Done != 0 || st.Total != 3 || st.Tiles != 0 || !slices.Equal(st.Workers, []int{0, 0}) || st.Elapsed != 2 {
		t.Errorf("stats before any tile = %+v (ETA %v, CPU %v), want no ETA, 0 Mpx/s, CPU 0, 0 of 3 done, 0 tiles by each of 2 workers, elapsed 2", st, deref(st.ETA), deref(st.CPU))
	}
}

// TestStatsAtTimeZero checks that a job with no time elapsed reports no
// throughput and no CPU utilisation, rather than dividing by zero.
func TestStatsAtTimeZero(t *testing.T) {
	opts := fast
	opts.Now = func() time.Time { return time.Unix(0, 0) }
	opts.CPU = func() time.Duration { return time.Second }
	s, srv := serve(t, smallInfo, opts)
	ch := follow(t, srv.URL)
	j := newJob(t, smallInfo)
	j.run(s, j.units()[:6], 1, 0, time.Now())
	st := statsUntil(t, ch, func(st statsData) bool { return st.Tiles == 6 })
	if st.Mpxs != 0 || st.CPU != nil || st.ETA == nil || *st.ETA != 0 || st.Elapsed != 0 {
		t.Errorf("stats at time 0 = %+v (ETA %v, CPU %v), want 0 Mpx/s, no CPU, ETA 0", st, deref(st.ETA), deref(st.CPU))
	}
}

// TestHubCountsWhatItIsTold checks the hub's bookkeeping of odd reports: a
// tile of a worker the job does not have counts in all but in no worker's lane,
// a frame reported written twice is one frames event, a tile of a frame already
// written is sent but kept out of a late client's catch-up, and a second Finish
// changes nothing.
func TestHubCountsWhatItIsTold(t *testing.T) {
	s, srv := serve(t, smallInfo, fast)
	ch := follow(t, srv.URL)
	next(t, ch) // info
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	tile := func(frame, worker int) {
		s.Tile(Tile{Frame: frame, Worker: worker, Rect: image.Rect(0, 0, 8, 8), Pixels: img})
	}
	tile(1, 0)
	tile(1, 1)
	tile(1, -1)
	tile(1, 2)
	s.FrameDone(1, "frame_0001.png", nil)
	s.FrameDone(1, "frame_0001.png", nil)
	tile(1, 1) // late, after the frame was written
	tile(2, 0)
	st := statsUntil(t, ch, func(st statsData) bool { return st.Tiles == 6 })
	if !slices.Equal(st.Workers, []int{2, 2}) || st.Done != 1 {
		t.Errorf("stats = %+v, want 6 tiles, 2 by each worker (the others in no lane), 1 frame done", st)
	}

	late := follow(t, srv.URL)
	got := until(t, late, "stats")
	if names := eventNames(got); !slices.Equal(names, []string{"info", "frames", "tiles", "stats"}) {
		t.Fatalf("catch-up = %v, want info, frames, tiles, stats", names)
	}
	var fd framesData
	got[1].decode(t, &fd)
	var td tilesData
	got[2].decode(t, &td)
	if len(fd.Frames) != 1 || fd.Frames[0].Frame != 1 {
		t.Errorf("catch-up frames %+v, want frame 1 once", fd.Frames)
	}
	if len(td.Tiles) != 1 || td.Tiles[0].Frame != 2 || td.V != 6 {
		t.Errorf("catch-up tiles %+v at version %d, want frame 2's one tile at version 6", td.Tiles, td.V)
	}

	s.Finish("first")
	s.Finish("second")
	var ends []string
	for _, e := range until(t, ch, "end") {
		if e.Name == "frames" {
			var d framesData
			e.decode(t, &d)
			for _, f := range d.Frames {
				if f.Frame == 1 {
					t.Errorf("frame 1 announced again after it was done")
				}
			}
		}
		if e.Name == "end" {
			var d endData
			e.decode(t, &d)
			ends = append(ends, d.Summary)
		}
	}
	// Everything queued has gone out once the stats after the end arrive.
	s.FrameDone(2, "frame_0002.png", nil)
	for {
		e := next(t, ch)
		if e.Name == "end" {
			var d endData
			e.decode(t, &d)
			ends = append(ends, d.Summary)
		}
		if e.Name == "frames" {
			break
		}
	}
	if !slices.Equal(ends, []string{"first"}) {
		t.Errorf("end events %q, want one, the first Finish's", ends)
	}
}

// TestInfoWithoutTiles checks the info of a job with no tile size or frames:
// no tiles per frame, and an empty frame list rather than null.
func TestInfoWithoutTiles(t *testing.T) {
	_, srv := serve(t, Info{Scene: "x", Width: 10, Height: 10, Workers: -1}, fast)
	e := next(t, follow(t, srv.URL))
	var info infoData
	e.decode(t, &info)
	if info.TilesPerFrame != 0 || !strings.Contains(e.Data, `"frames":[]`) {
		t.Errorf("info = %s, want tilesPerFrame 0 and frames []", e.Data)
	}
}

func TestCeilDiv(t *testing.T) {
	for _, c := range []struct{ a, b, want int }{{0, 8, 0}, {1, 8, 1}, {8, 8, 1}, {9, 8, 2}, {270, 32, 9}} {
		if got := ceilDiv(c.a, c.b); got != c.want {
			t.Errorf("ceilDiv(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// slow are options under which the hub sends only when told to: by a client
// joining, by Finish, or by Close.
var slow = Options{Batch: time.Hour, StatsEvery: time.Hour}

// TestCatchUpOfNothing checks a client that joins before anything happened:
// its catch-up is the info alone, with no empty frames, tiles or stats
// events; what comes next is the job's.
func TestCatchUpOfNothing(t *testing.T) {
	s, srv := serve(t, smallInfo, slow)
	ch := follow(t, srv.URL)
	if e := next(t, ch); e.Name != "info" {
		t.Fatalf("first event %q, want info", e.Name)
	}
	s.Tile(Tile{Frame: 1, Rect: image.Rect(0, 0, 8, 8), Pixels: image.NewRGBA(image.Rect(0, 0, 32, 24))})
	s.Finish("done")
	if names := eventNames(until(t, ch, "end")); !slices.Equal(names, []string{"tiles", "stats", "end"}) {
		t.Errorf("after the info: %v, want [tiles stats end]: nothing empty from the catch-up", names)
	}
}

// TestEndStatsUseFinishTime checks that the stats sent with the end count the
// CPU time as it was when Finish was called, not when the hub got to it.
func TestEndStatsUseFinishTime(t *testing.T) {
	opts := slow
	var now atomic.Int64
	opts.Now = func() time.Time { return time.Unix(0, now.Load()) }
	var finishing atomic.Bool
	var calls atomic.Int64
	opts.CPU = func() time.Duration {
		if !finishing.Load() {
			return 0
		}
		return time.Duration(calls.Add(1)) * time.Second // 1 s at Finish, more if asked again
	}
	s, srv := serve(t, smallInfo, opts)
	ch := follow(t, srv.URL)
	next(t, ch)
	now.Store(int64(time.Second))
	finishing.Store(true)
	s.Finish("done")
	var st statsData
	for _, e := range until(t, ch, "end") {
		if e.Name == "stats" {
			e.decode(t, &st)
		}
	}
	if want := 1 / float64(s.cores); st.CPU == nil || *st.CPU != want {
		t.Errorf("end stats CPU = %v, want %g: 1 s of CPU at Finish over 1 s on %d cores", deref(st.CPU), want, s.cores)
	}
}

// TestFrameDoneAgainIsQuiet checks that a frame reported written again, in a
// later batch, sends nothing: no empty frames event.
func TestFrameDoneAgainIsQuiet(t *testing.T) {
	s, srv := serve(t, smallInfo, fast)
	ch := follow(t, srv.URL)
	next(t, ch)
	s.FrameDone(1, "frame_0001.png", nil)
	until(t, ch, "frames")
	s.FrameDone(1, "frame_0001.png", nil)
	s.Tile(Tile{Frame: 2, Rect: image.Rect(0, 0, 8, 8), Pixels: image.NewRGBA(image.Rect(0, 0, 32, 24))})
	for _, e := range until(t, ch, "tiles") {
		if e.Name == "frames" {
			t.Errorf("a frames event %s for a frame already written, want none", e.Data)
		}
	}
}
