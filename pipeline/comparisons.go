package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sort"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

// writeComparisons writes the group-level and comparison tables: group
// frames and frame differences, keyness, comparisons and topic prevalence.
func (r *reducer) writeComparisons(ts *tableSet, vocab *vectorize.Vocabulary, X *vectorize.CSR, model *topics.Model, sum *Summary) error {
	// One pass over the documents: every comparison's sides are sums of
	// these.
	tally := map[string]groupTally{}
	for _, d := range r.states {
		if !d.Failed {
			t := tally[d.Group]
			t.docs++
			t.words += int64(d.Words)
			tally[d.Group] = t
		}
	}
	names := make([]string, 0, len(tally))
	for g := range tally {
		names = append(names, g)
	}
	sort.Strings(names)
	var reference *compare.Counts
	if dir := r.eng.cfg.Compare.Reference; dir != "" {
		var err error
		if reference, err = readReference(dir); err != nil {
			return err
		}
	}
	var plan []comparisonSides
	if cmps, err := r.comparablePlan(names, reference != nil); err != nil {
		return err
	} else if cmps != nil {
		gt := newGroupTallies(names, tally)
		for _, c := range cmps {
			cs := gt.sides(c, reference != nil)
			if cs.docsA == 0 || cs.docsB == 0 && !cs.reference {
				r.eng.log.Warn("a side of a comparison has no analysed document", "comparison", c.Label(), "docs_a", cs.docsA, "docs_b", cs.docsB, "groups", names)
			}
			plan = append(plan, cs)
		}
	} else {
		r.eng.log.Info("comparisons skipped: the corpus has fewer than two groups", "groups", names)
	}
	// Frame and topic differences need documents on both sides; a group
	// against a reference corpus has them only when other groups exist, a
	// declared comparison only when its groups have analysed documents.
	var withDocs []comparisonSides
	for _, p := range plan {
		if p.docsA > 0 && p.docsB > 0 {
			withDocs = append(withDocs, p)
		}
	}
	if r.frameSums != nil && len(names) > 0 {
		if err := r.writeGroupFrames(ts, withDocs); err != nil {
			return err
		}
	}
	if len(plan) == 0 || r.eng.cfg.skip("keyness") {
		return nil
	}
	counts, err := r.featureCounts(vocab, X, model)
	if err != nil {
		return err
	}
	top, err := r.writeKeyness(ts, plan, counts, reference, sum)
	if err != nil {
		return err
	}
	var prevalence map[string][2][]float64
	if model != nil {
		if prevalence, err = r.writeTopicPrevalence(ts, withDocs, model, X); err != nil {
			return err
		}
	}
	return r.writeComparisonSummary(ts, plan, counts[FeatureTerm].groups, reference, top, prevalence, sum)
}

// writeTopicPrevalence writes topic_prevalence and returns each
// comparison's mean topic distributions of side A and side B, over the
// documents with topic weights of their own: a comparison with a side
// without any has no rows (and a null comparisons.jsd_topics).
func (r *reducer) writeTopicPrevalence(ts *tableSet, plan []comparisonSides, m *topics.Model, X *vectorize.CSR) (map[string][2][]float64, error) {
	docs := make([]compare.DocTopics, 0, len(r.states))
	groups := map[string]bool{} // the groups with topic weights
	for i, d := range r.states {
		if d.Failed || !hasTopicWeights(X, i) {
			continue
		}
		docs = append(docs, compare.DocTopics{ID: d.ID, Group: d.Group, Weights: m.DocTopic[i*m.K : (i+1)*m.K]})
		groups[d.Group] = true
	}
	labels := plainTopicLabels(m)
	_, a, err := openRows[output.TopicPrevalenceRow](ts, "topic_prevalence")
	if err != nil {
		return nil, err
	}
	bs := compare.Bootstrap{B: r.eng.cfg.Bootstrap.B, Seed: r.eng.cfg.Bootstrap.Seed, Level: r.eng.cfg.Bootstrap.Level, ExactDocs: r.eng.cfg.Bootstrap.ExactDocs}
	means := map[string][2][]float64{}
	// Indexed once for every comparison (TopicPrevalence sorts its input).
	tix, err := compare.NewTopicIndex(docs)
	if err != nil {
		return nil, err
	}
	for _, cs := range plan {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		if !sidesHaveTopics(cs, groups) {
			r.eng.log.Info("topic prevalence skipped: a side has no document with a counted term", "comparison", cs.cmp.Label())
			continue
		}
		prev, err := tix.Prevalence(cs.cmp, bs)
		if err != nil {
			return nil, err
		}
		var meanA, meanB []float64
		for _, p := range prev {
			a.Append(&output.TopicPrevalenceRow{Comparison: cs.cmp.Label(), GroupA: cs.a, GroupB: cs.b,
				Topic: int32(p.Topic), Label: labels[p.Topic], MeanA: p.MeanA, MeanB: p.MeanB, Diff: p.Diff,
				DiffLo: output.NullIfNaN(p.Lo), DiffHi: output.NullIfNaN(p.Hi),
				DocsA: int32(p.DocsA), DocsB: int32(p.DocsB), IntervalNote: intervalNote(p, bs)})
			meanA = append(meanA, p.MeanA)
			meanB = append(meanB, p.MeanB)
		}
		means[cs.cmp.Label()] = [2][]float64{meanA, meanB}
	}
	return means, ts.closeTable("topic_prevalence")
}

// Sides smaller than minSideDocs documents, or sizes further apart than
// maxSizeRatio, are warned of in comparisons.warnings.
const (
	minSideDocs  = 5
	maxSizeRatio = 10
)

// comparisonWarnings says what limits the claims of a comparison: sides
// too small to stand for a group, sides of very different sizes, no
// document-level test.
func comparisonWarnings(cs comparisonSides, test string) []string {
	var out []string
	side := func(name, label string, docs int) {
		if docs < minSideDocs {
			out = append(out, fmt.Sprintf("side %s (%s) has %d document(s), fewer than %d: its differences describe these documents, not a group", name, label, docs, minSideDocs))
		}
	}
	side("A", cs.a, cs.docsA)
	if !cs.reference {
		side("B", cs.b, cs.docsB)
		ratio := func(a, b int64) bool { return a > 0 && b > 0 && (a > maxSizeRatio*b || b > maxSizeRatio*a) }
		if ratio(int64(cs.docsA), int64(cs.docsB)) || ratio(cs.wordsA, cs.wordsB) {
			out = append(out, fmt.Sprintf("the sides differ in size more than %d× (%d vs %d documents, %d vs %d words): pooled counts follow the larger side, and the smaller side's estimates are noisier", maxSizeRatio, cs.docsA, cs.docsB, cs.wordsA, cs.wordsB))
		}
	}
	if test == compare.TestTokens && (cs.docsA < compare.MinDocsPerSide || cs.docsB < compare.MinDocsPerSide) {
		out = append(out, fmt.Sprintf("no document-level test (a side has fewer than %d documents): keyness is ordered by the token-level z, which counts every word as an independent draw; topics have no test and topic_prevalence no interval", compare.MinDocsPerSide))
	}
	return out
}

func (r *reducer) writeComparisonSummary(ts *tableSet, plan []comparisonSides, terms, reference *compare.Counts, top map[string][2][]string, prevalence map[string][2][]float64, sum *Summary) error {
	_, a, err := openRows[output.ComparisonRow](ts, "comparisons")
	if err != nil {
		return err
	}
	languages := sum.languageTotals()
	type result struct {
		v   float64
		err error
	}
	err = orderedMapWindow(r.ctx, len(plan), r.eng.cfg.Workers, smallResults, func(i int) result {
		cs := plan[i]
		switch {
		case cs.docsB > 0:
			v, err := compare.CountsJSD(terms, cs.cmp)
			return result{v, err}
		case cs.reference:
			v, err := referenceJSD(terms, reference, cs.cmp)
			return result{v, err}
		}
		// Declared groups of side B without an analysed document: no
		// counted term on that side.
		return result{0, compare.ErrEmptyDistribution}
	}, func(i int, res result) error {
		cs := plan[i]
		jsd, err := res.v, res.err
		if err != nil && !errors.Is(err, compare.ErrEmptyDistribution) {
			return err
		}
		label := cs.cmp.Label()
		row := output.ComparisonRow{Comparison: label, GroupA: cs.a, GroupB: cs.b,
			DocsA: int32(cs.docsA), DocsB: int32(cs.docsB), WordsA: cs.wordsA, WordsB: cs.wordsB,
			TopTermsA: top[label][0], TopTermsB: top[label][1]}
		if err == nil { // else null: a side without counted terms
			row.JSDTerms = output.Some(jsd)
		}
		if p, ok := prevalence[label]; ok { // else null, as for an empty distribution
			v, err := compare.JSD(p[0], p[1])
			switch {
			case err == nil:
				row.JSDTopics = output.Some(v)
			case !errors.Is(err, compare.ErrEmptyDistribution):
				return err
			}
		}
		test := r.keynessTest[label]
		if test == "" {
			test = compare.TestTokens
		}
		row.KeynessTest = test
		w := comparisonWarnings(cs, test)
		if lw := sum.languageWarning(cs, languages); lw != "" {
			w = append(w, lw)
		}
		row.Warnings = w
		a.Append(&row)
		for _, s := range w {
			sum.ComparisonWarnings = append(sum.ComparisonWarnings, label+": "+s)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return ts.closeTable("comparisons")
}

// distinctiveTerms is how many terms of each side the comparisons table
// lists (top_terms_a, top_terms_b).
const distinctiveTerms = 20

// distinctive picks the n highest-z terms of each side from rows in
// compare.Compare's order (z descending).
func distinctive(label, a, b string, rows []compare.Keyness, n int) []SideTerms {
	var ta, tb []string
	for i := 0; i < len(rows) && len(ta) < n; i++ {
		if rows[i].Stat > 0 {
			ta = append(ta, rows[i].Feature)
		}
	}
	for i := len(rows) - 1; i >= 0 && len(tb) < n; i-- {
		if rows[i].Stat < 0 {
			tb = append(tb, rows[i].Feature)
		}
	}
	return []SideTerms{{Comparison: label, Group: a, Terms: ta}, {Comparison: label, Group: b, Terms: tb}}
}

// referenceJSD is the Jensen–Shannon divergence of side A's terms and the
// reference corpus's.
func referenceJSD(terms, reference *compare.Counts, c compare.Comparison) (float64, error) {
	var both compare.Counts
	for _, g := range c.A {
		for _, f := range terms.Features(g) {
			both.Add("a", f, terms.Count(g, f))
		}
	}
	for _, g := range reference.Groups() {
		for _, f := range reference.Features(g) {
			both.Add("reference", f, reference.Count(g, f))
		}
	}
	return compare.CountsJSD(&both, compare.Pair("a", "reference"))
}

// readReference reads the term counts (terms.parquet: term, cf) of an
// earlier framelens run.
func readReference(dir string) (*compare.Counts, error) {
	path := filepath.Join(dir, "terms.parquet")
	f, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, fmt.Errorf("compare.reference: %w (give the output directory of a framelens run)", err)
	}
	defer f.Close()
	rd, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("compare.reference %s: %w", path, err)
	}
	tbl, err := rd.ReadTable(context.Background())
	if err != nil {
		return nil, fmt.Errorf("compare.reference %s: %w", path, err)
	}
	defer tbl.Release()
	ti, ci := tbl.Schema().FieldIndices("term"), tbl.Schema().FieldIndices("cf")
	if len(ti) != 1 || len(ci) != 1 {
		return nil, fmt.Errorf("compare.reference %s: no term and cf columns", path)
	}
	var c compare.Counts
	terms, cfs := tbl.Column(ti[0]).Data().Chunks(), tbl.Column(ci[0]).Data().Chunks()
	for k := range terms {
		ts, ok1 := terms[k].(*array.String)
		cs, ok2 := cfs[k].(*array.Int64)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("compare.reference %s: term must be utf8 and cf int64", path)
		}
		for i := 0; i < ts.Len(); i++ {
			c.Add("reference", ts.Value(i), cs.Value(i))
		}
	}
	return &c, nil
}

// sidesHaveTopics says whether each side of a comparison has a group with
// topic weights, in terms of the declared groups (the rest: any group not
// on side A).
func sidesHaveTopics(cs comparisonSides, groups map[string]bool) bool {
	var inA, inB bool
	onA := 0
	for _, g := range cs.cmp.A {
		if groups[g] {
			inA = true
			onA++
		}
	}
	switch {
	case cs.reference:
	case len(cs.cmp.B) > 0:
		for _, g := range cs.cmp.B {
			inB = inB || groups[g]
		}
	default:
		inB = len(groups) > onA
	}
	return inA && inB
}

// intervalNote says why a topic's prevalence difference has no interval
// ("" when it has one).
func intervalNote(p compare.Prevalence, bs compare.Bootstrap) string {
	switch {
	case !math.IsNaN(p.Lo):
		return ""
	case bs.B < 0:
		return "no interval: bootstrap.b < 0"
	case p.DocsA >= compare.MinDocsPerSide && p.DocsB >= compare.MinDocsPerSide:
		return "no interval: every resample gives the same difference (the topic has one weight in every document)"
	default:
		return fmt.Sprintf("no interval: side A has %d and side B %d documents; a bootstrap needs at least %d on each side (resampling one document always gives it back)", p.DocsA, p.DocsB, compare.MinDocsPerSide)
	}
}

// comparablePlan is the plan of comparisons over the analysed groups
// names: nil when there is nothing to compare (fewer than two groups, no
// declared comparison, no reference corpus). The comparisons stage and the
// registered analyses both take it.
func (r *reducer) comparablePlan(names []string, reference bool) ([]compare.Comparison, error) {
	if len(names) >= 2 || len(r.eng.cfg.Compare.Comparisons) > 0 || (reference && len(names) > 0) {
		return r.plan(names)
	}
	return nil, nil
}
