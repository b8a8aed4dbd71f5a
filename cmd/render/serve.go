package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sdfrender/render/internal/live"
	"github.com/sdfrender/render/render"
)

// listen checks --serve's address and listens on it, before anything renders.
// A port alone ("8080" or ":8080") listens on the loopback interface only; any
// other host must be written out, 0.0.0.0 included.
func listen(addr string) (net.Listener, error) {
	if _, err := strconv.Atoi(addr); err == nil {
		addr = ":" + addr
	}
	host, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		return nil, usagef("--serve %s: want HOST:PORT such as 127.0.0.1:8080, or a port alone for this machine only", addr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) {
			err = op.Err
		}
		return nil, usagef("--serve %s: cannot listen: %v; choose another port or address", addr, err)
	}
	return ln, nil
}

// loopback reports whether the listener takes connections from this machine only.
func loopback(ln net.Listener) bool {
	tcp, ok := ln.Addr().(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// watch is the live page of a job being rendered: an HTTP server on its own
// goroutines, which the workers tell of every tile without waiting for it.
type watch struct {
	page *live.Server
	http *http.Server
	url  string
}

// maxViewers is the most connections the live page keeps open at once; more
// wait to be accepted, so that no number of browsers can use up the process's
// file descriptors, which the render needs.
const maxViewers = 128

// startWatch starts serving the live page of j on ln and hooks it into the job.
// The page shows the frames this run renders: those finished before are not
// its work, and would skew its ETA.
func startWatch(ln net.Listener, j *job, stderr io.Writer, quiet bool) *watch {
	page := live.New(live.Info{
		Scene: j.scene, Width: j.Width, Height: j.Height, Frames: j.Frames,
		Workers: j.Workers, Tile: j.Tile, FPS: j.FPS,
	}, live.Options{CPU: cpuTime})
	j.OnTile = func(d render.TileDone) {
		page.Tile(live.Tile{Frame: d.Frame, Worker: d.Worker, Rect: d.Rect, Start: d.Start, End: d.End, Pixels: d.Image})
	}
	handler := page.Handler()
	if loopback(ln) {
		handler = loopbackOnly(handler)
	}
	w := &watch{
		page: page,
		http: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       time.Minute,
			MaxHeaderBytes:    16 << 10,
			ErrorLog:          log.New(io.Discard, "", 0), // a viewer's trouble is not the render's
		},
		url: "http://" + ln.Addr().String() + "/",
	}
	go w.http.Serve(&limitListener{Listener: ln, slots: make(chan struct{}, maxViewers)})
	if !quiet {
		fmt.Fprintf(stderr, "render: watch it live at %s\n", w.url)
		if !loopback(ln) {
			fmt.Fprintf(stderr, "render: serving on %s: any machine that can reach this one can watch\n", ln.Addr())
		}
	}
	return w
}

// loopbackOnly refuses requests whose Host is not this machine: a page on some
// web site that a browser here opens could otherwise point its own name at
// 127.0.0.1 (DNS rebinding) and read the live page.
func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if ip := net.ParseIP(strings.Trim(host, "[]")); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			http.Error(w, "render: the live page answers only to localhost and loopback addresses", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// limitListener accepts at most cap(slots) connections at once: Accept waits
// for one to close.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
}

// limitConn gives its slot back when closed.
type limitConn struct {
	net.Conn
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}

// stop ends the event streams and closes the server.
func (w *watch) stop() {
	w.page.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	w.http.Shutdown(ctx)
}

// linger keeps the finished job's page up until ctx is cancelled (Ctrl-C).
func (w *watch) linger(ctx context.Context, stderr io.Writer, quiet bool) {
	if !quiet {
		fmt.Fprintf(stderr, "render: done; the page at %s stays up until Ctrl-C (or use --serve-exit)\n", w.url)
	}
	<-ctx.Done()
}
