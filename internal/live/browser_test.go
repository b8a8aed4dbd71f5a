package live

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sdfrender/render/internal/browser"
)

var screenshot = flag.String("screenshot", "", "write the live page's screenshot, taken mid-render, to this PNG file (and the one after the end to FILE-done.png)")

// TestPageInBrowser renders a synthetic job slowly, watches it in headless
// Chromium, and checks the screenshot: the frame is drawn from /live.png, with
// the landed tiles outlined in their workers' colours. Then it lets the job end
// and checks that a browser that opens the page late sees it done, with the
// summary and the finished frames.
func TestPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the page's end-to-end test starts Chromium: skipped with -short")
	}
	if _, ok := browser.Path(); !ok {
		t.Skip("no Chromium on PATH (chromium, chromium-browser or google-chrome): install it to run the page's end-to-end test, e.g. apt-get install chromium")
	}
	info := Info{Scene: "synthetic", Width: 480, Height: 270, Frames: []int{1, 2, 3, 4, 5, 6, 7, 8}, Workers: 4, Tile: 32, FPS: 30}
	start := time.Now()
	// A CPU clock that runs at half the wall clock, as if half a core were busy.
	cpu := func() time.Duration { return time.Since(start) / 2 }
	s := New(info, Options{CPU: cpu})
	t.Cleanup(s.Close)
	connected := make(chan struct{})
	var once sync.Once
	h := s.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/events" {
			once.Do(func() { close(connected) })
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	// Three frames and a half as soon as the page connects, at a pace one can
	// watch; then the job waits for the screenshot before it renders the rest.
	j := newJob(t, info)
	us := j.units()
	perFrame := len(j.tiles())
	paused := 3*perFrame + perFrame/2
	resume := make(chan struct{})
	var resumeOnce sync.Once
	t.Cleanup(func() { resumeOnce.Do(func() { close(resume) }) })
	const summary = "rendered 8 frames of synthetic, 480x270 at 1 sample, into testdata\n  wall 3.00s   2.67 frames/s"
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-connected:
		case <-resume:
			return
		}
		j.run(s, us[:paused], info.Workers, 10*time.Millisecond, start)
		<-resume
		j.run(s, us[paused:], info.Workers, 2*time.Millisecond, start)
		s.Finish(summary)
	}()

	ctx := context.Background()
	waitJS := fmt.Sprintf(`document.body.dataset.state === 'rendering' && +document.body.dataset.frames >= 3 && `+
		`+document.body.dataset.tiles >= %d && +document.body.dataset.version >= %d && `+
		`[...document.images].every((i) => i.complete && i.naturalWidth > 0)`, paused, paused)
	shot, value, err := browser.Capture(ctx, srv.URL+"/", waitJS, browser.FrameJS, 60*time.Second)
	resumeOnce.Do(func() { close(resume) })
	if err != nil {
		t.Fatal(err)
	}
	path := *screenshot
	if path == "" {
		path = filepath.Join(t.TempDir(), "live.png")
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot mid-render: %s", path)
	check, err := browser.CheckTiles(shot, value, 4)
	if err != nil {
		t.Error(err)
	}
	if check.Colours < 200 {
		t.Errorf("%d distinct colours in the frame, want the gradient's hundreds", check.Colours)
	}
	t.Logf("frame area %v: %d tiles in bold, of workers %v (%v pixels of their outlines), %d faint; %d painted, %d colours",
		check.Area, check.Bold, check.Active, check.Outlined, check.Faint, check.Painted, check.Colours)

	// Once the job is over, a new browser catches up with all of it.
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("the synthetic job did not finish within 30 s")
	}
	shot, value, err = browser.Capture(ctx, srv.URL+"/", `document.body.dataset.state === 'done'`,
		`({summary: document.getElementById('summary').textContent, thumbs: document.querySelectorAll('#thumbs img').length,
		   frames: document.getElementById('s-frames').textContent, visible: !document.getElementById('summary-panel').hidden})`, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if *screenshot != "" {
		p := strings.TrimSuffix(*screenshot, ".png") + "-done.png"
		if err := os.WriteFile(p, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot after the end: %s", p)
	}
	var done struct {
		Summary, Frames string
		Thumbs          int
		Visible         bool
	}
	if err := json.Unmarshal(value, &done); err != nil {
		t.Fatalf("the page's answer %s: %v", value, err)
	}
	if done.Summary != summary || !done.Visible || done.Thumbs != 8 || done.Frames != "8 / 8" {
		t.Errorf("the page after the end shows %+v, want the summary %q, 8 thumbnails and 8 / 8 frames", done, summary)
	}
}
