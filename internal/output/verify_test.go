package output

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
	verify := func(runs int) (Report, time.Duration) {
		dir := t.TempDir()
		m := Manifest{Fingerprint: "job", Frames: []FrameRecord{}}
		for i := range runs {
			m.Runs = append(m.Runs, RunRecord{Frames: 1_000_000, Range: "1-1000000", Shards: 1 + i%100})
		}
		data, _ := json.Marshal(m)
		os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644)
		start := time.Now()
		r, err := Verify(dir)
		if err != nil {
			t.Fatal(err)
		}
		return r, time.Since(start)
	}
	// Bounded is measured against a tenth of the runs, not against the clock,
	// so that a loaded machine cannot fail it: with each distinct run walked
	// once, and at most 32 of them, 3000 runs take about as long as 300
	// (reading the longer manifest aside); walked each, ten times as long.
	_, tenth := verify(300)
	r, took := verify(3000)
	t.Logf("Verify: 300 runs %v, 3000 runs %v", tenth, took)
	if took > 4*tenth {
		t.Errorf("Verify of 3000 runs took %v, %.1f times that of 300 runs (%v), want at most 4 times: each distinct run once, at most 32", took, float64(took)/float64(tenth), tenth)
	}
	if r.Unrendered != 1_000_000 || len(r.Unfinished) == 0 || len(r.Invalid) != 1 || !strings.Contains(r.Invalid[0], "more than 32") {
		t.Errorf("Verify = %d unrendered, %d unfinished shards, invalid %q; want every frame unrendered and the runs past 32 reported", r.Unrendered, len(r.Unfinished), r.Invalid)
	}
	if len(r.UnrenderedList) > 2_000_000 {
		t.Errorf("the list of unrendered frames is %d bytes, want it cut short", len(r.UnrenderedList))
	}
}

// TestVerifyReportsEveryProblem checks Verify on a job with one of each
// problem: every file is reported under its problem, the shards with frames
// missing are named with their counts, and the unrendered frames are listed.
func TestVerifyReportsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	d := testDir(t, dir)
	s, _ := NewSequence(d, DefaultPattern)
	run := RunRecord{Frames: 7, Range: "1-7", Shards: 3}
	w, err := OpenManifest(d, "job", nil, run, false)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 5; n++ {
		out, err := s.Write(n, testImage(8, 8, uint8(n)))
		if err != nil {
			t.Fatal(err)
		}
		w.Add(FrameRecord{Number: n, File: filepath.Base(out.Path), SHA256: out.SHA256, Size: out.Size})
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if r, err := Verify(dir); err != nil || r.Checked != 5 || r.Wanted != 7 || r.Unrendered != 2 || r.UnrenderedList != "6-7" || r.OK() {
		t.Fatalf("Verify of 5 of 7 frames = %+v, %v; want 5 checked of 7 wanted, 6-7 unrendered, not OK", r, err)
	}

	os.Remove(s.Path(2)) // missing
	data, _ := os.ReadFile(s.Path(3))
	data[len(data)/2] ^= 1 // corrupt, the same size
	os.WriteFile(s.Path(3), data, 0o644)
	os.Remove(s.Path(4))
	os.Mkdir(s.Path(4), 0o755) // unreadable
	os.WriteFile(filepath.Join(dir, "stray.PNG"), nil, 0o644)
	os.Mkdir(filepath.Join(dir, "folder.png"), 0o755)
	os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644)
	partial := ".frame_0006.png." + testTag + "-01234567.partial"
	os.WriteFile(filepath.Join(dir, partial), nil, 0o644)
	// A record that names no file in the directory, added by hand.
	m, _ := ReadManifest(dir)
	m.Frames = append(m.Frames, FrameRecord{Number: 9, File: "../x.png", SHA256: "h", Size: 1})
	data, _ = json.Marshal(m)
	os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644)

	r, err := Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", what, got, want)
		}
	}
	check("Missing", r.Missing, []string{"frame_0002.png"})
	check("Corrupt", r.Corrupt, []string{"frame_0003.png"})
	check("Unreadable", r.Unreadable, []string{`"frame_0004.png": is a directory, not a file: move it away`})
	check("Foreign", r.Foreign, []string{"stray.PNG"})
	check("Partial", r.Partial, []string{partial})
	if len(r.Invalid) != 1 || !strings.Contains(r.Invalid[0], `"../x.png"`) {
		t.Errorf("Invalid = %q, want the record of ../x.png", r.Invalid)
	}
	// Frames 2, 3 and 4 are bad and 6, 7 unrendered: by position in 1-7 in
	// 3 shards, shard 0 is frames 1, 4, 7; shard 1 is 2, 5; shard 2 is 3, 6.
	check("Unfinished", r.Unfinished, []string{
		`shard 0/3 of frames "1-7": 2 of 3 frames missing`,
		`shard 1/3 of frames "1-7": 1 of 2 frames missing`,
		`shard 2/3 of frames "1-7": 2 of 2 frames missing`,
	})
	if r.Checked != 5 || r.Wanted != 7 || r.Unrendered != 2 || r.UnrenderedList != "6-7" || r.OK() {
		t.Errorf("Verify = %d checked, %d wanted, %d unrendered (%s), OK %v; want 5, 7, 2 (6-7), not OK", r.Checked, r.Wanted, r.Unrendered, r.UnrenderedList, r.OK())
	}
}

// TestVerifyRuns checks the runs Verify accepts and those it reports, and that a
// run recorded twice is checked once.
func TestVerifyRuns(t *testing.T) {
	for _, c := range []struct {
		name       string
		runs       []RunRecord
		invalid    int
		wanted     int
		unfinished []string
	}{
		{"one shard per frame", []RunRecord{{Frames: 3, Range: "1-3", Shards: 3}}, 0, 3, []string{
			`shard 1/3 of frames "1-3": 1 of 1 frames missing`, `shard 2/3 of frames "1-3": 1 of 1 frames missing`}},
		{"more shards than frames", []RunRecord{{Frames: 3, Range: "1-3", Shards: 4}}, 1, 0, nil},
		{"no shards", []RunRecord{{Frames: 3, Range: "1-3", Shards: 0}}, 1, 0, nil},
		{"a bad range", []RunRecord{{Frames: 3, Range: "3-1", Shards: 1}}, 1, 0, nil},
		{"one shard", []RunRecord{{Frames: 3, Range: "1-3", Shards: 1}}, 0, 3, nil},
		{"twice", []RunRecord{{Frames: 3, Range: "1-3", Shards: 2}, {Frames: 3, Range: "1-3", Shards: 2}}, 0, 3, []string{
			`shard 0/2 of frames "1-3": 1 of 2 frames missing`, `shard 1/2 of frames "1-3": 1 of 1 frames missing`}},
		{"no runs", nil, 0, 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "f1.png"), []byte("1"), 0o644)
			// Frame 1 is there; 2 is recorded and missing; 3 is not recorded.
			m := Manifest{Fingerprint: "job", Runs: c.runs, Frames: []FrameRecord{
				{Number: 1, File: "f1.png", SHA256: "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b", Size: 1},
				{Number: 2, File: "f2.png", SHA256: "h", Size: 1},
			}}
			data, _ := json.Marshal(m)
			os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644)
			r, err := Verify(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Invalid) != c.invalid || r.Wanted != c.wanted || !slices.Equal(r.Unfinished, c.unfinished) {
				t.Errorf("Verify = invalid %q, wanted %d, unfinished %q; want %d invalid, %d wanted, unfinished %q", r.Invalid, r.Wanted, r.Unfinished, c.invalid, c.wanted, c.unfinished)
			}
			if want := min(c.wanted, 1); r.Unrendered != want {
				t.Errorf("Verify = %d unrendered, want %d", r.Unrendered, want)
			}
			if !slices.Equal(r.Missing, []string{"f2.png"}) || len(r.Corrupt) != 0 {
				t.Errorf("Verify = missing %q, corrupt %q; want f2.png missing, nothing corrupt", r.Missing, r.Corrupt)
			}
		})
	}
}

// TestVerifyListsUnrenderedWithABound checks that the list of unrendered
// frames stops at maxListed, and says it does.
func TestVerifyListsUnrenderedWithABound(t *testing.T) {
	for _, c := range []struct {
		frames int
		want   string
	}{{maxListed, "1-100000"}, {maxListed + 1, "1-100000,…"}} {
		dir := t.TempDir()
		data, _ := json.Marshal(Manifest{Fingerprint: "job", Frames: []FrameRecord{}, Runs: []RunRecord{{Frames: c.frames, Range: "1-" + strconv.Itoa(c.frames), Shards: 1}}})
		os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644)
		r, err := Verify(dir)
		if err != nil || r.Unrendered != c.frames || r.UnrenderedList != c.want {
			t.Errorf("Verify of %d unrendered frames = %d, list %q (%v); want %d, %q", c.frames, r.Unrendered, r.UnrenderedList, err, c.frames, c.want)
		}
	}
}

func TestReportOK(t *testing.T) {
	if !(Report{Checked: 3, Wanted: 3}).OK() {
		t.Error("a report of no problem is not OK")
	}
	for name, r := range map[string]Report{
		"missing":    {Missing: []string{"a"}},
		"corrupt":    {Corrupt: []string{"a"}},
		"unreadable": {Unreadable: []string{"a"}},
		"invalid":    {Invalid: []string{"a"}},
		"foreign":    {Foreign: []string{"a"}},
		"partial":    {Partial: []string{"a"}},
		"unrendered": {Unrendered: 1},
		"unfinished": {Unfinished: []string{"a"}},
	} {
		if r.OK() {
			t.Errorf("a report with a %s file is OK", name)
		}
	}
}

// TestReportOKCountsEveryProblem checks that problems of two kinds never
// cancel out: a report with a missing file and one other problem is not OK.
func TestReportOKCountsEveryProblem(t *testing.T) {
	one := []string{"a"}
	for name, r := range map[string]Report{
		"corrupt":    {Missing: one, Corrupt: one},
		"unreadable": {Missing: one, Unreadable: one},
		"invalid":    {Missing: one, Invalid: one},
		"foreign":    {Missing: one, Foreign: one},
		"partial":    {Missing: one, Partial: one},
		"unrendered": {Missing: one, Unrendered: 1},
		"unfinished": {Missing: one, Unfinished: one},
		"all":        {Missing: one, Corrupt: one, Unreadable: one, Invalid: one, Foreign: one, Partial: one, Unrendered: 1, Unfinished: one},
	} {
		if r.OK() {
			t.Errorf("a report with a missing file and a %s problem is OK", name)
		}
	}
}
