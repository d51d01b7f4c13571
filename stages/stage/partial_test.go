package stage

import (
	"strings"
	"testing"
)

// A document count merges document counts, and refuses, by name, a
// partial of another type.
func TestDocCountMerge(t *testing.T) {
	p := &DocCount{Docs: 2}
	if err := p.Merge(&DocCount{Docs: 3}); err != nil || p.Docs != 5 {
		t.Fatalf("2 + 3 documents: %d, %v", p.Docs, err)
	}
	type other struct{ DocCount }
	err := p.Merge(&other{})
	if err == nil || !strings.Contains(err.Error(), "is not its partial") || p.Docs != 5 {
		t.Errorf("merged a partial of another type: %v, %d documents", err, p.Docs)
	}
	if _, err := PartialAs[*DocCount]("topics", nil); err == nil || !strings.HasPrefix(err.Error(), "topics: ") {
		t.Errorf("a nil partial: %v", err)
	}
}
