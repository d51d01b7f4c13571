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
