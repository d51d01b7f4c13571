package framestats

import (
	"reflect"
	"testing"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/stage"
)

// Each stage declares output's own definition of its table, looked up
// once: Tables allocates nothing and returns the same table every call.
func TestTablesAreTheCatalogsLookedUpOnce(t *testing.T) {
	lex, err := frames.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	cat := output.NewCatalog()
	for name, s := range map[string]stage.Corpus{EntriesName: NewEntriesStage(lex, ""), SuggestionsName: NewSuggestionsStage(lex)} {
		ts := s.Tables()
		if len(ts) != 1 || ts[0].Name != name || !reflect.DeepEqual(ts[0].Columns, cat.MustTable(name).Columns) {
			t.Fatalf("%s declares %v, want output's table %s", name, ts, name)
		}
		if again := s.Tables(); again[0] != ts[0] {
			t.Errorf("%s: a new table definition on every call", name)
		}
		if n := testing.AllocsPerRun(20, func() { s.Tables() }); n != 0 {
			t.Errorf("%s: Tables allocates %.0f times a call", name, n)
		}
	}
}

// The scores stage declares output's frames, group_frames and
// frame_comparisons, in the order it writes them.
func TestScoresStageTables(t *testing.T) {
	lex, err := frames.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	cat := output.NewCatalog()
	s := NewScoresStage(lex, frames.Bootstrap{})
	var names []string
	for _, tb := range s.Tables() {
		names = append(names, tb.Name)
		if !reflect.DeepEqual(tb.Columns, cat.MustTable(tb.Name).Columns) {
			t.Errorf("%s: columns differ from output's", tb.Name)
		}
	}
	if !reflect.DeepEqual(names, []string{"frames", "group_frames", "frame_comparisons"}) {
		t.Errorf("tables %v", names)
	}
	if n := testing.AllocsPerRun(20, func() { s.Tables() }); n != 0 {
		t.Errorf("Tables allocates %.0f times a call", n)
	}
}

func BenchmarkTables(b *testing.B) {
	lex, err := frames.DefaultLexicon()
	if err != nil {
		b.Fatal(err)
	}
	s := NewEntriesStage(lex, "")
	b.ReportAllocs()
	for b.Loop() {
		s.Tables()
	}
}
