package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sdfrender/render/scenefile"
)

// TestBuildsWriteTheSameFrames builds the command twice, as it is and with the
// AVX2 kernel (GOEXPERIMENT=simd), renders frames of every built-in scene with
// each, and wants the same bytes: the kernel is a matter of speed, never of
// pixels. It says it skipped where the toolchain cannot build the SIMD kernel.
func TestBuildsWriteTheSameFrames(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary twice and renders every built-in scene with each")
	}
	if runtime.GOARCH != "amd64" {
		t.Skipf("the SIMD kernel is for amd64, not %s", runtime.GOARCH)
	}
	dir := t.TempDir()
	bins := map[string]string{"default": filepath.Join(dir, "render"), "simd": filepath.Join(dir, "render-simd")}
	for build, bin := range bins {
		cmd := bounded(t, buildLimit, "go", "build", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "GOEXPERIMENT=")
		if build == "simd" {
			cmd.Env = append(os.Environ(), "GOEXPERIMENT=simd")
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			if build == "simd" {
				t.Skipf("GOEXPERIMENT=simd go build fails here, so there is no SIMD build to compare: %v\n%s", err, out)
			}
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	kernels := map[string]string{}
	for build, bin := range bins {
		out, err := bounded(t, cmdLimit, bin, "--version").Output()
		if err != nil {
			t.Fatalf("%s --version: %v", build, err)
		}
		_, k, _ := strings.Cut(string(out), "kernel: ")
		kernels[build], _, _ = strings.Cut(k, " ")
	}
	if kernels["default"] != "batch" {
		t.Errorf("default build's kernel = %q, want batch", kernels["default"])
	}
	if kernels["simd"] != "avx2" {
		t.Logf("the SIMD build runs the %q kernel here (no AVX2?): comparing it all the same", kernels["simd"])
	}
	// Without AVX2 (as Go's runtime is told with GODEBUG), the SIMD build falls
	// back to the portable kernel, and does not die at start-up.
	fallback := bounded(t, cmdLimit, bins["simd"], "--version")
	fallback.Env = append(os.Environ(), "GODEBUG=cpu.avx2=off")
	if out, err := fallback.Output(); err != nil || !strings.Contains(string(out), "kernel: batch") {
		t.Errorf("SIMD build with GODEBUG=cpu.avx2=off: --version = %q (%v), want the batch kernel", out, err)
	}
	for _, f := range scenefile.Builtins() {
		for _, args := range [][]string{
			{"--width", "96", "--height", "54", "--frames", "120", "--range", "1,37,90"},
			{"--width", "64", "--height", "36", "--frames", "120", "--samples", "4", "--range", "20", "--tile", "8"},
			{"--width", "48", "--height", "27", "--frames", "120", "--depth", "16", "--range", "61"},
		} {
			outs := map[string]string{}
			for build, bin := range bins {
				outs[build] = filepath.Join(dir, build, f.Name, strings.Join(args, ""))
				cmd := bounded(t, cmdLimit, bin, append([]string{"--scene", f.Name, "--quiet", "--out", outs[build]}, args...)...)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s build, %s %v: %v\n%s", build, f.Name, args, err, out)
				}
			}
			frames, _ := filepath.Glob(filepath.Join(outs["default"], "*.png"))
			if len(frames) == 0 {
				t.Fatalf("%s %v: no frames in %s", f.Name, args, outs["default"])
			}
			for _, a := range frames {
				da, errA := os.ReadFile(a)
				db, errB := os.ReadFile(filepath.Join(outs["simd"], filepath.Base(a)))
				if errA != nil || errB != nil || !bytes.Equal(da, db) {
					t.Errorf("%s %v: %s differs between the default and the SIMD build (%v, %v)", f.Name, args, filepath.Base(a), errA, errB)
				}
			}
		}
	}
}
