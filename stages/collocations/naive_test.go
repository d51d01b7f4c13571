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
				if d.Forms[j] != node { // not its own collocate
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
		if want := naiveTop(docs, []string{k.group}, k.node, win, s.cfg.MinCount, s.cfg.TopCollocates); !equal(got, want) {
			t.Errorf("%v keeps %v, want %v", k, got, want)
		}
		checked++
	}
	checked += checkSides(t, s, fenv, docs, rows, win)
	if checked < 20 || len(rows) < 500 {
		t.Fatalf("only %d groups' lists and %d rows checked: the synthetic corpus is too thin", checked, len(rows))
	}
	if math.IsNaN(rows[0].m.ll) {
		t.Errorf("first row's log-likelihood is NaN")
	}
}

// naiveTop is the k best collocates of node in the documents of groups
// gs among those seen minCount times: by log-Dice, count, name.
func naiveTop(docs []stage.DocForms, gs []string, node string, win, minCount, k int) []string {
	u := naiveUnit(docs, gs, node, win)
	var cs []string
	for c, n := range u.co {
		if n >= int64(minCount) {
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
	return cs[:min(len(cs), k)]
}

// checkSides checks which collocates each comparison keeps per node:
// side a's best then side b's not already listed, each side's taken
// from counts made from the definitions. It returns the lists checked.
func checkSides(t *testing.T, s *Stage, env *sortedEnv, docs []stage.DocForms, rows []row, win int) int {
	t.Helper()
	type key struct{ comparison, node string }
	got := map[key][]string{}
	for _, r := range rows {
		if r.side == "a" {
			k := key{r.comparison, r.node}
			got[k] = append(got[k], r.collocate)
		}
	}
	perSide := s.comparisonCollocates(env, len(s.cfg.Nodes))
	checked := 0
	for _, c := range env.plan {
		a, b := sides(c, env.groups)
		for _, node := range s.cfg.Nodes {
			want := naiveTop(docs, a, node, win, s.cfg.MinCount, perSide)
			for _, x := range naiveTop(docs, b, node, win, s.cfg.MinCount, perSide) {
				if !slices.Contains(want, x) {
					want = append(want, x)
				}
			}
			if k := (key{c.Label, node}); !equal(got[k], want) {
				t.Errorf("%v keeps %v, want %v", k, got[k], want)
			}
			checked++
		}
	}
	return checked
}

// sides returns the groups of a comparison's sides by definition; an
// empty B is every other group.
func sides(c stage.Comparison, groups []string) (a, b []string) {
	a = c.A
	b = c.B
	if len(b) == 0 {
		for _, g := range groups {
			if !slices.Contains(a, g) {
				b = append(b, g)
			}
		}
	}
	return a, b
}

// sortedEnv serves the groups sorted, as the pipeline does.
type sortedEnv struct {
	*fakeEnv
	groups []string
}

func (e *sortedEnv) Groups() []string { return e.groups }

// TestRestOfManySmallGroups checks the rows of one-document groups each
// against the rest, the rest read as the corpus less the group, against
// counts made from the definitions: short documents over a large Zipf-like
// vocabulary, so that most collocates of the rest are not in side a and
// are taken most frequent first, with few kept.
func TestRestOfManySmallGroups(t *testing.T) {
	const win = 3
	r := rand.New(rand.NewPCG(5, 2))
	var docs []stage.DocForms
	for d := range 160 {
		forms := make([]string, 10+r.IntN(40))
		for i := range forms {
			x := r.Float64()
			forms[i] = fmt.Sprintf("w%03d", int(800*x*x*x))
		}
		docs = append(docs, stage.DocForms{Index: d, Group: fmt.Sprintf("d%03d", d), Forms: forms})
	}
	s, err := New(Config{Nodes: []string{"w000", "w001", "w004"}, Window: win, MinCount: 2, TopCollocates: 4})
	if err != nil {
		t.Fatal(err)
	}
	env := &fakeEnv{docs: docs}
	groups := env.Groups()
	for _, g := range groups {
		env.plan = append(env.plan, stage.Comparison{Label: g + " vs rest", A: []string{g}})
	}
	env.plan = append(env.plan, stage.Comparison{Label: "two vs rest", A: []string{groups[3], groups[9]}})
	fenv := &sortedEnv{fakeEnv: env, groups: groups}
	w, err := s.count(context.Background(), s.cfg.Nodes, fenv)
	if err != nil {
		t.Fatal(err)
	}
	rows := s.rows(w, fenv)
	rest := map[string][]string{}
	for _, c := range env.plan {
		_, rest[c.Label] = sides(c, groups)
	}
	n := 0
	for _, r := range rows {
		if r.side != "b" {
			continue
		}
		gs := rest[r.comparison]
		u := naiveUnit(docs, gs, r.node, win)
		want := measure(u.co[r.collocate], u.nodeN, u.freq[r.collocate], u.word, 2*win)
		if r.m.observed != want.observed || r.m.nodeN != want.nodeN || r.m.collN != want.collN || r.m.words != want.words {
			t.Fatalf("%+v: counts %+v, want %+v", r, r.m, want)
		}
		n++
	}
	if checked := checkSides(t, s, fenv, docs, rows, win); checked != len(env.plan)*3 || n < 1000 {
		t.Fatalf("%d lists and %d rows of the rest checked: the corpus is too thin", checked, n)
	}
}
