package collocations

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/stage"
)

// fakeEnv serves documents' forms and a plan, as the pipeline does.
type fakeEnv struct {
	docs  []stage.DocForms
	plan  []stage.Comparison
	warns []string
}

func (e *fakeEnv) Groups() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range e.docs {
		if !seen[d.Group] {
			seen[d.Group] = true
			out = append(out, d.Group)
		}
	}
	return out
}
func (e *fakeEnv) Comparisons() []stage.Comparison { return e.plan }
func (e *fakeEnv) EachDoc(_ context.Context, fn func(stage.DocForms) error) error {
	for _, d := range e.docs {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}
func (e *fakeEnv) EachRecord(context.Context, func(stage.DocRecord) error) error {
	return errors.New("no records")
}

func (e *fakeEnv) DocIDs() []string {
	out := make([]string, len(e.docs))
	for i, d := range e.docs {
		out[i] = d.ID
	}
	return out
}
func (e *fakeEnv) Writer(string) (*output.Writer, error) {
	return nil, errors.New("fakeEnv writes no table")
}
func (e *fakeEnv) Seed() int64          { return 1 }
func (e *fakeEnv) Workers() int         { return 1 }
func (e *fakeEnv) Logger() *slog.Logger { return slog.Default() }
func (e *fakeEnv) Warn(m string)        { e.warns = append(e.warns, m) }

// partial maps and merges the documents as the pipeline would.
func partial(t *testing.T, s *Stage, docs []stage.DocForms) *Partial {
	t.Helper()
	p := s.NewPartial()
	for _, d := range docs {
		q, err := s.Map(context.Background(), stage.MapInput{Doc: &document.Document{Group: d.Group}, Forms: d.Forms})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Merge(q); err != nil {
			t.Fatal(err)
		}
	}
	return p.(*Partial)
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-5 {
		t.Errorf("%s = %.6f, want %.6f (hand-computed)", what, got, want)
	}
}

// TestHandComputedExample checks every measure against a hand computation.
//
// One document, window 1: x WAR y z WAR y q. The node's windows are {x, y}
// and {z, y}, so y is observed O = 2 times; f(war) = 2, f(y) = 2, N = 7
// counted words, 2·window = 2 slots per occurrence (R1 = 4 slots).
//
//	expected = 2 · 2 · 2 / 7                       = 1.142857
//	log-Dice = 14 + log2(2·2 / (2 + 2))             = 14
//	MI       = log2(2 / 1.142857) = log2(1.75)      = 0.807355
//	t        = (2 − 1.142857) / √2                  = 0.606092
//	G²: O = [2 2; 0 3], E = [8/7 20/7; 6/7 15/7]
//	    = 2·(2 ln 1.75 + 2 ln 0.7 + 3 ln 1.4)        = 2.830598
func TestHandComputedExample(t *testing.T) {
	s, err := New(Config{Nodes: []string{"war"}, Window: 1, MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	env := &fakeEnv{docs: []stage.DocForms{{Group: "g", Forms: []string{"x", "war", "y", "z", "war", "y", "q"}}}}
	w, err := s.count(context.Background(), []string{"war"}, env)
	if err != nil {
		t.Fatal(err)
	}
	rows := s.rows(w, env)
	var y *row
	for i := range rows {
		if rows[i].collocate == "y" {
			y = &rows[i]
		}
	}
	if y == nil {
		t.Fatalf("no row for y in %+v", rows)
	}
	if y.m.observed != 2 || y.m.nodeN != 2 || y.m.collN != 2 || y.m.words != 7 {
		t.Fatalf("counts %+v, want observed 2, node_freq 2, collocate_freq 2, words 7", y.m)
	}
	near(t, "expected", y.m.expected, 8.0/7)
	near(t, "log_dice", y.m.logDice, 14)
	near(t, "mi", y.m.mi, 0.807355)
	near(t, "t_score", y.m.t, 0.606092)
	near(t, "log_likelihood", y.m.ll, 2.830598)
	// y first (log-Dice 14), then x and z: each once, f = 1, log-Dice
	// 14 + log2(2/3), ties by name; q is two words from the node.
	var order []string
	for _, r := range rows {
		order = append(order, r.collocate)
	}
	if want := []string{"y", "x", "z"}; !equal(order, want) {
		t.Errorf("collocates %v, want %v", order, want)
	}
}

// TestComparisonRowsPairSides checks that a comparison's rows come in
// pairs and that a side without the pair has a null log-Dice and
// difference, with the counts of the side's own groups.
func TestComparisonRowsPairSides(t *testing.T) {
	s, _ := New(Config{Nodes: []string{"war"}, Window: 1, MinCount: 1})
	env := &fakeEnv{
		docs: []stage.DocForms{
			{Group: "A", Forms: []string{"terror", "war", "terror", "war"}},
			{Group: "B", Forms: []string{"poverty", "war", "hunger"}},
			{Group: "C", Forms: []string{"war", "poverty"}},
		},
		plan: []stage.Comparison{{Label: "A vs rest", A: []string{"A"}}},
	}
	w, err := s.count(context.Background(), []string{"war"}, env)
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]row{}
	for _, r := range s.rows(w, env) {
		if r.comparison != "" {
			got[[2]string{r.side, r.collocate}] = r
		}
	}
	// A: war at 1 and 3 → terror at 0, 2 (twice: 2 is in both windows): 3.
	if r := got[[2]string{"a", "terror"}]; r.m.observed != 3 || r.group != "A" {
		t.Errorf("side a terror: %+v, want observed 3 in group A", r)
	}
	// Rest = B + C: poverty twice, hunger once; terror never.
	if r := got[[2]string{"b", "poverty"}]; r.m.observed != 2 || r.group != "rest" || r.m.nodeN != 2 || r.m.words != 5 {
		t.Errorf("side b poverty: %+v, want observed 2, node_freq 2, words 5 in rest", r)
	}
	if r := got[[2]string{"b", "terror"}]; r.m.observed != 0 || !math.IsNaN(r.m.logDice) || !math.IsNaN(r.diff) {
		t.Errorf("side b terror: %+v, want observed 0 with null log-Dice and difference", r)
	}
	if len(got)%2 != 0 {
		t.Errorf("%d comparison rows: not pairs", len(got))
	}
}

// TestDefaultNodesAreSharedAndFrequent checks that without configured
// nodes each comparison's nodes occur on both sides.
func TestDefaultNodesAreSharedAndFrequent(t *testing.T) {
	s, _ := New(Config{TopNodes: 1})
	docs := []stage.DocForms{
		{Group: "A", Forms: []string{"only", "only", "only", "only", "war", "war"}},
		{Group: "B", Forms: []string{"war", "peace"}},
	}
	env := &fakeEnv{docs: docs, plan: []stage.Comparison{{Label: "A vs B", A: []string{"A"}, B: []string{"B"}}}}
	got, err := s.defaultNodes(context.Background(), partial(t, s, docs), env)
	if err != nil {
		t.Fatal(err)
	}
	// "only" is the most frequent term but never said by B.
	if !equal(got, []string{"war"}) {
		t.Errorf("nodes %v, want [war]", got)
	}
}

func TestPartialMergesCounts(t *testing.T) {
	s, _ := New(Config{})
	p := partial(t, s, []stage.DocForms{{Group: "A", Forms: []string{"a", "b"}}, {Group: "A", Forms: []string{"a"}}, {Group: "B", Forms: []string{"a"}}})
	if p.Terms["a"] != 3 || p.Terms["b"] != 1 || p.Words["A"] != 3 || p.Words["B"] != 1 {
		t.Errorf("partial %+v", p)
	}
}

func TestConfigIsCheckedUpFront(t *testing.T) {
	if _, err := New(Config{Window: -1}); err == nil {
		t.Error("window -1 accepted")
	}
	if _, err := New(Config{Nodes: []string{"two words"}}); err == nil {
		t.Error("a node of two words accepted")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDefaultNodesAreNouns checks that a frequent verb is no default node
// while nouns of both sides are.
func TestDefaultNodesAreNouns(t *testing.T) {
	s, _ := New(Config{TopNodes: 2})
	tok := func(text, pos string) document.Token { return document.Token{Text: text, Lemma: text, POS: pos} }
	docs := []struct {
		group string
		toks  []document.Token
	}{
		{"A", []document.Token{tok("make", "VB"), tok("make", "VB"), tok("make", "VB"), tok("war", "NN"), tok("tax", "NN")}},
		{"B", []document.Token{tok("make", "VBP"), tok("make", "VB"), tok("war", "NN"), tok("tax", "NN")}},
	}
	p := s.NewPartial()
	var forms []stage.DocForms
	for _, d := range docs {
		var fs []string
		for _, t := range d.toks {
			fs = append(fs, t.Text)
		}
		q, err := s.Map(context.Background(), stage.MapInput{Doc: &document.Document{Group: d.group, Tokens: d.toks}, Forms: fs})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Merge(q); err != nil {
			t.Fatal(err)
		}
		forms = append(forms, stage.DocForms{Group: d.group, Forms: fs})
	}
	env := &fakeEnv{docs: forms, plan: []stage.Comparison{{Label: "A vs B", A: []string{"A"}, B: []string{"B"}}}}
	got, err := s.defaultNodes(context.Background(), p.(*Partial), env)
	if err != nil {
		t.Fatal(err)
	}
	if !equal(got, []string{"tax", "war"}) {
		t.Errorf("nodes %v, want [tax war]: make is the most frequent term but a verb", got)
	}
}

// TestDefaultNodesRestAsDeclared: each group against the rest picks the
// nodes it picks with side B spelt out as every other group (the rest's
// counts are the corpus's less side A's).
func TestDefaultNodesRestAsDeclared(t *testing.T) {
	words := []string{"war", "peace", "tax", "law", "army", "trade", "farm", "bank", "road", "school"}
	// Groups of very different sizes and word mixes: side A's rate is
	// the smaller for some terms, the rest's for others.
	rng := rand.New(rand.NewPCG(20, 3))
	var docs []stage.DocForms
	for i := range 200 {
		g := 0
		if i >= 120 {
			g = 1 + i%8
		}
		var forms []string
		for range 5 + rng.IntN(20) {
			forms = append(forms, words[min(rng.IntN(len(words)), rng.IntN(len(words))+g)%len(words)])
		}
		docs = append(docs, stage.DocForms{Group: fmt.Sprintf("g%d", g), Forms: forms})
	}
	for _, top := range []int{1, 2, 3, 5} {
		s, _ := New(Config{TopNodes: top})
		p := partial(t, s, docs)
		env := &fakeEnv{docs: docs}
		groups := env.Groups()
		var rest, declared []stage.Comparison
		for _, g := range groups {
			var others []string
			for _, o := range groups {
				if o != g {
					others = append(others, o)
				}
			}
			rest = append(rest, stage.Comparison{Label: g + " vs rest", A: []string{g}})
			declared = append(declared, stage.Comparison{Label: g + " vs rest", A: []string{g}, B: others})
		}
		env.plan = rest
		got, err := s.defaultNodes(context.Background(), p, env)
		if err != nil {
			t.Fatal(err)
		}
		env.plan = declared
		want, err := s.defaultNodes(context.Background(), p, env)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(got, want) || len(got) == 0 {
			t.Errorf("top %d: nodes against the rest %v, declared %v", top, got, want)
		}
	}
}

// TestRestRowsAsDeclared: each group against the rest writes the rows it
// writes with side B spelt out as every other group (the rest is the
// corpus's counts less side A's, its top collocates selected, not sorted),
// field for field but side B's label.
func TestRestRowsAsDeclared(t *testing.T) {
	words := []string{"war", "peace", "tax", "law", "army", "trade", "farm", "bank", "road", "school", "oil", "gold"}
	rng := rand.New(rand.NewPCG(20, 9))
	var docs []stage.DocForms
	for i := range 150 {
		g := i % 12
		if i < 40 {
			g = 0
		}
		var forms []string
		for range 5 + rng.IntN(30) {
			forms = append(forms, words[min(rng.IntN(len(words)), rng.IntN(len(words))+g)%len(words)])
		}
		docs = append(docs, stage.DocForms{Group: fmt.Sprintf("g%02d", g), Forms: forms})
	}
	for _, top := range []int{1, 3, 20} {
		s, _ := New(Config{Nodes: []string{"war", "tax", "oil"}, Window: 2, MinCount: 1 + top%3, TopCollocates: top})
		env := &fakeEnv{docs: docs}
		groups := env.Groups()
		var rest, declared []stage.Comparison
		for _, g := range groups {
			var others []string
			for _, o := range groups {
				if o != g {
					others = append(others, o)
				}
			}
			rest = append(rest, stage.Comparison{Label: g + " vs rest", A: []string{g}})
			declared = append(declared, stage.Comparison{Label: g + " vs rest", A: []string{g}, B: others})
		}
		w, err := s.count(context.Background(), s.cfg.Nodes, env)
		if err != nil {
			t.Fatal(err)
		}
		env.plan = rest
		got := s.rows(w, env)
		env.plan = declared
		want := s.rows(w, env)
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("top %d: %d rows against the rest, %d declared", top, len(got), len(want))
		}
		same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
		for i := range got {
			g, w := got[i], want[i]
			if g.side == "b" {
				g.group = w.group
			}
			if g.comparison != w.comparison || g.side != w.side || g.group != w.group || g.node != w.node || g.collocate != w.collocate ||
				g.m.observed != w.m.observed || g.m.nodeN != w.m.nodeN || g.m.collN != w.m.collN || g.m.words != w.m.words ||
				!same(g.m.expected, w.m.expected) || !same(g.m.logDice, w.m.logDice) || !same(g.m.ll, w.m.ll) || !same(g.diff, w.diff) {
				t.Fatalf("top %d row %d:\nrest     %+v\ndeclared %+v", top, i, got[i], want[i])
			}
		}
	}
}

// TestComparisonRowsAreBounded: a plan whose comparisons could write more
// than maxComparisonRows rows keeps fewer collocates per side, with a
// warning; a smaller plan keeps top_collocates.
func TestComparisonRowsAreBounded(t *testing.T) {
	s, _ := New(Config{TopCollocates: 100})
	env := &fakeEnv{}
	for i := range 2000 {
		env.plan = append(env.plan, stage.Comparison{Label: fmt.Sprintf("g%d vs rest", i), A: []string{fmt.Sprintf("g%d", i)}})
	}
	if k := s.comparisonCollocates(env, 3); k != 83 || len(env.warns) != 1 {
		t.Errorf("2,000 comparisons × 3 nodes: %d collocates per side, warnings %q; want 83 (2,000,000 rows / 24,000) and one", k, env.warns)
	}
	env.plan, env.warns = env.plan[:100], nil
	if k := s.comparisonCollocates(env, 3); k != 100 || len(env.warns) != 0 {
		t.Errorf("100 comparisons: %d collocates per side, warnings %q; want 100 and none", k, env.warns)
	}
}
