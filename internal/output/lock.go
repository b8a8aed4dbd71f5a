package output

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// LockName is the file whose lock guards a directory's manifest and the renames
// of frames into it. It stays in the directory, empty: removing it would race
// with a process about to lock it.
const LockName = ".manifest.lock"

// LockWait is the longest a job waits for another process to release a
// directory's lock: a process holds it only to write the manifest or rename a
// frame, a moment, so one that holds it longer is stuck, or not a render.
const LockWait = 60 * time.Second

// lockPoll is how often a wait for the lock tries again.
const lockPoll = 20 * time.Millisecond

// SetWaiting makes the directory's lock waits stop when ctx is cancelled (a
// signal), and tell say, once a wait has lasted a second, what it waits for.
// Call it before the directory is used.
func (d *Dir) SetWaiting(ctx context.Context, say func(msg string)) {
	d.ctx, d.say = ctx, say
}

// lock takes the exclusive lock on the directory's lock file and returns the
// function that releases it. The kernel releases it too when the process dies,
// so a killed writer never leaves the directory locked. It waits at most
// LockWait, and no longer than the directory's context.
func (d *Dir) lock() (unlock func(), err error) {
	path := d.join(LockName)
	f, _, err := d.openRegular(LockName, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output: cannot lock %s: %w", path, cause(err))
	}
	ctx := d.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	start := time.Now()
	said := false
	for {
		ok, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("output: cannot lock %s: %w", path, err)
		}
		if ok {
			return func() { f.Close() }, nil
		}
		waited := time.Since(start)
		if waited >= d.lockWait {
			f.Close()
			return nil, fmt.Errorf("output: %s has been locked by another process for %v: a render holds it only for a moment, so that process is stuck or is not a render; find it with `fuser %s` and stop it", path, d.lockWait.Round(time.Second), path)
		}
		if !said && waited >= time.Second && d.say != nil {
			d.say(fmt.Sprintf("waiting for the lock on %s, which another process holds (up to %v; Ctrl-C stops)", path, d.lockWait.Round(time.Second)))
			said = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("output: stopped waiting for the lock on %s: %w", path, errors.Join(ErrInterrupted, context.Cause(ctx)))
		case <-time.After(lockPoll):
		}
	}
}

// ErrInterrupted is in the error of a wait that a cancelled context stopped.
var ErrInterrupted = errors.New("interrupted")
