package comparestage

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/ordered"
)

// Past largeCorpusDocs documents, key phrases and entities seen fewer than
// largeMinCount times in the corpus are not compared either: they are most
// of the features of a large corpus, statistically mute, and every feature
// costs every comparison.
const (
	largeCorpusDocs = 1000
	largeMinCount   = 5
)

// defaultMaxRows is compare.max_rows when not set.
const defaultMaxRows = 2_000_000

// distinctiveTerms is how many terms of each side the comparisons table
// lists (top_terms_a, top_terms_b).
const distinctiveTerms = 20

// reduction is one Reduce of the stage.
type reduction struct {
	ctx       context.Context
	set       Settings
	env       Env
	in        *Earlier
	reference *compare.Counts
	// keynessTest is, by comparison, what ordered its keyness rows
	// (compare.TestDocuments or TestTokens).
	keynessTest map[string]string
}

// run writes the three tables of a plan with comparisons.
func (r *reduction) run(p *NGrams, plan []Sides) error {
	// Frame and topic differences need documents on both sides; a group
	// against a reference corpus has them only when other groups exist, a
	// declared comparison only when its groups have analysed documents.
	var withDocs []Sides
	for _, s := range plan {
		if s.DocsA > 0 && s.DocsB > 0 {
			withDocs = append(withDocs, s)
		}
	}
	counts, err := r.featureCounts(p)
	if err != nil {
		return err
	}
	top, err := r.writeKeyness(plan, counts)
	if err != nil {
		return err
	}
	var prevalence map[string][2][]float64
	if r.in.Model != nil {
		if prevalence, err = r.writeTopicPrevalence(withDocs); err != nil {
			return err
		}
	}
	return r.writeComparisons(plan, counts[FeatureTerm].groups, top, prevalence)
}

// kindCounts are a feature kind's per-document counts and their sums by
// group, which keyness compares: one is the sum of the other.
type kindCounts struct {
	groups *compare.Counts
	docs   *compare.DocCounts
}

// minCount is the least corpus count of a feature of a kind that keyness
// compares.
func (r *reduction) minCount(kind string) int64 {
	switch {
	case kind == FeatureNGram:
		return minNGramCount
	case kind == FeatureTerm || kind == FeatureTopic:
		return 1
	case len(r.in.Docs) > largeCorpusDocs:
		return largeMinCount
	}
	return 1
}

// featureCounts builds the per-document and per-group counts of every
// feature kind. Each kind's group counts are the sums of its document
// counts, which are those of a table: tfidf (term), entity_mentions
// (entity), doc_topics × documents.n_words (topic), the occurrences of the
// keyphrases table's phrases in the text (keyphrase) and the n-grams of
// the documents' term forms (ngram).
func (r *reduction) featureCounts(p *NGrams) (map[string]kindCounts, error) {
	in := r.in
	docs := map[string]*compare.DocCounts{}
	if in.Keyphrases != nil {
		docs[FeatureKeyphrase] = in.Keyphrases
	}
	if in.Entities != nil {
		docs[FeatureEntity] = in.Entities
	}
	terms := NewDocCounts(in.Docs, nil)
	for i := range in.Docs {
		ids, counts := in.Counts.Row(i)
		for k, j := range ids {
			terms.Add(i, in.Vocab.Terms[j].Term, int64(counts[k]))
		}
	}
	docs[FeatureTerm] = terms
	run := p.total()
	p.run, p.Groups = nil, nil // countNGrams lets it go once it has picked the n-grams
	if run != nil && len(run.groups) > 0 {
		ng, err := countNGrams(r.ctx, run, r.env, in.Docs)
		if err != nil {
			return nil, err
		}
		docs[FeatureNGram] = ng
	}
	if m := in.Model; m != nil {
		// A topic's "count" in a document is the words the model gives it;
		// a document without a counted term has no topic weights of its
		// own (1/K everywhere): it is on no side.
		labels := r.topicLabels()
		tc := NewDocCounts(in.Docs, r.hasTopicWeights)
		for i, d := range in.Docs {
			if d.Failed || !r.hasTopicWeights(i) {
				continue
			}
			for t := 0; t < m.K; t++ {
				tc.Add(i, labels[t], topicWords(m.DocTopic[i*m.K+t], d.Words))
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

// hasTopicWeights says whether document i has topic weights of its own: a
// document without a counted term (no words, or only numbers and stop
// words) gets 1/K on every topic from the model, a placeholder that must
// not count as a document's topic distribution.
func (r *reduction) hasTopicWeights(i int) bool {
	X := r.in.Counts
	return X.Ptr[i+1] > X.Ptr[i]
}

// topicLabels names topics "3: visa, security, sanction" (keyness
// features).
func (r *reduction) topicLabels() []string {
	out := make([]string, len(r.in.TopicLabels))
	for t, l := range r.in.TopicLabels {
		out[t] = fmt.Sprintf("%d: %s", t, l)
	}
	return out
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

// keynessJob is one comparison and feature kind, computed on a worker.
type keynessJob struct {
	cs   Sides
	kind string
	rows []compare.Keyness
	err  error
}

// writeKeyness writes the keyness table and returns each comparison's
// sides' most distinctive terms.
func (r *reduction) writeKeyness(plan []Sides, counts map[string]kindCounts) (map[string][2][]string, error) {
	w, err := r.env.Writer("keyness")
	if err != nil {
		return nil, err
	}
	a, err := output.NewAppender[output.KeynessRow](w)
	if err != nil {
		return nil, err
	}
	top := map[string][2][]string{}
	r.keynessTest = map[string]string{}
	// Comparisons are computed on every worker and written in plan order:
	// the same bytes whatever the number of workers, and memory for a few
	// comparisons' rows only.
	var jobs []*keynessJob
	var jobKinds []string
	for _, cs := range plan {
		for _, k := range []string{FeatureTerm, FeatureNGram, FeatureKeyphrase, FeatureEntity, FeatureTopic} {
			if counts[k].groups != nil {
				jobs = append(jobs, &keynessJob{cs: cs, kind: k})
				jobKinds = append(jobKinds, k)
			}
		}
	}
	maxFeatures := r.set.MaxFeatures
	if maxFeatures == 0 {
		maxFeatures = 2000
	}
	maxFeatures = r.capKeynessRows(jobKinds, counts, maxFeatures)
	err = ordered.Map(r.ctx, len(jobs), r.env.Workers(), func(i int) *keynessJob {
		r.computeKeyness(jobs[i], counts, maxFeatures)
		return jobs[i]
	}, func(_ int, j *keynessJob) error {
		if j.err != nil {
			return j.err
		}
		kept := j.rows // sorted by z, highest first
		if maxFeatures > 0 && len(kept) > maxFeatures {
			half := maxFeatures / 2
			kept = append(kept[:half:half], kept[len(kept)-half:]...)
		}
		for _, row := range kept {
			a.Append(keynessRow(j.cs, j.kind, row))
		}
		if j.kind == FeatureTerm && j.rows != nil {
			r.noteDistinctive(j, top)
		}
		j.rows = nil
		return w.Flush()
	})
	return top, err
}

// computeKeyness compares the job's sides on its feature kind.
func (r *reduction) computeKeyness(j *keynessJob, counts map[string]kindCounts, maxFeatures int) {
	fc := counts[j.kind].groups
	kc := r.set.Keyness
	kc.Reference = r.reference
	kc.Docs = counts[j.kind].docs
	// Each comparison and kind permutes its own seeded stream.
	kc.Seed = r.set.Bootstrap.Seed ^ kindSeed(j.kind)
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
		if j.cs.DocsB == 0 {
			return // only terms can be compared with a reference corpus
		}
		kc.Reference = nil // the reference corpus counts terms only
		if kc.Prior == compare.PriorReference {
			kc.Prior = compare.PriorPooled
		}
	}
	if !j.cs.HaveCounts(fc, kc.Reference) {
		return // e.g. no entity in either side: nothing to compare
	}
	j.rows, j.err = compare.Compare(fc, j.cs.Cmp, kc)
}

// noteDistinctive records a comparison's test and its sides' most
// distinctive terms, for the comparisons table and the summary.
func (r *reduction) noteDistinctive(j *keynessJob, top map[string][2][]string) {
	cs := j.cs
	label := cs.Cmp.Label()
	r.keynessTest[label] = compare.TestTokens
	if r.set.Keyness.Test != compare.TestTokens && len(j.rows) > 0 && !math.IsNaN(j.rows[0].DocP) {
		r.keynessTest[label] = compare.TestDocuments
	}
	ta, tb := distinctive(j.rows, distinctiveTerms)
	top[label] = [2][]string{ta, tb}
	r.env.Distinctive(label, cs.A, ta[:min(5, len(ta))])
	r.env.Distinctive(label, cs.B, tb[:min(5, len(tb))])
}

// distinctive picks the n highest-z terms of each side from rows in
// compare.Compare's order (z descending).
func distinctive(rows []compare.Keyness, n int) (a, b []string) {
	for i := 0; i < len(rows) && len(a) < n; i++ {
		if rows[i].Stat > 0 {
			a = append(a, rows[i].Feature)
		}
	}
	for i := len(rows) - 1; i >= 0 && len(b) < n; i-- {
		if rows[i].Stat < 0 {
			b = append(b, rows[i].Feature)
		}
	}
	return a, b
}

// keynessRow is one keyness row.
func keynessRow(cs Sides, kind string, row compare.Keyness) *output.KeynessRow {
	side := cs.B
	if row.Stat >= 0 {
		side = cs.A
	}
	return &output.KeynessRow{
		Comparison: cs.Cmp.Label(), GroupA: cs.A, GroupB: cs.B, FeatureKind: kind, Feature: row.Feature,
		CountA: row.CountA, CountB: row.CountB, RateA: row.RateA, RateB: row.RateB, LogOdds: row.LogOdds,
		Z: output.NullIfNaN(row.Z), G2: output.NullIfNaN(row.G2), P: output.NullIfNaN(row.P), PAdj: output.NullIfNaN(row.PAdj),
		LogRatio: row.LogRatio, Side: side, DocsA: int32(row.DocsA), DocsB: int32(row.DocsB),
		DpA: output.NullIfNaN(row.DPA), DpB: output.NullIfNaN(row.DPB),
		DocT: output.NullIfNaN(row.DocT), DocP: output.NullIfNaN(row.DocP), DocPAdj: output.NullIfNaN(row.DocPAdj),
		Concentrated: row.Concentrated,
	}
}

// capKeynessRows returns the rows each comparison and feature kind may
// write (compare.max_features, -1 for all), given each job's (comparison
// and kind's) feature kind: fewer when the plan would write more than
// compare.max_rows keyness rows in all, shared equally (an even number, at
// least 2: one a side).
func (r *reduction) capKeynessRows(jobs []string, counts map[string]kindCounts, maxFeatures int) int {
	maxRows := r.set.MaxRows
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
	r.env.Logger().Warn("keyness: the plan would write more rows than compare.max_rows; each comparison keeps fewer features",
		"comparisons_x_kinds", len(jobs), "rows_up_to", rows, "max_rows", maxRows, "max_features", per,
		"fix", "raise compare.max_rows (-1: no bound), or compare fewer groups (compare.plan, compare.comparisons)")
	return per
}
