// Package parallel runs the iterations of a loop on a few goroutines, for the
// work around a render (hashing frames, reading them back) rather than the
// render itself, which has its own scheduler.
package parallel

import (
	"errors"
	"sync"
)

// For calls do(i) for every i from 0 to n-1, on up to workers goroutines, and
// returns the errors it returned, joined (nil if none). Every i is done, even
// after an error.
func For(n, workers int, do func(i int) error) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = do(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
