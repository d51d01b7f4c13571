package frames

import (
	"context"
	"testing"
)

// BenchmarkProcess matches the default lexicon in the security paper
// (about 6,200 tokens).
func BenchmarkProcess(b *testing.B) {
	m, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	doc := samplePaper(b, "zhang2024")
	b.SetBytes(int64(len(doc.Clean)))
	b.ResetTimer()
	for range b.N {
		if err := m.Process(context.Background(), doc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc.Tokens))*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkGroupScores bootstraps (B = 1000) the scores of 200 synthetic
// documents of 300 sentences.
func BenchmarkGroupScores(b *testing.B) {
	s := NewSummaries([]string{"a", "b", "c"})
	for i := range 200 {
		d := &DocSummary{ID: string(rune(i)), Group: "g", Frames: s.Frames}
		for k := range 300 {
			d.SentTokens = append(d.SentTokens, int32(10+k%20))
			if k%4 == 0 {
				d.Cells = append(d.Cells, Cell{Sentence: int32(k), Frame: int32(k % 3), Hits: 1, Weighted: 1})
			}
		}
		s.Add(d)
	}
	for range b.N {
		if _, err := s.GroupScores(Bootstrap{}, "g"); err != nil {
			b.Fatal(err)
		}
	}
}
