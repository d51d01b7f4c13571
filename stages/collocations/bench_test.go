package collocations

import (
	"context"
	"sort"
	"testing"

	"github.com/framelens/framelens/stages/stage"
)

// BenchmarkReduceManyGroups counts the windows of 20 nodes and builds the
// rows of 190 groups, each compared with the rest, as on the UN General
// Debate corpus by iso3 (synthetic text: 2,000 documents, 60 words).
func BenchmarkReduceManyGroups(b *testing.B) {
	nodes := []string{}
	for _, w := range []string{"w00", "w01", "w02", "w03", "w05", "w08", "w10", "w12", "w15", "w20"} {
		nodes = append(nodes, w)
	}
	s, err := New(Config{Nodes: nodes})
	if err != nil {
		b.Fatal(err)
	}
	env := &fakeEnv{docs: synthetic(1, 190, 2000)}
	groups := env.Groups()
	sort.Strings(groups)
	for _, g := range groups {
		env.plan = append(env.plan, stage.Comparison{Label: g + " vs rest", A: []string{g}})
	}
	senv := &sortedEnv{fakeEnv: env, groups: groups}
	b.Run("count", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.count(context.Background(), nodes, senv); err != nil {
				b.Fatal(err)
			}
		}
	})
	w, err := s.count(context.Background(), nodes, senv)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			s.rows(w, senv)
		}
	})
}
