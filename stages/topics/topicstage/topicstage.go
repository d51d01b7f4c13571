// Package topicstage is the topic model's corpus side, a built-in
// stage.Corpus: it fits the model (package topics) to the tfidf stage's
// document–term counts, or to passages of the documents in a small corpus,
// and writes topics (with NPMI coherence over windows of the documents'
// forms), doc_topics and doc_vectors; the model goes to the run for
// keyness (Env.Topics).
//
// Its record is a document's passages, counted on the worker while the
// corpus may still be modelled by passages (ModelsPassages); the
// coherence windows are a second pass over the documents' forms
// (Env.EachDoc).
package topicstage

import (
	"context"
	"fmt"
	"strings"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

// Name names the stage, its table and its reduce step.
const Name = "topics"

// Stage is the topic model's corpus side. It runs unless skip_stages
// names topics; its tables are output's.
type Stage struct {
	vec    *vectorize.Vectorizer
	cfg    topics.Config
	unit   string
	tables []*output.Table
}

// New returns the stage fitting the model cfg says (the topics section)
// over the units unit says (topic_unit), counting passages' terms with
// the run's vectoriser vec.
func New(vec *vectorize.Vectorizer, cfg topics.Config, unit string) *Stage {
	cat := output.NewCatalog()
	return &Stage{vec: vec, cfg: cfg, unit: unit,
		tables: []*output.Table{cat.MustTable(Name), cat.MustTable("doc_topics"), cat.MustTable("doc_vectors")}}
}

func (s *Stage) Name() string { return Name }

// Tables are output's own definitions of the tables, not new ones.
func (s *Stage) Tables() []*output.Table { return s.tables }

// Config is nil: the settings are the topics section, recorded there.
func (s *Stage) Config() any { return nil }

// NewPartial counts the documents mapped (stage.DocCount): the model is
// fitted to the tfidf stage's counts or to the records.
func (s *Stage) NewPartial() stage.Partial { return &stage.DocCount{} }

// Map counts the document.
func (s *Stage) Map(context.Context, stage.MapInput) (stage.Partial, error) {
	return &stage.DocCount{Docs: 1}, nil
}

// Record is a document's passages: their term counts and word counts.
type Record struct {
	Counts []vectorize.DocCounts
	Words  []int
}

func (s *Stage) NewRecord() any { return &Record{} }

// Record counts the document's passages while the corpus may still be
// modelled by them (document Seq+1 of the run); else it keeps none.
func (s *Stage) Record(_ context.Context, in stage.MapInput) (any, error) {
	doc := in.Doc
	if !ModelsPassages(s.unit, doc.Seq+1) {
		return nil, nil
	}
	rec := &Record{}
	for _, p := range passages(doc) {
		sub := *doc
		sub.Tokens = doc.Tokens[p.Start:p.End]
		rec.Counts = append(rec.Counts, s.vec.Count(&sub))
		rec.Words = append(rec.Words, p.Words)
	}
	if rec.Counts == nil {
		return nil, nil
	}
	return rec, nil
}

// Env is what Reduce needs of the run beyond stage.Env.
type Env interface {
	stage.Env
	// TermCounts are the tfidf stage's vocabulary and document–term
	// counts, a row per document of the run in input order.
	TermCounts() (*vectorize.Vocabulary, *vectorize.CSR, error)
	// Topics hands over the fitted model, for keyness.
	Topics(m *topics.Model) error
}

// docKey is a document's id and group, for its rows.
type docKey struct{ id, group string }

// units are the passages the model is fitted to: doc[i] is the document
// of passage i.
type units struct {
	counts []vectorize.DocCounts
	words  []int
	doc    []int
}

// Reduce fits the model and writes its tables.
func (s *Stage) Reduce(ctx context.Context, _ stage.Partial, env stage.Env) error {
	e, ok := env.(Env)
	if !ok {
		return fmt.Errorf("%s: built in, it reads the tfidf stage's counts, which %T does not hand over", Name, env)
	}
	vocab, X, err := e.TermCounts()
	if err != nil {
		return err
	}
	docs := make([]docKey, len(e.DocIDs()))
	byPassage := ModelsPassages(s.unit, len(docs))
	var u units
	if err := e.EachRecord(ctx, func(d stage.DocRecord) error {
		docs[d.Index] = docKey{d.ID, d.Group}
		if rec, _ := d.Record.(*Record); rec != nil && byPassage {
			for k, c := range rec.Counts {
				u.counts = append(u.counts, c)
				u.words = append(u.words, rec.Words[k])
				u.doc = append(u.doc, d.Index)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	var m *topics.Model
	if byPassage {
		m, err = s.fitPassages(ctx, vocab, u, len(docs))
	} else {
		m, err = s.fit(ctx, vocab, X)
	}
	if err != nil {
		return err
	}
	if err := e.Topics(m); err != nil {
		return err
	}
	top := m.TopTermIDs(10)
	npmi, err := coherence(ctx, e, vocab, top)
	if err != nil {
		return err
	}
	if err := writeTopicTerms(e, m, npmi); err != nil {
		return err
	}
	return writeDocTopics(e, m, docs)
}

// fit fits the model over documents. topics.Fit needs K <= min(rows,
// terms): a corpus of short texts with a vocabulary of fewer than K terms
// (one-word answers, headlines) is fitted with one topic per term, not
// refused.
func (s *Stage) fit(ctx context.Context, vocab *vectorize.Vocabulary, X *vectorize.CSR) (*topics.Model, error) {
	cfg := s.cfg
	if cfg.K == 0 {
		cfg.K = 10
	}
	cfg.K = min(cfg.K, X.Rows, vocab.Len())
	return topics.Fit(ctx, X, vocab, cfg)
}

// fitPassages fits the model over passages and replaces Model.DocTopic by
// the n documents' word-weighted means of their passages' weights, so it
// is documents × K either way. Only passages with a counted term take
// part: the model gives a passage without one (numbers, stop words) 1/K
// everywhere, a placeholder that would pull its document towards the
// uniform distribution. A document with no such passage has no counted
// term at all (its passages cover its sentences, and terms never cross a
// sentence), so it gets the 1/K placeholder of every document without a
// term.
func (s *Stage) fitPassages(ctx context.Context, vocab *vectorize.Vocabulary, u units, n int) (*topics.Model, error) {
	cfg := s.cfg
	P := vocab.CountMatrix(u.counts)
	if cfg.K == 0 {
		cfg.K = 10
	}
	cfg.K = max(1, min(cfg.K, P.Rows/3, vocab.Len()))
	m, err := topics.Fit(ctx, P, vocab, cfg)
	if err != nil {
		return nil, err
	}
	docTopic := make([]float64, n*m.K)
	weight := make([]float64, n)
	for p, d := range u.doc {
		if P.Ptr[p+1] == P.Ptr[p] {
			continue // no counted term: no topic weights of its own
		}
		w := float64(max(u.words[p], 1))
		weight[d] += w
		for t := 0; t < m.K; t++ {
			docTopic[d*m.K+t] += w * m.DocTopic[p*m.K+t]
		}
	}
	for d := range n {
		for t := 0; t < m.K; t++ {
			if weight[d] > 0 {
				docTopic[d*m.K+t] /= weight[d]
			} else {
				docTopic[d*m.K+t] = 1 / float64(m.K)
			}
		}
	}
	m.DocTopic = docTopic
	m.Docs = n
	return m, nil
}

// coherence is each topic's NPMI over 10-token windows of the analysed documents'
// counted forms (a second pass: Env.EachDoc).
func coherence(ctx context.Context, e Env, vocab *vectorize.Vocabulary, top [][]int32) ([]float64, error) {
	wc := topics.NewWindowCounts(topics.Relevant(top), 10, vocab.Len())
	// Only analysed documents count: a failed one (EachDoc leaves it out)
	// is no window, not an empty one that would dilute every NPMI.
	var ids []int32
	err := e.EachDoc(ctx, func(d stage.DocForms) error {
		ids = ids[:0]
		for _, f := range d.Forms {
			ids = append(ids, int32(vocab.ID(f)))
		}
		wc.Add(ids)
		return nil
	})
	if err != nil {
		return nil, err
	}
	npmi, _ := wc.NPMI(top)
	return npmi, nil
}

// Labels are the topics' three top-ranked terms (topics.label).
func Labels(m *topics.Model) []string {
	top := m.TopTerms(3)
	out := make([]string, m.K)
	for t := range out {
		out[t] = strings.Join(top[t], ", ")
	}
	return out
}

// writeTopicTerms writes the topics table: each topic's top terms with
// its label, coherence and the model's diversity.
func writeTopicTerms(e Env, m *topics.Model, npmi []float64) error {
	w, err := e.Writer(Name)
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.TopicRow](w)
	if err != nil {
		return err
	}
	diversity := topics.Diversity(m.TopTermIDs(25))
	nTerms := len(m.Terms)
	ranked := m.TopTermIDs(min(20, nTerms))
	labels := Labels(m)
	for t, ids := range ranked {
		for k, j := range ids {
			// npmi is null where it cannot be computed: a top term no
			// window holds (a 2-gram: windows hold words) makes it +Inf.
			a.Append(&output.TopicRow{Topic: int32(t), Rank: int32(k + 1), TermID: j, Term: m.Terms[j],
				Weight: m.TopicTerm[t*nTerms+int(j)], Label: labels[t], NPMI: output.NullIfNotFinite(npmi[t]),
				Diversity: diversity, Model: m.Kind})
		}
	}
	return w.Close()
}

// writeDocTopics writes each document's topic weights, as rows
// (doc_topics) and as one vector (doc_vectors).
func writeDocTopics(e Env, m *topics.Model, docs []docKey) error {
	w, err := e.Writer("doc_topics")
	if err != nil {
		return err
	}
	da, err := output.NewAppender[output.DocTopicRow](w)
	if err != nil {
		return err
	}
	for i, d := range docs {
		row := output.DocTopicRow{DocID: d.id, Group: d.group}
		for t := 0; t < m.K; t++ {
			row.Topic, row.Weight = int32(t), m.DocTopic[i*m.K+t]
			da.Append(&row)
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	vw, err := e.Writer("doc_vectors")
	if err != nil {
		return err
	}
	va, err := output.NewAppender[output.DocVectorRow](vw)
	if err != nil {
		return err
	}
	v := make([]float32, m.K)
	for i, d := range docs {
		for t := range v {
			v[t] = float32(m.DocTopic[i*m.K+t])
		}
		va.Append(&output.DocVectorRow{DocID: d.id, Group: d.group, TopicWeights: v})
	}
	return vw.Close()
}
