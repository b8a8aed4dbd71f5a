package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sdfrender/render/internal/output"
)

// renderCLI runs the command in-process and returns its exit code and outputs.
func renderCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// small are flags for a job that renders in a blink.
func small(dir string, extra ...string) []string {
	return append([]string{"--frames", "3", "--width", "32", "--height", "18", "--out", dir}, extra...)
}

func TestHelp(t *testing.T) {
	code, stdout, _ := renderCLI(t, "--help")
	if code != exitOK {
		t.Errorf("--help: exit %d, want %d", code, exitOK)
	}
	for _, flag := range []string{"--scene", "--frames", "--fps", "--width", "--height", "--samples", "--tile", "--workers", "--cores", "--out", "--name", "--quiet", "(default 120)", "Exit codes"} {
		if !strings.Contains(stdout, flag) {
			t.Errorf("--help does not mention %s", flag)
		}
	}
}

// TestBadInput runs every bad command line in-process and, but for -short, as the
// built binary, whose exit code is what a user's shell sees.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, nil, 0o644)
	out := filepath.Join(dir, "never")
	runs := map[string]func(args ...string) (int, string, string){
		"in-process": func(args ...string) (int, string, string) { return renderCLI(t, args...) },
	}
	if !testing.Short() {
		bin := buildBinary(t)
		runs["binary"] = func(args ...string) (int, string, string) {
			cmd := bounded(t, cmdLimit, bin, args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			cmd.Run()
			return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--frames", "0"}, "--frames must be between 1"},
		{[]string{"--frames", "-5"}, "--frames must be between 1"},
		{[]string{"--fps", "0"}, "--fps must be"},
		{[]string{"--fps", "NaN"}, "--fps must be"},
		{[]string{"--width", "0"}, "--width and --height must be between 1"},
		{[]string{"--height", "-1"}, "--width and --height must be between 1"},
		{[]string{"--width", "200000"}, "--width and --height must be between 1"},
		{[]string{"--samples", "0"}, "--samples must be between 1"},
		{[]string{"--tile", "0"}, "--tile must be between 1"},
		{[]string{"--workers", "0"}, "--workers must be between 1"},
		{[]string{"--workers", "100000"}, "--workers must be between 1"},
		{[]string{"--cores", "0"}, "--cores must be between 1"},
		{[]string{"--scene", "nope"}, `unknown scene "nope" (built-in scenes: showcase, field, hotspot, gallery, minimal, focus); --scene also takes a scene file (.yaml)`},
		{[]string{"--name", "frame.png"}, "exactly one frame-number verb"},
		{[]string{"--name", "frame_%04d.jpg"}, "must end in .png"},
		{[]string{"--frames", "ten"}, `invalid argument "ten" for "--frames"`},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		for via, run := range runs {
			t.Run(via+" "+strings.Join(c.args, " "), func(t *testing.T) {
				checkBadInput(t, run, out, c.args, c.want)
			})
		}
	}
	for _, bad := range []string{file, filepath.Join(file, "sub")} {
		for via, run := range runs {
			code, _, stderr := run(small(bad)...)
			if code != exitUsage || !strings.Contains(stderr, file) {
				t.Errorf("%s --out %s: exit %d, stderr %q; want exit %d naming the file", via, bad, code, stderr, exitUsage)
			}
		}
	}
}

// checkBadInput runs a bad command line: exit 2, one line on stderr, nothing on
// stdout and nothing created.
func checkBadInput(t *testing.T, run func(args ...string) (int, string, string), out string, args []string, want string) {
	t.Helper()
	code, stdout, stderr := run(append([]string{"--out", out}, args...)...)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr, want)
	}
	if n := strings.Count(stderr, "\n"); n != 1 || !strings.HasPrefix(stderr, "render: ") {
		t.Errorf("stderr = %q, want one line starting with 'render: '", stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was created for a bad command line", out)
	}
}

func TestRenderWritesSequence(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "frames")
	code, stdout, stderr := renderCLI(t, small(dir, "--name", "shot_%05d.png", "--samples", "4")...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if names := checkFrames(t, dir, 3, 32, 18); strings.Join(names, " ") != "shot_00001.png shot_00002.png shot_00003.png" {
		t.Errorf("files %v, want shot_00001.png to shot_00003.png", names)
	}
	// "worker on 1 core" where only one CPU is there to use (a taskset, a
	// one-core container), "2 workers on 2 cores" elsewhere.
	for _, want := range []string{"rendered 3 frames of showcase, 32x18 at 4 samples", "frames/s", "Mpx/s", "worker", " on ", " core", "CPU utilisation"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary %q does not contain %q", stdout, want)
		}
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing when stderr is not a terminal", stderr)
	}
}

func TestQuietPrintsNothing(t *testing.T) {
	code, stdout, stderr := renderCLI(t, small(t.TempDir(), "--quiet")...)
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("--quiet: exit %d, stdout %q, stderr %q; want 0 and nothing", code, stdout, stderr)
	}
}

func TestSameBytesWhateverWorkersCoresAndTiles(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	args := []string{"--frames", "4", "--width", "64", "--height", "36", "--samples", "2", "--quiet"}
	if code, _, stderr := renderCLI(t, append(args, "--out", a, "--workers", "1", "--tile", "8", "--cores", "1")...); code != exitOK {
		t.Fatal(stderr)
	}
	if code, _, stderr := renderCLI(t, append(args, "--out", b, "--workers", "8", "--tile", "64", "--cores", strconv.Itoa(runtime.NumCPU()))...); code != exitOK {
		t.Fatal(stderr)
	}
	for n := 1; n <= 4; n++ {
		name := "frame_000" + strconv.Itoa(n) + ".png"
		fa, errA := os.ReadFile(filepath.Join(a, name))
		fb, errB := os.ReadFile(filepath.Join(b, name))
		if errA != nil || errB != nil || !bytes.Equal(fa, fb) {
			t.Errorf("%s: 1 worker, tile 8, 1 core and 8 workers, tile 64, all cores give different files (%v, %v)", name, errA, errB)
		}
	}
}

// buildBinary builds the command, once for all the tests that run it as a
// process, and returns its path. RENDER_TEST_BIN, when set, names a binary to
// test instead: an older build, to see that a test fails on the code it was
// written against.
func buildBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("RENDER_TEST_BIN"); bin != "" {
		return bin
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "render-test-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "render")
		if out, err := bounded(t, buildLimit, "go", "build", "-o", built.bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// built is the binary buildBinary made, removed by TestMain at the end.
var built struct {
	once     sync.Once
	dir, bin string
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func TestSignalsStopCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and renders until signalled")
	}
	bin := buildBinary(t)
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{
		{syscall.SIGINT, exitInterrupted},
		{syscall.SIGTERM, exitTerminated},
		{syscall.SIGHUP, exitHangup},
	} {
		t.Run(c.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd, stderr := startRender(t, bin, "--frames", "100000", "--width", "64", "--height", "36", "--out", dir)
			waitForFiles(t, dir, 3)
			cmd.Process.Signal(c.sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 10s after %v", c.sig)
			}
			if got := cmd.ProcessState.ExitCode(); got != c.code {
				t.Errorf("exit %d after %v, want %d; stderr %q", got, c.sig, c.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr = %q, want it to say the render was interrupted", stderr.String())
			}
			checkManifest(t, dir, false)
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if bookkeeping(e.Name()) {
					continue
				}
				if !strings.HasSuffix(e.Name(), ".png") {
					t.Errorf("%s left behind after %v", e.Name(), c.sig)
					continue
				}
				f, _ := os.Open(filepath.Join(dir, e.Name()))
				_, err := png.Decode(f)
				f.Close()
				if err != nil {
					t.Errorf("%s is not a whole PNG after %v: %v", e.Name(), c.sig, err)
				}
			}
		})
	}
}

func TestSecondSignalExitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and renders until signalled")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	// Whole frames as units, large and slow: after the first signal the workers
	// are still busy for a good while, and the second finds the job running.
	cmd, stderr := startRender(t, bin, "--frames", "100000", "--width", "960", "--height", "540", "--tile", "2048", "--out", dir)
	waitForFiles(t, dir, 1)
	cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	start := time.Now()
	cmd.Wait()
	if got := cmd.ProcessState.ExitCode(); got != exitInterrupted {
		t.Errorf("exit %d after two SIGINTs, want %d; stderr %q", got, exitInterrupted, stderr.String())
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("the second SIGINT took %v to stop the process, want it at once", waited)
	}
	if !strings.Contains(stderr.String(), "second signal") {
		t.Errorf("stderr = %q, want it to say a second signal stopped it", stderr.String())
	}
	// A frame written just before the exit may not be in the manifest yet.
	checkManifest(t, dir, true)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".png") && !bookkeeping(e.Name()) {
			t.Errorf("%s left behind", e.Name())
		}
	}
}

// startRender starts the built binary with args, its stderr captured.
func startRender(t *testing.T, bin string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := bounded(t, cmdLimit, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// waitForFiles waits until dir holds at least n PNG files.
func waitForFiles(t *testing.T, dir string, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(dir, "*.png")); len(m) >= n {
			return
		}
	}
	t.Fatalf("fewer than %d frames in %s after 20s", n, dir)
}

func TestWriteFailureExitsOne(t *testing.T) {
	dir := t.TempDir()
	// A directory where frame 2 should go: renaming the finished frame onto it fails.
	os.Mkdir(filepath.Join(dir, "frame_0002.png"), 0o755)
	code, _, stderr := renderCLI(t, small(dir)...)
	if code != exitFailure {
		t.Errorf("exit %d, want %d; stderr %q", code, exitFailure, stderr)
	}
	if !strings.Contains(stderr, "frame_0002.png") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr = %q, want one line naming frame_0002.png", stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*"+".partial")); len(m) != 0 {
		t.Errorf("temporary files left behind: %v", m)
	}
	m, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if m = slices.DeleteFunc(m, func(p string) bool { return bookkeeping(filepath.Base(p)) }); len(m) != 0 {
		t.Errorf("hidden files left behind: %v", m)
	}
}

// bookkeeping reports whether name is one of the files render keeps in an
// output directory beside the frames: the manifest and its lock.
func bookkeeping(name string) bool { return name == output.ManifestName || name == output.LockName }

// checkFrames checks that dir holds exactly n PNG files of width × height, and a
// manifest that records them, and returns their names.
func checkFrames(t *testing.T, dir string, n, width, height int) []string {
	t.Helper()
	checkManifest(t, dir, false)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if bookkeeping(e.Name()) {
			continue
		}
		names = append(names, e.Name())
		f, _ := os.Open(filepath.Join(dir, e.Name()))
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != width || cfg.Height != height {
			t.Errorf("%s: %dx%d, %v; want a %dx%d PNG", e.Name(), cfg.Width, cfg.Height, err, width, height)
		}
	}
	if len(names) != n {
		t.Errorf("%d files in %s, want %d: %v", len(names), dir, n, names)
	}
	return names
}

// checkManifest checks that dir's manifest never lies: every frame it records is
// there, whole. Unless someFrameUnrecorded, every PNG there is recorded too.
func checkManifest(t *testing.T, dir string, someFrameUnrecorded bool) {
	t.Helper()
	r, err := output.Verify(dir)
	if err != nil {
		t.Fatalf("verify %s: %v", dir, err)
	}
	if len(r.Missing) != 0 || len(r.Corrupt) != 0 || !someFrameUnrecorded && len(r.Foreign) != 0 {
		t.Errorf("verify %s = %+v, want every recorded frame whole and every frame recorded", dir, r)
	}
}
