package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dirNames returns the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestCommitFailures checks each step of Commit failing: a file that cannot be
// synced is never renamed into place, a failed rename leaves no temporary
// file, and a directory that cannot be synced is an error, each naming the
// file. The old file at the path stays whole until the rename.
func TestCommitFailures(t *testing.T) {
	boom := errors.New("the disk said no")
	for _, c := range []struct {
		name         string
		failSync     bool
		failRename   bool
		failSyncDir  bool
		wantRenamed  bool // the rename was tried
		wantInPlace  string
		wantErrWords string
	}{
		{"sync", true, false, false, false, "old", "the disk said no"},
		{"rename", false, true, false, true, "old", "the disk said no"},
		{"sync dir", false, false, true, true, "new", "syncing its directory: the disk said no"},
		{"none", false, false, false, true, "new", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			d := testDir(t, dir)
			renamed := false
			d.hooks = &disk{
				syncFile: func(f *os.File) error {
					if c.failSync {
						return boom
					}
					return realDisk.syncFile(f)
				},
				rename: func(d *Dir, from, to string) error {
					renamed = true
					if c.failRename {
						return &os.LinkError{Op: "rename", Old: from, New: to, Err: boom}
					}
					return realDisk.rename(d, from, to)
				},
				syncDir: func(d *Dir) error {
					if c.failSyncDir {
						return &os.PathError{Op: "sync", Path: d.path, Err: boom}
					}
					return realDisk.syncDir(d)
				},
			}
			path := filepath.Join(dir, "f.txt")
			os.WriteFile(path, []byte("old"), 0o644)
			err := d.WriteFile("f.txt", func(w io.Writer) error { _, err := w.Write([]byte("new")); return err })
			switch {
			case c.wantErrWords == "" && err != nil:
				t.Errorf("WriteFile = %v, want nil", err)
			case c.wantErrWords != "" && (err == nil || !strings.Contains(err.Error(), c.wantErrWords) || !strings.Contains(err.Error(), path)):
				t.Errorf("WriteFile = %v, want an error naming %s and saying %q", err, path, c.wantErrWords)
			}
			if renamed != c.wantRenamed {
				t.Errorf("rename tried: %v, want %v", renamed, c.wantRenamed)
			}
			if got, _ := os.ReadFile(path); string(got) != c.wantInPlace {
				t.Errorf("%s holds %q, want %q", path, got, c.wantInPlace)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"f.txt"}) {
				t.Errorf("the directory holds %v, want only f.txt: no temporary file left", names)
			}
		})
	}
}

// TestCommittedFileIsReadable checks that a committed file may be read by
// others (0644), though it was written under a private temporary name (0600),
// and that Info describes the file at the path.
func TestCommittedFileIsReadable(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	f, err := d.Create("f.txt")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := f.Stat(); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the temporary file's mode is %v (%v), want 0600 while written", fi.Mode().Perm(), err)
	}
	f.Write([]byte("data"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "f.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("committed file mode %v, want 0644", fi.Mode().Perm())
	}
	if f.Info() == nil || !os.SameFile(fi, f.Info()) || f.Info().Size() != 4 {
		t.Errorf("Info() = %v, want the committed file, 4 bytes", f.Info())
	}
	if got := f.Path(); got != filepath.Join(dir, "f.txt") {
		t.Errorf("Path() = %s, want %s", got, filepath.Join(dir, "f.txt"))
	}
}

// TestGuardRefusesTheRename checks that a guard that refuses the rename leaves
// the old file and no temporary one, and that a guard is given the rename to
// call: the file lands only through it.
func TestGuardRefusesTheRename(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	os.WriteFile(filepath.Join(dir, "f.txt"), []byte("old"), 0o644)
	no := errors.New("not yours")
	f, _ := d.Create("f.txt")
	f.Write([]byte("new"))
	if err := f.commit(func(func() error) error { return no }); !errors.Is(err, no) {
		t.Errorf("commit with a refusing guard = %v, want %v", err, no)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f.txt")); string(got) != "old" {
		t.Errorf("f.txt holds %q after a refused rename, want the old file", got)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"f.txt"}) {
		t.Errorf("the directory holds %v, want only f.txt", names)
	}
	called := false
	f, _ = d.Create("f.txt")
	f.Write([]byte("new"))
	if err := f.commit(func(rename func() error) error { called = true; return rename() }); err != nil || !called {
		t.Errorf("commit with a guard that renames = %v (guard called: %v), want nil, called", err, called)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f.txt")); string(got) != "new" {
		t.Errorf("f.txt holds %q after the guard renamed, want the new file", got)
	}
}

// TestManifestReplacedWhole is rule 10 for the manifest: it is written under a
// temporary name and renamed over the old one, so that at the moment before the
// rename the old manifest is still whole at its name and the new one whole
// beside it, never a manifest written in place.
func TestManifestReplacedWhole(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	w := openManifest(t, d, "job", false)
	before, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var atRename []byte
	var temp []byte
	d.hooks = &disk{
		syncFile: realDisk.syncFile,
		syncDir:  realDisk.syncDir,
		rename: func(d *Dir, from, to string) error {
			if to == ManifestName {
				atRename, _ = os.ReadFile(filepath.Join(dir, ManifestName))
				temp, _ = os.ReadFile(filepath.Join(dir, from))
			}
			return realDisk.rename(d, from, to)
		},
	}
	w.Add(FrameRecord{Number: 2, File: "frame_0002.png", SHA256: "ab", Size: 3})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	if atRename == nil || string(atRename) != string(before) {
		t.Errorf("just before the rename the manifest held %q, want the old one whole %q", atRename, before)
	}
	if string(temp) != string(after) || !strings.Contains(string(after), "frame_0002.png") {
		t.Errorf("the temporary file held %q before the rename, and the manifest %q after: want the new manifest, whole, in both", temp, after)
	}
}

// TestCreateRefusesPaths checks that Create makes files only directly in its
// directory.
func TestCreateRefusesPaths(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	for _, name := range []string{"", ".", "..", "../f", "a/b", `a\b`, "a\x00b", "/etc/passwd"} {
		if f, err := d.Create(name); err == nil || !strings.Contains(err.Error(), "not a file name") {
			if f != nil {
				f.Abort()
			}
			t.Errorf("Create(%q) = %v, want an error saying it is not a file name", name, err)
		}
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("the directory holds %v, want nothing", names)
	}
}

// TestNilTempsWrites checks that a nil *Temps writes as any other and keeps no
// record, and that RemoveAll on it does nothing.
func TestNilTempsWrites(t *testing.T) {
	dir := t.TempDir()
	var temps *Temps
	path := filepath.Join(dir, "f.txt")
	if err := temps.WriteFile(path, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }); err != nil {
		t.Fatal(err)
	}
	f, err := temps.Create(filepath.Join(dir, "g.txt"))
	if err != nil {
		t.Fatal(err)
	}
	temps.RemoveAll()
	if err := f.Commit(); err != nil {
		t.Errorf("Commit after a nil Temps' RemoveAll = %v, want nil", err)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"f.txt", "g.txt"}) {
		t.Errorf("the directory holds %v, want f.txt and g.txt", names)
	}
	var kept Temps
	f, _ = kept.Create(filepath.Join(dir, "h.txt"))
	if len(kept.files) != 1 {
		t.Errorf("Temps holds %d files while one is written, want 1", len(kept.files))
	}
	f.Abort()
	if len(kept.files) != 0 {
		t.Errorf("Temps holds %d files after Abort, want 0", len(kept.files))
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"f.txt", "g.txt"}) {
		t.Errorf("after Abort the directory holds %v, want f.txt and g.txt", names)
	}
}

// TestCreateInAMissingDirectory checks that Temps.Create names the path it
// cannot write.
func TestCreateInAMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "f.txt")
	if _, err := new(Temps).Create(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Create(%s) = %v, want an error naming it", path, err)
	}
	if err := new(Temps).WriteFile(path, func(io.Writer) error { return nil }); err == nil {
		t.Errorf("WriteFile(%s) = nil, want an error", path)
	}
}

// TestRemoveTempsSkipsWhatIsNotAFile checks that RemoveTemps leaves alone a
// directory or a link that bears this job's temporary name, without failing.
func TestRemoveTempsSkipsWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	asDir := ".frame_0001.png." + testTag + "-00000000.partial"
	asLink := ".frame_0002.png." + testTag + "-00000000.partial"
	dead := ".frame_0003.png." + testTag + "-00000000.partial"
	os.Mkdir(filepath.Join(dir, asDir), 0o755)
	os.WriteFile(filepath.Join(dir, "target"), []byte("x"), 0o644)
	os.Symlink("target", filepath.Join(dir, asLink))
	os.WriteFile(filepath.Join(dir, dead), []byte("x"), 0o644)
	n, err := d.RemoveTemps()
	if err != nil || n != 1 {
		t.Errorf("RemoveTemps = %d, %v; want 1 (the dead writer's file), nil", n, err)
	}
	want := []string{asDir, asLink, "target"}
	slices.Sort(want)
	if names := dirNames(t, dir); !slices.Equal(names, want) {
		t.Errorf("left %v, want %v", names, want)
	}
}
