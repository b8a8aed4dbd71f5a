package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"render/live"
	"render/render"
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

// startWatch starts serving the live page of j on ln and hooks it into the job.
func startWatch(ln net.Listener, j *job, stderr io.Writer, quiet bool) *watch {
	page := live.New(live.Info{
		Scene: j.scene, Width: j.Width, Height: j.Height, Frames: j.share,
		Workers: j.Workers, Tile: j.Tile, FPS: j.FPS,
	}, live.Options{CPU: cpuTime})
	for _, n := range j.finished {
		page.FrameDone(n, j.seq.Path(n))
	}
	j.OnTile = func(d render.TileDone) {
		page.Tile(live.Tile{Frame: d.Frame, Worker: d.Worker, Rect: d.Rect, Start: d.Start, End: d.End, Pixels: d.Image})
	}
	w := &watch{
		page: page,
		http: &http.Server{Handler: page.Handler(), ReadHeaderTimeout: 10 * time.Second},
		url:  "http://" + ln.Addr().String() + "/",
	}
	go w.http.Serve(ln)
	if !quiet {
		fmt.Fprintf(stderr, "render: watch it live at %s\n", w.url)
		if !loopback(ln) {
			fmt.Fprintf(stderr, "render: serving on %s: any machine that can reach this one can watch\n", ln.Addr())
		}
	}
	return w
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
