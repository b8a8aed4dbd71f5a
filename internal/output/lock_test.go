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
	holdLock(t, dir)
	d.lockWait = 1500 * time.Millisecond
	var said []string
	d.SetWaiting(context.Background(), func(msg string) { said = append(said, msg) })
	start := time.Now()
	_, err := d.lock()
	if waited := time.Since(start); err == nil || !strings.Contains(err.Error(), "fuser") || waited > 5*time.Second {
		t.Errorf("lock held elsewhere: %v after %v, want an error saying how to find the holder after %v", err, waited, d.lockWait)
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

// TestManifestWaitsForAStuckLockOnce checks that once a manifest write has given
// up on a lock another process holds, the frames landing after it do not each
// wait for it again: their records stay pending for Flush.
func TestManifestWaitsForAStuckLockOnce(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	w := openManifest(t, d, "abc", false)
	release := holdLock(t, dir)
	d.lockWait = 300 * time.Millisecond
	w.next = time.Time{} // due now
	if err := w.Add(FrameRecord{Number: 1, File: "f", Size: 1}); err == nil {
		t.Fatal("Add with the lock held elsewhere: no error, want the lock's")
	}
	start := time.Now()
	for n := 2; n <= 5; n++ {
		if err := w.Add(FrameRecord{Number: n, File: "f", Size: 1}); err != nil {
			t.Errorf("Add of frame %d after the lock gave out: %v, want the record kept for later", n, err)
		}
	}
	if waited := time.Since(start); waited > d.lockWait {
		t.Errorf("4 more frames took %v, want no wait for the stuck lock (it gives out after %v)", waited, d.lockWait)
	}
	release()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if m, err := ReadManifest(dir); err != nil || len(m.Frames) != 5 {
		t.Errorf("manifest after the lock came back: %d frames (%v), want all 5", len(m.Frames), err)
	}
}

// holdLock takes dir's lock as another process would, with a descriptor of its
// own, until the test ends or the function it returns is called.
func holdLock(t *testing.T, dir string) (release func()) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
}

// TestLockFileNotAFile checks that a lock file that is not a regular file (a
// directory, a link) is refused at once, named.
func TestLockFileNotAFile(t *testing.T) {
	for _, c := range []struct {
		name string
		make func(path string) error
		want string
	}{
		{"a directory", func(p string) error { return os.Mkdir(p, 0o755) }, "is a directory"},
		{"a link", func(p string) error { return os.Symlink("elsewhere", p) }, "is a symbolic link"},
		{"a FIFO", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "named pipe"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			d := testDir(t, dir)
			if err := c.make(filepath.Join(dir, LockName)); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err := d.lock()
			if err == nil || !strings.Contains(err.Error(), "cannot lock "+filepath.Join(dir, LockName)) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("lock with %s as the lock file = %v, want a 'cannot lock' error saying it %s", c.name, err, c.want)
			}
			if waited := time.Since(start); waited > 5*time.Second {
				t.Errorf("lock took %v to refuse, want at once", waited)
			}
			if _, err := OpenManifest(d, "job", nil, run1, false); err == nil {
				t.Error("OpenManifest with no lock to take = nil error")
			}
		})
	}
}

// TestLockIsReleased checks that the function lock returns lets another
// descriptor take the lock, and that a free lock is taken without a word.
func TestLockIsReleased(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	said := 0
	d.SetWaiting(context.Background(), func(string) { said++ })
	unlock, err := d.lock()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if ok, err := tryLockFile(f); ok || err != nil {
		t.Errorf("tryLockFile while locked = %v, %v; want false, nil", ok, err)
	}
	unlock()
	if ok, err := tryLockFile(f); !ok || err != nil {
		t.Errorf("tryLockFile after unlock = %v, %v; want true, nil", ok, err)
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if said != 0 {
		t.Errorf("a free lock said %d things, want none", said)
	}
}

// TestShortLockWaitSaysNothing checks that a wait for the lock that gives up
// before a second has passed says nothing: only a wait of a second or more is
// worth a word.
func TestShortLockWaitSaysNothing(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	holdLock(t, dir)
	d.lockWait = 200 * time.Millisecond
	var said []string
	d.SetWaiting(context.Background(), func(msg string) { said = append(said, msg) })
	if _, err := d.lock(); err == nil {
		t.Fatal("lock held elsewhere: nil error, want the wait to give up")
	}
	if len(said) != 0 {
		t.Errorf("a wait that gave up after %v said %q, want nothing before a second", d.lockWait, said)
	}
}
