package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoFusedMultiplyAdds builds the command for arm64, where Go fuses a
// multiplication and an addition into one instruction that rounds once
// wherever it may (the specification allows it; on amd64 it does not, even
// for GOAMD64=v3), and wants none in this module's code: a fused step rounds
// differently from the two it replaces, so the kernels and the interpreter,
// each fused where the compiler saw fit, gave different bits there, and the
// frames could differ from an amd64 machine's. An explicit float64(...)
// around a product stops the fusion (scene/vec.go). It reads the machine code
// (go tool objdump), so it needs no arm64 machine; .ci/run also runs the
// render tests under qemu.
func TestNoFusedMultiplyAdds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary for arm64")
	}
	bin := filepath.Join(t.TempDir(), "render-arm64")
	build := bounded(t, buildLimit, "go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "GOEXPERIMENT=", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("GOARCH=arm64 go build: %v\n%s", err, out)
	}
	out, err := bounded(t, buildLimit, "go", "tool", "objdump", "-s", `^(main\.|github\.com/sdfrender/render/)`, bin).Output()
	if err != nil {
		t.Fatalf("go tool objdump: %v", err)
	}
	fused := regexp.MustCompile(`\bF(N?M(ADD|SUB))[DS]\b`)
	var fn string
	var found []string
	functions := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "TEXT "); ok {
			fn, _, _ = strings.Cut(rest, " ")
			functions++
			continue
		}
		if fused.MatchString(line) {
			at, _, _ := strings.Cut(strings.TrimSpace(line), "\t")
			found = append(found, at+" in "+fn)
		}
	}
	if functions < 100 {
		t.Fatalf("objdump listed %d of this module's functions: the pattern no longer matches their names", functions)
	}
	if len(found) > 0 {
		t.Errorf("%d fused multiply-adds in this module's arm64 code (wrap the product in float64(...)):\n%s", len(found), strings.Join(found, "\n"))
	}
}
