package par

import (
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

// Cuts covers every item once, in order, with chunks of about equal
// weight and none below the least weight.
func TestCuts(t *testing.T) {
	for _, tc := range []struct {
		weights       []int
		parts, minW   int
		wantLen       int // chunks
		maxChunkShare int // no chunk above this weight
	}{
		{weights: repeat(1, 1000), parts: 8, wantLen: 8, maxChunkShare: 126},
		{weights: repeat(1, 1000), parts: 8, minW: 300, wantLen: 3, maxChunkShare: 334},
		{weights: repeat(1, 3), parts: 8, wantLen: 3, maxChunkShare: 1},
		{weights: []int{1000, 1, 1, 1}, parts: 4, wantLen: 2, maxChunkShare: 1000},
		{weights: []int{5}, parts: 4, wantLen: 1, maxChunkShare: 5},
		{weights: nil, parts: 4, wantLen: 0},
	} {
		cum := make([]int, len(tc.weights))
		s := 0
		for i, w := range tc.weights {
			s += w
			cum[i] = s
		}
		b := Cuts(len(cum), tc.parts, tc.minW, func(i int) int { return cum[i] })
		name := fmt.Sprint(tc.weights[:min(5, len(tc.weights))], tc.parts, tc.minW)
		if b[0] != 0 || b[len(b)-1] != len(cum) || !slices.IsSorted(b) {
			t.Errorf("%s: cuts %v do not cover [0,%d) in order", name, b, len(cum))
		}
		if len(b)-1 != tc.wantLen {
			t.Errorf("%s: %d chunks %v, want %d", name, len(b)-1, b, tc.wantLen)
		}
		for c := 0; c+1 < len(b); c++ {
			if b[c] >= b[c+1] {
				t.Errorf("%s: empty chunk %d in %v", name, c, b)
				continue
			}
			w := cum[b[c+1]-1]
			if b[c] > 0 {
				w -= cum[b[c]-1]
			}
			if w > tc.maxChunkShare {
				t.Errorf("%s: chunk %d weighs %d, want ≤ %d (%v)", name, c, w, tc.maxChunkShare, b)
			}
		}
	}
}

func repeat(w, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = w
	}
	return out
}

// Do runs every chunk once, with no two goroutines on one scratch index,
// and reports the error of the first chunk in order that failed.
func TestDo(t *testing.T) {
	for _, workers := range []int{1, 2, 5} {
		var ran [100]atomic.Int32
		busy := make([]atomic.Int32, workers)
		err := Do(len(ran), workers, func(w, c int) error {
			if busy[w].Add(1) != 1 {
				t.Errorf("two goroutines on scratch %d", w)
			}
			ran[c].Add(1)
			busy[w].Add(-1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for c := range ran {
			if n := ran[c].Load(); n != 1 {
				t.Errorf("workers %d: chunk %d ran %d times", workers, c, n)
			}
		}
		errA, errB := errors.New("chunk 7"), errors.New("chunk 3")
		err = Do(10, workers, func(w, c int) error {
			switch c {
			case 7:
				return errA
			case 3:
				return errB
			}
			return nil
		})
		// With one goroutine chunk 3 stops the run; with several, chunk 7
		// may fail too, and chunk 3's error still comes first.
		if err != errB {
			t.Errorf("workers %d: err = %v, want %v", workers, err, errB)
		}
	}
}

// A panic in a chunk reaches the caller's goroutine, where the pipeline's
// recover turns it into the document's error.
func TestDoPanicReachesCaller(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want boom", r)
		}
	}()
	Do(8, 3, func(w, c int) error {
		if c == 5 {
			panic("boom")
		}
		return nil
	})
	t.Error("Do returned after a panic")
}
