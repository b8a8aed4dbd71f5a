package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sdfrender/render/internal/output"
)

func TestExitCode(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{usagef("--frames must be between 1 and 10, got 0"), exitUsage},
		{fmt.Errorf("render: %w", usagef("bad flag")), exitUsage},
		{inputError{errors.New("scene.yaml:3:1: objects[0].radius must be > 0, got -1")}, exitUsage},
		{reported{inputError{errors.New("bad.yaml: no such file")}}, exitUsage},
		{ioFailure{errors.New("output: cannot create directory /sys/x: operation not permitted")}, exitFailure},
		{fmt.Errorf("render: %w", ioFailure{errors.New("disk full")}), exitFailure},
		{errors.New("render: frame 3: disk full (2 of 3 frames were written)"), exitFailure},
		{interrupted{os.Interrupt, "render: interrupted"}, exitInterrupted},
		{interrupted{syscall.SIGTERM, "render: interrupted"}, exitTerminated},
		{interrupted{syscall.SIGHUP, "render: interrupted"}, exitHangup},
		{interrupted{os.Interrupt, "render: interrupted before rendering: " + usagef("x").Error()}, exitInterrupted},
	} {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%#v) = %d, want %d", c.err, got, c.want)
		}
	}
}

// TestCommandsParseFlagsAlike runs every command of the table with a flag it
// does not have and with --help: every one answers the same way.
func TestCommandsParseFlagsAlike(t *testing.T) {
	for _, c := range commands() {
		name := strings.TrimSpace("render " + c.name)
		t.Run(name, func(t *testing.T) {
			var args []string
			if c.name != "" {
				args = []string{c.name}
			}
			code, stdout, stderr := renderCLI(t, append(args, "--bogus")...)
			want := strings.Replace(name, " ", ": ", 1) + ": unknown flag: --bogus (see " + name + " --help)\n"
			if code != exitUsage || stderr != want || stdout != "" {
				t.Errorf("%s --bogus: exit %d, stdout %q, stderr %q; want %d and %q", name, code, stdout, stderr, exitUsage, want)
			}
			code, stdout, stderr = renderCLI(t, append(args, "--help")...)
			if code != exitOK || !strings.Contains(stdout, "Usage") || stderr != "" {
				t.Errorf("%s --help: exit %d, stdout %q, stderr %q; want %d and the usage on stdout", name, code, stdout, stderr, exitOK)
			}
		})
	}
}

// TestOutUnwritable: a failure to create --out is an I/O failure, exit code 1,
// which a render farm retries, not a usage error.
func TestOutUnwritable(t *testing.T) {
	out := "/sys/render-test/out" // sysfs refuses mkdir, even to root
	if err := os.MkdirAll(out, 0o755); err == nil || errors.Is(err, syscall.ENOTDIR) {
		t.Skipf("mkdir %s: %v; want a file system that refuses it", out, err)
	}
	code, stdout, stderr := renderCLI(t, small(out)...)
	if code != exitFailure || stdout != "" || !strings.Contains(stderr, "cannot create directory") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("--out %s: exit %d, stdout %q, stderr %q; want %d and one line saying so", out, code, stdout, stderr, exitFailure)
	}
}

// TestServeReleasedOnFailure: a --serve job that fails after its listener was
// opened, here on a CPU profile that cannot be created, lets the port go.
func TestServeReleasedOnFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	profile := "/proc/render-test.prof" // its directory exists, but nothing can be created there
	code, _, stderr := renderCLI(t, small(filepath.Join(t.TempDir(), "out"), "-q", "--serve", addr, "--serve-exit", "--cpuprofile", profile)...)
	if code != exitFailure || !strings.Contains(stderr, profile) {
		t.Fatalf("--cpuprofile %s: exit %d, stderr %q; want %d naming the file", profile, code, stderr, exitFailure)
	}
	again, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("after the job failed, %s is still taken: %v", addr, err)
	}
	again.Close()
}

// TestExtrasAreChecked checks, for every whole-job output in the extras list,
// the checks made before rendering that read the list: a file with another
// extension, one that would overwrite the manifest or a frame in --out, and, for those
// that need every frame, one asked of a single shard. Each is exit 2, one
// line naming the flag, and nothing created. A new output gets them by being
// in the list.
func TestExtrasAreChecked(t *testing.T) {
	for _, e := range extras {
		t.Run(e.flag, func(t *testing.T) {
			root := t.TempDir()
			out := filepath.Join(root, "out")
			var cases [][]string
			if e.ext != "" {
				cases = append(cases, []string{e.flag, filepath.Join(root, "x.wrong")})
			}
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			switch e.ext { // a file of the job in --out that its extension allows
			case "", ".json":
				cases = append(cases, []string{e.flag, filepath.Join(out, output.ManifestName)})
			case ".png":
				cases = append(cases, []string{e.flag, filepath.Join(out, "frame_0002.png")})
			}
			if e.everyFrame {
				cases = append(cases, []string{e.flag, filepath.Join(root, "x"+e.ext), "--shard", "1/2"})
			}
			for _, args := range cases {
				code, _, stderr := renderCLI(t, small(out, args...)...)
				if code != exitUsage || !strings.Contains(stderr, e.flag) || strings.Count(stderr, "\n") != 1 {
					t.Errorf("%v: exit %d, stderr %q; want %d and one line naming %s", args, code, stderr, exitUsage, e.flag)
				}
				if entries, _ := os.ReadDir(out); len(entries) != 0 {
					t.Errorf("%v: %d files in --out after a refused job, want none", args, len(entries))
				}
			}
		})
	}
}

// TestCoresAreReal runs the binary with --cores 1 and --cores 2 and reads, in
// the summary, the cores the runtime had while render ran (render.Stats.Procs,
// GOMAXPROCS seen from inside the job): the one-core against all-cores
// comparison stands on --cores really setting them, on any machine.
func TestCoresAreReal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	for _, c := range []struct {
		cores string
		want  string
	}{{"1", " on 1 core, "}, {"2", " on 2 cores, "}} {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := runBin(t, bin, limit, small(out, "--cores", c.cores, "--workers", "2")...)
		if code != exitOK || !strings.Contains(stdout, c.want) {
			t.Errorf("--cores %s: exit %d, summary %q, stderr %q; want %d and %q", c.cores, code, stdout, stderr, exitOK, c.want)
		}
	}
}
