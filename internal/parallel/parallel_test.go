package parallel

import (
	"fmt"
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, c := range []struct{ n, workers int }{{0, 4}, {1, 4}, {100, 1}, {100, 7}, {3, 0}} {
		counts := make([]atomic.Int32, c.n)
		var running, most atomic.Int32
		err := For(c.n, c.workers, func(i int) error {
			now := running.Add(1)
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
			counts[i].Add(1)
			running.Add(-1)
			if i%10 == 3 {
				return fmt.Errorf("item %d", i)
			}
			return nil
		})
		for i := range counts {
			if got := counts[i].Load(); got != 1 {
				t.Errorf("For(%d, %d): item %d done %d times, want once", c.n, c.workers, i, got)
			}
		}
		if limit := int32(max(1, c.workers)); most.Load() > limit {
			t.Errorf("For(%d, %d): %d at once, want at most %d", c.n, c.workers, most.Load(), limit)
		}
		var failed int
		for i := range c.n {
			if i%10 == 3 {
				failed++
				if err == nil || !contains(err, fmt.Sprintf("item %d", i)) {
					t.Errorf("For(%d, %d) = %v, want item %d's error among them", c.n, c.workers, err, i)
				}
			}
		}
		if failed == 0 && err != nil {
			t.Errorf("For(%d, %d) = %v, want nil", c.n, c.workers, err)
		}
	}
}

func contains(err error, msg string) bool {
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		if e.Error() == msg {
			return true
		}
	}
	return false
}
