// Package collocations counts the words around node words, by group and by
// side of each comparison: where framing differences around shared words
// show ("war" beside "terror" for one party, beside "poverty" for another).
//
// It is a corpus-level stage (stage.Corpus): Map counts each document's
// terms, partials merge into corpus frequencies, and Reduce picks the node
// words and reads the documents' terms back (stage.Env.EachDoc) to count
// their windows. Written here rather than taken from a library: the
// measures are a few lines each (their sources are in docs/methods.md), and
// what no library does is count them over framelens's block states.
package collocations

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/framelens/framelens/stages/stage"
)

// Config is the collocations section of the config.
type Config struct {
	// Nodes are the words whose collocates are counted, in the form the
	// terms are counted in (vectorize.form: lemmas by default). Empty: for
	// each comparison, the TopNodes terms most frequent on both sides.
	Nodes []string `yaml:"nodes" json:"nodes"`
	// Window is how many counted words on each side of a node are its
	// collocates (stop words, punctuation and numbers are not counted and
	// do not take a place). Default 5.
	Window int `yaml:"window" json:"window"`
	// TopNodes is how many nodes each comparison adds when Nodes is
	// empty; MaxNodes caps them over all comparisons. Defaults 5 and 20.
	TopNodes int `yaml:"top_nodes" json:"top_nodes"`
	MaxNodes int `yaml:"max_nodes" json:"max_nodes"`
	// MinCount is the fewest co-occurrences a row needs. Default 3.
	MinCount int `yaml:"min_count" json:"min_count"`
	// TopCollocates is how many collocates, by log-Dice, each group (or
	// side) keeps per node. Default 20.
	TopCollocates int `yaml:"top_collocates" json:"top_collocates"`
}

// Resolved fills the defaults.
func (c Config) Resolved() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Window, 5)
	def(&c.TopNodes, 5)
	def(&c.MaxNodes, 20)
	def(&c.MinCount, 3)
	def(&c.TopCollocates, 20)
	if c.Nodes == nil {
		c.Nodes = []string{}
	}
	return c
}

func (c Config) validate() error {
	for _, v := range []struct {
		key string
		n   int
	}{{"window", c.Window}, {"top_nodes", c.TopNodes}, {"max_nodes", c.MaxNodes}, {"min_count", c.MinCount}, {"top_collocates", c.TopCollocates}} {
		if v.n < 0 {
			return fmt.Errorf("%s = %d: want a positive number, or 0 for the default", v.key, v.n)
		}
	}
	for _, p := range c.Nodes {
		if strings.TrimSpace(p) == "" || strings.ContainsAny(p, " \t\n") {
			return fmt.Errorf("nodes: %q is not one word", p)
		}
	}
	return nil
}

// Stage is the collocations analysis.
type Stage struct{ cfg Config }

// Registration registers the analysis (pipeline.Analyses).
func Registration() stage.Registration {
	return stage.Registration{Name: Name, New: func(decode func(any) error) (stage.Corpus, error) {
		var c Config
		if err := decode(&c); err != nil {
			return nil, err
		}
		return New(c)
	}}
}

// Name is the stage's name and config section.
const Name = "collocations"

// New checks c and returns the stage.
func New(c Config) (*Stage, error) {
	c = c.Resolved()
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &Stage{cfg: c}, nil
}

// ConfigDoc documents the section for docs/config.md.
func (s *Stage) ConfigDoc() string {
	return "`nodes` (the node words, in the counted form — lemmas by default; empty: for each comparison the `top_nodes` (5) nouns most frequent on both sides, at most `max_nodes` (20) in all), `window` (5 counted words each side), `min_count` (3 co-occurrences), `top_collocates` (20 per group or side and node, by log-Dice; fewer per side, with a warning, when the plan's comparisons × nodes × 4 × `top_collocates` would pass 2,000,000 rows); `skip_stages: [collocations]` turns it off ([methods](methods.md#collocations))"
}

func (s *Stage) Name() string { return Name }
func (s *Stage) Config() any  { return s.cfg }

// Partial counts terms over the corpus (for choosing nodes), the tokens
// tagged as nouns by their lower-cased lemma and text, and counted words by
// group (the N of the expected counts).
type Partial struct {
	Terms map[string]int64
	Nouns map[string]int64
	Words map[string]int64
}

func (s *Stage) NewPartial() stage.Partial {
	return &Partial{Terms: map[string]int64{}, Nouns: map[string]int64{}, Words: map[string]int64{}}
}

// Merge adds o's counts.
func (p *Partial) Merge(o stage.Partial) error {
	q, err := stage.PartialAs[*Partial]("collocations", o)
	if err != nil {
		return err
	}
	for t, n := range q.Terms {
		if _, ok := p.Terms[t]; !ok {
			t = strings.Clone(t) // not a window on a document's text
		}
		p.Terms[t] += n
	}
	for t, n := range q.Nouns {
		if _, ok := p.Nouns[t]; !ok {
			t = strings.Clone(t)
		}
		p.Nouns[t] += n
	}
	for g, n := range q.Words {
		p.Words[g] += n
	}
	return nil
}

// Map counts one document's terms.
func (s *Stage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	p := &Partial{Terms: make(map[string]int64, len(in.Forms)/2), Nouns: map[string]int64{}, Words: map[string]int64{in.Doc.Group: int64(len(in.Forms))}}
	for _, f := range in.Forms {
		p.Terms[f]++
	}
	for i := range in.Doc.Tokens {
		t := &in.Doc.Tokens[i]
		if strings.HasPrefix(t.POS, "NN") { // Penn Treebank: NN, NNS, NNP, NNPS
			lemma, text := strings.ToLower(t.Lemma), strings.ToLower(t.Text)
			p.Nouns[lemma]++
			if text != lemma {
				p.Nouns[text]++
			}
		}
	}
	return p, nil
}

// candidates is how many of the corpus's most frequent terms may become
// default nodes: their frequencies by group are counted in a first pass.
const candidates = 200

// Reduce picks the nodes, counts their windows and writes the table.
func (s *Stage) Reduce(ctx context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*Partial]("collocations", sp)
	if err != nil {
		return err
	}
	w, err := env.Writer(Name)
	if err != nil {
		return err
	}
	nodes := s.cfg.Nodes
	if len(nodes) == 0 {
		if nodes, err = s.defaultNodes(ctx, p, env); err != nil {
			return err
		}
	} else {
		for _, pv := range nodes {
			if p.Terms[pv] == 0 {
				env.Warn(fmt.Sprintf("node %q is not a counted term of the corpus (terms are %s forms: check the spelling and the vectorize.form setting)", pv, "vectorize"))
			}
		}
	}
	if len(nodes) == 0 {
		return nil // no term is shared: an empty table says so
	}
	c, err := s.count(ctx, nodes, env)
	if err != nil {
		return err
	}
	return writeRows(w, func(emit func(*row)) { s.eachRow(c, env, emit) })
}

// defaultNodes are, for each comparison, the candidate terms most frequent
// on both of its sides (the larger the smaller of the two relative
// frequencies), and without comparisons the corpus's most frequent terms.
func (s *Stage) defaultNodes(ctx context.Context, p *Partial, env stage.Env) ([]string, error) {
	cands := topTerms(nounTerms(p), candidates)
	plan := env.Comparisons()
	if len(plan) == 0 {
		return cands[:min(len(cands), s.cfg.TopNodes)], nil
	}
	isCand := make(map[string]bool, len(cands))
	for _, t := range cands {
		isCand[t] = true
	}
	byGroup := map[string]map[string]int64{}
	err := env.EachDoc(ctx, func(d stage.DocForms) error {
		m := byGroup[d.Group]
		if m == nil {
			m = map[string]int64{}
			byGroup[d.Group] = m
		}
		for _, f := range d.Forms {
			if isCand[f] {
				m[f]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	type scored struct {
		term  string
		score float64
	}
	// The candidates' counts and the words over every group: a side B of
	// the rest is these less side A's (integers, so the same rates), in
	// time of side A — 10,000 groups each against the rest would sum
	// every group's counts 10,000 times.
	groups := env.Groups()
	allN := make(map[string]int64, len(cands))
	var allW int64
	isGroup := make(map[string]bool, len(groups))
	for _, g := range groups {
		isGroup[g] = true
		for t, n := range byGroup[g] {
			allN[t] += n
		}
		allW += p.Words[g]
	}
	best := map[string]float64{}
	var order []string
	for _, cmp := range plan {
		if cmp.Reference {
			continue
		}
		a, b := cmp.A, cmp.B
		rateB := func(t string) float64 { return rate(byGroup, p.Words, b, t) }
		if len(b) == 0 {
			var inA []string // the groups of side A that are in the rest's sum
			for _, g := range a {
				if isGroup[g] && !slices.Contains(inA, g) {
					inA = append(inA, g)
				}
			}
			var wA int64
			for _, g := range inA {
				wA += p.Words[g]
			}
			rateB = func(t string) float64 {
				n := allN[t]
				for _, g := range inA {
					n -= byGroup[g][t]
				}
				if allW-wA == 0 {
					return 0
				}
				return float64(n) / float64(allW-wA)
			}
		}
		var sc []scored
		for _, t := range cands {
			fa := rate(byGroup, p.Words, a, t)
			fb := rateB(t)
			if fa > 0 && fb > 0 {
				sc = append(sc, scored{t, math.Min(fa, fb)})
			}
		}
		sort.SliceStable(sc, func(i, j int) bool {
			if sc[i].score != sc[j].score {
				return sc[i].score > sc[j].score
			}
			return sc[i].term < sc[j].term
		})
		for _, x := range sc[:min(len(sc), s.cfg.TopNodes)] {
			if _, seen := best[x.term]; !seen {
				order = append(order, x.term)
			}
			best[x.term] = math.Max(best[x.term], x.score)
		}
	}
	if len(order) > s.cfg.MaxNodes {
		sort.SliceStable(order, func(i, j int) bool {
			if best[order[i]] != best[order[j]] {
				return best[order[i]] > best[order[j]]
			}
			return order[i] < order[j]
		})
		order = order[:s.cfg.MaxNodes]
	}
	slices.Sort(order)
	return order, nil
}

// nounTerms are the terms tagged as nouns in at least half of their
// occurrences: framing shows around what is talked about ("government",
// "war"), less around "make" or "year"'s verbs and adverbs. Without tags
// (a language the tagger does not cover) every term qualifies.
func nounTerms(p *Partial) map[string]int64 {
	if len(p.Nouns) == 0 {
		return p.Terms
	}
	out := make(map[string]int64, len(p.Terms)/2)
	for t, n := range p.Terms {
		if 2*p.Nouns[t] >= n {
			out[t] = n
		}
	}
	return out
}

// rate is the relative frequency of term t over groups gs.
func rate(byGroup map[string]map[string]int64, words map[string]int64, gs []string, t string) float64 {
	var n, w int64
	for _, g := range gs {
		n += byGroup[g][t]
		w += words[g]
	}
	if w == 0 {
		return 0
	}
	return float64(n) / float64(w)
}

// topTerms returns the n most frequent terms, ties by term.
func topTerms(m map[string]int64, n int) []string {
	out := make([]string, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out[:min(n, len(out))]
}
