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
)

// ManifestName is the name of the manifest in an output directory.
const ManifestName = "manifest.json"

// Manifest says which files in a directory are which frames of which job.
type Manifest struct {
	// Fingerprint identifies the job: a hash of the scene and of every setting
	// that changes pixels. Frames with the same fingerprint are interchangeable.
	Fingerprint string         `json:"fingerprint"`
	Job         map[string]any `json:"job"` // the settings, for people to read
	Frames      []FrameRecord  `json:"frames"`
}

// FrameRecord is one frame file of a job.
type FrameRecord struct {
	Number        int     `json:"number"`
	File          string  `json:"file"` // name in the directory
	SHA256        string  `json:"sha256"`
	Size          int64   `json:"size"`
	RenderSeconds float64 `json:"render_seconds"`
	Workers       int     `json:"workers"`
}

// ManifestWriter keeps a directory's manifest up to date as frames land. Its
// methods may be called from many goroutines.
//
// Rewriting the whole manifest for every frame would cost time in the square of
// the frame count, so it is rewritten at most every manifestInterval, and by
// Flush at the end of the job. A frame that lands in between and is then lost
// to a crash is only unrecorded: it will be taken as foreign and made again.
type ManifestWriter struct {
	mu      sync.Mutex
	dir     string
	m       Manifest
	dirty   bool
	written time.Time
}

// manifestInterval is the longest a landed frame waits to be recorded on disk.
const manifestInterval = time.Second

// OpenManifest starts the manifest of a job in dir. The frames of an existing
// manifest with the same fingerprint are kept; those of another job are dropped,
// since this job's frames will replace them.
func OpenManifest(dir, fingerprint string, job map[string]any) (*ManifestWriter, error) {
	w := &ManifestWriter{dir: dir, m: Manifest{Fingerprint: fingerprint, Job: job}}
	old, err := ReadManifest(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("%w: move it away to start afresh", err)
	case old.Fingerprint == fingerprint:
		w.m.Frames = old.Frames
	}
	return w, nil
}

// Add records a frame that has landed, replacing any record of the same number,
// and rewrites the manifest atomically if it has not been for a while.
func (w *ManifestWriter) Add(rec FrameRecord) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	i, found := slices.BinarySearchFunc(w.m.Frames, rec.Number, func(r FrameRecord, n int) int { return r.Number - n })
	if found {
		w.m.Frames[i] = rec
	} else {
		w.m.Frames = slices.Insert(w.m.Frames, i, rec)
	}
	w.dirty = true
	if time.Since(w.written) < manifestInterval {
		return nil
	}
	return w.write()
}

// Flush writes the manifest if it has records not yet on disk.
func (w *ManifestWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.dirty {
		return nil
	}
	return w.write()
}

func (w *ManifestWriter) write() error {
	err := WriteFileAtomic(filepath.Join(w.dir, ManifestName), func(out io.Writer) error {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(w.m)
	})
	if err == nil {
		w.dirty, w.written = false, time.Now()
	}
	return err
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
}

// OK reports whether every frame is there, whole, and nothing else is.
func (r Report) OK() bool { return len(r.Missing)+len(r.Corrupt)+len(r.Foreign) == 0 }

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
		if name := e.Name(); !e.IsDir() && strings.HasSuffix(strings.ToLower(name), ".png") && !known[name] {
			r.Foreign = append(r.Foreign, name)
		}
	}
	return r, nil
}
