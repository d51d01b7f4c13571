package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Options choose what the report shows. The zero value is a useful
// default; each limit bounds the file's size (docs/workbench.md).
type Options struct {
	// Comparisons names the comparisons drawn (comparisons.comparison);
	// none: the first MaxComparisons in the run's order (the declared
	// ones first).
	Comparisons []string
	// MaxComparisons drawn when Comparisons is empty (0 = 8).
	MaxComparisons int
	// Points is the number of terms in each keyness scatter, the most
	// distinctive by the comparison's keyness test (0 = 400).
	Points int
	// Sentences is the number of evidence sentences per frame and side
	// (0 = 2).
	Sentences int
	// Actors is the number of actors listed per side (0 = 12).
	Actors int
	// Collocates is the number of collocates per pivot word and side
	// (0 = 10), and at most 6 pivots per comparison.
	Collocates int
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxComparisons, 8)
	def(&o.Points, 400)
	def(&o.Sentences, 2)
	def(&o.Actors, 12)
	def(&o.Collocates, 10)
	return o
}

// model is everything the report shows, read from the tables.
type model struct {
	man        *manifest
	docs       int
	words      int64
	groups     []groupSize
	all        []*comparison // every comparison, in the run's order
	shown      []*comparison // those drawn
	collocates bool          // the run has a collocations table
	frames     []string      // frame names, in lexicon order
}

type groupSize struct {
	Name  string
	Docs  int
	Words int64
}

type comparison struct {
	Name, A, B         string
	DocsA, DocsB       int
	WordsA, WordsB     int64
	JSDTerms, JSDTopic float64
	Test               string
	Warnings           []string
	TopA, TopB         []string

	terms    []term
	entities []term // keyness rows of kind entity: the actors each side names more
	frames   []frameDiff
	topics   []topicPrev
	evidence map[string]map[byte][]sentence // frame -> side ('a'/'b') -> best sentences
	actors   map[byte][]actorCount
	colloc   []pivot
}

type term struct {
	Feature        string
	CountA, CountB float64
	RateA, RateB   float64
	Score          float64 // doc_t or z, by the comparison's test
	Side           byte
	Concentrated   bool
	DocsA, DocsB   float64
}

type frameDiff struct {
	Frame          string
	RateA, RateB   float64
	Diff, Lo, Hi   float64 // Lo, Hi NaN: no interval
	DocsA, DocsB   float64
	ShareA, ShareB float64
}

type topicPrev struct {
	Label        string
	MeanA, MeanB float64
	Diff, Lo, Hi float64
	Note         string
}

type sentence struct {
	DocID, Group string
	Hits         int
	Text         string
	Spans        [][2]int // match offsets within Text (code points)
}

type actorCount struct {
	Name, Label string
	Mentions    int
	Docs        int
}

type pivot struct {
	Word string
	A, B []collocate
}

type collocate struct {
	Word           string
	Observed       float64
	Expected       float64 // NaN when the table has no such column, as the others
	LogDice, MI, T float64
	LL             float64 // log-likelihood G²
	Diff           float64 // log_dice_diff: side a's log-Dice minus side b's
}

// load reads the tables of the run in out.
func load(ctx context.Context, out string, opts Options) (*model, error) {
	man, err := readManifest(out)
	if err != nil {
		return nil, err
	}
	m := &model{man: man}
	if err := m.loadGroups(ctx, out); err != nil {
		return nil, err
	}
	if err := m.loadComparisons(ctx, out, opts); err != nil {
		return nil, err
	}
	if len(m.shown) == 0 {
		return m, nil
	}
	byName := map[string]*comparison{}
	for _, c := range m.shown {
		byName[c.Name] = c
	}
	steps := []func(context.Context, string, map[string]*comparison, Options) error{
		m.loadKeyness, m.loadFrames, m.loadTopics, m.loadEvidence, m.loadActors, m.loadCollocations,
	}
	for _, step := range steps {
		if err := step(ctx, out, byName, opts); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *model) loadGroups(ctx context.Context, out string) error {
	files, err := m.man.parquetFiles(out, "documents")
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("report: %s has no documents.parquet: the report reads the Parquet tables; run with --format parquet (the default) or both", out)
	}
	sizes := map[string]*groupSize{}
	err = scan(ctx, files, []string{"group", "n_words"}, func(n int, c cols) error {
		for i := 0; i < n; i++ {
			g := str(c["group"], i)
			s := sizes[g]
			if s == nil {
				s = &groupSize{Name: g}
				sizes[g] = s
			}
			s.Docs++
			if w := num(c["n_words"], i); !math.IsNaN(w) {
				s.Words += int64(w)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, s := range sizes {
		m.docs += s.Docs
		m.words += s.Words
		m.groups = append(m.groups, *s)
	}
	sort.Slice(m.groups, func(i, j int) bool {
		if m.groups[i].Docs != m.groups[j].Docs {
			return m.groups[i].Docs > m.groups[j].Docs
		}
		return m.groups[i].Name < m.groups[j].Name
	})
	return nil
}

func (m *model) loadComparisons(ctx context.Context, out string, opts Options) error {
	files, err := m.man.parquetFiles(out, "comparisons")
	if err != nil {
		return err
	}
	err = scan(ctx, files, []string{"comparison", "group_a", "group_b", "docs_a", "docs_b", "words_a", "words_b",
		"jsd_terms", "jsd_topics", "keyness_test", "warnings", "top_terms_a", "top_terms_b"}, func(n int, c cols) error {
		for i := 0; i < n; i++ {
			m.all = append(m.all, &comparison{
				Name: str(c["comparison"], i), A: str(c["group_a"], i), B: str(c["group_b"], i),
				DocsA: int(num(c["docs_a"], i)), DocsB: int(num(c["docs_b"], i)),
				WordsA: int64(num(c["words_a"], i)), WordsB: int64(num(c["words_b"], i)),
				JSDTerms: num(c["jsd_terms"], i), JSDTopic: num(c["jsd_topics"], i),
				Test: str(c["keyness_test"], i), Warnings: strs(c["warnings"], i),
				TopA: strs(c["top_terms_a"], i), TopB: strs(c["top_terms_b"], i),
			})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(opts.Comparisons) > 0 {
		for _, want := range opts.Comparisons {
			found := false
			for _, c := range m.all {
				if c.Name == want {
					m.shown, found = append(m.shown, c), true
				}
			}
			if !found {
				return &UnknownComparisonError{Name: want, Known: m.names()}
			}
		}
		return nil
	}
	// Declared comparisons come in the order given; a plan's (each group
	// against the rest, every pair) by the size of the smaller side, whose
	// differences are the best supported.
	m.shown = append([]*comparison(nil), m.all...)
	if len(m.man.Config.Compare.Comparisons) == 0 {
		sort.SliceStable(m.shown, func(i, j int) bool {
			return min(m.shown[i].DocsA, m.shown[i].DocsB) > min(m.shown[j].DocsA, m.shown[j].DocsB)
		})
	}
	m.shown = m.shown[:min(len(m.shown), opts.MaxComparisons)]
	return nil
}

func (m *model) names() []string {
	var out []string
	for _, c := range m.all {
		out = append(out, c.Name)
	}
	return out
}

func (m *model) loadKeyness(ctx context.Context, out string, by map[string]*comparison, opts Options) error {
	files, err := m.man.parquetFiles(out, "keyness")
	if err != nil {
		return err
	}
	err = scan(ctx, files, []string{"comparison", "feature_kind", "feature", "count_a", "count_b", "rate_a", "rate_b",
		"z", "doc_t", "side", "group_a", "concentrated", "docs_a", "docs_b"}, func(n int, c cols) error {
		for i := 0; i < n; i++ {
			cmp := by[str(c["comparison"], i)]
			kind := str(c["feature_kind"], i)
			if cmp == nil || (kind != "term" && kind != "entity") {
				continue
			}
			score := num(c["z"], i)
			if cmp.Test == "documents" {
				score = num(c["doc_t"], i)
			}
			side := byte('b')
			if str(c["side"], i) == str(c["group_a"], i) {
				side = 'a'
			}
			conc := false
			if b, ok := c["concentrated"].(interface{ Value(int) bool }); ok {
				conc = b.Value(i)
			}
			t := term{Feature: str(c["feature"], i),
				CountA: num(c["count_a"], i), CountB: num(c["count_b"], i),
				RateA: num(c["rate_a"], i), RateB: num(c["rate_b"], i), Score: score, Side: side, Concentrated: conc,
				DocsA: num(c["docs_a"], i), DocsB: num(c["docs_b"], i)}
			if kind == "entity" {
				cmp.entities = append(cmp.entities, t)
			} else {
				cmp.terms = append(cmp.terms, t)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range by {
		// The most distinctive terms, by the comparison's own test; a null
		// score (no variation) ranks last.
		sort.SliceStable(c.terms, func(i, j int) bool { return absScore(c.terms[i]) > absScore(c.terms[j]) })
		sort.SliceStable(c.entities, func(i, j int) bool { return absScore(c.entities[i]) > absScore(c.entities[j]) })
		c.terms = perSide(c.terms, opts.Points)
	}
	return nil
}

// perSide keeps the n most distinctive of ts (sorted by |score|), half for
// each side when both have that many: a side that never uses the other's
// words (one small group against the rest) would otherwise fill the plot
// with the other side's terms.
func perSide(ts []term, n int) []term {
	if len(ts) <= n {
		return ts
	}
	var a, b int
	for _, t := range ts {
		if t.Side == 'a' {
			a++
		} else {
			b++
		}
	}
	wantA := min(a, max(n/2, n-b))
	wantB := n - wantA
	out := ts[:0:0]
	for _, t := range ts {
		if t.Side == 'a' && wantA > 0 {
			out = append(out, t)
			wantA--
		} else if t.Side == 'b' && wantB > 0 {
			out = append(out, t)
			wantB--
		}
	}
	return out
}

func absScore(t term) float64 {
	if math.IsNaN(t.Score) {
		return -1
	}
	return math.Abs(t.Score)
}

func (m *model) loadFrames(ctx context.Context, out string, by map[string]*comparison, _ Options) error {
	files, err := m.man.parquetFiles(out, "frame_comparisons")
	if err != nil {
		return err
	}
	return scan(ctx, files, []string{"comparison", "frame", "rate_a", "rate_b", "rate_diff", "rate_diff_lo", "rate_diff_hi",
		"docs_a", "docs_b", "share_a", "share_b"}, func(n int, c cols) error {
		for i := 0; i < n; i++ {
			f := str(c["frame"], i)
			if !slices.Contains(m.frames, f) {
				m.frames = append(m.frames, f)
			}
			cmp := by[str(c["comparison"], i)]
			if cmp == nil {
				continue
			}
			cmp.frames = append(cmp.frames, frameDiff{Frame: f, RateA: num(c["rate_a"], i), RateB: num(c["rate_b"], i),
				Diff: num(c["rate_diff"], i), Lo: num(c["rate_diff_lo"], i), Hi: num(c["rate_diff_hi"], i),
				DocsA: num(c["docs_a"], i), DocsB: num(c["docs_b"], i), ShareA: num(c["share_a"], i), ShareB: num(c["share_b"], i)})
		}
		return nil
	})
}

func (m *model) loadTopics(ctx context.Context, out string, by map[string]*comparison, _ Options) error {
	files, err := m.man.parquetFiles(out, "topic_prevalence")
	if err != nil {
		return err
	}
	return scan(ctx, files, []string{"comparison", "label", "mean_a", "mean_b", "diff", "diff_lo", "diff_hi", "interval_note"}, func(n int, c cols) error {
		for i := 0; i < n; i++ {
			cmp := by[str(c["comparison"], i)]
			if cmp == nil {
				continue
			}
			cmp.topics = append(cmp.topics, topicPrev{Label: str(c["label"], i), MeanA: num(c["mean_a"], i), MeanB: num(c["mean_b"], i),
				Diff: num(c["diff"], i), Lo: num(c["diff_lo"], i), Hi: num(c["diff_hi"], i), Note: str(c["interval_note"], i)})
		}
		return nil
	})
}

// sideOf says on which side of c a document of group g is: 'a', 'b' or 0.
func (c *comparison) sideOf(g string) byte {
	in := func(side string) bool { return slices.Contains(strings.Split(side, "+"), g) }
	switch {
	case in(c.A):
		return 'a'
	case c.B == "rest" || in(c.B):
		return 'b'
	}
	return 0
}

func (m *model) loadEvidence(ctx context.Context, out string, by map[string]*comparison, opts Options) error {
	files, err := m.man.parquetFiles(out, "frame_sentences")
	if err != nil {
		return err
	}
	for _, c := range by {
		c.evidence = map[string]map[byte][]sentence{}
	}
	return scan(ctx, files, []string{"doc_id", "group", "frame", "hits", "match_starts", "match_ends", "start", "text"}, func(n int, col cols) error {
		for i := 0; i < n; i++ {
			hits := int(num(col["hits"], i))
			if hits == 0 {
				continue // negated matches only
			}
			g, f := str(col["group"], i), str(col["frame"], i)
			var s *sentence
			for _, c := range by {
				side := c.sideOf(g)
				if side == 0 {
					continue
				}
				if c.evidence[f] == nil {
					c.evidence[f] = map[byte][]sentence{}
				}
				if s == nil {
					s = newSentence(col, i, hits)
				}
				c.evidence[f][side] = keepSentence(c.evidence[f][side], *s, opts.Sentences)
			}
		}
		return nil
	})
}

// keepSentence adds s to the best sentences of a frame and side, keeping
// n: those with at least 3 matches (or the most) first and, among them,
// the shortest, which read as evidence; one per document, so that one
// long address does not fill the list. Ties keep the first met (corpus
// order): a deterministic choice.
func keepSentence(list []sentence, s sentence, n int) []sentence {
	better := func(x, y sentence) bool {
		if hx, hy := min(x.Hits, 3), min(y.Hits, 3); hx != hy {
			return hx > hy
		}
		return len(x.Text) < len(y.Text)
	}
	for i, o := range list {
		if o.DocID == s.DocID {
			if !better(s, o) {
				return list
			}
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	list = append(list, s)
	sort.SliceStable(list, func(x, y int) bool { return better(list[x], list[y]) })
	return list[:min(len(list), n)]
}

func newSentence(col cols, i, hits int) *sentence {
	s := &sentence{DocID: str(col["doc_id"], i), Group: str(col["group"], i), Hits: hits, Text: str(col["text"], i)}
	start := int(num(col["start"], i))
	starts, ends := ints(col["match_starts"], i), ints(col["match_ends"], i)
	for k := range starts {
		if k < len(ends) {
			s.Spans = append(s.Spans, [2]int{starts[k] - start, ends[k] - start})
		}
	}
	return s
}

func (m *model) loadActors(ctx context.Context, out string, by map[string]*comparison, opts Options) error {
	files, err := m.man.parquetFiles(out, "entity_mentions")
	if err != nil {
		return err
	}
	type key struct {
		side        byte
		name, label string
	}
	counts := map[*comparison]map[key]*actorCount{}
	for _, c := range by {
		counts[c] = map[key]*actorCount{}
	}
	err = scan(ctx, files, []string{"group", "canonical", "label", "mentions"}, func(n int, col cols) error {
		for i := 0; i < n; i++ {
			g := str(col["group"], i)
			for _, c := range by {
				side := c.sideOf(g)
				if side == 0 {
					continue
				}
				k := key{side, str(col["canonical"], i), str(col["label"], i)}
				a := counts[c][k]
				if a == nil {
					a = &actorCount{Name: k.name, Label: k.label}
					counts[c][k] = a
				}
				a.Mentions += int(num(col["mentions"], i))
				a.Docs++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for c, m := range counts {
		c.actors = map[byte][]actorCount{}
		for k, a := range m {
			c.actors[k.side] = append(c.actors[k.side], *a)
		}
		for side, list := range c.actors {
			sort.Slice(list, func(i, j int) bool {
				if list[i].Docs != list[j].Docs {
					return list[i].Docs > list[j].Docs
				}
				if list[i].Mentions != list[j].Mentions {
					return list[i].Mentions > list[j].Mentions
				}
				return list[i].Name < list[j].Name
			})
			c.actors[side] = list[:min(len(list), opts.Actors)]
		}
	}
	return nil
}

// loadCollocations reads the collocations table when the run has one.
// The stage writes, per node word, a comparison's rows in pairs (side a
// and b) and per-group rows (comparison and side ""); a comparison is drawn
// from its own rows, or, when it has none, from the per-group rows of the
// groups on each side. Names are read tolerantly: the node word's column
// is node (or pivot), side may be a/b, group_a/group_b or a side's group,
// and every measure but observed and log_dice is optional.
func (m *model) loadCollocations(ctx context.Context, out string, by map[string]*comparison, opts Options) error {
	files, err := m.man.parquetFiles(out, "collocations")
	if err != nil || len(files) == 0 {
		return err
	}
	m.collocates = true
	type key struct {
		c    *comparison
		node string
	}
	// Per comparison: its own rows ([0]) and the per-group rows of its
	// sides' groups ([1]), each by node and side.
	var lists [2]map[key]map[byte][]collocate
	var order [2][]key
	for i := range lists {
		lists[i] = map[key]map[byte][]collocate{}
	}
	add := func(src int, k key, side byte, co collocate) {
		if lists[src][k] == nil {
			lists[src][k] = map[byte][]collocate{}
			order[src] = append(order[src], k)
		}
		lists[src][k][side] = append(lists[src][k][side], co)
	}
	names := []string{"comparison", "side", "group", "node", "pivot", "collocate", "observed", "expected",
		"log_dice", "mi", "t_score", "log_likelihood", "log_dice_diff"}
	err = scan(ctx, files, names, func(n int, col cols) error {
		nodeCol := col["node"]
		if nodeCol == nil {
			nodeCol = col["pivot"]
		}
		for i := 0; i < n; i++ {
			co := collocate{Word: str(col["collocate"], i), Observed: num(col["observed"], i), Expected: num(col["expected"], i),
				LogDice: num(col["log_dice"], i), MI: num(col["mi"], i), T: num(col["t_score"], i),
				LL: num(col["log_likelihood"], i), Diff: num(col["log_dice_diff"], i)}
			// A comparison lists the collocates either side keeps on both
			// sides' rows: one the side never has is no collocate of it.
			if !(co.Observed > 0) || math.IsNaN(co.LogDice) {
				continue
			}
			cmpName, s, g := str(col["comparison"], i), str(col["side"], i), str(col["group"], i)
			node := str(nodeCol, i)
			if cmpName != "" {
				c := by[cmpName]
				if c == nil {
					continue
				}
				var side byte
				switch {
				case s == "a" || s == "group_a" || (s != "" && s == c.A):
					side = 'a'
				case s == "b" || s == "group_b" || (s != "" && s == c.B):
					side = 'b'
				case s == "" && g != "":
					side = c.sideOf(g)
				}
				if side != 0 {
					add(0, key{c, node}, side, co)
				}
				continue
			}
			if g == "" {
				continue
			}
			co.Diff = math.NaN() // a per-group row compares nothing
			for _, c := range by {
				if side := c.sideOf(g); side != 0 {
					add(1, key{c, node}, side, co)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	own := map[*comparison]bool{}
	for _, k := range order[0] {
		own[k.c] = true
	}
	for src := range lists {
		for _, k := range order[src] {
			if len(k.c.colloc) == maxPivots || (src == 1 && own[k.c]) {
				continue
			}
			p := pivot{Word: k.node, A: topCollocates(lists[src][k]['a'], opts.Collocates), B: topCollocates(lists[src][k]['b'], opts.Collocates)}
			k.c.colloc = append(k.c.colloc, p)
		}
	}
	return nil
}

// maxPivots is the number of node words drawn per comparison.
const maxPivots = 6

// topCollocates merges a side's rows of one collocate (several groups on
// a side) and keeps the n with the highest log-Dice.
func topCollocates(rows []collocate, n int) []collocate {
	merged := map[string]*collocate{}
	var out []collocate
	for _, r := range rows {
		if c := merged[r.Word]; c != nil {
			// Several groups' rows: the count adds up, the best group's
			// log-Dice stands for the side, and the other measures, which
			// do not combine from the rows, are left out.
			c.Observed += r.Observed
			c.LogDice = math.Max(c.LogDice, r.LogDice)
			c.Expected, c.MI, c.T, c.LL = math.NaN(), math.NaN(), math.NaN(), math.NaN()
			continue
		}
		r := r
		merged[r.Word] = &r
	}
	for _, c := range merged {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].LogDice != out[j].LogDice {
			return out[i].LogDice > out[j].LogDice
		}
		return out[i].Word < out[j].Word
	})
	return out[:min(len(out), n)]
}
