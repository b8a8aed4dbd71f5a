package live

import (
	"net/http"
	"sync"
	"time"
)

// serveEvents streams the job to one client, from its catch-up on.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	c := &client{ch: make(chan []byte, s.opts.Buffer), gone: make(chan struct{})}
	select {
	case s.join <- c:
	case <-s.done:
		http.Error(w, "live: the job's live view is closed; the frames are in the output directory", http.StatusServiceUnavailable)
		return
	case <-r.Context().Done():
		return
	}
	defer func() {
		select {
		case s.leave <- c:
		case <-s.done:
		}
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // no buffering proxy in between, please
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	out := newStream(w, s.opts.WriteTimeout, c.gone)
	defer out.close()
	if !out.write([]byte("retry: 2000\n\n")) || !out.flush() {
		return
	}
	for {
		select {
		case m, ok := <-c.ch:
			if !ok {
				return // Close: everything sent was written
			}
			if !out.write(m) {
				return
			}
			// Write what else is waiting before one flush.
			for more := true; more; {
				select {
				case m, ok := <-c.ch:
					if !ok {
						out.flush()
						return
					}
					if !out.write(m) {
						return
					}
				default:
					more = false
				}
			}
			if !out.flush() {
				return
			}
		case <-c.gone:
			return
		case <-r.Context().Done():
			return
		}
	}
}

// stream writes one client's events with a deadline per write, and cuts a write
// short when the hub drops the client: a stalled client must not hold its handler
// until the deadline.
type stream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration

	mu      sync.Mutex // orders deadline changes between write and the drop
	dropped bool
	ended   bool
	stop    chan struct{}
}

// aLongTimeAgo is a deadline in the past: it fails a blocked write at once.
var aLongTimeAgo = time.Unix(1, 0)

func newStream(w http.ResponseWriter, timeout time.Duration, gone <-chan struct{}) *stream {
	st := &stream{w: w, rc: http.NewResponseController(w), timeout: timeout, stop: make(chan struct{})}
	go func() {
		select {
		case <-gone:
			st.mu.Lock()
			if !st.ended {
				st.dropped = true
				st.rc.SetWriteDeadline(aLongTimeAgo)
			}
			st.mu.Unlock()
		case <-st.stop:
		}
	}()
	return st
}

// deadline sets the deadline of the next write, unless the client was dropped.
func (st *stream) deadline() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.dropped {
		return false
	}
	st.rc.SetWriteDeadline(time.Now().Add(st.timeout)) // not every ResponseWriter supports it; then writes just block
	return true
}

func (st *stream) write(m []byte) bool {
	if !st.deadline() {
		return false
	}
	_, err := st.w.Write(m)
	return err == nil
}

func (st *stream) flush() bool {
	return st.deadline() && st.rc.Flush() == nil
}

// close clears the deadline, since the connection may serve other requests after
// this one, and stops watching for the drop.
func (st *stream) close() {
	st.mu.Lock()
	st.ended = true
	if !st.dropped {
		st.rc.SetWriteDeadline(time.Time{})
	}
	st.mu.Unlock()
	close(st.stop)
}
