package live

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// smallInfo is a job of 3 frames of 4×3 tiles of 8 px, for 2 workers.
var smallInfo = Info{Scene: "test", Width: 32, Height: 24, Frames: []int{1, 2, 3}, Workers: 2, Tile: 8, FPS: 30}

func TestHandlers(t *testing.T) {
	s := New(smallInfo, Options{})
	defer s.Close()
	dir := t.TempDir()
	frame := filepath.Join(dir, "frame_0002.png")
	want := []byte("\x89PNG not really, but only the bytes matter")
	if err := os.WriteFile(frame, want, 0o644); err != nil {
		t.Fatal(err)
	}
	// A file next to the frame that no URL may reach.
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.FrameDone(2, frame, stat(frame))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	tests := []struct {
		method, path string
		status       int
		contentType  string // prefix; "" to skip
		body         string // a substring; "" to skip
	}{
		{"GET", "/", 200, "text/html", `<canvas id="frame"`},
		{"GET", "/index.html", 200, "text/html", `<script src="app.js"`},
		{"GET", "/app.js", 200, "text/javascript", "new EventSource('events')"},
		{"GET", "/style.css", 200, "text/css", "#frame"},
		{"HEAD", "/", 200, "text/html", ""},
		{"GET", "/live.png", 200, "image/png", ""},
		{"GET", "/frames/2.png", 200, "image/png", string(want)},
		{"HEAD", "/frames/2.png", 200, "image/png", ""},
		{"GET", "/frames/1.png", 404, "", ""},
		{"GET", "/frames/02.png", 200, "image/png", string(want)},
		{"GET", "/frames/-2.png", 404, "", ""},
		{"GET", "/frames/+2.png", 404, "", ""},
		{"GET", "/frames/2", 404, "", ""},
		{"GET", "/frames/", 404, "", ""},
		{"GET", "/frames/99999999999999999999.png", 404, "", ""},
		{"GET", "/nothing", 404, "", ""},
		{"GET", "/page/index.html", 404, "", ""},
		// Path traversal: never the file.
		{"GET", "/frames/../../etc/passwd", 404, "", ""},
		{"GET", "/frames/%2e%2e%2fetc%2fpasswd", 404, "", ""},
		{"GET", "/frames/..%2f..%2fetc%2fpasswd", 404, "", ""},
		{"GET", "/frames/..%2fsecret.txt", 404, "", ""},
		{"GET", "/frames/2.png%2f..%2f..%2fsecret.txt", 404, "", ""},
		{"GET", "/frames/2.png/../secret.txt", 404, "", ""},
		{"GET", "/" + frame, 404, "", ""},
		{"GET", "/frames/" + frame, 404, "", ""},
		// Only GET and HEAD.
		{"POST", "/", 405, "", ""},
		{"PUT", "/frames/2.png", 405, "", ""},
		{"DELETE", "/frames/2.png", 405, "", ""},
		{"POST", "/events", 405, "", ""},
		{"PATCH", "/live.png", 405, "", ""},
		{"OPTIONS", "/", 405, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			status, header, body := rawRequest(t, srv.Listener.Addr().String(), tc.method, tc.path)
			if status != tc.status {
				t.Fatalf("%s %s: status %d, want %d (body %q)", tc.method, tc.path, status, tc.status, body)
			}
			if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("%s %s: Content-Type %q, want %s...", tc.method, tc.path, ct, tc.contentType)
			}
			if !strings.Contains(string(body), tc.body) {
				t.Errorf("%s %s: body %.200q, want it to contain %q", tc.method, tc.path, body, tc.body)
			}
			if tc.method == "HEAD" && len(body) > 0 {
				t.Errorf("HEAD %s: body of %d bytes, want none", tc.path, len(body))
			}
			if tc.status == 405 && header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, header.Get("Allow"), "GET, HEAD")
			}
			if bytes.Contains(body, []byte("secret")) || bytes.Contains(body, []byte("root:")) {
				t.Errorf("%s %s: the body shows a file that is not a registered frame: %q", tc.method, tc.path, body)
			}
		})
	}

	t.Run("frame bytes", func(t *testing.T) {
		_, _, body := rawRequest(t, srv.Listener.Addr().String(), "GET", "/frames/2.png")
		if !bytes.Equal(body, want) {
			t.Errorf("GET /frames/2.png = %q, want the file's bytes %q", body, want)
		}
	})
}

// rawRequest sends method path as written, over a raw connection, so that no
// client cleans or re-escapes the path, and returns the response.
func rawRequest(t *testing.T, addr, method, path string) (int, http.Header, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, path, addr)
	req, _ := http.NewRequest(method, "http://"+addr+"/", nil) // only tells ReadResponse about HEAD
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, body
}

func TestLivePNG(t *testing.T) {
	s := New(smallInfo, Options{})
	defer s.Close()
	j := newJob(t, smallInfo)
	us := j.units()
	j.run(s, us[:12], 2, 0, time.Now()) // frame 1 complete
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/live.png", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /live.png: status %d, want 200", rec.Code)
	}
	img, err := png.Decode(rec.Body)
	if err != nil {
		t.Fatalf("GET /live.png does not decode as a PNG: %v", err)
	}
	if got, want := img.Bounds(), image.Rect(0, 0, smallInfo.Width, smallInfo.Height); got != want {
		t.Fatalf("GET /live.png is %v, want %v", got, want)
	}
	if v := rec.Header().Get("X-Live-Version"); v != "12" {
		t.Errorf("X-Live-Version = %q, want 12 (one per tile)", v)
	}
	for _, p := range []image.Point{{0, 0}, {31, 23}, {17, 9}} {
		want := gradient(1, p.X, p.Y, smallInfo.Width, smallInfo.Height)
		if got := img.At(p.X, p.Y); got != want {
			t.Errorf("live.png at %v = %v, want %v", p, got, want)
		}
	}
}
