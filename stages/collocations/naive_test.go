package collocations

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/framelens/framelens/stages/stage"
)

// synthetic returns docs of many groups over a small Zipf-like vocabulary,
// so that nodes, collocates and ties are frequent.
func synthetic(seed uint64, groups, docs int) []stage.DocForms {
	r := rand.New(rand.NewPCG(seed, 1))
	vocab := make([]string, 60)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%02d", i)
	}
	var out []stage.DocForms
	for d := 0; d < docs; d++ {
		n := 20 + r.IntN(200)
		forms := make([]string, n)
		for i := range forms {
			forms[i] = vocab[int(float64(len(vocab))*r.Float64()*r.Float64())]
		}
		out = append(out, stage.DocForms{Index: d, Group: fmt.Sprintf("g%02d", r.IntN(groups)), Forms: forms})
	}
	return out
}

// naive counts one unit (the documents of groups gs) straight from the
// definitions: the windows of node in every document, the collocates'
// and the node's frequencies, the unit's words.
type naive struct {
	co          map[string]int64
	nodeN, word int64
	freq        map[string]int64
}

func naiveUnit(docs []stage.DocForms, gs []string, node string, win int) naive {
	u := naive{co: map[string]int64{}, freq: map[string]int64{}}
	for _, d := range docs {
		if !slices.Contains(gs, d.Group) {
			continue
		}
		u.word += int64(len(d.Forms))
		for i, f := range d.Forms {
			u.freq[f]++
			if f != node {
				continue
			}
			u.nodeN++
			for j := max(0, i-win); j <= min(len(d.Forms)-1, i+win); j++ {
				if j != i {
					u.co[d.Forms[j]]++
				}
			}
		}
	}
	return u
}

// TestRowsMatchNaiveCounts checks every row, and which collocates each
// group and side keeps, against counts made from the definitions, on many
// groups compared each against the rest, with sides of several groups and
// explicit sides (the rest is computed as the corpus less side a).
func TestRowsMatchNaiveCounts(t *testing.T) {
	const win = 2
	s, err := New(Config{Nodes: []string{"w00", "w03", "w10"}, Window: win, MinCount: 2, TopCollocates: 7})
	if err != nil {
		t.Fatal(err)
	}
	docs := synthetic(7, 12, 90)
	env := &fakeEnv{docs: docs}
	groups := env.Groups()
	sort.Strings(groups)
	for _, g := range groups {
		env.plan = append(env.plan, stage.Comparison{Label: g + " vs rest", A: []string{g}})
	}
	env.plan = append(env.plan,
		stage.Comparison{Label: "two vs rest", A: []string{groups[1], groups[4]}},
		stage.Comparison{Label: "two vs three", A: []string{groups[0], groups[2]}, B: []string{groups[3], groups[5], groups[7]}})
	fenv := &sortedEnv{fakeEnv: env, groups: groups}
	w, err := s.count(context.Background(), s.cfg.Nodes, fenv)
	if err != nil {
		t.Fatal(err)
	}
	rows := s.rows(w, fenv)
	type key struct{ comparison, side, group, node string }
	kept := map[key][]string{}
	for _, r := range rows {
		gs := strings.Split(r.group, "+")
		if r.group == "rest" {
			for _, c := range fenv.plan {
				if c.Label == r.comparison {
					_, gs = sides(c, groups)
				}
			}
		}
		u := naiveUnit(docs, gs, r.node, win)
		want := measure(u.co[r.collocate], u.nodeN, u.freq[r.collocate], u.word, 2*win)
		if r.m.observed != want.observed || r.m.nodeN != want.nodeN || r.m.collN != want.collN || r.m.words != want.words {
			t.Fatalf("%+v: counts %+v, want %+v", r, r.m, want)
		}
		k := key{r.comparison, r.side, r.group, r.node}
		kept[k] = append(kept[k], r.collocate)
	}
	// Each group's kept collocates: the TopCollocates best of those seen
	// MinCount times, by log-Dice, count, name.
	checked := 0
	for k, got := range kept {
		if k.comparison != "" {
			continue
		}
		u := naiveUnit(docs, []string{k.group}, k.node, win)
		var cs []string
		for c, n := range u.co {
			if n >= int64(s.cfg.MinCount) {
				cs = append(cs, c)
			}
		}
		ld := func(c string) float64 { return 2 * float64(u.co[c]) / float64(u.nodeN+u.freq[c]) }
		sort.Slice(cs, func(i, j int) bool {
			a, b := cs[i], cs[j]
			if ld(a) != ld(b) {
				return ld(a) > ld(b)
			}
			if u.co[a] != u.co[b] {
				return u.co[a] > u.co[b]
			}
			return a < b
		})
		if want := cs[:min(len(cs), s.cfg.TopCollocates)]; !equal(got, want) {
			t.Errorf("%v keeps %v, want %v", k, got, want)
		}
		checked++
	}
	if checked < 20 || len(rows) < 500 {
		t.Fatalf("only %d groups' lists and %d rows checked: the synthetic corpus is too thin", checked, len(rows))
	}
	if math.IsNaN(rows[0].m.ll) {
		t.Errorf("first row's log-likelihood is NaN")
	}
}

// sortedEnv serves the groups sorted, as the pipeline does.
type sortedEnv struct {
	*fakeEnv
	groups []string
}

func (e *sortedEnv) Groups() []string { return e.groups }
