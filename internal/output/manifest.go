package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sdfrender/render/internal/parallel"
)

// ManifestName is the name of the manifest in an output directory.
const ManifestName = "manifest.json"

// MaxManifestSize is the largest manifest read: a million frames' records take
// about 180 MB. A bigger file is not a manifest render wrote.
const MaxManifestSize = 256 << 20

// Manifest says which files in a directory are which frames of which job, and
// which frames the job is made of.
type Manifest struct {
	// Fingerprint identifies the job: a hash of the scene and of every setting
	// that changes pixels. Frames with the same fingerprint are interchangeable.
	Fingerprint string         `json:"fingerprint"`
	Job         map[string]any `json:"job"` // the settings, for people to read
	// Runs are the frame sets the job's processes were started with: together,
	// the frames the job is made of.
	Runs   []RunRecord   `json:"runs,omitempty"`
	Frames []FrameRecord `json:"frames"`
}

// RunRecord is the frame set a process of a job was started with: Range of the
// animation's Frames (see FormatFrames), cut into Shards shares, of which
// share i is every Shards-th frame of Range from its i-th.
type RunRecord struct {
	Frames int    `json:"frames"`
	Range  string `json:"range"`
	Shards int    `json:"shards"`
}

// FrameRecord is one frame file of a job. It holds nothing that depends on how
// or when the frame was rendered, so that the manifest of a job is the same bytes
// however many processes, machines or attempts made it.
type FrameRecord struct {
	Number int    `json:"number"`
	File   string `json:"file"` // name in the directory
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// check returns what is wrong with a record, or nil: its file must be a plain
// file name in the directory, never a path.
func (r FrameRecord) check() error {
	switch {
	case !plainName(r.File):
		return fmt.Errorf("file %q of frame %d is not a file name in the directory", r.File, r.Number)
	case r.Number < 1 || r.Number > maxListedFrame:
		return fmt.Errorf("frame number %d of %q is not between 1 and %d", r.Number, r.File, maxListedFrame)
	case r.Size < 0:
		return fmt.Errorf("size %d of %q is below 0", r.Size, r.File)
	}
	return nil
}

// OtherJobError is the error of a job started in a directory that holds
// another job's manifest.
type OtherJobError struct {
	Dir, Fingerprint string
}

func (e *OtherJobError) Error() string {
	return fmt.Sprintf("output: %s holds the frames of another job (other settings or another scene, fingerprint %.12s…): choose another --out, or pass --force to replace that job's frames with this one's", e.Dir, e.Fingerprint)
}

// ManifestWriter keeps a directory's manifest up to date as frames land, and
// holds the directory for its job. Its methods may be called from many
// goroutines, and any number of processes of one job, on one machine or on many
// sharing the directory, may each keep its manifest at once: every write takes a
// lock on the directory, reads the manifest as the others left it (unless it is
// the file this process wrote last), adds this process's new records and renames
// the result into place.
//
// Rewriting the whole manifest for every frame would cost time in the square of
// the frame count, so after a write that took d, the next waits at least
// manifestSpacing × d, and a second at least: writing the manifest takes at most
// a twentieth of the time, and a slow file system or a long job waits longer. Flush writes what is
// left at the end of the job. A frame that lands in between and is then lost to
// a crash is only unrecorded: the next run of the job renders it again.
type ManifestWriter struct {
	dir         *Dir
	fingerprint string
	job         map[string]any
	recorded    map[int]FrameRecord // this job's records found at open, for Finished

	run RunRecord // the frames this process was started with

	mu      sync.Mutex
	pending []FrameRecord // landed since the last write
	next    time.Time     // the next write's earliest time

	// owned is the latest manifest file seen to be this job's. It has its own
	// mutex: Hold takes it with the directory locked, write the other way round.
	omu   sync.Mutex
	owned fs.FileInfo
}

// manifestSpacing is how many times its own duration a write of the manifest
// waits before the next one.
const manifestSpacing = 20

// manifestInterval is the least time between two writes of the manifest: a job
// of small, fast frames would otherwise rewrite it, and make garbage of its
// size, many times a second.
const manifestInterval = time.Second

// OpenManifest starts the manifest of a job in d and claims the directory for
// the job before any frame is written: it writes a manifest with the job's
// fingerprint and run, keeping the records of an existing manifest of the same
// job (see Finished). A directory that holds another job's manifest is refused
// with an *OtherJobError, unless force, when this job takes it over.
func OpenManifest(d *Dir, fingerprint string, job map[string]any, run RunRecord, force bool) (*ManifestWriter, error) {
	w := &ManifestWriter{dir: d, fingerprint: fingerprint, job: job, run: run, recorded: map[int]FrameRecord{}}
	unlock, err := d.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	fp, _, err := readFingerprint(d)
	fresh := false
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, afresh(err)
	case fp == fingerprint:
		old, info, err := readManifest(d)
		if err != nil {
			return nil, afresh(err)
		}
		for _, r := range old.Frames {
			w.recorded[r.Number] = r
		}
		if slices.Contains(old.Runs, run) {
			w.owned = info
			return w, nil // already the job's manifest, and its run recorded
		}
	case !force:
		return nil, &OtherJobError{Dir: d.path, Fingerprint: fp}
	default:
		fresh = true // another job's: this one's replaces it
	}
	if err := w.save(fresh); err != nil {
		return nil, err
	}
	return w, nil
}

// afresh adds to an error about the manifest what to do, unless it says so.
func afresh(err error) error {
	if strings.Contains(err.Error(), "move it away") {
		return err
	}
	return fmt.Errorf("%w: move it away to start afresh", err)
}

// Finished returns, of the frames named (frame number to file name), those that
// are done: recorded for this job under that name, and whose file on disk has
// the recorded size and hash. Files are hashed on up to workers goroutines.
func (w *ManifestWriter) Finished(names map[int]string, workers int) ([]int, error) {
	var candidates []FrameRecord
	for n, name := range names {
		if r, ok := w.recorded[n]; ok && r.File == name {
			candidates = append(candidates, r)
		}
	}
	w.recorded = nil // not needed again: let it go
	done := make([]bool, len(candidates))
	err := parallel.For(len(candidates), workers, func(i int) error {
		r := candidates[i]
		sum, size, err := w.dir.hashFile(r.File, r.Size)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("output: %w", err)
		default:
			done[i] = sum == r.SHA256 && size == r.Size
		}
		return nil
	})
	var finished []int
	for i, r := range candidates {
		if done[i] {
			finished = append(finished, r.Number)
		}
	}
	slices.Sort(finished)
	return finished, err
}

// Hold calls rename, which puts a frame in place, while the directory is locked
// and its manifest is this job's: a frame of a job that another took the
// directory from (with --force) never lands over the other's.
func (w *ManifestWriter) Hold(rename func() error) error {
	unlock, err := w.dir.lock()
	if err != nil {
		return err
	}
	defer unlock()
	if err := w.checkOwner(); err != nil {
		return err
	}
	return rename()
}

// checkOwner returns an error unless the manifest on disk is this job's, or
// there is none. Called with the directory locked.
func (w *ManifestWriter) checkOwner() error {
	w.omu.Lock()
	owned := w.owned
	w.omu.Unlock()
	info, err := w.dir.root.Lstat(ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && sameVersion(info, owned) {
		return nil
	}
	fp, info, err := readFingerprint(w.dir)
	if err != nil {
		return err
	}
	if fp != w.fingerprint {
		return w.takenOver()
	}
	w.omu.Lock()
	w.owned = info
	w.omu.Unlock()
	return nil
}

func (w *ManifestWriter) takenOver() error {
	return fmt.Errorf("output: another job (other settings or another scene) took %s over while this one was writing into it: give each job its own --out", w.dir.path)
}

// sameVersion reports whether two stats of a manifest are of the same file,
// unchanged: every manifest is written under a new name and renamed into place.
func sameVersion(a, b fs.FileInfo) bool {
	return a != nil && b != nil && os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// Add records a frame that has landed, replacing any record of the same number,
// and writes the manifest if it has not been for a while.
func (w *ManifestWriter) Add(rec FrameRecord) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pending = append(w.pending, rec)
	if time.Now().Before(w.next) {
		return nil
	}
	return w.write()
}

// Flush writes the manifest if it has records not yet on disk.
func (w *ManifestWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return nil
	}
	return w.write()
}

// write merges the pending records into the manifest on disk, under the
// directory's lock, so that no process loses another's records. Called with
// w.mu held.
func (w *ManifestWriter) write() error {
	start := time.Now()
	unlock, err := w.dir.lock()
	if err != nil {
		// The records stay pending for Flush; the frames landing meanwhile
		// do not each wait for the lock again.
		w.next = time.Now().Add(manifestInterval)
		return err
	}
	defer unlock()
	if err := w.save(false); err != nil {
		return err
	}
	end := time.Now()
	w.pending, w.next = w.pending[:0], end.Add(max(manifestSpacing*end.Sub(start), manifestInterval))
	return nil
}

// save writes the manifest, with the directory locked: the one on disk, unless
// fresh, with this process's run and pending records merged in. It streams the
// records from the old file to the new one, so that a long job's manifest is
// never held in memory.
func (w *ManifestWriter) save(fresh bool) error {
	var in io.Reader
	if !fresh {
		f, err := w.ownManifest()
		if err != nil {
			return err
		}
		if f != nil {
			defer f.Close()
			in = io.LimitReader(f, MaxManifestSize)
		}
	}
	pending := slices.Clone(w.pending)
	slices.SortStableFunc(pending, func(a, b FrameRecord) int { return a.Number - b.Number })
	// Of records of the same frame, the last landed wins.
	unique := pending[:0]
	for i, r := range pending {
		if i+1 < len(pending) && pending[i+1].Number == r.Number {
			continue
		}
		unique = append(unique, r)
	}
	pending = unique
	f, err := w.dir.Create(ManifestName)
	if err != nil {
		return err
	}
	err = f.write(func(out io.Writer) error {
		return mergeManifest(out, in, w.dir.join(ManifestName), w.fingerprint, w.job, w.run, pending)
	})
	if err != nil {
		return err
	}
	w.omu.Lock()
	w.owned = f.Info()
	w.omu.Unlock()
	return nil
}

// ownManifest opens the manifest on disk, at its start, for save to merge: nil
// if there is none, an error if it is another job's or too big to be one. One
// open serves both the check and the merge, so the file merged is the file
// checked.
func (w *ManifestWriter) ownManifest() (*os.File, error) {
	f, info, err := w.dir.Open(ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, manifestError(w.dir, err)
	}
	fp, err := fingerprintIn(w.dir, f)
	if err == nil && fp != w.fingerprint {
		err = w.takenOver()
	}
	if err == nil {
		err = tooBig(w.dir, info)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readFingerprint returns the fingerprint of the manifest in d, reading no more
// of it than it must.
func readFingerprint(d *Dir) (string, fs.FileInfo, error) {
	f, info, err := d.Open(ManifestName)
	if err != nil {
		return "", nil, manifestError(d, err)
	}
	defer f.Close()
	fp, err := fingerprintIn(d, f)
	if err != nil {
		return "", nil, err
	}
	return fp, info, nil
}

// fingerprintIn returns the fingerprint of the manifest in d, open as f, from
// the first key of f where this version writes it; a manifest of another
// version is read whole, within bounds.
func fingerprintIn(d *Dir, f *os.File) (string, error) {
	dec := json.NewDecoder(io.LimitReader(f, MaxManifestSize)) // reads in small chunks: no more than it must
	if t, err := dec.Token(); err == nil && t == json.Delim('{') {
		if k, err := dec.Token(); err == nil && k == "fingerprint" {
			var fp string
			if err := dec.Decode(&fp); err == nil {
				return fp, nil
			}
		}
	}
	m, _, err := readManifest(d)
	return m.Fingerprint, err
}

// tooBig refuses a manifest bigger than any render writes.
func tooBig(d *Dir, info fs.FileInfo) error {
	if info.Size() > MaxManifestSize {
		return fmt.Errorf("output: %s is %d bytes, more than any manifest render writes (%d MiB): it is not a manifest", d.join(ManifestName), info.Size(), MaxManifestSize>>20)
	}
	return nil
}

// manifestError says what is wrong with the manifest in d.
func manifestError(d *Dir, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("output: %s: %w", d.join(ManifestName), fs.ErrNotExist)
	}
	return fmt.Errorf("output: manifest: %w", err)
}

// readManifest reads the manifest in d: a regular file, no link, no bigger than
// MaxManifestSize, whose records name files in d.
func readManifest(d *Dir) (Manifest, fs.FileInfo, error) {
	m, info, problems, err := readManifestLoose(d)
	if err == nil && len(problems) > 0 {
		err = fmt.Errorf("output: %s: %v (and %d more): it was edited, or is not render's", d.join(ManifestName), problems[0], len(problems)-1)
	}
	return m, info, err
}

// readManifestLoose reads the manifest in d and returns, beside it, what is wrong
// with its records; records that name no file in d are left out.
func readManifestLoose(d *Dir) (m Manifest, info fs.FileInfo, problems []error, err error) {
	f, info, err := d.Open(ManifestName)
	if err != nil {
		return m, nil, nil, manifestError(d, err)
	}
	defer f.Close()
	path := d.join(ManifestName)
	if err := tooBig(d, info); err != nil {
		return m, nil, nil, err
	}
	if err := json.NewDecoder(io.LimitReader(f, MaxManifestSize)).Decode(&m); err != nil {
		return m, nil, nil, fmt.Errorf("output: %s is not a manifest: %v", path, err)
	}
	m.Frames = slices.DeleteFunc(m.Frames, func(r FrameRecord) bool {
		if err := r.check(); err != nil {
			problems = append(problems, err)
			return true
		}
		return false
	})
	return m, info, problems, nil
}

// ReadManifest reads the manifest in dir.
func ReadManifest(dir string) (Manifest, error) {
	d, err := openDir(dir, "", nil)
	if err != nil {
		return Manifest{}, err
	}
	defer d.Close()
	m, _, err := readManifest(d)
	return m, err
}

// hashFile returns the SHA-256 and size of the regular file name in d, reading
// at most one byte more than want.
func (d *Dir) hashFile(name string, want int64) (sum string, size int64, err error) {
	f, _, err := d.Open(name)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	size, err = io.Copy(h, io.LimitReader(f, max(want, 0)+1))
	if err != nil {
		err = fmt.Errorf("%s: %w", d.join(name), cause(err))
	}
	return hex.EncodeToString(h.Sum(nil)), size, err
}

// HashFile returns the SHA-256 of a regular file and its size, reading it
// without following a link.
func HashFile(path string) (sum string, size int64, err error) {
	d, err := openDir(filepath.Dir(path), "", nil)
	if err != nil {
		return "", 0, err
	}
	defer d.Close()
	return d.hashFile(filepath.Base(path), 1<<62)
}
