package collocations

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/stage"
)

// counts are the window counts of one unit (a group, or a side of a
// comparison: the sum of its groups').
type counts struct {
	// byNode[p] are the collocates in node p's windows with their
	// co-occurrence counts (all > 0), by collocate id: a unit's pairs are
	// read node by node (top) and looked up by id (pair), and a side that
	// is "every other group" is read as the corpus less the other side
	// (rest), never summed.
	byNode [][]pairN
	// nodeN counts each node, words the unit's counted words.
	nodeN []int64
	words int64
	// freq counts each collocate by id in a sum of groups; a group's
	// counts keep instead freqs, its collocates that occur, by id: 10,000
	// one-document groups each with a slot for every collocate of the
	// corpus would be most of a run's memory.
	freq  []int64
	freqs []pairN
	// dense, when set, are byNode's counts by node and collocate id.
	dense [][]int64
}

// pairN is a collocate's count (in a node's windows, or in a unit).
type pairN struct {
	id int32
	n  int64
}

func newCounts(nodes, colls int) *counts {
	return &counts{byNode: make([][]pairN, nodes), nodeN: make([]int64, nodes), freq: make([]int64, colls)}
}

// find returns the count of id in l (by id), 0 when absent.
func find(l []pairN, id int32) int64 {
	if i, ok := slices.BinarySearchFunc(l, id, func(x pairN, id int32) int { return cmp.Compare(x.id, id) }); ok {
		return l[i].n
	}
	return 0
}

// observed is the co-occurrence count of node p and collocate id.
func (c *counts) observed(p int, id int32) int64 {
	if c.dense != nil {
		return c.dense[p][id]
	}
	return find(c.byNode[p], id)
}

// frequency is the count of collocate id.
func (c *counts) frequency(id int32) int64 {
	if c.freqs != nil || c.freq == nil {
		return find(c.freqs, id)
	}
	return c.freq[id]
}

// present lists, ascending, the collocates the unit counts.
func (c *counts) present() []int32 {
	var out []int32
	if c.freq == nil {
		out = make([]int32, len(c.freqs))
		for i, x := range c.freqs {
			out[i] = x.id
		}
		return out
	}
	for id, n := range c.freq {
		if n > 0 {
			out = append(out, int32(id))
		}
	}
	return out
}

// side is a side of a comparison, or a group: the counts c, or when less
// is set, those of c (every group's) less less's (side A's) — the rest,
// read from the two without making it: a side "every other group" of
// 10,000 comparisons is nearly the corpus each time.
type side struct {
	c, less *counts
	// inLess lists, ascending, the collocates less counts: only their
	// counts differ between the rest and the corpus.
	inLess []int32
	// byN are c's pairs of each node observed at least MinCount times,
	// most frequent first (corpus).
	byN [][]pairN
}

func (s side) nodeN(p int) int64 {
	if s.less == nil {
		return s.c.nodeN[p]
	}
	return s.c.nodeN[p] - s.less.nodeN[p]
}

func (s side) observed(p int, id int32) int64 {
	if s.less == nil {
		return s.c.observed(p, id)
	}
	return s.c.observed(p, id) - s.less.observed(p, id)
}

func (s side) frequency(id int32) int64 {
	if s.less == nil {
		return s.c.frequency(id)
	}
	return s.c.frequency(id) - s.less.frequency(id)
}

func (s side) words() int64 {
	if s.less == nil {
		return s.c.words
	}
	return s.c.words - s.less.words
}

// windows are every group's counts and the collocates' names.
type windows struct {
	nodes   []string
	colls   []string
	byGroup map[string]*counts
}

// count reads every document twice: once for the nodes' windows, once
// for the frequencies of the collocates found (a frequency of every term in
// every group would hold a vocabulary per group).
func (s *Stage) count(ctx context.Context, nodes []string, env stage.Env) (*windows, error) {
	pid := make(map[string]int, len(nodes))
	for i, p := range nodes {
		pid[p] = i
	}
	cid := map[string]int32{}
	var colls []string
	co := map[string]map[uint64]int64{}
	nodeN := map[string][]int64{}
	win := s.cfg.Window
	err := env.EachDoc(ctx, func(d stage.DocForms) error {
		m := co[d.Group]
		if m == nil {
			m = map[uint64]int64{}
			co[d.Group] = m
			nodeN[d.Group] = make([]int64, len(nodes))
		}
		for i, f := range d.Forms {
			p, ok := pid[f]
			if !ok {
				continue
			}
			nodeN[d.Group][p]++
			for j := max(0, i-win); j <= min(len(d.Forms)-1, i+win); j++ {
				c := d.Forms[j]
				if c == f {
					// The node itself (j == i), or another occurrence of
					// it: a word is not its own collocate.
					continue
				}
				id, ok := cid[c]
				if !ok {
					id = int32(len(colls))
					cid[strings.Clone(c)] = id
					colls = append(colls, strings.Clone(c))
				}
				m[uint64(p)<<32|uint64(id)]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Only collocates that some unit can keep (MinCount over the whole
	// corpus bounds every group's and side's count) need a frequency.
	total := map[uint64]int64{}
	for _, m := range co {
		for k, n := range m {
			total[k] += n
		}
	}
	keep := make([]int32, len(colls))
	for i := range keep {
		keep[i] = -1
	}
	var kept []string
	for k, n := range total {
		id := int32(k & (1<<32 - 1))
		if n >= int64(s.cfg.MinCount) && keep[id] < 0 {
			keep[id] = 0
		}
	}
	for id, k := range keep {
		if k == 0 {
			keep[id] = int32(len(kept))
			kept = append(kept, colls[id])
		}
	}
	w := &windows{nodes: nodes, colls: kept, byGroup: map[string]*counts{}}
	for g, m := range co {
		c := &counts{byNode: make([][]pairN, len(nodes)), nodeN: nodeN[g]}
		for k, n := range m {
			if id := keep[k&(1<<32-1)]; id >= 0 {
				p := k >> 32
				c.byNode[p] = append(c.byNode[p], pairN{id: id, n: n})
			}
		}
		for _, l := range c.byNode {
			slices.SortFunc(l, func(a, b pairN) int { return cmp.Compare(a.id, b.id) })
		}
		w.byGroup[g] = c
	}
	keptID := make(map[string]int32, len(kept))
	for i, c := range kept {
		keptID[c] = int32(i)
	}
	freq := map[string]map[int32]int64{} // by group (a group's documents need not come together)
	err = env.EachDoc(ctx, func(d stage.DocForms) error {
		c := w.byGroup[d.Group]
		if c == nil {
			c = &counts{byNode: make([][]pairN, len(nodes)), nodeN: make([]int64, len(nodes))}
			w.byGroup[d.Group] = c
		}
		c.words += int64(len(d.Forms))
		m := freq[d.Group]
		if m == nil {
			m = map[int32]int64{}
			freq[d.Group] = m
		}
		for _, f := range d.Forms {
			if id, ok := keptID[f]; ok {
				m[id]++
			}
		}
		return nil
	})
	for g, m := range freq {
		l := make([]pairN, 0, len(m))
		for id, n := range m {
			l = append(l, pairN{id: id, n: n})
		}
		slices.SortFunc(l, func(a, b pairN) int { return cmp.Compare(a.id, b.id) })
		w.byGroup[g].freqs = l
	}
	return w, err
}

// unit sums the counts of groups gs. The counts of a single group are
// returned as they are: units are read, never written.
func (w *windows) unit(gs []string) *counts {
	if len(gs) == 1 {
		if c := w.byGroup[gs[0]]; c != nil {
			return c
		}
	}
	out := newCounts(len(w.nodes), len(w.colls))
	acc := make([]int64, len(w.colls)) // one node's counts by collocate
	var ids []int32
	for p := range w.nodes {
		ids = ids[:0]
		for _, g := range gs {
			c := w.byGroup[g]
			if c == nil {
				continue
			}
			for _, x := range c.byNode[p] {
				if acc[x.id] == 0 {
					ids = append(ids, x.id)
				}
				acc[x.id] += x.n
			}
		}
		slices.Sort(ids)
		l := make([]pairN, len(ids))
		for i, id := range ids {
			l[i] = pairN{id: id, n: acc[id]}
			acc[id] = 0
		}
		out.byNode[p] = l
	}
	for _, g := range gs {
		if c := w.byGroup[g]; c != nil {
			for i, n := range c.nodeN {
				out.nodeN[i] += n
			}
			for _, x := range c.freqs {
				out.freq[x.id] += x.n
			}
			out.words += c.words
		}
	}
	return out
}

// corpus returns every group's counts as the side the rests are read
// from: with each node's co-occurrences by collocate in full (a rest
// looks up each collocate of side A), and its pairs observed at least
// minCount times, most frequent first (ties by id), for top.
func (w *windows) corpus(groups []string, minCount int) *side {
	all := w.unit(groups)
	if len(groups) == 1 {
		cp := *all // a group's own counts: not to be written
		all = &cp
	}
	all.dense = make([][]int64, len(w.nodes))
	u := &side{c: all, byN: make([][]pairN, len(w.nodes))}
	for p, l := range all.byNode {
		all.dense[p] = make([]int64, len(w.colls))
		for _, x := range l {
			all.dense[p][x.id] = x.n
			if x.n >= int64(minCount) {
				u.byN[p] = append(u.byN[p], x)
			}
		}
		slices.SortFunc(u.byN[p], func(a, b pairN) int {
			if c := cmp.Compare(b.n, a.n); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
	}
	return u
}

// measures of one (node, collocate) pair in one unit. Sources in
// docs/methods.md#collocations.
type measures struct {
	observed, nodeN, collN, words int64
	expected                      float64
	logDice, mi, t, ll            float64 // NaN: undefined (no co-occurrence)
}

// measure computes the association of a pair observed o times, of a node
// seen fp times and a collocate seen fc times among n words, with windows
// of span words around each node.
func measure(o, fp, fc, n int64, span int) measures {
	m := measures{observed: o, nodeN: fp, collN: fc, words: n, logDice: math.NaN(), mi: math.NaN(), t: math.NaN()}
	if n == 0 {
		m.ll = math.NaN()
		return m
	}
	r1 := float64(fp) * float64(span) // window slots
	m.expected = r1 * float64(fc) / float64(n)
	if o > 0 {
		m.logDice = 14 + math.Log2(2*float64(o)/float64(fp+fc))
		m.mi = math.Log2(float64(o) / m.expected)
		m.t = (float64(o) - m.expected) / math.Sqrt(float64(o))
	}
	m.ll = logLikelihood(float64(o), r1, float64(fc), float64(n))
	return m
}

// logLikelihood is Dunning's G² of the 2×2 table of window slots (around
// the node or not) by word (the collocate or not), signed negative when
// the pair is rarer than expected. Overlapping windows can count a word in
// more slots than it has occurrences: cells are clipped at 0.
func logLikelihood(o11, r1, c1, n float64) float64 {
	o := [4]float64{o11, r1 - o11, c1 - o11, n - r1 - c1 + o11}
	r := [2]float64{r1, n - r1}
	c := [2]float64{c1, n - c1}
	var g float64
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			oij := max(o[2*i+j], 0)
			eij := r[i] * c[j] / n
			if oij > 0 && eij > 0 {
				g += oij * math.Log(oij/eij)
			}
		}
	}
	g *= 2
	if o11 < r1*c1/n {
		g = -g
	}
	return g
}

// top returns the collocates of node p that side u keeps, best first:
// observed at least MinCount, by log-Dice, then count, then collocate.
func (s *Stage) top(w *windows, u side, p, k int) []int32 {
	if k <= 0 {
		return nil
	}
	b := best{colls: w.colls, k: k, l: make([]cand, 0, k+1)}
	minN := int64(s.cfg.MinCount)
	nodeN := u.nodeN(p)
	if u.less == nil {
		for _, x := range u.c.byNode[p] {
			if x.n >= minN {
				b.add(cand{id: x.id, n: x.n, ld: 2 * float64(x.n) / float64(nodeN+u.c.frequency(x.id))})
			}
		}
		return b.ids()
	}
	// The rest: a collocate side A does not count has the corpus's counts,
	// the others are counted exactly. The former are visited most frequent
	// first, and only while they can still enter: log-Dice 2n/(nodeN+f) is
	// below 2n/nodeN, which falls with n (and float division is monotone).
	for _, id := range u.inLess {
		if n := u.observed(p, id); n >= minN {
			b.add(cand{id: id, n: n, ld: 2 * float64(n) / float64(nodeN+u.frequency(id))})
		}
	}
	for _, x := range u.byN[p] { // n ≥ MinCount, descending
		if b.full() && 2*float64(x.n)/float64(nodeN) < b.l[k-1].ld {
			break
		}
		if _, ok := slices.BinarySearch(u.inLess, x.id); ok {
			continue
		}
		b.add(cand{id: x.id, n: x.n, ld: 2 * float64(x.n) / float64(nodeN+u.c.frequency(x.id))})
	}
	return b.ids()
}

// cand is a collocate of a node in a unit, with its log-Dice (before the
// log: the order is the same).
type cand struct {
	id int32
	n  int64
	ld float64
}

// best keeps the k best candidates, sorted as they come: a side that is
// the rest of thousands of groups has most of the corpus's pairs, and
// sorting them all for each comparison was most of a 10,000-group run.
// The order is total (names are distinct): the k kept do not depend on
// the order candidates come in.
type best struct {
	colls []string
	k     int
	l     []cand
}

func (b *best) before(x, y *cand) bool {
	if x.ld != y.ld {
		return x.ld > y.ld
	}
	if x.n != y.n {
		return x.n > y.n
	}
	return b.colls[x.id] < b.colls[y.id]
}

func (b *best) full() bool { return len(b.l) == b.k }

func (b *best) add(c cand) {
	if b.full() && !b.before(&c, &b.l[b.k-1]) {
		return
	}
	i := sort.Search(len(b.l), func(i int) bool { return b.before(&c, &b.l[i]) })
	b.l = slices.Insert(b.l, i, c)
	if len(b.l) > b.k {
		b.l = b.l[:b.k]
	}
}

func (b *best) ids() []int32 {
	ids := make([]int32, len(b.l))
	for i := range b.l {
		ids[i] = b.l[i].id
	}
	return ids
}

// maxComparisonRows bounds the rows of comparisons' sides: a plan of
// thousands of comparisons (each of 10,000 groups against the rest) would
// otherwise write comparisons × nodes × up to 4 × top_collocates rows.
const maxComparisonRows = 2_000_000

// comparisonCollocates is how many collocates each side of a comparison
// keeps per node: top_collocates, or fewer (at least one) when the plan's
// comparisons could write more than maxComparisonRows rows, with a
// warning.
func (s *Stage) comparisonCollocates(env stage.Env, nodes int) int {
	cmps := 0
	for _, c := range env.Comparisons() {
		if !c.Reference {
			cmps++
		}
	}
	k := s.cfg.TopCollocates
	// A node's rows: the collocates of either side, two rows each.
	if rows := int64(cmps) * int64(nodes) * 4 * int64(k); rows > maxComparisonRows {
		k = max(1, maxComparisonRows/(cmps*nodes*4))
		env.Warn(fmt.Sprintf("%d comparisons × %d nodes could write %d rows, more than %d: each side keeps its %d most associated collocates per node instead of top_collocates (%d); compare fewer groups (compare.plan, compare.comparisons) or set fewer nodes",
			cmps, nodes, rows, maxComparisonRows, k, s.cfg.TopCollocates))
	}
	return k
}

// fewWindows is the number of occurrences of a node below which a side's
// collocates are warned of: a log-Dice from a handful of windows swings by
// whole points with one co-occurrence more or less.
const fewWindows = 20

// maxWarnings bounds the few-windows warnings (200 groups each against the
// rest would give a thousand).
const maxWarnings = 10

// row is one row of the collocations table.
type row struct {
	comparison, side, group, node, collocate string
	m                                        measures
	diff                                     float64
}

func (s *Stage) pair(u side, p int, id int32) measures {
	return measure(u.observed(p, id), u.nodeN(p), u.frequency(id), u.words(), 2*s.cfg.Window)
}

// rows are the table's rows: every group's, then every comparison's sides.
func (s *Stage) rows(w *windows, env stage.Env) []row {
	var out []row
	s.eachRow(w, env, func(r *row) { out = append(out, *r) })
	return out
}

// eachRow calls emit with each row of the table, in order: written as
// they come, as 10,000 comparisons make up to 2,000,000 rows.
func (s *Stage) eachRow(w *windows, env stage.Env, emit func(*row)) {
	groups := env.Groups()
	for _, g := range groups {
		u := w.byGroup[g]
		if u == nil {
			continue
		}
		for pi, pv := range w.nodes {
			for _, id := range s.top(w, side{c: u}, pi, s.cfg.TopCollocates) {
				emit(&row{group: g, node: pv, collocate: w.colls[id], m: s.pair(side{c: u}, pi, id), diff: math.NaN()})
			}
		}
	}
	few := 0
	defer func() {
		if few > maxWarnings {
			env.Warn(fmt.Sprintf("… and %d more sides with a node seen fewer than %d times", few-maxWarnings, fewWindows))
		}
	}()
	var rest *side // every group's, for a side b of "the rest"
	isGroup := make(map[string]bool, len(groups))
	for _, g := range groups {
		isGroup[g] = true
	}
	perSide := s.comparisonCollocates(env, len(w.nodes))
	for _, cmp := range env.Comparisons() {
		if cmp.Reference {
			continue // the reference corpus has no windows
		}
		a := cmp.A
		ua := side{c: w.unit(a)}
		var ub side
		if len(cmp.B) == 0 {
			if rest == nil {
				rest = w.corpus(groups, s.cfg.MinCount)
			}
			sub := ua.c
			if in := distinctIn(a, isGroup); len(in) != len(a) {
				sub = w.unit(in)
			}
			ub = *rest
			ub.less, ub.inLess = sub, sub.present()
		} else {
			ub = side{c: w.unit(cmp.B)}
		}
		la, lb := strings.Join(a, "+"), strings.Join(cmp.B, "+")
		if len(cmp.B) == 0 {
			lb = "rest"
		}
		for pi, pv := range w.nodes {
			for _, u := range []struct {
				label string
				c     side
			}{{la, ua}, {lb, ub}} {
				if n := u.c.nodeN(pi); n < fewWindows {
					if few++; few <= maxWarnings {
						env.Warn(fmt.Sprintf("%s: %q occurs %d times on side %s: its collocates there rest on few windows (compare observed counts, not log-Dice alone)", cmp.Label, pv, n, u.label))
					}
				}
			}
			ids := s.top(w, ua, pi, perSide)
			for _, id := range s.top(w, ub, pi, perSide) {
				if !containsID(ids, id) {
					ids = append(ids, id)
				}
			}
			for _, id := range ids {
				ma, mb := s.pair(ua, pi, id), s.pair(ub, pi, id)
				d := ma.logDice - mb.logDice // NaN when either side lacks the pair
				emit(&row{comparison: cmp.Label, side: "a", group: la, node: pv, collocate: w.colls[id], m: ma, diff: d})
				emit(&row{comparison: cmp.Label, side: "b", group: lb, node: pv, collocate: w.colls[id], m: mb, diff: d})
			}
		}
	}
}

// distinctIn returns the groups of a that are in groups, each once.
func distinctIn(a []string, groups map[string]bool) []string {
	var out []string
	for _, g := range a {
		if groups[g] && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Row is a row of the collocations table.
type Row struct {
	Comparison    string               `col:"comparison,dict"`
	Side          string               `col:"side,dict"`
	Group         string               `col:"group,dict"`
	Node          string               `col:"node,dict"`
	Collocate     string               `col:"collocate"`
	Observed      int64                `col:"observed"`
	Expected      float64              `col:"expected"`
	NodeFreq      int64                `col:"node_freq"`
	CollocateFreq int64                `col:"collocate_freq"`
	Words         int64                `col:"words"`
	LogDice       output.Null[float64] `col:"log_dice"`
	MI            output.Null[float64] `col:"mi"`
	TScore        output.Null[float64] `col:"t_score"`
	LogLikelihood float64              `col:"log_likelihood"`
	LogDiceDiff   output.Null[float64] `col:"log_dice_diff"`
}

// Tables declares the collocations table.
func (s *Stage) Tables() []*output.Table {
	d := output.Describe
	t, err := output.RowTable[Row](output.Table{
		Name:        Name,
		Description: "Collocates of node words: for each group, and for each side of each comparison, the counted words within collocations.window words of a node, with their counts and association measures (docs/methods.md#collocations). Per-group rows have comparison and side \"\"; a comparison's rows come in pairs, side a then side b, for the collocates either side keeps.",
		Key:         []string{"comparison", "side", "group", "node", "collocate"},
		Layout:      output.SingleFile,
		PandasExample: `col = pd.read_parquet("out/collocations.parquet")
col[(col.comparison == "") & (col.node == "war")].sort_values("log_dice", ascending=False).head(20)`,
		SQLExample: `SELECT node, collocate, log_dice_diff FROM read_parquet('out/collocations.parquet')
WHERE side = 'a' ORDER BY abs(log_dice_diff) DESC NULLS LAST LIMIT 20;`,
	},
		d("comparison", "Comparison label (comparisons.comparison); \"\" on per-group rows."),
		d("side", "a or b: the side of the comparison the counts are of; \"\" on per-group rows."),
		d("group", "The group (documents.group); on a comparison's rows its side's groups joined by +, or rest."),
		d("node", "The node word, a term in its counted form: configured (collocations.nodes) or, by default, among the nouns most frequent on both sides of a comparison. (Called node, not pivot: PIVOT is a keyword in DuckDB.)"),
		d("collocate", "A counted word within the window of the node, other than the node itself (a recurrence of the node takes its place in the window but is not a collocate)."),
		d("observed", "Times the collocate is within the window of an occurrence of the node."),
		d("expected", "The count expected if the two were independent: node_freq × 2·window × collocate_freq / words."),
		d("node_freq", "Occurrences of the node in the group (side)."),
		d("collocate_freq", "Occurrences of the collocate in the group (side)."),
		d("words", "Counted words of the group (side): stop words, punctuation and numbers are not counted."),
		d("log_dice", "log-Dice, 14 + log2(2·observed / (node_freq + collocate_freq)) (Rychlý 2008): at most 14, comparable across groups and corpus sizes; null when observed is 0."),
		d("mi", "Pointwise mutual information, log2(observed / expected); null when observed is 0."),
		d("t_score", "t-score, (observed − expected) / √observed; null when observed is 0."),
		d("log_likelihood", "Dunning's log-likelihood G² of the window-slot contingency table, negative when the pair is rarer than expected."),
		d("log_dice_diff", "On a comparison's rows: side a's log_dice minus side b's (the same on both rows); null on per-group rows and when either side never has the pair."),
	)
	if err != nil {
		panic(err) // fixed in code: the package's tests meet it
	}
	return []*output.Table{t}
}

// writeRows writes the rows eachRow gives.
func writeRows(w *output.Writer, each func(emit func(*row))) error {
	a, err := output.NewAppender[Row](w)
	if err != nil {
		return err
	}
	each(func(r *row) {
		a.Append(&Row{Comparison: r.comparison, Side: r.side, Group: r.group, Node: r.node, Collocate: r.collocate,
			Observed: r.m.observed, Expected: r.m.expected, NodeFreq: r.m.nodeN, CollocateFreq: r.m.collN, Words: r.m.words,
			LogDice: output.NullIfNaN(r.m.logDice), MI: output.NullIfNaN(r.m.mi), TScore: output.NullIfNaN(r.m.t),
			LogLikelihood: r.m.ll, LogDiceDiff: output.NullIfNaN(r.diff)})
	})
	return w.Flush()
}
