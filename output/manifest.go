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

	"render/internal/parallel"
)

// ManifestName is the name of the manifest in an output directory.
const ManifestName = "manifest.json"

// LockName is the file whose lock guards a directory's manifest. It stays in
// the directory, empty: removing it would race with a process about to lock it.
const LockName = ".manifest.lock"

// Manifest says which files in a directory are which frames of which job.
type Manifest struct {
	// Fingerprint identifies the job: a hash of the scene and of every setting
	// that changes pixels. Frames with the same fingerprint are interchangeable.
	Fingerprint string         `json:"fingerprint"`
	Job         map[string]any `json:"job"` // the settings, for people to read
	Frames      []FrameRecord  `json:"frames"`
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

// ManifestWriter keeps a directory's manifest up to date as frames land. Its
// methods may be called from many goroutines, and any number of processes, on
// one machine or on many sharing the directory, may each keep the manifest of
// the same job at once: every write takes a lock on the directory, reads the
// manifest as the others left it, adds this process's new records and renames
// the result into place.
//
// Rewriting the whole manifest for every frame would cost time in the square of
// the frame count, so after a write that took d, the next waits at least
// manifestSpacing × d: writing the manifest takes at most a twentieth of the
// time, and a slow file system or a long job waits longer. Flush writes what is
// left at the end of the job. A frame that lands in between and is then lost to
// a crash is only unrecorded: the next run of the job renders it again.
type ManifestWriter struct {
	dir         string
	fingerprint string
	job         map[string]any
	// replaces is the fingerprint of the manifest found at open when it was
	// another job's, whose records this job's replace. A third fingerprint found
	// later means another job is writing into the directory at the same time.
	replaces string
	recorded map[int]FrameRecord // this job's records found at open

	mu      sync.Mutex
	pending []FrameRecord // landed since the last write
	next    time.Time     // the next write's earliest time
}

// manifestSpacing is how many times its own duration a write of the manifest
// waits before the next one.
const manifestSpacing = 20

// OpenManifest starts the manifest of a job in dir. The records of an existing
// manifest with the same fingerprint are kept (see Finished); those of another
// job are dropped at the first write, since this job's frames replace them.
func OpenManifest(dir, fingerprint string, job map[string]any) (*ManifestWriter, error) {
	w := &ManifestWriter{dir: dir, fingerprint: fingerprint, job: job, recorded: map[int]FrameRecord{}}
	old, err := ReadManifest(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("%w: move it away to start afresh", err)
	case old.Fingerprint == fingerprint:
		for _, r := range old.Frames {
			w.recorded[r.Number] = r
		}
	default:
		w.replaces = old.Fingerprint
	}
	return w, nil
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
	done := make([]bool, len(candidates))
	err := parallel.For(len(candidates), workers, func(i int) error {
		r := candidates[i]
		sum, size, err := HashFile(filepath.Join(w.dir, r.File))
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
// directory's lock, so that no process loses another's records.
func (w *ManifestWriter) write() error {
	start := time.Now()
	unlock, err := lockDir(w.dir)
	if err != nil {
		return err
	}
	defer unlock()

	m := Manifest{Fingerprint: w.fingerprint, Job: w.job}
	disk, err := ReadManifest(w.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case disk.Fingerprint == w.fingerprint:
		m.Frames = disk.Frames
	case disk.Fingerprint != w.replaces:
		return fmt.Errorf("output: another job, with other settings or another scene, is writing into %s at the same time: give each job its own --out", w.dir)
	}
	for _, rec := range w.pending {
		i, found := slices.BinarySearchFunc(m.Frames, rec.Number, func(r FrameRecord, n int) int { return r.Number - n })
		if found {
			m.Frames[i] = rec
		} else {
			m.Frames = slices.Insert(m.Frames, i, rec)
		}
	}
	err = WriteFileAtomic(filepath.Join(w.dir, ManifestName), func(out io.Writer) error {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
	if err != nil {
		return err
	}
	end := time.Now()
	w.pending, w.next = w.pending[:0], end.Add(manifestSpacing*end.Sub(start))
	return nil
}

// ReadManifest reads the manifest in dir.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	path := filepath.Join(dir, ManifestName)
	data, err := os.ReadFile(path)
	if err != nil {
		return m, fmt.Errorf("output: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("output: %s is not a manifest: %v", path, err)
	}
	return m, nil
}

// HashFile returns the SHA-256 of a file and its size.
func HashFile(path string) (sum string, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	size, err = io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), size, err
}

// Report is what Verify found.
type Report struct {
	Checked int      // frames in the manifest
	Missing []string // in the manifest, not on disk
	Corrupt []string // on disk, but not the bytes the manifest records
	Foreign []string // PNG files on disk that the manifest does not know
	Partial []string // temporary files of writers that were killed, or are still writing
}

// OK reports whether every frame is there, whole, and nothing else is.
func (r Report) OK() bool { return len(r.Missing)+len(r.Corrupt)+len(r.Foreign)+len(r.Partial) == 0 }

// Verify re-hashes the frames in dir against its manifest.
func Verify(dir string) (Report, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return Report{}, err
	}
	r := Report{Checked: len(m.Frames)}
	known := map[string]bool{}
	for _, f := range m.Frames {
		known[f.File] = true
		sum, size, err := HashFile(filepath.Join(dir, f.File))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			r.Missing = append(r.Missing, f.File)
		case err != nil:
			return r, fmt.Errorf("output: %w", err)
		case sum != f.SHA256 || size != f.Size:
			r.Corrupt = append(r.Corrupt, f.File)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return r, fmt.Errorf("output: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
		case isTemp(name):
			r.Partial = append(r.Partial, name)
		case strings.HasSuffix(strings.ToLower(name), ".png") && !known[name]:
			r.Foreign = append(r.Foreign, name)
		}
	}
	return r, nil
}
