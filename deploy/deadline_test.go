package deploy_test

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// cmdLimit is how long a command a test runs may take: a render of the small
// jobs here, a verify, one of Slurm's commands.
const cmdLimit = 90 * time.Second

// buildLimit is how long the Dockerfile's go build may take, cold, on a
// loaded machine.
const buildLimit = 5 * time.Minute

// combined runs cmd and returns its standard output and error together, as
// CombinedOutput does, but kills it after limit and says so: a test fails on a
// hung command with what it waited for instead of hanging until go test's
// own timeout.
func combined(cmd *exec.Cmd, limit time.Duration) ([]byte, error) {
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	cmd.WaitDelay = 5 * time.Second // for a child that holds the output open
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	hung := time.AfterFunc(limit, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	if !hung.Stop() {
		return b.Bytes(), fmt.Errorf("%s: still running after %v, killed: it hung (%v)", cmd, limit, err)
	}
	return b.Bytes(), err
}

// TestCombinedKillsAHungCommand checks the deadline: a command that sleeps past
// it is killed at once, with an error that says so.
func TestCombinedKillsAHungCommand(t *testing.T) {
	start := time.Now()
	_, err := combined(exec.Command("sleep", "30"), 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "still running after 200ms") {
		t.Errorf("combined(sleep 30, 200ms) = %v, want an error saying it was still running", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("combined returned after %v, want soon after the 200ms deadline", d)
	}
	if out, err := combined(exec.Command("echo", "hi"), time.Minute); err != nil || string(out) != "hi\n" {
		t.Errorf("combined(echo hi) = %q, %v; want \"hi\\n\", nil", out, err)
	}
}
