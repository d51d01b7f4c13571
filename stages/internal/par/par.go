// Package par runs the sentence-level work of one long document on several
// goroutines. A document is one job of one pipeline worker; a document of
// millions of tokens (a 50 MB transcript on one line) would keep one core
// busy while the others wait at the end of the run. The stages cut such a
// document's sentences into contiguous chunks (Cuts), process the chunks
// on up to the run's workers (Do) and put the results together in chunk
// order, so that the output is exactly the sequential one.
package par

import (
	"sort"
	"sync"
	"sync/atomic"
)

// Cuts cuts items [0, n) into at most parts contiguous chunks of about equal
// weight, none lighter than minWeight unless it is the only one. end(i) is
// the cumulative weight of items 0..i (non-decreasing: a sentence's end
// offset or end token). The chunk boundaries are returned: chunk c is items
// [b[c], b[c+1]); len(b)-1 chunks, none empty (n = 0 gives none).
func Cuts(n, parts, minWeight int, end func(i int) int) []int {
	if n <= 0 {
		return []int{0}
	}
	total := end(n - 1)
	if minWeight > 0 && total/minWeight < parts {
		parts = max(1, total/minWeight)
	}
	b := []int{0}
	for k := 1; k < parts; k++ {
		target := int(int64(total) * int64(k) / int64(parts))
		// the first item whose end reaches the target closes the chunk
		i := sort.Search(n, func(i int) bool { return end(i) >= target }) + 1
		if i > b[len(b)-1] && i < n {
			b = append(b, i)
		}
	}
	return append(b, n)
}

// Do runs fn(w, c) for every chunk c in [0, chunks) on up to workers
// goroutines; w (0 ≤ w < workers) names the goroutine, for scratch space
// that must not be shared. It returns the error of the lowest-numbered
// chunk that failed; after a failure no further chunk is started. A panic
// in fn is raised again in the caller's goroutine, where the pipeline's
// recover turns it into that document's error instead of a crash.
func Do(chunks, workers int, fn func(w, c int) error) error {
	workers = max(1, min(workers, chunks))
	if workers == 1 {
		for c := 0; c < chunks; c++ {
			if err := fn(0, c); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, chunks)
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
		mu     sync.Mutex
		panic1 any
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					failed.Store(true)
					mu.Lock()
					if panic1 == nil {
						panic1 = r
					}
					mu.Unlock()
				}
			}()
			for !failed.Load() {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				if err := fn(w, c); err != nil {
					errs[c] = err
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	if panic1 != nil {
		panic(panic1)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
