package output

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// mergeManifest writes to out the manifest read from in (nil for none), of the
// job with fingerprint fp and settings job, with run added to its runs and the
// records of pending (sorted by frame, each frame once) in place of its own.
// Records stream from in to out a few at a time: memory does not grow with the
// job. The frames come before the runs, which are settled once every frame they
// name is recorded (see settleRuns). path names in for messages.
func mergeManifest(out io.Writer, in io.Reader, path, fp string, job map[string]any, run RunRecord, pending []FrameRecord) error {
	bw := bufio.NewWriterSize(out, 16<<10)
	jobJSON, err := json.Marshal(job)
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "{\n  \"fingerprint\": %q,\n  \"job\": %s,\n  \"frames\": [", fp, jobJSON)
	var recorded bitset
	written := 0
	emit := func(r FrameRecord) error {
		rec, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if written > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(rec)
		recorded.set(r.Number)
		written++
		return nil
	}
	runs := []RunRecord{}
	if in != nil {
		if runs, err = mergeFrames(json.NewDecoder(in), pending, emit); err != nil {
			return fmt.Errorf("%s: %w: it was edited, or is not render's; move it away to start afresh", path, err)
		}
	} else {
		for _, r := range pending {
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	if written > 0 {
		bw.WriteString("\n  ")
	}
	if !slices.Contains(runs, run) {
		runs = append(runs, run)
	}
	runsJSON, err := json.Marshal(settleRuns(runs, recorded.has))
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "],\n  \"runs\": %s\n}\n", runsJSON)
	return bw.Flush()
}

// mergeFrames reads a manifest from dec, emitting its frame records merged with
// pending in frame order, and returns its runs.
func mergeFrames(dec *json.Decoder, pending []FrameRecord, emit func(FrameRecord) error) (runs []RunRecord, err error) {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	i := 0 // the next pending record
	sawFrames := false
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch k {
		case "runs":
			if err := dec.Decode(&runs); err != nil {
				return nil, err
			}
		case "frames":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return nil, errors.New("frames is not a list")
			}
			last := 0
			for dec.More() {
				var r FrameRecord
				if err := dec.Decode(&r); err != nil {
					return nil, err
				}
				if err := r.check(); err != nil {
					return nil, err
				}
				if r.Number <= last {
					return nil, fmt.Errorf("frame %d is recorded after frame %d", r.Number, last)
				}
				last = r.Number
				for ; i < len(pending) && pending[i].Number < r.Number; i++ {
					if err := emit(pending[i]); err != nil {
						return nil, err
					}
				}
				if i < len(pending) && pending[i].Number == r.Number {
					r = pending[i]
					i++
				}
				if err := emit(r); err != nil {
					return nil, err
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			sawFrames = true
		default: // the fingerprint, checked before, and the job, rewritten
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
	}
	if !sawFrames {
		return nil, errors.New("it records no frames list")
	}
	for ; i < len(pending); i++ {
		if err := emit(pending[i]); err != nil {
			return nil, err
		}
	}
	return runs, nil
}

// settleRuns returns runs, or, once every frame they name is recorded, the one
// run of every frame with no shards: how the job was split matters only while
// it is unfinished, and a finished job's manifest is the same bytes however many
// processes made it.
func settleRuns(runs []RunRecord, recorded func(int) bool) []RunRecord {
	if len(runs) < 2 && (len(runs) == 0 || runs[0].Shards == 1) || len(runs) > maxRuns {
		return runs
	}
	var all bitset
	total := 0
	for _, run := range runs {
		complete := true
		if _, err := eachFrame(run.Range, func(_, n int) {
			complete = complete && recorded(n)
			all.set(n)
		}); err != nil || !complete {
			return runs
		}
		total = max(total, run.Frames)
	}
	var frames []int
	for n := range all.members() {
		frames = append(frames, n)
	}
	return []RunRecord{{Frames: total, Range: FormatFrames(frames), Shards: 1}}
}

// bitset is a set of frame numbers, a bit each.
type bitset []uint64

func (b *bitset) set(n int) {
	for n/64 >= len(*b) {
		*b = append(*b, 0)
	}
	(*b)[n/64] |= 1 << (n % 64)
}

func (b bitset) has(n int) bool { return n/64 < len(b) && b[n/64]&(1<<(n%64)) != 0 }

// members yields the numbers in the set, in increasing order.
func (b bitset) members() func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for i, w := range b {
			for j := range 64 {
				if w&(1<<j) != 0 && !yield(i*64+j) {
					return
				}
			}
		}
	}
}
