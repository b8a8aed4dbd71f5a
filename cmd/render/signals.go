package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// withSignals returns a context cancelled by SIGINT, SIGTERM or SIGHUP, a function that
// says which signal cancelled it, if any, and one to call when the command is
// done with signals. On the first signal the job stops handing out work and
// finishes the frames being written. A second signal exits at once, with the
// first one's exit code, after removing the files still being written: only
// whole frames are left.
func withSignals(parent context.Context) (ctx context.Context, stopped func() os.Signal, release func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	// A closed stdout or stderr pipe must not kill a render that is writing
	// frames: with SIGPIPE ignored, writes to it fail instead, and are let go.
	signal.Ignore(syscall.SIGPIPE)
	got := make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		var first os.Signal
		select {
		case first = <-sigs:
		case <-done:
			return
		}
		got <- first
		cancel()
		select {
		case <-sigs:
		case <-done:
			return
		}
		temps.RemoveAll()
		fmt.Fprintf(os.Stderr, "\nrender: stopped at once by a second signal; files being written were removed\n")
		os.Exit(signalExitCode(first))
	}()
	stopped = func() os.Signal {
		select {
		case s := <-got:
			got <- s
			return s
		default:
			return nil
		}
	}
	release = func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
	return ctx, stopped, release
}

// signalExitCode is the exit code for being stopped by sig: 128 + its number.
func signalExitCode(sig os.Signal) int {
	switch sig {
	case syscall.SIGTERM:
		return exitTerminated
	case syscall.SIGHUP:
		return exitHangup
	}
	return exitInterrupted
}
