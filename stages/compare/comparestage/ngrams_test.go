package comparestage

import (
	"bytes"
	"context"
	"encoding/gob"
	"testing"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/stage"
)

// The n-gram partial of a run cut into blocks, each saved (gob) and merged
// in block order, counts what the documents count, whatever the cut; a
// document whose n-grams are counted but has none still makes its group
// one that keyness compares n-grams of.
func TestNGramPartialMergesBlocks(t *testing.T) {
	s := New(Settings{})
	docs := []struct {
		group  string
		counts map[string]int
	}{
		{"a", map[string]int{"border security": 2, "visa policy": 1}},
		{"b", map[string]int{"border security": 1}},
		{"a", map[string]int{"visa policy": 3, "the border security": 1}},
		{"c", map[string]int{}},
		{"b", nil}, // not counted (a vocabulary of n-grams): no group
	}
	want := map[string]map[string]int64{"a": {"border security": 2, "visa policy": 4, "the border security": 1}, "b": {"border security": 1}, "c": {}}
	for _, cut := range []int{1, 2, 5} {
		corpus := s.NewPartial()
		for start := 0; start < len(docs); start += cut {
			block := s.NewPartial()
			for _, d := range docs[start:min(start+cut, len(docs))] {
				p, err := s.Map(context.Background(), stage.MapInput{Doc: &document.Document{Group: d.group}, NGrams: d.counts})
				if err != nil {
					t.Fatal(err)
				}
				if err := block.Merge(p); err != nil {
					t.Fatal(err)
				}
			}
			var b bytes.Buffer
			if err := gob.NewEncoder(&b).Encode(block); err != nil {
				t.Fatal(err)
			}
			saved := s.NewPartial()
			if err := gob.NewDecoder(&b).Decode(saved); err != nil {
				t.Fatal(err)
			}
			if err := corpus.Merge(saved); err != nil {
				t.Fatal(err)
			}
		}
		run := corpus.(*NGrams).total()
		got := map[string]map[string]int64{}
		for g, m := range run.groups {
			got[g] = map[string]int64{}
			for id, n := range m {
				got[g][run.names[id]] = n
			}
		}
		if len(got) != len(want) {
			t.Fatalf("blocks of %d: groups %v, want %v", cut, got, want)
		}
		for g, m := range want {
			if len(got[g]) != len(m) {
				t.Errorf("blocks of %d: group %s: %v, want %v", cut, g, got[g], m)
			}
			for ng, n := range m {
				if got[g][ng] != n {
					t.Errorf("blocks of %d: group %s, %q: %d, want %d", cut, g, ng, got[g][ng], n)
				}
			}
		}
		if err := corpus.Merge(corpus); err == nil {
			t.Errorf("merging a corpus's total into another: no error")
		}
	}
}
