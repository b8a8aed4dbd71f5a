package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Exit codes come from the type of the error a command returns, made where the
// error happens; exitCode is the one place that turns one into the other.

// usageError is a mistake in the command line or its input (a flag, a scene
// file, another job's directory): exit code 2, nothing rendered, and running
// the same command again will fail the same way.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// inputError is a bad input file, such as a scene file, its message pointing
// at the file and, where it can, the line: exit code 2, as a usage error.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

// ioFailure is a failure to read or write files, while preparing the job or
// rendering it: exit code 1, since running again may well work (a render farm
// retries it; it gives up on exit code 2).
type ioFailure struct{ error }

func (e ioFailure) Unwrap() error { return e.error }

// interrupted is a command stopped by a signal: exit code 128 + its number.
type interrupted struct {
	sig os.Signal
	msg string
}

func (e interrupted) Error() string { return e.msg }

// reported is an error whose messages the command has already printed, as it
// went (one per scene file, say): only its exit code is left to give.
type reported struct{ error }

func (e reported) Unwrap() error { return e.error }

// exitCode is the exit code of a command that returned err. An error of no
// type above is a render failure, exit code 1.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	if sig, ok := errors.AsType[interrupted](err); ok {
		return signalExitCode(sig.sig)
	}
	if _, ok := errors.AsType[usageError](err); ok {
		return exitUsage
	}
	if _, ok := errors.AsType[inputError](err); ok {
		return exitUsage
	}
	return exitFailure // an ioFailure, or the render's own
}

// printError prints err, one line with its unsafe characters escaped, unless the
// command has printed it already.
func printError(stderr io.Writer, err error) {
	if _, done := errors.AsType[reported](err); err != nil && !done {
		fmt.Fprintln(stderr, printable(err))
	}
}
