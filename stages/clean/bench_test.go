package clean

import (
	"context"
	"testing"
)

// BenchmarkCleanSample cleans the two sample papers.
func BenchmarkCleanSample(b *testing.B) {
	docs := sampleDocs(b)
	c, _ := New(Config{})
	var n int64
	for _, d := range docs {
		n += int64(len(d.Raw))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if err := c.Process(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	}
}
