package frames

import (
	"reflect"
	"testing"
)

// A long document matched by chunks of sentences on several goroutines
// gets exactly the hits of the sentence by sentence path, on real text.
func TestLongDocumentIsSequential(t *testing.T) {
	for _, p := range []string{"sun2025", "zhang2024"} {
		doc := samplePaper(t, p)
		m, err := New(Config{})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Process(t.Context(), doc); err != nil {
			t.Fatal(err)
		}
		want := append(doc.FrameHits[:0:0], doc.FrameHits...)
		if len(want) < 10 {
			t.Fatalf("%s: only %d hits", p, len(want))
		}
		for _, workers := range []int{2, 5} {
			m.SetWorkers(workers)
			m.longTokens = 1000 // chunks of 62 tokens or more
			if err := m.Process(t.Context(), doc); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.FrameHits, want) {
				t.Errorf("%s, workers %d: %d hits differ from the sequential %d", p, workers, len(doc.FrameHits), len(want))
			}
		}
	}
}

// The bits of coverage answer as its map of pairs does, for hits that
// reach past the last token too.
func TestCoverageBitsAsPairs(t *testing.T) {
	bits, pairs := newCoverage(64, 500), newCoverage(65, 500)
	if bits.bits == nil || pairs.pairs == nil {
		t.Fatal("64 frames are not bits, or 65 not pairs")
	}
	for k := 0; k < 300; k++ {
		f, ts := (k*37)%64, (k*101)%520
		for tok := ts; tok < ts+k%7; tok++ {
			bits.mark(f, tok)
			pairs.mark(f, tok)
		}
	}
	marked := 0
	for f := 0; f < 64; f++ {
		for tok := 0; tok < 500; tok++ {
			if bits.has(f, tok) != pairs.has(f, tok) {
				t.Fatalf("frame %d token %d: bits %v, pairs %v", f, tok, bits.has(f, tok), pairs.has(f, tok))
			}
			if bits.has(f, tok) {
				marked++
			}
		}
	}
	if marked < 500 {
		t.Errorf("only %d pairs marked", marked)
	}
}
