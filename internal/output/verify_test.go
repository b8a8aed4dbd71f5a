package output

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestVerifyBoundsHostileRuns is rules 2 and 7: a manifest whose runs name a
// million frames, thousands of times over (a hundred distinct), is checked in bounded time and
// memory, each distinct run once, and the excess reported.
func TestVerifyBoundsHostileRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("walks hundreds of millions of frame numbers")
	}
	dir := t.TempDir()
	m := Manifest{Fingerprint: "job", Frames: []FrameRecord{}}
	for i := range 3000 {
		m.Runs = append(m.Runs, RunRecord{Frames: 1_000_000, Range: "1-1000000", Shards: 1 + i%100})
	}
	data, _ := json.Marshal(m)
	os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644)
	start := time.Now()
	r, err := Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("Verify took %v, want it bounded", took)
	}
	if r.Unrendered != 1_000_000 || len(r.Unfinished) == 0 || len(r.Invalid) != 1 || !strings.Contains(r.Invalid[0], "more than 32") {
		t.Errorf("Verify = %d unrendered, %d unfinished shards, invalid %q; want every frame unrendered and the runs past 32 reported", r.Unrendered, len(r.Unfinished), r.Invalid)
	}
	if len(r.UnrenderedList) > 2_000_000 {
		t.Errorf("the list of unrendered frames is %d bytes, want it cut short", len(r.UnrenderedList))
	}
}
