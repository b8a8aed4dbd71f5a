package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sdfrender/render/scene"
)

// parseRange returns the frames that spec selects out of 1..frames, in order and
// each once: spec is a comma list of frame numbers and inclusive ranges, such as
// "1-10,50,90-120". An empty spec selects them all.
func parseRange(spec string, frames int) ([]int, error) {
	if spec == "" {
		return span(1, frames), nil
	}
	picked := make([]bool, frames+1)
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, errA := wholeNumber(lo)
		b, errB := a, error(nil)
		if isRange {
			b, errB = wholeNumber(hi)
		}
		switch {
		case errA != nil || errB != nil:
			return nil, usagef("--range %s: %q is not a frame number or a range such as 1-10; write a comma list like 1-10,50,90-120", spec, part)
		case min(a, b) < 1 || max(a, b) > frames:
			return nil, usagef("--range %s: %s is outside the animation's frames 1-%d", spec, part, frames)
		case a > b:
			return nil, usagef("--range %s: %s runs backwards; write %d-%d", spec, part, b, a)
		}
		for n := a; n <= b; n++ {
			picked[n] = true
		}
	}
	var selected []int
	for n, ok := range picked {
		if ok {
			selected = append(selected, n)
		}
	}
	return selected, nil
}

// wholeNumber parses a whole number written in digits only, no sign: a frame
// number, a shard index or count.
func wholeNumber(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	return strconv.Atoi(s)
}

// span returns the numbers a to b, inclusive.
func span(a, b int) []int {
	s := make([]int, 0, max(0, b-a+1))
	for n := a; n <= b; n++ {
		s = append(s, n)
	}
	return s
}

// shard is one process's share of a job's frames: of the selected frames, in
// order, it takes those whose position is index modulo count. Interleaving
// spreads the expensive parts of an animation over every shard, so that they
// finish together, and gives every shard a preview of the whole animation early.
type shard struct {
	index, count int
	source       string // where it came from: "--shard" or an environment variable
}

// of returns the shard's share of frames.
func (s shard) of(frames []int) []int {
	var share []int
	for i := s.index; i < len(frames); i += s.count {
		share = append(share, frames[i])
	}
	return share
}

// String says which shard it is and where it came from, for the summary.
func (s shard) String() string {
	return fmt.Sprintf("shard %d/%d (from %s)", s.index, s.count, s.source)
}

// shardEnv are the array-job indexes of the engines render runs under, in the
// order they are looked for, with the variable that holds the count where the
// engine sets one.
var shardEnv = []struct{ index, count string }{
	{"JOB_COMPLETION_INDEX", ""},                      // Kubernetes Indexed Job
	{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"}, // Slurm job array
	{"AWS_BATCH_JOB_ARRAY_INDEX", ""},                 // AWS Batch array job
	{"CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT"},  // Cloud Run job
}

// shardCountEnv holds the shard count for engines that give only an index.
const shardCountEnv = "RENDER_SHARDS"

// resolveShard works out this process's shard from --shard (flag, "INDEX/COUNT"),
// or else from the environment, with --shards (count, when shardsSet) or
// RENDER_SHARDS giving the count where the engine does not. Without either, the
// process takes every frame.
func resolveShard(flag string, count int, countSet bool, getenv func(string) string) (shard, error) {
	if flag != "" {
		i, n, ok := strings.Cut(flag, "/")
		index, err1 := wholeNumber(i)
		total, err2 := wholeNumber(n)
		switch {
		case !ok || err1 != nil || err2 != nil:
			return shard{}, usagef("--shard %s: want INDEX/COUNT, such as 0/4 for the first of four shards", flag)
		case total < 1 || total > scene.MaxFrames:
			return shard{}, usagef("--shard %s: the count must be between 1 and %d", flag, scene.MaxFrames)
		case index < 0 || index >= total:
			return shard{}, usagef("--shard %s: the index counts from 0 and must be below the count %d", flag, total)
		case countSet && count != total:
			return shard{}, usagef("--shard %s says %d shards but --shards says %d: give one of them", flag, total, count)
		}
		return shard{index, total, "--shard"}, nil
	}
	for _, e := range shardEnv {
		v := getenv(e.index)
		if v == "" {
			continue
		}
		index, err := wholeNumber(v)
		if err != nil {
			return shard{}, usagef("%s=%s is not a shard index: want a whole number from 0", e.index, v)
		}
		source := e.index
		if e.index == "SLURM_ARRAY_TASK_ID" {
			// An array may be numbered from any first task, in any step (--array=1-16:2).
			first, err1 := envInt(getenv, "SLURM_ARRAY_TASK_MIN", 0)
			step, err2 := envInt(getenv, "SLURM_ARRAY_TASK_STEP", 1)
			if err := errors.Join(err1, err2); err != nil {
				return shard{}, err
			}
			if step < 1 || index < first || (index-first)%step != 0 {
				return shard{}, usagef("SLURM_ARRAY_TASK_ID=%d does not fit SLURM_ARRAY_TASK_MIN=%d and SLURM_ARRAY_TASK_STEP=%d", index, first, step)
			}
			index = (index - first) / step
		}
		total, from := count, "--shards"
		if !countSet {
			total, from = 0, ""
			for _, name := range []string{e.count, shardCountEnv} {
				if name != "" && getenv(name) != "" {
					if total, err = envInt(getenv, name, 0); err != nil {
						return shard{}, err
					}
					from = name
					break
				}
			}
		}
		switch {
		case from == "":
			return shard{}, usagef("%s=%d gives this process's shard but nothing gives the count: pass --shards N or set %s=N (or --shard 0/1 to render every frame)", e.index, index, shardCountEnv)
		case total < 1 || total > scene.MaxFrames:
			return shard{}, usagef("the shard count from %s must be between 1 and %d", from, scene.MaxFrames)
		case index >= total:
			return shard{}, usagef("%s gives shard index %d, but %s gives only %d shards: they count from 0", e.index, index, from, total)
		}
		if from != e.count {
			source += ", count from " + from
		}
		return shard{index, total, source}, nil
	}
	if countSet {
		return shard{}, usagef("--shards %d needs this process's index: give --shard INDEX/%d, or run under an engine that sets JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX or CLOUD_RUN_TASK_INDEX", count, count)
	}
	if v := getenv(shardCountEnv); v != "" {
		return shard{}, usagef("%s=%s but nothing gives this process's index: run it as an indexed task (a Kubernetes Indexed Job, say), give --shard INDEX/COUNT, or unset %s", shardCountEnv, v, shardCountEnv)
	}
	return shard{0, 1, "default"}, nil
}

// envInt returns the environment variable name as a whole number, or def when
// it is unset.
func envInt(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := wholeNumber(v)
	if err != nil {
		return 0, usagef("%s=%s is not a whole number", name, v)
	}
	return n, nil
}

// describeFrames writes frame numbers short: "1-120", "3-115 every 8th",
// "1-10, 50, 90-120", eliding the middle of a long list.
func describeFrames(frames []int) string {
	switch len(frames) {
	case 0:
		return "none"
	case 1:
		return strconv.Itoa(frames[0])
	}
	if step := frames[1] - frames[0]; step > 1 && len(frames) > 2 && evenlySpaced(frames, step) {
		return fmt.Sprintf("%d-%d every %s", frames[0], frames[len(frames)-1], ordinal(step))
	}
	var runs []string
	for i := 0; i < len(frames); {
		j := i
		for j+1 < len(frames) && frames[j+1] == frames[j]+1 {
			j++
		}
		if j == i {
			runs = append(runs, strconv.Itoa(frames[i]))
		} else {
			runs = append(runs, fmt.Sprintf("%d-%d", frames[i], frames[j]))
		}
		i = j + 1
	}
	const most = 8
	if len(runs) > most {
		runs = append(append(runs[:most/2:most/2], "…"), runs[len(runs)-most/2:]...)
	}
	return strings.Join(runs, ", ")
}

// evenlySpaced reports whether each of frames is step after the one before.
func evenlySpaced(frames []int, step int) bool {
	for i := 1; i < len(frames); i++ {
		if frames[i]-frames[i-1] != step {
			return false
		}
	}
	return true
}

// ordinal returns "2nd", "3rd", "8th", "21st".
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}
