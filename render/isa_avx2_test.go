//go:build goexperiment.simd && amd64

package render

import (
	"bufio"
	"bytes"
	"debug/elf"
	"debug/gosym"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestNoAVX512 disassembles this module's code in the test binary and finds
// no instruction that needs AVX-512. The SIMD build is for processors with
// AVX2 (kernel_avx2.go's init looks for it, and for nothing more), but some
// of simd/archsimd's operations on 256-bit vectors exist only in AVX-512
// (archsimd.Mask64x4FromBits is KMOVB, and a mask's merge can come out as
// an EVEX blend). A processor with AVX-512, like the test machine's, runs
// them; one without, like many farm nodes, stops with SIGILL, and no other
// test would notice. It looks for EVEX-encoded instructions (first byte
// 0x62, an invalid opcode in 64-bit mode otherwise), the mask registers'
// instructions, and the registers only AVX-512 has. It needs GNU objdump.
func TestNoAVX512(t *testing.T) {
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		t.Skip("no objdump (GNU binutils) to disassemble the test binary with")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	table, lo, hi, n := moduleText(t, exe)
	if n == 0 {
		t.Fatalf("found none of this module's functions in %s", exe)
	}
	out, err := exec.Command(objdump, "-d", "-w", fmt.Sprintf("--start-address=%#x", lo), fmt.Sprintf("--stop-address=%#x", hi), exe).Output()
	if err != nil {
		t.Fatalf("objdump: %v", err)
	}
	bad, seen := avx512Uses(out, func(pc uint64) string {
		if fn := table.PCToFunc(pc); fn != nil && strings.HasPrefix(fn.Name, modulePrefix) {
			return fn.Name
		}
		return ""
	})
	if seen < n {
		t.Fatalf("objdump listed %d of this module's %d functions", seen, n)
	}
	for _, b := range bad {
		t.Error(b)
	}
}

// moduleText returns where this module's functions lie in the executable
// exe, from the first's start to the last's end, and how many there are,
// and Go's own table of the functions (a test binary has no ELF symbols,
// so objdump cannot name them).
func moduleText(t *testing.T, exe string) (table *gosym.Table, lo, hi uint64, n int) {
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	text, pcln := f.Section(".text"), f.Section(".gopclntab")
	if text == nil || pcln == nil {
		t.Fatalf("%s has no .text or .gopclntab section", exe)
	}
	data, err := pcln.Data()
	if err != nil {
		t.Fatal(err)
	}
	table, err = gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		t.Fatal(err)
	}
	lo = ^uint64(0)
	for _, fn := range table.Funcs {
		if strings.HasPrefix(fn.Name, modulePrefix) {
			lo, hi, n = min(lo, fn.Entry), max(hi, fn.End), n+1
		}
	}
	return table, lo, hi, n
}

// modulePrefix begins the name of every function of this module.
const modulePrefix = "github.com/sdfrender/render/"

// avx512Uses reads objdump's listing and returns each instruction of this
// module's functions (those funcOf names) that needs AVX-512, and how many
// of the functions it read.
func avx512Uses(listing []byte, funcOf func(pc uint64) string) (bad []string, functions int) {
	// An instruction: its address, its bytes in hex, and its text.
	line := regexp.MustCompile(`^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t(.*)$`)
	// Registers only AVX-512 has: the 512-bit ones, the masks, and the
	// vector registers from 16 on.
	registers := regexp.MustCompile(`%zmm|%k[0-7]\b|%[xy]mm(1[6-9]|2[0-9]|3[01])\b`)
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(listing))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		pc, err := strconv.ParseUint(m[1], 16, 64)
		if err != nil {
			continue
		}
		fn := funcOf(pc)
		if fn == "" {
			continue
		}
		seen[fn] = true
		code, text := m[2], m[3]
		if strings.HasPrefix(code, "62 ") || strings.HasPrefix(text, "k") || registers.MatchString(text) {
			bad = append(bad, fmt.Sprintf("%s at %s: %s (%s) needs AVX-512", fn, m[1], text, strings.TrimSpace(code)))
		}
	}
	return bad, len(seen)
}
