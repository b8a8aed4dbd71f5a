package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sdfrender/render/internal/browser"
)

func TestServeFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--serve", "80x"}, "want HOST:PORT"},
		{[]string{"--serve", "localhost:http"}, "want HOST:PORT"},
		{[]string{"--serve", "127.0.0.1:70000"}, "want HOST:PORT"},
		{[]string{"--serve", "192.0.2.1:8080"}, "cannot listen"}, // an address this machine does not have
		{[]string{"--serve-exit"}, "--serve-exit goes with --serve"},
	} {
		out := filepath.Join(dir, "out")
		code, _, stderr := renderCLI(t, small(out, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line saying %q", c.args, code, stderr, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: %s was created for a bad command line", c.args, out)
		}
	}
	// A port already taken is said before anything renders.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	out := filepath.Join(dir, "busy")
	if code, _, stderr := renderCLI(t, small(out, "--serve", ln.Addr().String())...); code != exitUsage || !strings.Contains(stderr, "address already in use") {
		t.Errorf("--serve on a busy port: exit %d, stderr %q; want exit 2 saying the address is in use", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was created for a busy port", out)
	}
}

func TestListenDefaultsToLoopback(t *testing.T) {
	for _, addr := range []string{":0", "0"} {
		ln, err := listen(addr)
		if err != nil {
			t.Fatal(err)
		}
		if !loopback(ln) {
			t.Errorf("--serve %s listens on %v, want the loopback interface only", addr, ln.Addr())
		}
		ln.Close()
	}
}

// freePort returns a port on 127.0.0.1 that nothing listens on just now.
func freePort(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// watcher reads a live page's event stream as the page does, fetching the
// canvas whenever a newer one is announced (one fetch at a time, at most every
// 150 ms) and every finished frame's thumbnail, until ctx ends or the job ends.
func watcher(ctx context.Context, base string) error {
	var resp *http.Response
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"events", nil)
		r, err := http.DefaultClient.Do(req)
		if err == nil {
			resp = r
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	defer resp.Body.Close()
	version := regexp.MustCompile(`"v":(\d+)`)
	frameURL := regexp.MustCompile(`"url":"(frames/\d+\.png)"`)
	var want, have int
	var last time.Time
	fetch := func(path string) {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		if r, err := http.DefaultClient.Do(req); err == nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "event: end" {
			return nil
		}
		if m := version.FindStringSubmatch(line); m != nil {
			want, _ = strconv.Atoi(m[1])
		}
		for _, m := range frameURL.FindAllStringSubmatch(line, -1) {
			fetch(m[1])
		}
		if want > have && time.Since(last) > 150*time.Millisecond {
			fetch("live.png")
			have, last = want, time.Now()
		}
	}
	return sc.Err()
}

// BenchmarkServeOverhead measures what watching costs the render: the same job
// without --serve, with the live page served to no client, and to five, each
// reading the events and fetching the pictures as the page does. The three run
// in turn in every iteration, so that a drift in the machine's speed hits them
// alike; the metrics are the medians and the five clients' cost over none.
// The wall time of one run varies by a few per cent on a shared machine, so
// the CPU profile is the steadier measure: each way runs under the pprof label
// "clients", which `go tool pprof -tags` totals (the clients themselves, which a
// browser elsewhere would be, run unlabelled):
//
//	go test -run XXX -bench ServeOverhead -benchtime 9x -cpuprofile cpu.out ./cmd/render
//	go tool pprof -tags cpu.out
func BenchmarkServeOverhead(b *testing.B) {
	walls := map[int][]float64{} // by clients; -1 is without --serve
	cpus := map[int][]float64{}
	for b.Loop() {
		for _, clients := range []int{-1, 0, 5} {
			args := []string{"--frames", "48", "--out", b.TempDir(), "-q"}
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			if clients >= 0 {
				addr := freePort(b)
				args = append(args, "--serve", addr, "--serve-exit")
				for range clients {
					wg.Go(func() { watcher(ctx, "http://"+addr+"/") })
				}
			}
			start, cpu0 := time.Now(), cpuTime()
			var out, errs strings.Builder
			var code int
			// Labelled, so that a CPU profile tells the three ways apart.
			pprof.Do(ctx, pprof.Labels("clients", strconv.Itoa(clients)), func(context.Context) {
				code = run(args, &out, &errs)
			})
			walls[clients] = append(walls[clients], time.Since(start).Seconds())
			cpus[clients] = append(cpus[clients], (cpuTime() - cpu0).Seconds())
			cancel()
			wg.Wait()
			if code != exitOK {
				b.Fatalf("exit %d: %s", code, errs.String())
			}
		}
	}
	median := func(xs []float64) float64 {
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	off, none, five := median(walls[-1]), median(walls[0]), median(walls[5])
	b.ReportMetric(off, "wall-no-serve-s")
	b.ReportMetric(none, "wall-0-clients-s")
	b.ReportMetric(five, "wall-5-clients-s")
	b.ReportMetric(100*(five/none-1), "%-5-clients")
	b.ReportMetric(100*(median(cpus[5])/median(cpus[0])-1), "%cpu-5-clients")
}

var liveScreenshot = flag.String("live-screenshot", "", "write the live page's screenshot, taken during a real render, to this PNG file (docs/live.png)")

// TestLivePageDuringRender renders the showcase with the built binary and
// --serve, loads the page in headless Chromium while the workers render, and
// checks that the screenshot shows the frame's tiles outlined in the four
// workers' colours.
func TestLivePageDuringRender(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium and a render")
	}
	if _, ok := browser.Path(); !ok {
		t.Skip("no Chromium on PATH: install it (apt-get install chromium) to run the live page's end-to-end test")
	}
	bin := buildBinary(t)
	addr := freePort(t)
	cmd, stderr := startRender(t, bin, "--serve", addr, "--frames", "240", "--workers", "4", "--out", t.TempDir())
	defer cmd.Process.Kill()

	// The picture the page shows must be one encoded after two frames' worth
	// of tiles landed, not an older encode with part of frame 1 still
	// background: the server re-encodes at most a few times a second. And the
	// page must outline a good part of a frame in progress, not the first few
	// tiles after a frame was written, so that several workers show.
	waitJS := `document.body.dataset.state === 'rendering' && +document.body.dataset.frames >= 2 && ` +
		`+document.body.dataset.tiles >= 60 && +document.body.dataset.version >= 2 * job.tilesPerFrame && ` +
		`[...landed.values()].filter((t) => !done.has(t.frame)).length >= 40 && ` +
		`[...document.images].every((i) => i.complete && i.naturalWidth > 0)`
	shot, frame, err := browser.Capture(context.Background(), "http://"+addr+"/", waitJS, browser.FrameJS, 60*time.Second)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("%v\nrender's stderr: %s", err, stderr)
	}
	if *liveScreenshot != "" {
		if err := os.WriteFile(*liveScreenshot, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Four workers on any number of cores: which of them drew the tiles in
	// progress is the scheduler's business (on a loaded 2-core machine one may
	// sit out a whole frame), but two at least work at once.
	check, err := browser.CheckTiles(shot, frame, 2)
	if err != nil {
		t.Error(err)
	}
	t.Logf("frame area %v: %d tiles in bold, of workers %v (%v pixels of their outlines), %d faint; %d painted, %d colours",
		check.Area, check.Bold, check.Active, check.Outlined, check.Faint, check.Painted, check.Colours)

	// The real server serves nothing outside the job's frames.
	for _, path := range []string{"/frames/../../etc/passwd", "/frames/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/../../etc/passwd"} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.0\r\n\r\n", path)
		reply, _ := io.ReadAll(conn)
		conn.Close()
		if strings.Contains(string(reply), "root:") || !strings.HasPrefix(string(reply), "HTTP/1.0 4") {
			t.Errorf("GET %s: %.40q..., want a 4xx and never the file", path, reply)
		}
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Errorf("exit %d after Ctrl-C mid-render, want %d", code, exitInterrupted)
	}
}

// TestServeStaysUpAfterTheRender checks the end of a served job: the page gets
// the summary and stays up until Ctrl-C, which then exits 0; with --serve-exit
// the command ends with the render.
func TestServeStaysUpAfterTheRender(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	addr := freePort(t)
	cmd, stderr := startRender(t, bin, small(t.TempDir(), "--serve", addr)...)
	defer cmd.Process.Kill()
	var resp *http.Response
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r, err := http.Get("http://" + addr + "/events")
		if err == nil {
			resp = r
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the live page did not come up: %v", err)
		}
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && sc.Text() != "event: end" {
	}
	sc.Scan()
	if !strings.Contains(sc.Text(), "rendered 3 frames of showcase") {
		t.Errorf("a late client's end event is %q, want the summary", sc.Text())
	}
	resp.Body.Close()
	// The end event went out after the render: the page is lingering now.
	if resp, err := http.Get("http://" + addr + "/"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET / after the render: %v, want the page still served", err)
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitOK || !strings.Contains(stderr.String(), "stays up until Ctrl-C") {
		t.Errorf("exit %d after Ctrl-C on a finished job's page, stderr %q; want 0 (the job was done) and word that the page stayed up", code, stderr)
	}

	code, stdout, stderr2 := renderCLI(t, small(t.TempDir(), "--serve", "127.0.0.1:0", "--serve-exit")...)
	if code != exitOK || !strings.Contains(stdout, "rendered 3 frames") || !strings.Contains(stderr2, "watch it live at http://127.0.0.1:") {
		t.Errorf("--serve-exit: exit %d, stdout %q, stderr %q; want 0, the summary and the page's address", code, stdout, stderr2)
	}
}

func TestLoopbackOnly(t *testing.T) {
	h := loopbackOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for host, want := range map[string]int{
		"localhost:8080":      http.StatusOK,
		"127.0.0.1:8080":      http.StatusOK,
		"127.0.0.2":           http.StatusOK,
		"[::1]:8080":          http.StatusOK,
		"evil.example:8080":   http.StatusForbidden, // a rebound name
		"192.168.1.10:8080":   http.StatusForbidden,
		"localhost.evil:8080": http.StatusForbidden,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %s: %d, want %d", host, w.Code, want)
		}
	}
}

func TestLimitListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &limitListener{Listener: ln, slots: make(chan struct{}, 2)}
	defer l.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	take := func() net.Conn {
		select {
		case c := <-accepted:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("no connection accepted within 10 s of two dialled, want two at once")
			return nil
		}
	}
	first, second := take(), take()
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open, want it to wait")
	case <-time.After(100 * time.Millisecond):
	}
	first.Close()
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("the third connection was not accepted once the first closed")
	}
	second.Close()
}

// TestServeRefusesForeignHosts checks that the real server, not only the
// wrapper, answers only to this machine's names when it listens on loopback:
// a request whose Host is some other name (a rebound DNS name) is refused,
// while the same request to 127.0.0.1 gets the page.
func TestServeRefusesForeignHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	addr := freePort(t)
	cmd, stderr := startRender(t, bin, "--serve", addr, "--frames", "240", "--workers", "1", "--out", t.TempDir())
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	get := func(host string) int {
		req, _ := http.NewRequest("GET", "http://"+addr+"/", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	deadline := time.Now().Add(20 * time.Second)
	for get("127.0.0.1") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("the page at %s did not answer within 20 s; render's stderr: %s", addr, stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, host := range []string{"evil.example", "evil.example:" + strings.Split(addr, ":")[1], "192.168.1.10"} {
		if code := get(host); code != http.StatusForbidden {
			t.Errorf("GET / with Host %s: %d, want %d", host, code, http.StatusForbidden)
		}
	}
	if code := get("localhost"); code != http.StatusOK {
		t.Errorf("GET / with Host localhost: %d, want %d", code, http.StatusOK)
	}
}
