package live

import (
	"maps"
	"slices"
	"time"
)

// client is one browser following /events. The hub is the only sender on ch.
type client struct {
	ch   chan []byte   // messages waiting to be written; closed by the hub on Close
	gone chan struct{} // closed by the hub when it drops the client
}

// hub owns the job's state as the clients see it, and the clients. Only its run
// goroutine touches its fields.
type hub struct {
	s       *Server
	clients map[*client]struct{}
	spare   []event // the queue's other buffer, swapped in on every drain

	info       []byte          // the info message
	inProgress map[int][]event // tiles of frames not yet written, by frame
	framesDone []int           // in the order they were written
	isDone     map[int]bool
	pixels     int64 // pixels of all tiles that landed
	tiles      int
	perWorker  []int  // tiles that landed, by worker
	perFrame   int    // tiles in a frame
	stats      []byte // the latest stats message
	end        []byte // the end message, once the job ended
	ended      bool
	endAt      time.Duration // when the job ended, for the last stats
	endCPU     time.Duration
}

func newHub(s *Server) *hub {
	info := s.info
	tpf := 0
	if info.Tile > 0 {
		tpf = ceilDiv(info.Width, info.Tile) * ceilDiv(info.Height, info.Tile)
	}
	frames := info.Frames
	if frames == nil {
		frames = []int{}
	}
	return &hub{
		s:       s,
		clients: make(map[*client]struct{}),
		info: sseJSON("info", infoJSON{
			Scene: info.Scene, Width: info.Width, Height: info.Height, Frames: frames,
			Workers: info.Workers, Tile: info.Tile, FPS: info.FPS, Cores: s.cores, TilesPerFrame: tpf,
		}),
		inProgress: make(map[int][]event),
		isDone:     make(map[int]bool),
		perWorker:  make([]int, max(info.Workers, 0)),
		perFrame:   tpf,
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// run is the hub goroutine: it takes clients in and out, and every Batch sends
// what was queued to all of them.
func (h *hub) run() {
	defer close(h.s.done)
	batch := time.NewTicker(h.s.opts.Batch)
	defer batch.Stop()
	stats := time.NewTicker(h.s.opts.StatsEvery)
	defer stats.Stop()
	for {
		select {
		case c := <-h.s.join:
			h.catchUp(c)
			h.clients[c] = struct{}{}
		case c := <-h.s.leave:
			delete(h.clients, c)
		case <-batch.C:
			h.flush()
		case <-h.s.wake:
			h.flush()
		case <-stats.C:
			h.flush()
			if !h.ended {
				h.sendStats()
			}
		case <-h.s.quit:
			h.flush()
			for c := range h.clients {
				close(c.ch) // the handler writes what is left, then ends the stream
			}
			return
		}
	}
}

// catchUp queues the state so far for a new client; its buffer holds it all.
func (h *hub) catchUp(c *client) {
	c.ch <- h.info
	if len(h.framesDone) > 0 {
		c.ch <- framesMessage(h.framesDone)
	}
	if len(h.inProgress) > 0 {
		var tiles []event
		for _, f := range slices.Sorted(maps.Keys(h.inProgress)) {
			tiles = append(tiles, h.inProgress[f]...)
		}
		c.ch <- tilesMessage(h.s.canvas.version.Load(), tiles)
	}
	if h.stats != nil {
		c.ch <- h.stats
	}
	if h.end != nil {
		c.ch <- h.end
	}
}

// flush drains the queue, updates the state and sends it on, keeping the order of
// the calls: each run of tiles becomes one tiles event, each run of written frames
// one frames event.
func (h *hub) flush() {
	s := h.s
	s.qmu.Lock()
	q := s.queue
	s.queue = h.spare[:0]
	s.qmu.Unlock()
	if len(q) == 0 {
		h.spare = q
		return
	}
	// The version after this batch: every tile in q is already in the canvas.
	v := s.canvas.version.Load()
	for i := 0; i < len(q); {
		j := i + 1
		for j < len(q) && q[j].kind == q[i].kind {
			j++
		}
		switch run := q[i:j]; run[0].kind {
		case kindTile:
			for _, t := range run {
				h.tiles++
				h.pixels += int64(t.rect.Dx()) * int64(t.rect.Dy())
				if t.worker >= 0 && t.worker < len(h.perWorker) {
					h.perWorker[t.worker]++
				}
				if !h.isDone[t.frame] {
					ts, ok := h.inProgress[t.frame]
					if !ok {
						ts = make([]event, 0, h.perFrame) // one allocation per frame
					}
					h.inProgress[t.frame] = append(ts, t)
				}
			}
			if len(h.clients) > 0 { // nobody watching costs nothing more
				h.broadcast(tilesMessage(v, run))
			}
		case kindFrame:
			ns := make([]int, 0, len(run))
			for _, f := range run {
				if h.isDone[f.frame] {
					continue
				}
				h.isDone[f.frame] = true
				delete(h.inProgress, f.frame)
				h.framesDone = append(h.framesDone, f.frame)
				ns = append(ns, f.frame)
			}
			if len(ns) > 0 && len(h.clients) > 0 {
				h.broadcast(framesMessage(ns))
			}
		case kindEnd:
			if h.end == nil {
				f := run[0].finish
				h.ended, h.endAt, h.endCPU = true, f.at.Sub(s.start), f.cpu
				h.sendStats()
				h.end = sseJSON("end", endJSON{Summary: f.summary, Elapsed: h.endAt.Seconds()})
				h.broadcast(h.end)
			}
		}
		i = j
	}
	clear(q) // drop the finish reports
	h.spare = q[:0]
}

// sendStats computes the stats now (or at the end of the job) and sends them.
func (h *hub) sendStats() {
	s := h.s
	elapsed := s.elapsed()
	if h.ended {
		elapsed = h.endAt
	}
	secs := elapsed.Seconds()
	st := statsJSON{Done: len(h.framesDone), Total: len(s.info.Frames), Elapsed: secs, Cores: s.cores, Tiles: h.tiles, Workers: h.perWorker}
	total := float64(s.info.Width) * float64(s.info.Height) * float64(len(s.info.Frames))
	if secs > 0 {
		st.Mpxs = float64(h.pixels) / secs / 1e6
	}
	if f := float64(h.pixels) / total; h.ended || f >= 1 {
		st.ETA = new(0.0)
	} else if f > 0 {
		st.ETA = new(secs * (1 - f) / f)
	}
	if s.opts.CPU != nil && secs > 0 {
		cpu := h.endCPU
		if !h.ended {
			cpu = s.opts.CPU()
		}
		st.CPU = new((cpu - s.cpu0).Seconds() / (secs * float64(s.cores)))
	}
	h.stats = sseJSON("stats", st)
	h.broadcast(h.stats)
}

// broadcast hands m to every client without waiting: a client whose buffer is
// full is dropped, and its handler ends the stream.
func (h *hub) broadcast(m []byte) {
	for c := range h.clients {
		select {
		case c.ch <- m:
		default:
			delete(h.clients, c)
			close(c.gone)
			h.s.drops.Add(1)
		}
	}
}
