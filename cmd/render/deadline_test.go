package main

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// cmdLimit is how long a process a test starts may run: the longest, 600
// small frames three times over, takes about 10 s on a loaded 2-core machine.
const cmdLimit = 90 * time.Second

// buildLimit is how long go build may take, cold, on a loaded machine.
const buildLimit = 5 * time.Minute

// bounded is exec.Command(name, args...) with a deadline: a process still
// running after limit is killed and the test fails, saying what it waited for,
// instead of hanging until go test's own timeout. A process still running when
// the test ends is killed quietly.
func bounded(t *testing.T, limit time.Duration, name string, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Errorf("%s: still running after %v, killed: it hung (or the machine is far slower than this test allows)", strings.Join(cmd.Args, " "), limit)
		}
		return cmd.Process.Kill()
	}
	cmd.WaitDelay = 5 * time.Second // for a child that holds its pipes open
	return cmd
}
