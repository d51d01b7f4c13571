package entities

import (
	"strings"
	"testing"
	"time"

	"github.com/framelens/framelens/corpus/document"
	"github.com/jdkato/prose/v2"
)

// benchDoc is the body text of the longer sample paper, tokenised once.
func benchDoc(b *testing.B) *document.Document {
	return paperDoc(b, "zhang2024.txt")
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

// proseRunner runs prose's default pipeline (tokenise, tag, extract; model
// loaded once) on the analysed text of doc and returns the tokens it saw.
func proseRunner(b *testing.B, doc *document.Document) func() int {
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
	return func() int {
		d, err := prose.NewDocument(text, prose.UsingModel(model), prose.WithSegmentation(false))
		if err != nil {
			b.Fatal(err)
		}
		_ = d.Entities()
		return len(d.Tokens())
	}
}

// BenchmarkProseExtractor runs prose's default extractor on the same body text.
func BenchmarkProseExtractor(b *testing.B) {
	run := proseRunner(b, benchDoc(b))
	tokens := 0
	b.ResetTimer()
	for b.Loop() {
		tokens += run()
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkEntitiesVsProse times framelens's entity stage and prose's
// default extractor on the same text, alternately, and reports both speeds
// and their ratio (make bench): go test -bench VsProse -cpu 1 ./stages/entities/
func BenchmarkEntitiesVsProse(b *testing.B) {
	doc := benchDoc(b)
	rec, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	run := proseRunner(b, doc)
	ctx := b.Context()
	var ours, theirs time.Duration
	var proseTokens int
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if err := rec.Process(ctx, doc); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		proseTokens += run()
		ours += t1.Sub(t0)
		theirs += time.Since(t1)
	}
	oursRate := float64(len(doc.Tokens)*b.N) / ours.Seconds()
	proseRate := float64(proseTokens) / theirs.Seconds()
	b.ReportMetric(oursRate, "framelens_tokens/s")
	b.ReportMetric(proseRate, "prose_tokens/s")
	b.ReportMetric(oursRate/proseRate, "speedup")
}
