//go:build unix

package output

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLockWaitIsBounded is rule 8: a wait for a lock another process holds says
// what it waits for, gives up after LockWait, and stops when its context does.
func TestLockWaitIsBounded(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	held, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := syscall.Flock(int(held.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	old := LockWait
	t.Cleanup(func() { LockWait = old })
	LockWait = 1500 * time.Millisecond
	var said []string
	d.SetWaiting(context.Background(), func(msg string) { said = append(said, msg) })
	start := time.Now()
	_, err = d.lock()
	if waited := time.Since(start); err == nil || !strings.Contains(err.Error(), "fuser") || waited > 5*time.Second {
		t.Errorf("lock held elsewhere: %v after %v, want an error saying how to find the holder after %v", err, waited, LockWait)
	}
	if len(said) != 1 || !strings.Contains(said[0], "waiting for the lock on "+filepath.Join(dir, LockName)) {
		t.Errorf("said %q while waiting, want one line naming the lock", said)
	}

	ctx, cancel := context.WithCancel(context.Background())
	d.SetWaiting(ctx, nil)
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	_, err = d.lock()
	if waited := time.Since(start); !errors.Is(err, ErrInterrupted) || waited > time.Second {
		t.Errorf("lock wait cancelled: %v after %v, want ErrInterrupted at once", err, waited)
	}
}
