// Package ordered runs independent items on workers and hands their
// results over in index order: output bytes that do not depend on the
// number of workers. (pipeline and the corpus stages share it.)
package ordered

import "context"

// Map runs f(0), …, f(n-1) on workers and hands each result to emit in
// index order on the calling goroutine, with at most 2·workers results
// computed or waiting at a time: every core busy, memory for a few results.
// After emit fails, the remaining results are computed but not emitted.
func Map[T any](ctx context.Context, n, workers int, f func(int) T, emit func(int, T) error) error {
	return MapWindow(ctx, n, workers, 2*max(1, workers), f, emit)
}

// SmallResults is the window of MapWindow for results of a few hundred
// bytes (a document's frame scores, a comparison's divergence): wide, so
// that one slow item (a long speech's bootstrap) does not stall the other
// workers while emit waits for it (whole UN on two workers: 160.9 and
// 170.5 s with a window of 2·workers, 156.6 s with this one).
const SmallResults = 256

// MapWindow is Map with at most window results computed or waiting at a
// time. Once ctx is done no item is started, and it returns ctx.Err()
// without waiting for the items not started.
func MapWindow[T any](ctx context.Context, n, workers, window int, f func(int) T, emit func(int, T) error) error {
	workers = max(1, workers)
	slots := make([]chan T, n)
	for i := range slots {
		slots[i] = make(chan T, 1)
	}
	tickets := make(chan struct{}, max(window, workers))
	next := make(chan int)
	go func() {
		defer close(next)
		for i := 0; i < n; i++ {
			select {
			case tickets <- struct{}{}:
			case <-ctx.Done():
				return
			}
			next <- i
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			for i := range next {
				slots[i] <- f(i)
			}
		}()
	}
	var err error
	for i := 0; i < n; i++ {
		var v T
		select {
		case v = <-slots[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-tickets
		if err == nil {
			err = emit(i, v)
		}
	}
	return err
}
