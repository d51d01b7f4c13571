package frames

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestEntryStatsSecurityPaper counts the security paper's economic entries
// and checks them against the hits themselves: no economic hit on
// important/importance, and per-entry counts that add up to the frame.
func TestEntryStatsSecurityPaper(t *testing.T) {
	m, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	doc := samplePaper(t, "zhang2024")
	if err := m.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	s := NewEntryStats()
	s.AddDoc(doc)
	want := map[[2]string]int64{}
	frameHits := map[string]int64{}
	for _, h := range doc.FrameHits {
		if h.Frame == "economic" && strings.HasPrefix(strings.ToLower(doc.Clean[h.Start:h.End]), "importan") {
			t.Errorf("economic hit on %q", doc.Clean[h.Start:h.End])
		}
		if !h.Negated {
			want[[2]string{h.Frame, h.Entry}]++
			frameHits[h.Frame]++
		}
	}
	rows := s.Rows(5)
	got := map[[2]string]int64{}
	for _, r := range rows {
		got[[2]string{r.Frame, r.Entry}] += r.Hits
		if r.FrameHits != frameHits[r.Frame] {
			t.Errorf("%s %s: frame hits %d, want %d", r.Frame, r.Entry, r.FrameHits, frameHits[r.Frame])
		}
		var formSum int64
		for _, n := range r.FormHits {
			formSum += n
		}
		if formSum > r.Hits || (len(r.Forms) < 5 && formSum != r.Hits) {
			t.Errorf("%s %s: forms %v %v do not add up to %d hits", r.Frame, r.Entry, r.Forms, r.FormHits, r.Hits)
		}
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%v: %d hits in the table, %d in the document", k, got[k], n)
		}
	}
	// Merging two halves gives the whole.
	a, b := NewEntryStats(), NewEntryStats()
	half := *doc
	half.FrameHits = doc.FrameHits[:len(doc.FrameHits)/2]
	a.AddDoc(&half)
	half.FrameHits = doc.FrameHits[len(doc.FrameHits)/2:]
	b.AddDoc(&half)
	a.Merge(b)
	merged := a.Rows(5)
	for i := range merged {
		merged[i].Docs, rows[i].Docs = 0, 0 // a document split in two counts twice
	}
	if !reflect.DeepEqual(merged, rows) {
		t.Error("merged halves differ from the whole")
	}
}

func TestDominantEntry(t *testing.T) {
	s := NewEntryStats()
	add := func(group, entry string, n int) {
		for i := 0; i < n; i++ {
			c := s.count(group, "f", entry)
			c.Hits++
		}
	}
	add("a", "big*", 15) // 15 of 25: dominant
	add("a", "small", 10)
	add("b", "big*", 6) // 6 of 8: most, but too few hits to say
	add("b", "small", 2)
	d := Dominant(s.Rows(5))
	if len(d) != 1 || d[0].Entry != "big*" || !reflect.DeepEqual(d[0].Groups, []string{"a"}) || d[0].MaxShare != 0.6 {
		t.Fatalf("dominant = %+v", d)
	}
	if w := d[0].Warning(2); !strings.Contains(w, `entry "big*" carries most of the frame's hits in a (up to 60%)`) {
		t.Errorf("warning = %s", w)
	}
}

func TestDerivedOverlap(t *testing.T) {
	dir := t.TempDir()
	lex := &Lexicon{Name: "mine", Source: filepath.Join(dir, "lex.yaml"), DerivedFrom: []string{"corpus", "doc:a1", "sample"}}
	cases := []struct {
		corpus string
		ids    []string
		want   string // "" = no warning
	}{
		{filepath.Join(dir, "corpus"), nil, "(corpus)"},
		{filepath.Join(dir, "corpus", "part1.jsonl"), nil, "(corpus)"},
		{dir, nil, "(corpus)"},
		{filepath.Join(dir, "other"), []string{"b", "a1"}, "(1 scored document(s) (a1))"},
		{"", nil, "(the built-in sample)"},
		{filepath.Join(dir, "other"), []string{"b"}, ""},
	}
	for _, c := range cases {
		got := lex.DerivedOverlap(c.corpus, c.ids)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("corpus %q ids %v: %q, want %q", c.corpus, c.ids, got, c.want)
		}
	}
}
