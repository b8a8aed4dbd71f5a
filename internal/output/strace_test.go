//go:build linux

package output

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestSyncsReachTheKernel is rule 10 below the Dir's disk, where strace is
// installed: this test binary, run again under strace to write one file
// through a Dir of realDisk, makes an fsync of the temporary file before it
// is renamed into place, and an fsync of the directory after. It proves the
// calls are made, in that order; not that the disk honours them.
func TestSyncsReachTheKernel(t *testing.T) {
	if dir := os.Getenv("OUTPUT_TEST_STRACE_DIR"); dir != "" {
		// The traced run: one file, through the disk every Dir has.
		d, err := new(Temps).OpenDir(dir, testTag)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if err := d.WriteFile("f.txt", func(w io.Writer) error { _, err := w.Write([]byte("data")); return err }); err != nil {
			t.Fatal(err)
		}
		return
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed (apt-get install strace)")
	}
	if out, err := exec.Command(strace, "-f", "-qq", "-o", os.DevNull, "true").CombinedOutput(); err != nil {
		t.Skipf("strace cannot trace here: %v: %s", err, out)
	}
	dir := t.TempDir()
	log := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(strace, "-f", "-y", "-qq", "-e", "trace=fsync,fdatasync,rename,renameat,renameat2", "-o", log,
		os.Args[0], "-test.run=^TestSyncsReachTheKernel$", "-test.count=1")
	cmd.Env = append(os.Environ(), "OUTPUT_TEST_STRACE_DIR="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the traced write failed: %v\n%s", err, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	quoted := regexp.MustCompile(`"([^"]*)"`)
	renamed := -1
	var from string
	for i, line := range lines {
		if names := quoted.FindAllStringSubmatch(line, -1); strings.Contains(line, " rename") && len(names) == 2 && filepath.Base(names[1][1]) == "f.txt" {
			renamed, from = i, filepath.Base(names[0][1])
			break
		}
	}
	if renamed < 0 {
		t.Fatalf("no rename to f.txt traced:\n%s", data)
	}
	if _, ok := isTemp(from); !ok {
		t.Errorf("f.txt renamed from %q, want a temporary name", from)
	}
	synced := slices.ContainsFunc(lines[:renamed], func(l string) bool {
		return strings.Contains(l, "fsync(") && strings.Contains(l, "/"+from+">") && !strings.Contains(l, "= -1")
	})
	dirSynced := slices.ContainsFunc(lines[renamed+1:], func(l string) bool {
		return strings.Contains(l, "fsync(") && strings.Contains(l, "<"+dir+">") && !strings.Contains(l, "= -1")
	})
	if !synced || !dirSynced {
		t.Errorf("f.txt renamed from %s: fsync of the file before %v, of the directory after %v; want both:\n%s", from, synced, dirSynced, data)
	}
}
