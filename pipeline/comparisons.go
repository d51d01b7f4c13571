package pipeline

import (
	"errors"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/compare/comparestage"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/topics/topicstage"
	"github.com/framelens/framelens/stages/vectorize"
	"github.com/framelens/framelens/stages/vectorize/tfidfstage"
)

// Feature kinds of the keyness table (comparestage's).
const (
	FeatureTerm      = comparestage.FeatureTerm
	FeatureNGram     = comparestage.FeatureNGram
	FeatureKeyphrase = comparestage.FeatureKeyphrase
	FeatureEntity    = comparestage.FeatureEntity
	FeatureTopic     = comparestage.FeatureTopic
)

// compareSettings are the keyness stage's settings from the config.
func (c Config) compareSettings() comparestage.Settings {
	cc := c.Compare
	s := comparestage.Settings{Plan: cc.Plan, Reference: cc.Reference, Keyness: cc.Keyness,
		MaxFeatures: cc.MaxFeatures, MaxRows: cc.MaxRows,
		Bootstrap: compare.Bootstrap{B: c.Bootstrap.B, Seed: c.Bootstrap.Seed, Level: c.Bootstrap.Level, ExactDocs: c.Bootstrap.ExactDocs}}
	for _, sp := range cc.Comparisons {
		s.Comparisons = append(s.Comparisons, compare.Comparison{Name: sp.Name, A: sp.A, B: sp.B})
	}
	return s
}

// compareDocs are the run's documents as the comparisons count them.
func (r *reducer) compareDocs() []comparestage.Doc {
	out := make([]comparestage.Doc, len(r.states))
	for i, d := range r.states {
		out[i] = comparestage.Doc{ID: d.ID, Group: d.Group, Words: d.Words, Failed: d.Failed}
	}
	return out
}

// newDocCounts registers every document of the run, in order, for
// per-document counts of a feature (comparestage.NewDocCounts).
func (r *reducer) newDocCounts() *compare.DocCounts {
	return comparestage.NewDocCounts(r.compareDocs(), nil)
}

// checkSides works out the sides of the plan's comparisons and says which
// have an empty side; the frames stage (frame_comparisons) and the keyness
// stage (comparestage) compare them.
func (r *reducer) checkSides() error {
	plan, names, err := r.eng.cfg.compareSettings().Sides(r.compareDocs())
	if err != nil {
		return err
	}
	if plan == nil {
		r.eng.log.Info("comparisons skipped: the corpus has fewer than two groups", "groups", names)
	}
	for _, cs := range plan {
		if cs.DocsA == 0 || cs.DocsB == 0 && !cs.Reference {
			r.eng.log.Warn("a side of a comparison has no analysed document", "comparison", cs.Cmp.Label(), "docs_a", cs.DocsA, "docs_b", cs.DocsB, "groups", names)
		}
	}
	return nil
}

// earlier hands the keyness stage the results of the reductions before it.
func (r *reducer) earlier(sum *Summary) *comparestage.Earlier {
	in := r.handed
	in.Docs, in.GroupLanguages = r.compareDocs(), sum.GroupLanguages
	if in.Model != nil {
		in.TopicLabels = topicstage.Labels(in.Model)
	}
	if !r.eng.cfg.skip("entities") && in.Entities == nil {
		in.Entities = r.newDocCounts()
	}
	// Handed over once: no step after keyness reads them, and the steps
	// after it (frame entries, the analyses) need not hold the matrix.
	r.handed = comparestage.Earlier{}
	return &in
}

// Earlier hands a built-in stage (the keyness stage) the results of the
// reductions before it, once.
func (e *reduceEnv) Earlier() (*comparestage.Earlier, error) {
	if !e.builtin {
		return nil, errors.New("the earlier reductions' results are the built-in stages' only")
	}
	return e.r.earlier(e.sum), nil
}

// NewDocCounts registers every document of the run for per-document counts
// (mentionstage.Env).
func (e *reduceEnv) NewDocCounts() *compare.DocCounts { return e.r.newDocCounts() }

// Mentions takes entity_mentions' counts per document, for keyness, and
// its mention total, for the summary (mentionstage.Env).
func (e *reduceEnv) Mentions(perDoc *compare.DocCounts, total int64) error {
	if !e.builtin {
		return errors.New("the entity counts are the built-in entity_mentions stage's to hand over")
	}
	e.r.handed.Entities, e.sum.Entities = perDoc, total
	return nil
}

// StartPart directs the keyphrases table's rows of document doc to its
// block's part file (kpstage.Env).
func (e *reduceEnv) StartPart(w *output.Writer, doc int) error {
	if !e.builtin {
		return errors.New("part files are the built-in stages' only")
	}
	return e.r.startPart(w, doc)
}

// Vectors takes the tfidf stage's vocabulary and matrices, for the steps
// after it, and its warnings of pruned documents, for the documents table
// (tfidfstage.Env).
func (e *reduceEnv) Vectors(v *tfidfstage.Vectors) error {
	if !e.builtin {
		return errors.New("the tf-idf matrices are the built-in tfidf stage's to hand over")
	}
	e.r.handed.Vocab, e.r.handed.Counts, e.r.W, e.r.pruned = v.Vocab, v.X, v.W, v.Pruned
	return nil
}

// TermCounts hands the topics stage the tfidf stage's vocabulary and
// document–term counts (topicstage.Env).
func (e *reduceEnv) TermCounts() (*vectorize.Vocabulary, *vectorize.CSR, error) {
	if !e.builtin || e.r.handed.Vocab == nil {
		return nil, nil, errors.New("the tf-idf counts are the built-in stages' after tfidf")
	}
	return e.r.handed.Vocab, e.r.handed.Counts, nil
}

// Topics takes the topics stage's model, for keyness (topicstage.Env).
func (e *reduceEnv) Topics(m *topics.Model) error {
	if !e.builtin {
		return errors.New("the topic model is the built-in topics stage's to hand over")
	}
	e.r.handed.Model = m
	return nil
}

// Weights hands the similarity stage the tfidf stage's weighted matrix
// and each document's group, and lets go of the matrix (simstage.Env).
func (e *reduceEnv) Weights() (*vectorize.CSR, []string, error) {
	if !e.builtin || e.r.W == nil {
		return nil, nil, errors.New("the tf-idf weights are the built-in similarity stage's, once")
	}
	W := e.r.W
	e.r.W = nil
	groups := make([]string, len(e.r.states))
	for i, d := range e.r.states {
		groups[i] = d.Group
	}
	return W, groups, nil
}

// Keyphrases takes the keyphrases stage's counts per document, for
// keyness (kpstage.Env).
func (e *reduceEnv) Keyphrases(perDoc *compare.DocCounts) error {
	if !e.builtin {
		return errors.New("the key-phrase counts are the built-in keyphrases stage's to hand over")
	}
	e.r.handed.Keyphrases = perDoc
	return nil
}

// Distinctive adds a comparison side's most distinctive terms to the
// summary.
func (e *reduceEnv) Distinctive(comparison, side string, terms []string) {
	e.sum.Distinctive = append(e.sum.Distinctive, SideTerms{Comparison: comparison, Group: side, Terms: terms})
}

// ComparisonWarning adds a comparisons.warnings entry to the summary's.
func (e *reduceEnv) ComparisonWarning(w string) {
	e.sum.ComparisonWarnings = append(e.sum.ComparisonWarnings, w)
}
