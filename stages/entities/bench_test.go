package entities

import (
	"strings"
	"testing"

	"github.com/jdkato/prose/v2"

	"github.com/framelens/framelens/corpus"
)

// benchDoc is the body text of the longer sample paper, tokenised once.
func benchDoc(b *testing.B) *corpus.Document {
	return paperDoc(b, "001_bc78b1a299ded242.txt")
}

// BenchmarkEntities measures the entity stage alone (tokens given) on one
// core: go test -bench Entities -cpu 1 ./stages/entities/
func BenchmarkEntities(b *testing.B) {
	doc := benchDoc(b)
	rec, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	b.ResetTimer()
	for b.Loop() {
		if err := rec.Process(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc.Tokens))*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkProseExtractor runs prose's default pipeline (tokenise, tag,
// extract; model loaded once) on the same body text.
func BenchmarkProseExtractor(b *testing.B) {
	doc := benchDoc(b)
	var parts []string
	for _, s := range doc.Sections {
		parts = append(parts, doc.Clean[s.Start:s.End])
	}
	text := strings.Join(parts, "\n\n")
	ld, err := prose.NewDocument("Load.", prose.WithSegmentation(false))
	if err != nil {
		b.Fatal(err)
	}
	model := ld.Model
	tokens := 0
	b.ResetTimer()
	for b.Loop() {
		d, err := prose.NewDocument(text, prose.UsingModel(model), prose.WithSegmentation(false))
		if err != nil {
			b.Fatal(err)
		}
		tokens += len(d.Tokens())
		_ = d.Entities()
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}
