package output

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Dir is an output directory that other processes, people and scripts share:
// every file in it is untrusted. Every path Dir reads, writes, locks or removes is
// a plain file name inside it, opened through an os.Root (so that no "..", path or
// symbolic link leads out), never through a symbolic link (see openRegular),
// never blocking on a FIFO or a device, and read with a bound.
type Dir struct {
	path string
	root *os.Root
	// tag marks the temporary files of one job (see tempName): RemoveTemps
	// removes only those, never a file it cannot prove its own.
	tag string

	temps *Temps // keeps the files being written in the directory
	hooks *disk  // how data is made durable, if not realDisk: for tests

	lockWait time.Duration    // the longest a lock wait lasts: LockWait, shorter in tests
	ctx      context.Context  // stops lock waits (SetWaiting)
	say      func(msg string) // told of a long lock wait
}

// OpenDir creates the directory at path if needed, checks that files can be
// created in it, and opens it; the files written in it are kept in t while
// they are written. tag, from the job's fingerprint, names the job's temporary
// files; "" is for files of no job.
func (t *Temps) OpenDir(path, tag string) (*Dir, error) {
	if err := PrepareDir(path); err != nil {
		return nil, err
	}
	return openDir(path, tag, t)
}

// openDir opens the existing directory at path, keeping the files written in it
// in temps (nil for a directory only read).
func openDir(path, tag string, temps *Temps) (*Dir, error) {
	if tag == "" {
		tag = adhocTag
	}
	if !validTag.MatchString(tag) {
		return nil, fmt.Errorf("output: bad temporary-file tag %q", tag)
	}
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("output: cannot open directory %s: %w", path, cause(err))
	}
	return &Dir{path: path, root: root, tag: tag, temps: temps, lockWait: LockWait}, nil
}

// Path returns the directory's path.
func (d *Dir) Path() string { return d.path }

// Close releases the directory.
func (d *Dir) Close() error { return d.root.Close() }

// join returns the path of name in the directory, for messages and for tools
// that take paths (ffmpeg).
func (d *Dir) join(name string) string { return filepath.Join(d.path, name) }

// adhocTag tags the temporary files of writes that belong to no job: previews,
// profiles, reports.
const adhocTag = "tmp"

// validTag is what a tag may be: a job's is 16 hex digits of its fingerprint.
var validTag = regexp.MustCompile(`^[0-9a-z]{1,16}$`)

// TagOf returns the temporary-file tag of the job with fingerprint fp.
func TagOf(fp string) string { return fp[:min(16, len(fp))] }

// tempName returns a new temporary name for a file to appear as name, tagged by
// tag: ".NAME.TAG-RANDOM.partial". It starts with a dot and does not end in
// ".png", so that no glob such as *.png picks it up.
func tempName(name, tag string) string {
	var b [4]byte
	rand.Read(b[:])
	return "." + name + "." + tag + "-" + hex.EncodeToString(b[:]) + tempSuffix
}

// tempOverhead is how much longer a temporary name is than its file's name, with
// a job's 16-digit tag.
const tempOverhead = len("." + "." + "0123456789abcdef" + "-" + "01234567" + tempSuffix)

// tempPattern matches the names tempName makes.
var tempPattern = regexp.MustCompile(`^\.(.+)\.([0-9a-z]{1,16})-[0-9a-f]{8}\.partial$`)

// isTemp reports whether name is a temporary file of some render's, and its tag.
func isTemp(name string) (tag string, ok bool) {
	m := tempPattern.FindStringSubmatch(name)
	if m == nil {
		return "", false
	}
	return m[2], true
}

// plainName reports whether name is the name of a file directly in a directory:
// no separator, not "." or "..", nothing a path could make of it.
func plainName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`+"\x00") && filepath.IsLocal(name)
}

// errNotRegular says what a file that should be a regular file is instead.
func errNotRegular(mode fs.FileMode) error {
	switch {
	case mode&fs.ModeSymlink != 0:
		return errors.New("is a symbolic link, not a file render wrote: remove it")
	case mode.IsDir():
		return errors.New("is a directory, not a file: move it away")
	case mode&fs.ModeNamedPipe != 0:
		return errors.New("is a named pipe (FIFO), not a file: remove it")
	case mode&fs.ModeDevice != 0:
		return errors.New("is a device, not a file: remove it")
	case mode&fs.ModeSocket != 0:
		return errors.New("is a socket, not a file: remove it")
	}
	return fmt.Errorf("is not a regular file (%v): remove it", mode.Type())
}

// openRegular opens name in the directory for reading, or for writing with
// flag, as a regular file that is no symbolic link. O_NOFOLLOW refuses a link as
// the last component, O_NONBLOCK keeps the open of a FIFO or device from
// waiting, fstat then refuses anything that is not a regular file, and lstat
// refuses a link that os.Root would have followed inside the directory.
func (d *Dir) openRegular(name string, flag int, perm fs.FileMode) (*os.File, fs.FileInfo, error) {
	if !plainName(name) {
		return nil, nil, fmt.Errorf("%q is not a file name in %s", name, d.path)
	}
	if li, err := d.root.Lstat(name); err == nil && !li.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s %w", d.join(name), errNotRegular(li.Mode()))
	}
	f, err := d.root.OpenFile(name, flag|openFlags, perm)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("%s: %w", d.join(name), cause(err))
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s %w", d.join(name), errNotRegular(fi.Mode()))
	}
	if err == nil {
		// A file renamed or removed meanwhile, as another process's writer
		// commits its temporary file, is as missing as one never there.
		switch li, lerr := d.root.Lstat(name); {
		case errors.Is(lerr, fs.ErrNotExist):
			err = fmt.Errorf("%s vanished while being opened: %w", d.join(name), fs.ErrNotExist)
		case lerr != nil || !os.SameFile(li, fi):
			err = fmt.Errorf("%s was replaced while being opened: try again", d.join(name))
		}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// Open opens name in the directory for reading: a regular file, no link (see
// openRegular). A missing file's error matches fs.ErrNotExist.
func (d *Dir) Open(name string) (*os.File, fs.FileInfo, error) {
	return d.openRegular(name, os.O_RDONLY, 0)
}
