package output

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestPlainName(t *testing.T) {
	for _, c := range []struct {
		name string
		want bool
	}{
		{"frame_0001.png", true},
		{".manifest.lock", true},
		{"..png", true},
		{"", false},
		{".", false},
		{"..", false},
		{"../x", false},
		{"a/b", false},
		{`a\b`, false},
		{"a\x00b", false},
		{"/abs", false},
	} {
		if got := plainName(c.name); got != c.want {
			t.Errorf("plainName(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestErrNotRegular(t *testing.T) {
	for _, c := range []struct {
		mode fs.FileMode
		want string
	}{
		{fs.ModeSymlink, "is a symbolic link"},
		{fs.ModeDir, "is a directory"},
		{fs.ModeNamedPipe, "is a named pipe (FIFO)"},
		{fs.ModeDevice, "is a device"},
		{fs.ModeDevice | fs.ModeCharDevice, "is a device"},
		{fs.ModeSocket, "is a socket"},
		{fs.ModeIrregular, "is not a regular file"},
	} {
		if err := errNotRegular(c.mode); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("errNotRegular(%v) = %v, want %q...", c.mode, err, c.want)
		}
	}
}

// TestOpenRefusesWhatIsNotAFile checks Dir.Open on each kind of thing that is
// not a regular file, in place of a frame: each refused with what it is, at
// once, and a missing file an fs.ErrNotExist.
func TestOpenRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o644)
	os.Symlink("file", filepath.Join(dir, "link"))
	os.Mkdir(filepath.Join(dir, "dir"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A socket's path must be short: make it from within the directory.
	wd, _ := os.Getwd()
	os.Chdir(dir)
	ln, err := net.Listen("unix", "sock")
	os.Chdir(wd)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, c := range []struct{ name, want string }{
		{"link", "is a symbolic link"},
		{"dir", "is a directory"},
		{"fifo", "is a named pipe"},
		{"sock", "is a socket"},
		{"../file", "is not a file name"},
	} {
		if f, _, err := d.Open(c.name); err == nil || !strings.Contains(err.Error(), c.want) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(%q) = %v, want an error saying it %s", c.name, err, c.want)
		}
	}
	if _, _, err := d.Open("missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(missing) = %v, want fs.ErrNotExist", err)
	}
	f, fi, err := d.Open("file")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if fi.Size() != 1 || !fi.Mode().IsRegular() {
		t.Errorf("Open(file) stat = %v, want the 1-byte regular file", fi)
	}
}

func TestTempNames(t *testing.T) {
	name := tempName("frame_0001.png", testTag)
	if !strings.HasPrefix(name, ".frame_0001.png."+testTag+"-") || !strings.HasSuffix(name, tempSuffix) {
		t.Errorf("tempName = %q, want .frame_0001.png.%s-RANDOM%s", name, testTag, tempSuffix)
	}
	if other := tempName("frame_0001.png", testTag); other == name {
		t.Errorf("two temporary names for one file are both %q, want them to differ", name)
	}
	if got := len(name) - len("frame_0001.png"); got != tempOverhead {
		t.Errorf("a temporary name is %d bytes longer than its file's, tempOverhead says %d", got, tempOverhead)
	}
	for _, c := range []struct {
		name, tag string
		ok        bool
	}{
		{name, testTag, true},
		{".a.png.tmp-0123abcd.partial", "tmp", true},
		{".notes.partial", "", false},
		{".a.png.tmp-0123ABCD.partial", "", false},
		{".a.png.tmp-0123abcd.partial~", "", false},
		{"a.png", "", false},
	} {
		tag, ok := isTemp(c.name)
		if tag != c.tag || ok != c.ok {
			t.Errorf("isTemp(%q) = %q, %v; want %q, %v", c.name, tag, ok, c.tag, c.ok)
		}
	}
}

func TestTags(t *testing.T) {
	if got := TagOf("0123456789abcdef0123"); got != "0123456789abcdef" {
		t.Errorf("TagOf(20 digits) = %q, want the first 16", got)
	}
	if got := TagOf("abc"); got != "abc" {
		t.Errorf("TagOf(abc) = %q, want abc", got)
	}
	dir := t.TempDir()
	for _, tag := range []string{"ABC", "a-b", "0123456789abcdef0", "a.b"} {
		if d, err := new(Temps).OpenDir(dir, tag); err == nil {
			d.Close()
			t.Errorf("OpenDir with tag %q = nil error, want it refused", tag)
		}
	}
	d, err := openDir(dir, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.tag != adhocTag || d.Path() != dir {
		t.Errorf("openDir(%s, \"\") has tag %q and path %s, want %q and %s", dir, d.tag, d.Path(), adhocTag, dir)
	}
	if _, err := openDir(filepath.Join(dir, "missing"), "", nil); err == nil || !strings.Contains(err.Error(), "cannot open directory") {
		t.Errorf("openDir(missing) = %v, want a 'cannot open directory' error", err)
	}
}

// TestCheckNameLength checks names against the file system's limit, with the
// temporary name's overhead, asking the nearest directory that exists.
func TestCheckNameLength(t *testing.T) {
	root := t.TempDir()
	limit := nameMax(root)
	notYet := filepath.Join(root, "not", "yet")
	fits := strings.Repeat("a", limit-tempOverhead)
	if err := CheckNameLength(notYet, "short.png", fits); err != nil {
		t.Errorf("CheckNameLength(a name of %d bytes) = %v, want nil: with the temporary overhead it is just the limit %d", len(fits), err, limit)
	}
	if err := CheckNameLength(notYet, "short.png", fits+"b"); err == nil || !strings.Contains(err.Error(), "choose a shorter name") {
		t.Errorf("CheckNameLength(a name of %d bytes) = %v, want it refused", len(fits)+1, err)
	}
	if got := existingAncestor(notYet); got != root {
		t.Errorf("existingAncestor(%s) = %s, want %s", notYet, got, root)
	}
	file := filepath.Join(root, "file")
	os.WriteFile(file, nil, 0o644)
	if got := existingAncestor(filepath.Join(file, "sub")); got != root {
		t.Errorf("existingAncestor(under a file) = %s, want %s", got, root)
	}
	if got := existingAncestor("/"); got != "/" {
		t.Errorf("existingAncestor(/) = %s, want /", got)
	}
	if got := nameMax(filepath.Join(root, "missing")); got != 255 {
		t.Errorf("nameMax(missing) = %d, want 255", got)
	}
}
