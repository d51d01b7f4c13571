package pipeline

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"math"
	"slices"
	"sort"
	"strings"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

// minNGramCount is the least number of occurrences in the corpus of an
// n-gram that keyness compares.
const minNGramCount = 5

// Past largeCorpusDocs documents, key phrases and entities seen fewer than
// largeMinCount times in the corpus are not compared either: they are most
// of the features of a large corpus, statistically mute, and every feature
// costs every comparison.
const (
	largeCorpusDocs = 1000
	largeMinCount   = 5
)

// minCount is the least corpus count of a feature of a kind that keyness
// compares.
func (r *reducer) minCount(kind string) int64 {
	switch {
	case kind == FeatureNGram:
		return minNGramCount
	case kind == FeatureTerm || kind == FeatureTopic:
		return 1
	case len(r.states) > largeCorpusDocs:
		return largeMinCount
	}
	return 1
}

// Feature kinds of the keyness table.
const (
	FeatureTerm      = "term"
	FeatureNGram     = "ngram"
	FeatureKeyphrase = "keyphrase"
	FeatureEntity    = "entity"
	FeatureTopic     = "topic"
)

// plan returns the run's comparisons over the groups seen.
func (r *reducer) plan(groups []string) ([]compare.Comparison, error) {
	cc := r.eng.cfg.Compare
	if cc.Reference != "" && len(cc.Comparisons) == 0 && cc.Plan == "" {
		// Every group against the reference corpus.
		out := make([]compare.Comparison, len(groups))
		for i, g := range groups {
			out[i] = compare.Comparison{Name: g + " vs reference", A: []string{g}}
		}
		return out, nil
	}
	if len(cc.Comparisons) > 0 {
		out := make([]compare.Comparison, len(cc.Comparisons))
		for i, s := range cc.Comparisons {
			out[i] = compare.Comparison{Name: s.Name, A: s.A, B: s.B}
		}
		return out, nil
	}
	return compare.BuildPlan(cc.Plan, groups)
}

// kindCounts are a feature kind's per-document counts and their sums by
// group, which keyness compares: one is the sum of the other.
type kindCounts struct {
	groups *compare.Counts
	docs   *compare.DocCounts
}

// newDocCounts registers every document of the run, in order: the
// analysed ones for which in says so with their group and words, the
// others outside every side (failed documents are in no group).
func (r *reducer) newDocCounts(in func(i int) bool) *compare.DocCounts {
	dc := &compare.DocCounts{}
	for i, d := range r.states {
		switch {
		case d.Failed:
			dc.AddDocOutside(d.Group, false)
		case in != nil && !in(i):
			dc.AddDocOutside(d.Group, true)
		default:
			dc.AddDoc(d.Group, int64(d.Words))
		}
	}
	return dc
}

// featureCounts builds the per-document and per-group counts of every
// feature kind. Each kind's group counts are the sums of its document
// counts, which are those of a table: tfidf (term), entity_mentions
// (entity), doc_topics × documents.n_words (topic), the occurrences of the
// keyphrases table's phrases in the text (keyphrase, see countKeyphrases)
// and the n-grams of the documents' term forms (ngram).
func (r *reducer) featureCounts(vocab *vectorize.Vocabulary, X *vectorize.CSR, model *topics.Model) (map[string]kindCounts, error) {
	docs := map[string]*compare.DocCounts{}
	if r.kpDocs != nil {
		docs[FeatureKeyphrase] = r.kpDocs
		r.kpDocs = nil
	}
	if !r.eng.cfg.skip("entities") {
		docs[FeatureEntity] = r.entityDocs
		if docs[FeatureEntity] == nil {
			docs[FeatureEntity] = r.newDocCounts(nil)
		}
	}
	terms := r.newDocCounts(nil)
	for i := range r.states {
		ids, counts := X.Row(i)
		for k, j := range ids {
			terms.Add(i, vocab.Terms[j].Term, int64(counts[k]))
		}
	}
	docs[FeatureTerm] = terms
	if r.ngrams != nil {
		ng, err := r.countNGrams()
		if err != nil {
			return nil, err
		}
		docs[FeatureNGram] = ng
	}
	if model != nil {
		// A topic's "count" in a document is the words the model gives it;
		// a document without a counted term has no topic weights of its
		// own (1/K everywhere): it is on no side.
		labels := topicLabels(model)
		tc := r.newDocCounts(func(i int) bool { return hasTopicWeights(X, i) })
		for i, d := range r.states {
			if d.Failed || !hasTopicWeights(X, i) {
				continue
			}
			for t := 0; t < model.K; t++ {
				tc.Add(i, labels[t], topicWords(model.DocTopic[i*model.K+t], d.Words))
			}
		}
		docs[FeatureTopic] = tc
	}
	out := make(map[string]kindCounts, len(docs))
	for kind, dc := range docs {
		// Features below a kind's minimum corpus count are dropped here,
		// so that no comparison visits them.
		out[kind] = kindCounts{groups: dc.GroupCounts(r.minCount(kind)), docs: dc}
	}
	return out, nil
}

// kindSeed separates the permutation streams of feature kinds.
func kindSeed(kind string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	return h.Sum64()
}

// topicWords is a topic's count in a document: its weight times the
// document's words, rounded half away from zero (doc_topics.weight ×
// documents.n_words).
func topicWords(weight float64, words int) int64 {
	return int64(math.Round(weight * float64(words)))
}

// countNGrams counts, in each document, the 2- and 3-grams seen at least
// minNGramCount times in the corpus, from the documents' runs of term
// forms: the n-grams vectorize counts, recounted per document.
func (r *reducer) countNGrams() (*compare.DocCounts, error) {
	total := make([]int64, len(r.ngramNames))
	for _, m := range r.ngrams {
		for t, n := range m {
			total[t] += n
		}
	}
	formID := make(map[string]int32, len(r.formNames))
	for i, f := range r.formNames {
		formID[f] = int32(i)
	}
	// N-grams by their forms' run-wide ids; a word never seen as a form
	// cannot occur.
	type key [3]int32
	want := map[key]string{}
	for t, name := range r.ngramNames {
		if total[t] < minNGramCount {
			continue
		}
		k := key{-1, -1, -1}
		ok := true
		for i, w := range strings.Split(name, " ") {
			id, seen := formID[w]
			if !seen || i > 2 {
				ok = false
				break
			}
			k[i] = id
		}
		if ok {
			want[k] = name
		}
	}
	r.ngrams, r.ngramNames = nil, nil
	dc := r.newDocCounts(nil)
	err := r.eachSide(sideForms, func(i int, d *docState, s docSide) error {
		if d.Failed {
			return nil
		}
		runs := s.FormRuns
		for ri, start := range runs {
			end := int32(len(s.Forms))
			if ri+1 < len(runs) {
				end = runs[ri+1]
			}
			for j := start; j < end; j++ {
				for n := int32(2); n <= 3 && j+n <= end; n++ {
					k := key{s.Forms[j], s.Forms[j+1], -1}
					if n == 3 {
						k[2] = s.Forms[j+2]
					}
					if name, ok := want[k]; ok {
						dc.Add(i, name, 1)
					}
				}
			}
		}
		return nil
	})
	return dc, err
}

// topicLabels names topics "3: visa, security, sanction" (keyness features).
func topicLabels(m *topics.Model) []string {
	out := plainTopicLabels(m)
	for t := range out {
		out[t] = fmt.Sprintf("%d: %s", t, out[t])
	}
	return out
}

// plainTopicLabels are the topics' three top-ranked terms, as topics.label.
func plainTopicLabels(m *topics.Model) []string {
	top := m.TopTerms(3)
	out := make([]string, m.K)
	for t := range out {
		out[t] = strings.Join(top[t], ", ")
	}
	return out
}

// comparisonSides is a comparison of the plan with its two sides worked
// out once: their labels, which groups are on each, and the analysed
// documents and words of this corpus on each. Every table of the
// comparison reads its sides from here.
type comparisonSides struct {
	cmp  compare.Comparison
	a, b string // labels: "x+y"; side B "rest" or "reference" when no group is declared
	// reference says side B is the reference corpus (compare.reference,
	// and no groups declared for B): no group of this corpus is on it.
	reference bool
	// docsA, docsB, wordsA and wordsB count the analysed (not failed)
	// documents of this corpus on each side and their words.
	docsA, docsB   int
	wordsA, wordsB int64
}

// newComparisonSides works out the sides of c over the analysed groups,
// whose documents and words are tallied by group.
func newComparisonSides(c compare.Comparison, reference bool, groups []string, tally map[string]groupTally) comparisonSides {
	return newGroupTallies(groups, tally).sides(c, reference)
}

// groupTallies are the analysed groups' tallies with their sum, so that
// each comparison's sides cost its declared groups, not every group (the
// rest is the sum less side A): each of 10,000 groups against the rest.
type groupTallies struct {
	tally map[string]groupTally // the analysed groups only
	all   groupTally
}

func newGroupTallies(groups []string, tally map[string]groupTally) *groupTallies {
	gt := &groupTallies{tally: make(map[string]groupTally, len(groups))}
	for _, g := range groups {
		if _, dup := gt.tally[g]; dup {
			continue
		}
		t := tally[g]
		gt.tally[g] = t
		gt.all.docs += t.docs
		gt.all.words += t.words
	}
	return gt
}

// sides works out the sides of c. A group declared on both sides (which
// Config.validate refuses) counts on side A.
func (gt *groupTallies) sides(c compare.Comparison, reference bool) comparisonSides {
	cs := comparisonSides{cmp: c, a: strings.Join(c.A, "+"), b: "rest", reference: reference && len(c.B) == 0}
	switch {
	case len(c.B) > 0:
		cs.b = strings.Join(c.B, "+")
	case cs.reference:
		cs.b = "reference"
	}
	seen := map[string]bool{}
	for _, g := range c.A {
		if t, ok := gt.tally[g]; ok && !seen[g] {
			seen[g] = true
			cs.docsA += t.docs
			cs.wordsA += t.words
		}
	}
	switch {
	case cs.reference:
	case len(c.B) > 0:
		for _, g := range c.B {
			if t, ok := gt.tally[g]; ok && !seen[g] {
				seen[g] = true
				cs.docsB += t.docs
				cs.wordsB += t.words
			}
		}
	default:
		cs.docsB = gt.all.docs - cs.docsA
		cs.wordsB = gt.all.words - cs.wordsA
	}
	return cs
}

// onA says whether group g is on side A.
func (cs *comparisonSides) onA(g string) bool { return slices.Contains(cs.cmp.A, g) }

// onB says whether group g is on side B: one of the declared groups of B,
// or, when none are declared, any group not on side A (the rest) — none
// when side B is the reference corpus. No group is declared on both sides:
// Config.validate refuses such a comparison before the run starts.
func (cs *comparisonSides) onB(g string) bool {
	switch {
	case cs.reference:
		return false
	case len(cs.cmp.B) > 0:
		return slices.Contains(cs.cmp.B, g)
	}
	return !cs.onA(g)
}

// haveCounts reports whether both sides have counts of a feature kind:
// c's groups on each side, or the reference corpus's counts for side B.
func (cs *comparisonSides) haveCounts(c, reference *compare.Counts) bool {
	var a, b int64
	for _, g := range cs.cmp.A {
		a += c.Total(g)
	}
	switch {
	case cs.reference:
		if reference != nil {
			for _, g := range reference.Groups() {
				b += reference.Total(g)
			}
		}
	case len(cs.cmp.B) > 0:
		for _, g := range cs.cmp.B {
			b += c.Total(g)
		}
	default:
		// The rest: every group's count but A's (a sum over groups would
		// cost every group for each of as many comparisons).
		b = c.GrandTotal() - a
	}
	return a > 0 && b > 0
}

// groupTally is the analysed documents of a group and their words.
type groupTally struct {
	docs  int
	words int64
}

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
	if len(names) >= 2 || len(r.eng.cfg.Compare.Comparisons) > 0 || (reference != nil && len(names) > 0) {
		cmps, err := r.plan(names)
		if err != nil {
			return err
		}
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

func (r *reducer) writeKeyness(ts *tableSet, plan []comparisonSides, counts map[string]kindCounts, reference *compare.Counts, sum *Summary) (map[string][2][]string, error) {
	w, err := ts.writer("keyness", nil)
	if err != nil {
		return nil, err
	}
	c := output.ColsOf(w)
	cmpName, ga, gb, kind, feature := c.Str("comparison"), c.Str("group_a"), c.Str("group_b"), c.Str("feature_kind"), c.Str("feature")
	ca, cb, ra, rb := c.Int64("count_a"), c.Int64("count_b"), c.Float64("rate_a"), c.Float64("rate_b")
	lo, z, g2, p, padj, lr, side := c.Float64("log_odds"), c.Float64OrNull("z"), c.Float64OrNull("g2"), c.Float64OrNull("p"), c.Float64OrNull("p_adj"), c.Float64("log_ratio"), c.Str("side")
	docsA, docsB, dpA, dpB := c.Int32("docs_a"), c.Int32("docs_b"), c.Float64OrNull("dp_a"), c.Float64OrNull("dp_b")
	docT, docP, docPAdj, conc := c.Float64OrNull("doc_t"), c.Float64OrNull("doc_p"), c.Float64OrNull("doc_p_adj"), c.Bool("concentrated")
	top := map[string][2][]string{}
	r.keynessTest = map[string]string{}
	kinds := []string{FeatureTerm, FeatureNGram, FeatureKeyphrase, FeatureEntity, FeatureTopic}
	// Comparisons are computed on every worker and written in plan order:
	// the same bytes whatever the number of workers, and memory for a few
	// comparisons' rows only.
	type job struct {
		cs   comparisonSides
		kind string
		rows []compare.Keyness
		err  error
	}
	var jobs []*job
	for _, cs := range plan {
		for _, k := range kinds {
			if counts[k].groups != nil {
				jobs = append(jobs, &job{cs: cs, kind: k})
			}
		}
	}
	maxFeatures := r.eng.cfg.Compare.MaxFeatures
	if maxFeatures == 0 {
		maxFeatures = 2000
	}
	jobKinds := make([]string, len(jobs))
	for i, j := range jobs {
		jobKinds[i] = j.kind
	}
	maxFeatures = r.capKeynessRows(jobKinds, counts, maxFeatures)
	compute := func(j *job) {
		fc := counts[j.kind].groups
		kc := r.eng.cfg.Compare.Keyness
		kc.Reference = reference
		kc.Docs = counts[j.kind].docs
		// Each comparison and kind permutes its own seeded stream.
		kc.Seed = r.eng.cfg.Bootstrap.Seed ^ kindSeed(j.kind)
		// Words a topic model gives a topic are not independent draws:
		// topics are tested over documents only.
		kc.DocumentsOnly = j.kind == FeatureTopic
		if maxFeatures > 0 {
			// Enough rows for the table and for each side's distinctive
			// terms; the p-values are adjusted over every feature.
			kc.Keep = max(maxFeatures, 2*distinctiveTerms)
		}
		if j.kind == FeatureNGram {
			kc.MinCount = max(kc.MinCount, minNGramCount)
		}
		if j.kind != FeatureTerm {
			if j.cs.docsB == 0 {
				return // only terms can be compared with a reference corpus
			}
			kc.Reference = nil // the reference corpus counts terms only
			if kc.Prior == compare.PriorReference {
				kc.Prior = compare.PriorPooled
			}
		}
		if !j.cs.haveCounts(fc, kc.Reference) {
			return // e.g. no entity in either side: nothing to compare
		}
		j.rows, j.err = compare.Compare(fc, j.cs.cmp, kc)
	}
	err = orderedMap(r.ctx, len(jobs), r.eng.cfg.Workers, func(i int) *job {
		j := jobs[i]
		compute(j)
		return j
	}, func(_ int, j *job) error {
		if j.err != nil {
			return j.err
		}
		cs, k := j.cs, j.kind
		kept := j.rows // sorted by z, highest first
		if maxFeatures > 0 && len(kept) > maxFeatures {
			half := maxFeatures / 2
			kept = append(kept[:half:half], kept[len(kept)-half:]...)
		}
		for _, row := range kept {
			cmpName(cs.cmp.Label())
			ga(cs.a)
			gb(cs.b)
			kind(k)
			feature(row.Feature)
			ca(row.CountA)
			cb(row.CountB)
			ra(row.RateA)
			rb(row.RateB)
			lo(row.LogOdds)
			z(row.Z)
			g2(row.G2)
			p(row.P)
			padj(row.PAdj)
			lr(row.LogRatio)
			docsA(int32(row.DocsA))
			docsB(int32(row.DocsB))
			dpA(row.DPA)
			dpB(row.DPB)
			docT(row.DocT)
			docP(row.DocP)
			docPAdj(row.DocPAdj)
			conc(row.Concentrated)
			if row.Stat >= 0 {
				side(cs.a)
			} else {
				side(cs.b)
			}
		}
		if k == FeatureTerm && j.rows != nil {
			r.keynessTest[cs.cmp.Label()] = compare.TestTokens
			if r.eng.cfg.Compare.Keyness.Test != compare.TestTokens && len(j.rows) > 0 && !math.IsNaN(j.rows[0].DocP) {
				r.keynessTest[cs.cmp.Label()] = compare.TestDocuments
			}
			d := distinctive(cs.cmp.Label(), cs.a, cs.b, j.rows, distinctiveTerms)
			top[cs.cmp.Label()] = [2][]string{d[0].Terms, d[1].Terms}
			for _, side := range d {
				side.Terms = side.Terms[:min(5, len(side.Terms))]
				sum.Distinctive = append(sum.Distinctive, side)
			}
		}
		j.rows = nil
		return w.Flush()
	})
	if err != nil {
		return nil, err
	}
	return top, ts.closeTable("keyness")
}

// defaultMaxRows is compare.max_rows when not set.
const defaultMaxRows = 2_000_000

// capKeynessRows returns the rows each comparison and feature kind may
// write (compare.max_features, -1 for all), given each job's (comparison
// and kind's) feature kind: fewer when the plan would
// write more than compare.max_rows keyness rows in all, shared equally
// (an even number, at least 2: one a side).
func (r *reducer) capKeynessRows(jobs []string, counts map[string]kindCounts, maxFeatures int) int {
	maxRows := r.eng.cfg.Compare.MaxRows
	if maxRows == 0 {
		maxRows = defaultMaxRows
	}
	if maxRows < 0 || len(jobs) == 0 {
		return maxFeatures
	}
	var rows int64
	for _, kind := range jobs {
		n := int64(counts[kind].groups.NumFeatures())
		if maxFeatures > 0 {
			n = min(n, int64(maxFeatures))
		}
		rows += n
	}
	if rows <= int64(maxRows) {
		return maxFeatures
	}
	per := max(2, maxRows/len(jobs)&^1)
	r.eng.log.Warn("keyness: the plan would write more rows than compare.max_rows; each comparison keeps fewer features",
		"comparisons_x_kinds", len(jobs), "rows_up_to", rows, "max_rows", maxRows, "max_features", per,
		"fix", "raise compare.max_rows (-1: no bound), or compare fewer groups (compare.plan, compare.comparisons)")
	return per
}

// hasTopicWeights says whether document i of the count matrix X has topic
// weights of its own: a document without a counted term (no words, or only
// numbers and stop words) gets 1/K on every topic from the model, a
// placeholder that must not count as a document's topic distribution.
func hasTopicWeights(X *vectorize.CSR, i int) bool { return X.Ptr[i+1] > X.Ptr[i] }

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
	w, err := ts.writer("topic_prevalence", nil)
	if err != nil {
		return nil, err
	}
	c := output.ColsOf(w)
	cmpName, ga, gb, topic, label := c.Str("comparison"), c.Str("group_a"), c.Str("group_b"), c.Int32("topic"), c.Str("label")
	ma, mb, diff, lo, hi, da, db := c.Float64("mean_a"), c.Float64("mean_b"), c.Float64("diff"), c.Float64OrNull("diff_lo"), c.Float64OrNull("diff_hi"), c.Int32("docs_a"), c.Int32("docs_b")
	note := c.Str("interval_note")
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
		// Whether each side has a group with topic weights, in time of the
		// declared groups (the rest: any group not on side A).
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
		if !inA || !inB {
			r.eng.log.Info("topic prevalence skipped: a side has no document with a counted term", "comparison", cs.cmp.Label())
			continue
		}
		prev, err := tix.Prevalence(cs.cmp, bs)
		if err != nil {
			return nil, err
		}
		var meanA, meanB []float64
		for _, p := range prev {
			cmpName(cs.cmp.Label())
			ga(cs.a)
			gb(cs.b)
			topic(int32(p.Topic))
			label(labels[p.Topic])
			ma(p.MeanA)
			mb(p.MeanB)
			diff(p.Diff)
			lo(p.Lo)
			hi(p.Hi)
			da(int32(p.DocsA))
			db(int32(p.DocsB))
			switch {
			case !math.IsNaN(p.Lo):
				note("")
			case bs.B < 0:
				note("no interval: bootstrap.b < 0")
			case p.DocsA >= compare.MinDocsPerSide && p.DocsB >= compare.MinDocsPerSide:
				note("no interval: every resample gives the same difference (the topic has one weight in every document)")
			default:
				note(fmt.Sprintf("no interval: side A has %d and side B %d documents; a bootstrap needs at least %d on each side (resampling one document always gives it back)", p.DocsA, p.DocsB, compare.MinDocsPerSide))
			}
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
	w, err := ts.writer("comparisons", nil)
	if err != nil {
		return err
	}
	c := output.ColsOf(w)
	name, ga, gb, da, db, wa, wb := c.Str("comparison"), c.Str("group_a"), c.Str("group_b"), c.Int32("docs_a"), c.Int32("docs_b"), c.Int64("words_a"), c.Int64("words_b")
	ta, tb, jt, jtop, jtopNull := c.Strings("top_terms_a"), c.Strings("top_terms_b"), c.Float64("jsd_terms"), c.Float64("jsd_topics"), c.Null("jsd_topics")
	jtNull := c.Null("jsd_terms")
	ktest, warns := c.Str("keyness_test"), c.Strings("warnings")
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
		name(label)
		ga(cs.a)
		gb(cs.b)
		da(int32(cs.docsA))
		db(int32(cs.docsB))
		wa(cs.wordsA)
		wb(cs.wordsB)
		ta(top[label][0])
		tb(top[label][1])
		if err != nil {
			jtNull() // a side without counted terms
		} else {
			jt(jsd)
		}
		if p, ok := prevalence[label]; ok {
			v, err := compare.JSD(p[0], p[1])
			switch {
			case errors.Is(err, compare.ErrEmptyDistribution):
				jtopNull()
			case err != nil:
				return err
			default:
				jtop(v)
			}
		} else {
			jtopNull()
		}
		test := r.keynessTest[label]
		if test == "" {
			test = compare.TestTokens
		}
		ktest(test)
		w := comparisonWarnings(cs, test)
		if lw := sum.languageWarning(cs); lw != "" {
			w = append(w, lw)
		}
		warns(w)
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
