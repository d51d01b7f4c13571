package pipeline

import (
	"fmt"
	"hash/fnv"

	"math"
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

func (r *reducer) writeKeyness(ts *tableSet, plan []comparisonSides, counts map[string]kindCounts, reference *compare.Counts, sum *Summary) (map[string][2][]string, error) {
	w, err := ts.writer("keyness", nil)
	if err != nil {
		return nil, err
	}
	appendRow, err := keynessAppender(w)
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
	maxFeatures := r.eng.cfg.Compare.MaxFeatures
	if maxFeatures == 0 {
		maxFeatures = 2000
	}
	maxFeatures = r.capKeynessRows(jobKinds, counts, maxFeatures)
	err = orderedMap(r.ctx, len(jobs), r.eng.cfg.Workers, func(i int) *keynessJob {
		r.computeKeyness(jobs[i], counts, reference, maxFeatures)
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
			appendRow(j.cs, j.kind, row)
		}
		if j.kind == FeatureTerm && j.rows != nil {
			r.noteDistinctive(j, top, sum)
		}
		j.rows = nil
		return w.Flush()
	})
	if err != nil {
		return nil, err
	}
	return top, ts.closeTable("keyness")
}

// keynessJob is one comparison and feature kind, computed on a worker.
type keynessJob struct {
	cs   comparisonSides
	kind string
	rows []compare.Keyness
	err  error
}

// computeKeyness compares the job's sides on its feature kind.
func (r *reducer) computeKeyness(j *keynessJob, counts map[string]kindCounts, reference *compare.Counts, maxFeatures int) {
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

// noteDistinctive records a comparison's test and its sides' most
// distinctive terms, for the comparisons table and the summary.
func (r *reducer) noteDistinctive(j *keynessJob, top map[string][2][]string, sum *Summary) {
	cs := j.cs
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

// keynessAppender returns a function that appends one keyness row.
func keynessAppender(w *output.Writer) (func(cs comparisonSides, kind string, row compare.Keyness), error) {
	a, err := output.NewAppender[output.KeynessRow](w)
	if err != nil {
		return nil, err
	}
	return func(cs comparisonSides, kind string, row compare.Keyness) {
		side := cs.b
		if row.Stat >= 0 {
			side = cs.a
		}
		a.Append(&output.KeynessRow{
			Comparison: cs.cmp.Label(), GroupA: cs.a, GroupB: cs.b, FeatureKind: kind, Feature: row.Feature,
			CountA: row.CountA, CountB: row.CountB, RateA: row.RateA, RateB: row.RateB, LogOdds: row.LogOdds,
			Z: output.NullIfNaN(row.Z), G2: output.NullIfNaN(row.G2), P: output.NullIfNaN(row.P), PAdj: output.NullIfNaN(row.PAdj),
			LogRatio: row.LogRatio, Side: side, DocsA: int32(row.DocsA), DocsB: int32(row.DocsB),
			DpA: output.NullIfNaN(row.DPA), DpB: output.NullIfNaN(row.DPB),
			DocT: output.NullIfNaN(row.DocT), DocP: output.NullIfNaN(row.DocP), DocPAdj: output.NullIfNaN(row.DocPAdj),
			Concentrated: row.Concentrated,
		})
	}, nil
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
