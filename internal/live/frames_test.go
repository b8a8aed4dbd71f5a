//go:build unix

package live

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServesOnlyTheFileWritten: a registered frame is served only while its
// path holds the very file written; a link, another file, a FIFO or a grown
// file in its place is a 404, and the FIFO does not hang the handler.
func TestServesOnlyTheFileWritten(t *testing.T) {
	s := New(Info{Scene: "t", Width: 4, Height: 4, Frames: []int{1}, Workers: 1, Tile: 4, FPS: 1}, Options{})
	defer s.Close()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	dir := t.TempDir()
	frame := filepath.Join(dir, "frame_0001.png")
	os.WriteFile(frame, []byte("the frame written"), 0o644)
	s.FrameDone(1, frame, stat(frame))
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("secret"), 0o644)

	for _, c := range []struct {
		name   string
		swap   func() error
		status int
	}{
		{"as written", func() error { return nil }, http.StatusOK},
		{"grown in place", func() error {
			f, err := os.OpenFile(frame, os.O_APPEND|os.O_WRONLY, 0)
			if err == nil {
				f.Write([]byte(" and more"))
				f.Close()
			}
			return err
		}, http.StatusNotFound},
		{"a link", func() error { os.Remove(frame); return os.Symlink(secret, frame) }, http.StatusNotFound},
		{"another file", func() error { os.Remove(frame); return os.WriteFile(frame, []byte("secret too"), 0o644) }, http.StatusNotFound},
		{"a FIFO", func() error { os.Remove(frame); return syscall.Mkfifo(frame, 0o644) }, http.StatusNotFound},
	} {
		if err := c.swap(); err != nil {
			t.Fatal(err)
		}
		status, _, body := rawRequest(t, srv.Listener.Addr().String(), "GET", "/frames/1.png")
		if status != c.status || c.status != http.StatusOK && strings.Contains(string(body), "secret") {
			t.Errorf("frame %s: status %d, body %.40q; want %d", c.name, status, body, c.status)
		}
	}
}
