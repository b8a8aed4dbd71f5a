package main

import (
	"slices"
	"strings"
	"testing"
)

func TestParseRange(t *testing.T) {
	for _, c := range []struct {
		spec string
		want []int
	}{
		{"", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"3", []int{3}},
		{"2-4", []int{2, 3, 4}},
		{"1-3, 9,8-10", []int{1, 2, 3, 8, 9, 10}}, // overlaps once, in order
		{"10-10", []int{10}},
	} {
		got, err := parseRange(c.spec, 10)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("parseRange(%q, 10) = %v, %v; want %v", c.spec, got, err, c.want)
		}
	}
	for _, c := range []struct{ spec, want string }{
		{"0-3", "outside the animation's frames 1-10"},
		{"5-11", "outside"},
		{"5-3", "runs backwards; write 3-5"},
		{"a", "not a frame number"},
		{"1,,2", "not a frame number"},
		{"1-", "not a frame number"},
		{"-3", "not a frame number"},
		{"+3", "not a frame number"},
		{"10-5", "outside the animation's frames 1-8"},
	} {
		frames := 10
		if c.spec == "10-5" {
			frames = 8 // out of range and backwards: say the first
		}
		if _, err := parseRange(c.spec, frames); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseRange(%q, %d) = %v, want an error saying %q", c.spec, frames, err, c.want)
		}
	}
}

func TestShardShares(t *testing.T) {
	frames := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50}
	var all []int
	for i := range 4 {
		share := shard{i, 4, ""}.of(frames)
		if len(share) < 2 || len(share) > 3 {
			t.Errorf("shard %d/4 of 11 frames takes %d, want 2 or 3: shares differ by one frame at most", i, len(share))
		}
		all = append(all, share...)
	}
	slices.Sort(all)
	if !slices.Equal(all, frames) {
		t.Errorf("the shares together are %v, want every frame once: %v", all, frames)
	}
	if got := (shard{1, 4, ""}).of(frames); !slices.Equal(got, []int{2, 6, 10}) {
		t.Errorf("shard 1/4 = %v, want [2 6 10]: every 4th from the 2nd", got)
	}
	if got := (shard{5, 20, ""}).of([]int{1, 2}); len(got) != 0 {
		t.Errorf("shard 5/20 of 2 frames = %v, want none", got)
	}
}

func TestResolveShard(t *testing.T) {
	for _, c := range []struct {
		name    string
		flag    string
		count   int // --shards, when > 0
		env     map[string]string
		want    shard
		wantErr string
	}{
		{name: "none", want: shard{0, 1, "default"}},
		{name: "flag", flag: "2/5", want: shard{2, 5, "--shard"}},
		{name: "flag beats env", flag: "0/2", env: map[string]string{"JOB_COMPLETION_INDEX": "1", "RENDER_SHARDS": "4"}, want: shard{0, 2, "--shard"}},
		{name: "kubernetes with --shards", count: 8, env: map[string]string{"JOB_COMPLETION_INDEX": "7"}, want: shard{7, 8, "JOB_COMPLETION_INDEX, count from --shards"}},
		{name: "kubernetes with RENDER_SHARDS", env: map[string]string{"JOB_COMPLETION_INDEX": "0", "RENDER_SHARDS": "3"}, want: shard{0, 3, "JOB_COMPLETION_INDEX, count from RENDER_SHARDS"}},
		{name: "slurm", env: map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"}, want: shard{3, 4, "SLURM_ARRAY_TASK_ID"}},
		{name: "slurm from 1 in steps of 2", env: map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"}, want: shard{2, 4, "SLURM_ARRAY_TASK_ID"}},
		{name: "aws batch", env: map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "1", "RENDER_SHARDS": "2"}, want: shard{1, 2, "AWS_BATCH_JOB_ARRAY_INDEX, count from RENDER_SHARDS"}},
		{name: "cloud run", env: map[string]string{"CLOUD_RUN_TASK_INDEX": "9", "CLOUD_RUN_TASK_COUNT": "10"}, want: shard{9, 10, "CLOUD_RUN_TASK_INDEX"}},
		{name: "bad flag", flag: "2", wantErr: "want INDEX/COUNT"},
		{name: "index past count", flag: "4/4", wantErr: "below the count 4"},
		{name: "negative", flag: "-1/4", wantErr: "want INDEX/COUNT"},
		{name: "zero count", flag: "0/0", wantErr: "between 1 and"},
		{name: "flag and --shards disagree", flag: "1/4", count: 3, wantErr: "--shards says 3"},
		{name: "kubernetes without a count", env: map[string]string{"JOB_COMPLETION_INDEX": "2"}, wantErr: "pass --shards N or set RENDER_SHARDS"},
		{name: "index past env count", env: map[string]string{"CLOUD_RUN_TASK_INDEX": "3", "CLOUD_RUN_TASK_COUNT": "3"}, wantErr: "only 3 shards"},
		{name: "index not a number", env: map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "x", "RENDER_SHARDS": "3"}, wantErr: "not a shard index"},
		{name: "slurm off its step", env: map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"}, wantErr: "does not fit"},
		{name: "--shards alone", count: 3, wantErr: "needs this process's index"},
		{name: "RENDER_SHARDS alone", env: map[string]string{"RENDER_SHARDS": "4"}, wantErr: "nothing gives this process's index"},
		{name: "signed index", flag: "+1/4", wantErr: "want INDEX/COUNT"},
		{name: "slurm bad step", env: map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_STEP": "x", "SLURM_ARRAY_TASK_COUNT": "4"}, wantErr: "SLURM_ARRAY_TASK_STEP=x is not a whole number"},
		{name: "bad count", env: map[string]string{"CLOUD_RUN_TASK_INDEX": "1", "CLOUD_RUN_TASK_COUNT": "many"}, wantErr: "CLOUD_RUN_TASK_COUNT=many is not a whole number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := resolveShard(c.flag, c.count, c.count > 0, func(k string) string { return c.env[k] })
			switch {
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("resolveShard = %v, %v; want an error saying %q", got, err, c.wantErr)
			case c.wantErr == "" && (err != nil || got != c.want):
				t.Errorf("resolveShard = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestDescribeFrames(t *testing.T) {
	for _, c := range []struct {
		frames []int
		want   string
	}{
		{nil, "none"},
		{[]int{7}, "7"},
		{span(1, 120), "1-120"},
		{[]int{3, 11, 19, 27}, "3-27 every 8th"},
		{[]int{1, 3}, "1, 3"},
		{[]int{1, 2, 3, 50, 90, 91}, "1-3, 50, 90-91"},
		{[]int{1, 3, 4, 6, 8, 9, 11, 13, 15, 20, 30}, "1, 3-4, 6, 8-9, …, 13, 15, 20, 30"},
	} {
		if got := describeFrames(c.frames); got != c.want {
			t.Errorf("describeFrames(%v) = %q, want %q", c.frames, got, c.want)
		}
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}
