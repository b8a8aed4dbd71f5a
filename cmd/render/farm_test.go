package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sdfrender/render/internal/output"
)

// farmJob is a job small enough for tests and long enough for processes to overlap.
var farmJob = []string{"--frames", "24", "--width", "64", "--height", "36", "--workers", "1", "-q"}

// renderInto runs the built binary with farmJob and args into dir, with env
// added to its environment, and returns its stdout.
func renderInto(t *testing.T, bin, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := bounded(t, cmdLimit, bin, append(append([]string{"--out", dir}, farmJob...), args...)...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("render %v: %v: %s", args, err, stderr.String())
	}
	return stdout.String()
}

// sameFiles checks that dirs a and b hold the same files with the same bytes.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	ea, _ := os.ReadDir(a)
	eb, _ := os.ReadDir(b)
	names := func(es []os.DirEntry) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Name())
		}
		return strings.Join(s, " ")
	}
	if names(ea) != names(eb) {
		t.Fatalf("files differ:\n%s: %s\n%s: %s", a, names(ea), b, names(eb))
	}
	for _, e := range ea {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, _ := os.ReadFile(filepath.Join(b, e.Name()))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", e.Name(), a, b)
		}
	}
}

// verifyClean runs `render verify` on dir and fails unless it finds all well.
func verifyClean(t *testing.T, bin, dir string) {
	t.Helper()
	if out, err := bounded(t, cmdLimit, bin, "verify", dir).CombinedOutput(); err != nil {
		t.Errorf("render verify %s: %v\n%s", dir, err, out)
	}
}

// TestShardsTogetherMakeOneRun runs three processes at once into one directory,
// each with a share of the frames given as a render farm would give it, and
// checks that together they made exactly the files one process makes.
func TestShardsTogetherMakeOneRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs four renders")
	}
	bin := buildBinary(t)
	single, shared := t.TempDir(), t.TempDir()
	renderInto(t, bin, single, nil)

	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for _, how := range [][]string{
		{"--shard", "0/3"},
		{"JOB_COMPLETION_INDEX=1", "RENDER_SHARDS=3"},                                   // Kubernetes Indexed Job
		{"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=3"}, // Slurm, numbered from 1
	} {
		args := append([]string{"--out", shared}, farmJob[:len(farmJob)-1]...) // not quiet: the summary says the shard
		var env []string
		if how[0] == "--shard" {
			args = append(args, how...)
		} else {
			env = how
		}
		cmd := bounded(t, cmdLimit, bin, args...)
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("shard %d: %v\n%s", i, err, outs[i])
		}
		if want := "shard " + string(rune('0'+i)) + "/3"; !strings.Contains(outs[i].String(), want) || !strings.Contains(outs[i].String(), "rendered 8 frames") {
			t.Errorf("shard %d printed %q, want it to name %s and 8 frames rendered", i, outs[i], want)
		}
	}
	sameFiles(t, single, shared)
	verifyClean(t, bin, shared)
}

// TestKilledRunResumes kills a render with SIGKILL partway, as a preempted
// machine would be, and starts it again: the second run renders only what is
// missing, and the directory ends up as if nothing had happened.
func TestKilledRunResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills a render")
	}
	bin := buildBinary(t)
	want, dir := t.TempDir(), t.TempDir()
	longer := []string{"--frames", "96"} // long enough not to finish before the kill
	renderInto(t, bin, want, nil, longer...)

	cmd, stderr := startRender(t, bin, append(append([]string{"--out", dir}, farmJob...), longer...)...)
	waitForFiles(t, dir, 6)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if cmd.ProcessState.ExitCode() == 0 {
		t.Fatalf("the render finished before it was killed: %s", stderr)
	}
	// A kill mid-write leaves a temporary file; make sure there is one at least,
	// of this job's (its name carries the job's tag), and one of a user's.
	m, err := output.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".frame_0023.png."+output.TagOf(m.Fingerprint)+"-00004242.partial"), []byte("half a frame"), 0o644)
	users := filepath.Join(dir, ".notes.partial")
	os.WriteFile(users, []byte("a user's own file"), 0o644)

	out := renderInto(t, bin, dir, nil, append(longer, "--quiet=false")...)
	skipped := regexp.MustCompile(`skipped (\d+) frames?`).FindStringSubmatch(out)
	if skipped == nil || skipped[1] == "0" || !regexp.MustCompile(`removed \d+ partial files? left`).MatchString(out) {
		t.Errorf("second run printed %q, want it to skip the frames done and remove the partial file", out)
	}
	if b, err := os.ReadFile(users); err != nil || string(b) != "a user's own file" {
		t.Errorf("the user's .notes.partial: %q, %v; want it left alone", b, err)
	}
	os.Remove(users)
	sameFiles(t, want, dir)
	verifyClean(t, bin, dir)
}

// TestResumeRendersWhatChanged checks that what is skipped is exactly what this
// job made before and is still whole on disk.
func TestResumeRendersWhatChanged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs several renders")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	rendered := func(env []string, args ...string) string {
		t.Helper()
		out := renderInto(t, bin, dir, env, append(args, "--quiet=false")...)
		if strings.Contains(out, "nothing left to render") {
			return "0"
		}
		return regexp.MustCompile(`rendered (\d+) frames?`).FindStringSubmatch(out)[1]
	}
	if n := rendered(nil); n != "24" {
		t.Fatalf("first run rendered %s frames, want 24", n)
	}
	if n := rendered(nil); n != "0" {
		t.Errorf("the same job again rendered %s frames, want 0: they are all there", n)
	}
	frame := filepath.Join(dir, "frame_0007.png")
	good, _ := os.ReadFile(frame)
	os.WriteFile(frame, good[:len(good)/2], 0o644) // truncated by something else
	os.Remove(filepath.Join(dir, "frame_0009.png"))
	if n := rendered(nil); n != "2" {
		t.Errorf("after truncating one frame and deleting another, rendered %s, want those 2", n)
	}
	if now, _ := os.ReadFile(frame); !bytes.Equal(now, good) {
		t.Error("the truncated frame was not made whole again")
	}
	// The same size and other bytes: only the hash can tell.
	other := filepath.Join(dir, "frame_0012.png")
	was, _ := os.ReadFile(other)
	changed := bytes.Clone(was)
	changed[len(changed)/2] ^= 0x10
	os.WriteFile(other, changed, 0o644)
	if n := rendered(nil); n != "1" {
		t.Errorf("after changing a byte of a frame, its size kept, rendered %s, want that 1", n)
	}
	if now, _ := os.ReadFile(other); !bytes.Equal(now, was) {
		t.Error("the frame with a changed byte was not rendered again")
	}
	if n := rendered(nil, "--samples", "2", "--force"); n != "24" {
		t.Errorf("with another --samples, rendered %s frames, want all 24: the old ones are another job's", n)
	}
	if now, _ := os.ReadFile(frame); bytes.Equal(now, good) {
		t.Error("frame 7 has the old job's pixels after a job with other samples")
	}
	scene := writeScene(t, goodScene)
	rendered(nil, "--scene", scene, "--force")
	os.WriteFile(scene, []byte(strings.Replace(goodScene, "radius: 1}", "radius: 0.8}", 1)), 0o644)
	if n := rendered(nil, "--scene", scene, "--force"); n != "24" {
		t.Errorf("after editing the scene file, rendered %s frames, want all 24", n)
	}
	if n := rendered(nil, "--scene", scene, "--force"); n != "24" {
		t.Errorf("with --force, rendered %s frames, want all 24", n)
	}
	verifyClean(t, bin, dir)
}

// TestSameJobTwiceAtOnce runs one command twice at the same time into one
// directory, as a retried task may while its first attempt is still going: the
// second must not take the first's frames being written for a dead writer's.
func TestSameJobTwiceAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two renders")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	// Few, large, cheap frames: most of the time goes to writing them.
	args := []string{"--out", dir, "--scene", "minimal", "--frames", "4", "--width", "768", "--height", "768", "--depth", "16", "--workers", "1", "-q"}
	first, stderr1 := startRender(t, bin, args...)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(dir, ".frame_*.partial")); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first render wrote no frame within 20 s")
		}
	}
	second, stderr2 := startRender(t, bin, args...)
	if err := second.Wait(); err != nil {
		t.Errorf("second run: %v: %s", err, stderr2)
	}
	if err := first.Wait(); err != nil {
		t.Errorf("first run: %v: %s", err, stderr1)
	}
	verifyClean(t, bin, dir)
}

// TestOutputTroubleExitsOne checks that trouble with the output directory found
// before rendering exits 1, not 2: it is no mistake in the command, and a
// render farm should try again rather than give the shard up.
func TestOutputTroubleExitsOne(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := renderCLI(t, small(dir)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	frame := filepath.Join(dir, "frame_0002.png")
	os.Remove(frame)
	os.Mkdir(frame, 0o755) // a recorded frame that cannot be read
	code, _, stderr := renderCLI(t, small(dir)...)
	if code != exitFailure || !strings.Contains(stderr, "frame_0002.png") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("a recorded frame that cannot be read: exit %d, stderr %q; want 1 and one line naming it", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte("{half a manifest"), 0o644)
	code, _, stderr = renderCLI(t, small(dir)...)
	if code != exitFailure || !strings.Contains(stderr, "move it away") {
		t.Errorf("a broken manifest: exit %d, stderr %q; want 1 and what to do", code, stderr)
	}
}
