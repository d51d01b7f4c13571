package comparestage

import (
	"errors"
	"fmt"
	"math"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/ordered"
)

// writeTopicPrevalence writes topic_prevalence and returns each
// comparison's mean topic distributions of side A and side B, over the
// documents with topic weights of their own: a comparison with a side
// without any has no rows (and a null comparisons.jsd_topics).
func (r *reduction) writeTopicPrevalence(plan []Sides) (map[string][2][]float64, error) {
	m := r.in.Model
	docs := make([]compare.DocTopics, 0, len(r.in.Docs))
	groups := map[string]bool{} // the groups with topic weights
	for i, d := range r.in.Docs {
		if d.Failed || !r.hasTopicWeights(i) {
			continue
		}
		docs = append(docs, compare.DocTopics{ID: d.ID, Group: d.Group, Weights: m.DocTopic[i*m.K : (i+1)*m.K]})
		groups[d.Group] = true
	}
	labels := r.in.TopicLabels
	w, err := r.env.Writer("topic_prevalence")
	if err != nil {
		return nil, err
	}
	a, err := output.NewAppender[output.TopicPrevalenceRow](w)
	if err != nil {
		return nil, err
	}
	bs := r.set.Bootstrap
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
			r.env.Logger().Info("topic prevalence skipped: a side has no document with a counted term", "comparison", cs.Cmp.Label())
			continue
		}
		prev, err := tix.Prevalence(cs.Cmp, bs)
		if err != nil {
			return nil, err
		}
		var meanA, meanB []float64
		for _, p := range prev {
			a.Append(&output.TopicPrevalenceRow{Comparison: cs.Cmp.Label(), GroupA: cs.A, GroupB: cs.B,
				Topic: int32(p.Topic), Label: labels[p.Topic], MeanA: p.MeanA, MeanB: p.MeanB, Diff: p.Diff,
				DiffLo: output.NullIfNaN(p.Lo), DiffHi: output.NullIfNaN(p.Hi),
				DocsA: int32(p.DocsA), DocsB: int32(p.DocsB), IntervalNote: intervalNote(p, bs)})
			meanA = append(meanA, p.MeanA)
			meanB = append(meanB, p.MeanB)
		}
		means[cs.Cmp.Label()] = [2][]float64{meanA, meanB}
	}
	return means, w.Flush()
}

// sidesHaveTopics says whether each side of a comparison has a group with
// topic weights, in terms of the declared groups (the rest: any group not
// on side A).
func sidesHaveTopics(cs Sides, groups map[string]bool) bool {
	var inA, inB bool
	onA := 0
	for _, g := range cs.Cmp.A {
		if groups[g] {
			inA = true
			onA++
		}
	}
	switch {
	case cs.Reference:
	case len(cs.Cmp.B) > 0:
		for _, g := range cs.Cmp.B {
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

// Sides smaller than minSideDocs documents, or sizes further apart than
// maxSizeRatio, are warned of in comparisons.warnings.
const (
	minSideDocs  = 5
	maxSizeRatio = 10
)

// comparisonWarnings says what limits the claims of a comparison: sides
// too small to stand for a group, sides of very different sizes, no
// document-level test.
func comparisonWarnings(cs Sides, test string) []string {
	var out []string
	side := func(name, label string, docs int) {
		if docs < minSideDocs {
			out = append(out, fmt.Sprintf("side %s (%s) has %d document(s), fewer than %d: its differences describe these documents, not a group", name, label, docs, minSideDocs))
		}
	}
	side("A", cs.A, cs.DocsA)
	if !cs.Reference {
		side("B", cs.B, cs.DocsB)
		ratio := func(a, b int64) bool { return a > 0 && b > 0 && (a > maxSizeRatio*b || b > maxSizeRatio*a) }
		if ratio(int64(cs.DocsA), int64(cs.DocsB)) || ratio(cs.WordsA, cs.WordsB) {
			out = append(out, fmt.Sprintf("the sides differ in size more than %d× (%d vs %d documents, %d vs %d words): pooled counts follow the larger side, and the smaller side's estimates are noisier", maxSizeRatio, cs.DocsA, cs.DocsB, cs.WordsA, cs.WordsB))
		}
	}
	if test == compare.TestTokens && (cs.DocsA < compare.MinDocsPerSide || cs.DocsB < compare.MinDocsPerSide) {
		out = append(out, fmt.Sprintf("no document-level test (a side has fewer than %d documents): keyness is ordered by the token-level z, which counts every word as an independent draw; topics have no test and topic_prevalence no interval", compare.MinDocsPerSide))
	}
	return out
}

// writeComparisons writes the comparisons table: each comparison's sides,
// divergences, distinctive terms and warnings.
func (r *reduction) writeComparisons(plan []Sides, terms *compare.Counts, top map[string][2][]string, prevalence map[string][2][]float64) error {
	w, err := r.env.Writer("comparisons")
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.ComparisonRow](w)
	if err != nil {
		return err
	}
	languages := languageTotals(r.in.GroupLanguages)
	type result struct {
		v   float64
		err error
	}
	err = ordered.MapWindow(r.ctx, len(plan), r.env.Workers(), ordered.SmallResults, func(i int) result {
		cs := plan[i]
		switch {
		case cs.DocsB > 0:
			v, err := compare.CountsJSD(terms, cs.Cmp)
			return result{v, err}
		case cs.Reference:
			v, err := referenceJSD(terms, r.reference, cs.Cmp)
			return result{v, err}
		}
		// Declared groups of side B without an analysed document: no
		// counted term on that side.
		return result{0, compare.ErrEmptyDistribution}
	}, func(i int, res result) error {
		row, err := r.comparisonRow(plan[i], res.v, res.err, top, prevalence, languages)
		if err != nil {
			return err
		}
		a.Append(row)
		for _, s := range row.Warnings {
			r.env.ComparisonWarning(row.Comparison + ": " + s)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

// comparisonRow is the comparisons row of cs, whose terms' divergence is
// jsd (or err).
func (r *reduction) comparisonRow(cs Sides, jsd float64, err error, top map[string][2][]string, prevalence map[string][2][]float64, languages map[string]int) (*output.ComparisonRow, error) {
	if err != nil && !errors.Is(err, compare.ErrEmptyDistribution) {
		return nil, err
	}
	label := cs.Cmp.Label()
	row := &output.ComparisonRow{Comparison: label, GroupA: cs.A, GroupB: cs.B,
		DocsA: int32(cs.DocsA), DocsB: int32(cs.DocsB), WordsA: cs.WordsA, WordsB: cs.WordsB,
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
			return nil, err
		}
	}
	test := r.keynessTest[label]
	if test == "" {
		test = compare.TestTokens
	}
	row.KeynessTest = test
	ws := comparisonWarnings(cs, test)
	if lw := languageWarning(cs, r.in.GroupLanguages, languages); lw != "" {
		ws = append(ws, lw)
	}
	row.Warnings = ws
	return row, nil
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

// languageWarning is the comparisons.warnings entry of a comparison whose
// sides differ in language (compare.LanguageWarning), "" otherwise or for
// a reference corpus, whose language is not known. byGroup counts the
// documents of each group by language.
//
// all is languageTotals(byGroup): the rest is it less side A, in time of
// side A's groups (a plan of 10,000 groups each against the rest visited
// every group for each).
func languageWarning(cs Sides, byGroup map[string]map[string]int, all map[string]int) string {
	if cs.Reference {
		return ""
	}
	onA := map[string]bool{}
	a, b := map[string]int{}, map[string]int{}
	add := func(side map[string]int, g string) {
		for l, n := range byGroup[g] {
			side[l] += n
		}
	}
	for _, g := range cs.Cmp.A {
		if !onA[g] {
			onA[g] = true
			add(a, g)
		}
	}
	if len(cs.Cmp.B) > 0 {
		for _, g := range cs.Cmp.B {
			if !onA[g] {
				add(b, g)
			}
		}
	} else {
		for l, n := range all { // the rest: every group less side A
			if n -= a[l]; n != 0 {
				b[l] = n
			}
		}
	}
	return compare.LanguageWarning(a, b)
}

// languageTotals counts the documents of every group by language.
func languageTotals(byGroup map[string]map[string]int) map[string]int {
	all := map[string]int{}
	for _, m := range byGroup {
		for l, n := range m {
			all[l] += n
		}
	}
	return all
}
