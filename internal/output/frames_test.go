package output

import (
	"slices"
	"strings"
	"testing"
)

func TestFormatFrames(t *testing.T) {
	for _, c := range []struct {
		frames []int
		want   string
	}{
		{nil, ""},
		{[]int{1}, "1"},
		{[]int{1, 2}, "1-2"},
		{[]int{1, 3}, "1,3"},
		{[]int{1, 2, 3, 5, 7, 8}, "1-3,5,7-8"},
		{[]int{10, 20, 21, 22, 90}, "10,20-22,90"},
	} {
		if got := FormatFrames(c.frames); got != c.want {
			t.Errorf("FormatFrames(%v) = %q, want %q", c.frames, got, c.want)
		}
	}
}

func TestParseFrames(t *testing.T) {
	for _, c := range []struct {
		s    string
		want []int
		bad  bool
	}{
		{"", nil, false},
		{"1", []int{1}, false},
		{"1-3,5,7-8", []int{1, 2, 3, 5, 7, 8}, false},
		{"4-4", []int{4}, false},
		{"1,2", []int{1, 2}, false},
		{"9999999-10000000", []int{9999999, 10000000}, false},
		{"0", nil, true},          // frames count from 1
		{"3,2", nil, true},        // decreasing
		{"2,2", nil, true},        // twice
		{"1-3,3", nil, true},      // overlapping
		{"5-4", nil, true},        // backwards range
		{"10000001", nil, true},   // beyond maxListedFrame
		{"1-10000001", nil, true}, // beyond maxListedFrame
		{"x", nil, true},          // not a number
		{"1-x", nil, true},        // not a number
		{"1,", nil, true},         // empty part
		{"-3", nil, true},         // negative
		{"1-2-3", nil, true},      // two dashes
	} {
		got, err := ParseFrames(c.s)
		if c.bad {
			if err == nil || !strings.Contains(err.Error(), "not a list of frames") {
				t.Errorf("ParseFrames(%q) = %v, %v; want an error", c.s, got, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("ParseFrames(%q) = %v, %v; want %v", c.s, got, err, c.want)
		}
	}
	// eachFrame gives positions in order, and the count.
	var pos []int
	n, err := eachFrame("2-3,7", func(p, f int) { pos = append(pos, p*100+f) })
	if err != nil || n != 3 || !slices.Equal(pos, []int{2, 103, 207}) {
		t.Errorf("eachFrame(2-3,7) = %d, %v, calls %v; want 3, nil, [2 103 207] (position*100+frame)", n, err, pos)
	}
}

func TestBitset(t *testing.T) {
	var b bitset
	in := []int{0, 1, 63, 64, 130, 1000}
	for _, n := range in {
		b.set(n)
	}
	var got []int
	for n := range b.members() {
		got = append(got, n)
	}
	if !slices.Equal(got, in) {
		t.Errorf("members = %v, want %v", got, in)
	}
	for _, n := range []int{2, 62, 65, 129, 131, 999, 1001, 5000} {
		if b.has(n) {
			t.Errorf("has(%d) = true, want false", n)
		}
	}
	for _, n := range in {
		if !b.has(n) {
			t.Errorf("has(%d) = false, want true", n)
		}
	}
	// members stops when told to.
	var first []int
	for n := range b.members() {
		first = append(first, n)
		if len(first) == 2 {
			break
		}
	}
	if !slices.Equal(first, []int{0, 1}) {
		t.Errorf("members cut after two = %v, want [0 1]", first)
	}
}

func TestSettleRuns(t *testing.T) {
	all := func(int) bool { return true }
	upTo := func(m int) func(int) bool { return func(n int) bool { return n <= m } }
	many := make([]RunRecord, maxRuns+1)
	for i := range many {
		many[i] = RunRecord{Frames: 2, Range: "1-2", Shards: 2}
	}
	for _, c := range []struct {
		name     string
		runs     []RunRecord
		recorded func(int) bool
		want     []RunRecord
	}{
		{"none", nil, all, nil},
		{"one unsharded", []RunRecord{{Frames: 4, Range: "2-3", Shards: 1}}, all, []RunRecord{{Frames: 4, Range: "2-3", Shards: 1}}},
		{"one sharded, complete", []RunRecord{{Frames: 4, Range: "1-4", Shards: 2}}, all, []RunRecord{{Frames: 4, Range: "1-4", Shards: 1}}},
		{"one sharded, a frame short", []RunRecord{{Frames: 4, Range: "1-4", Shards: 2}}, upTo(3), []RunRecord{{Frames: 4, Range: "1-4", Shards: 2}}},
		{"two, complete", []RunRecord{{Frames: 6, Range: "1-2", Shards: 1}, {Frames: 8, Range: "4-5,7", Shards: 1}}, all, []RunRecord{{Frames: 8, Range: "1-2,4-5,7", Shards: 1}}},
		{"two, first a frame short", []RunRecord{{Frames: 6, Range: "1-2", Shards: 1}, {Frames: 6, Range: "3-4", Shards: 1}}, upTo(1), []RunRecord{{Frames: 6, Range: "1-2", Shards: 1}, {Frames: 6, Range: "3-4", Shards: 1}}},
		{"two, last a frame short", []RunRecord{{Frames: 6, Range: "1-2", Shards: 1}, {Frames: 6, Range: "3-4", Shards: 1}}, upTo(3), []RunRecord{{Frames: 6, Range: "1-2", Shards: 1}, {Frames: 6, Range: "3-4", Shards: 1}}},
		{"a bad range", []RunRecord{{Frames: 6, Range: "2-1", Shards: 1}, {Frames: 6, Range: "3-4", Shards: 1}}, all, []RunRecord{{Frames: 6, Range: "2-1", Shards: 1}, {Frames: 6, Range: "3-4", Shards: 1}}},
		{"more than maxRuns", many, all, many},
	} {
		if got := settleRuns(slices.Clone(c.runs), c.recorded); !slices.Equal(got, c.want) {
			t.Errorf("%s: settleRuns(%v) = %v, want %v", c.name, c.runs, got, c.want)
		}
	}
	// maxRuns runs exactly are still settled.
	if got := settleRuns(many[:maxRuns], all); !slices.Equal(got, []RunRecord{{Frames: 2, Range: "1-2", Shards: 1}}) {
		t.Errorf("settleRuns(%d runs) = %v, want them settled to one", maxRuns, got)
	}
}
