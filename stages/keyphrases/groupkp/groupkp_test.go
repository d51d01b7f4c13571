package groupkp

import (
	"reflect"
	"testing"

	"github.com/framelens/framelens/output"
)

// The stage declares output's own definition of its table, looked up
// once: Tables allocates nothing and returns the same table every call.
func TestTablesAreTheCatalogsLookedUpOnce(t *testing.T) {
	s := NewGroupStage()
	ts := s.Tables()
	if len(ts) != 1 || ts[0].Name != GroupName || !reflect.DeepEqual(ts[0].Columns, output.NewCatalog().MustTable(GroupName).Columns) {
		t.Fatalf("declares %v, want output's table %s", ts, GroupName)
	}
	if again := s.Tables(); again[0] != ts[0] {
		t.Error("a new table definition on every call")
	}
	if n := testing.AllocsPerRun(20, func() { s.Tables() }); n != 0 {
		t.Errorf("Tables allocates %.0f times a call", n)
	}
}

func BenchmarkTables(b *testing.B) {
	s := NewGroupStage()
	b.ReportAllocs()
	for b.Loop() {
		s.Tables()
	}
}
