package browser

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// page turns green a moment after it loads, and says so.
const page = `<!doctype html><html><body style="margin:0;background:#000">
<script>setTimeout(() => { document.body.style.background = '#00ff00'; document.body.dataset.ready = 'yes'; }, 200);</script>
</body></html>`

func TestCapture(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium: skipped with -short")
	}
	if _, ok := Path(); !ok {
		t.Skip("no Chromium on PATH (chromium, chromium-browser or google-chrome): install it to run this test, e.g. apt-get install chromium")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(page))
	}))
	defer srv.Close()

	shot, value, err := Capture(context.Background(), srv.URL, `document.body.dataset.ready === 'yes'`, `[innerWidth, innerHeight]`, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if string(value) != "[1280,900]" {
		t.Errorf("the viewport is %s, want [1280,900]", value)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot does not decode as a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != ViewportWidth || got.Y != ViewportHeight {
		t.Errorf("the screenshot is %v, want %dx%d", got, ViewportWidth, ViewportHeight)
	}
	// Taken after the wait: the page is green.
	if got, want := color.RGBAModel.Convert(img.At(640, 450)), (color.RGBA{0, 255, 0, 255}); got != want {
		t.Errorf("the screenshot's centre is %v, want %v", got, want)
	}
}

func TestCaptureTimesOut(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium: skipped with -short")
	}
	if _, ok := Path(); !ok {
		t.Skip("no Chromium on PATH: install it to run this test, e.g. apt-get install chromium")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><p>never ready`))
	}))
	defer srv.Close()
	start := time.Now()
	_, err := Screenshot(context.Background(), srv.URL, `false`, 2*time.Second)
	if err == nil {
		t.Fatal("Screenshot of a page that never gets ready succeeded, want an error")
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("Screenshot gave up after %v, want about its 2 s timeout", d)
	}
	t.Log(err)
}
