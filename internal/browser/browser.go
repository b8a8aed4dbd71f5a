// Package browser drives a headless Chromium for the tests of the other packages:
// it loads a page, waits for it to get somewhere, and takes a screenshot. It
// starts a fresh browser, with a fresh profile, per call; it is for tests, not for
// serving anything.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/chromedp"
)

// Viewport is the size of the page's viewport, and so of a screenshot, in CSS pixels.
const (
	ViewportWidth  = 1280
	ViewportHeight = 900
)

// names are the commands that may run Chromium, in the order Path tries them.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// Path returns the Chromium (or Chrome) executable on PATH, and whether there is one.
func Path() (string, bool) {
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// Screenshot loads url in headless Chromium with a ViewportWidth × ViewportHeight
// viewport, waits until the JavaScript expression waitJS is true, and returns a PNG
// screenshot of the viewport. timeout bounds the whole call, the browser's start
// included.
func Screenshot(ctx context.Context, url, waitJS string, timeout time.Duration) ([]byte, error) {
	shot, _, err := Capture(ctx, url, waitJS, "", timeout)
	return shot, err
}

// Capture is Screenshot that also evaluates the JavaScript expression evalJS, once
// waitJS is true and just before the screenshot, and returns its value as JSON
// (nil when evalJS is empty): a test can ask the page where things are.
func Capture(ctx context.Context, url, waitJS, evalJS string, timeout time.Duration) (shot, value []byte, err error) {
	exe, ok := Path()
	if !ok {
		return nil, nil, errors.New("browser: no Chromium on PATH: install the chromium package (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.WindowSize(ViewportWidth, ViewportHeight),
		chromedp.DisableGPU,
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// The browser lives as long as the context of its first Run: start it on a
	// context that outlives every step, and bound the steps with ctx.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err := <-started:
		if err != nil {
			return nil, nil, fmt.Errorf("browser: cannot start %s: %w", exe, err)
		}
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("browser: %s did not start within %v", exe, timeout)
	}

	sctx, cancelSteps := context.WithCancel(bctx)
	defer cancelSteps()
	stop := context.AfterFunc(ctx, cancelSteps)
	defer stop()
	err = chromedp.Do(sctx,
		chromedp.EmulateViewport(ViewportWidth, ViewportHeight),
		chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void](waitJS, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0)),
	)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("browser: %s did not become true on %s within %v: %w", waitJS, url, timeout, err)
		}
		return nil, nil, fmt.Errorf("browser: cannot load %s: %w", url, err)
	}
	if evalJS != "" {
		v, err := chromedp.Run(sctx, chromedp.Evaluate[string]("JSON.stringify("+evalJS+")"))
		if err != nil {
			return nil, nil, fmt.Errorf("browser: cannot evaluate %s: %w", evalJS, err)
		}
		value = []byte(v)
	}
	shot, err = chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, nil, fmt.Errorf("browser: cannot take a screenshot of %s: %w", url, err)
	}
	return shot, value, nil
}
