package output

import (
	"fmt"
	"strconv"
	"strings"
)

// maxListedFrame bounds the frame numbers a manifest's frame lists may name, so
// that a hostile manifest cannot make a reader allocate without end.
const maxListedFrame = 10_000_000

// FormatFrames writes frame numbers, in increasing order, as the comma list of
// numbers and inclusive ranges that ParseFrames reads: "1-10,50,90-120".
func FormatFrames(frames []int) string {
	var b strings.Builder
	for i := 0; i < len(frames); {
		j := i
		for j+1 < len(frames) && frames[j+1] == frames[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(frames[i]))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(frames[j]))
		}
		i = j + 1
	}
	return b.String()
}

// ParseFrames reads a list that FormatFrames wrote, and returns its frames in
// increasing order, each once.
func ParseFrames(s string) ([]int, error) {
	var frames []int
	if _, err := eachFrame(s, func(_, n int) { frames = append(frames, n) }); err != nil {
		return nil, err
	}
	return frames, nil
}

// eachFrame calls f with the position and number of every frame of a list that
// FormatFrames wrote, in order, without building the list, and returns how many
// there are.
func eachFrame(s string, f func(pos, n int)) (int, error) {
	if s == "" {
		return 0, nil
	}
	pos, last := 0, 0
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || a <= last || b < a || b > maxListedFrame {
			return pos, fmt.Errorf("%q is not a list of frames in increasing order such as 1-10,50", s)
		}
		for n := a; n <= b; n++ {
			f(pos, n)
			pos++
		}
		last = b
	}
	return pos, nil
}
