package pipeline

import (
	"context"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

// fitTopics fits the topic model over documents or passages. Over
// passages, Model.DocTopic is replaced by the documents' word-weighted
// means of their passages' weights, so it is documents × K either way.
// Only passages with a counted term take part: the model gives a passage
// without one (numbers, stop words) 1/K everywhere, a placeholder that
// would pull its document towards the uniform distribution. A document
// with no such passage has no counted term at all (its passages cover its
// sentences, and terms never cross a sentence), so it gets the 1/K
// placeholder of every document without a term (see hasTopicWeights).
func (r *reducer) fitTopics(ctx context.Context, vocab *vectorize.Vocabulary, X *vectorize.CSR) (*topics.Model, error) {
	cfg := r.eng.cfg.Topics
	// topics.Fit needs K <= min(rows, terms): a corpus of short texts with
	// a vocabulary of fewer than K terms (one-word answers, headlines) is
	// fitted with one topic per term, not refused.
	if !r.keepPassages() {
		if cfg.K == 0 {
			cfg.K = 10
		}
		cfg.K = min(cfg.K, X.Rows, vocab.Len())
		return topics.Fit(ctx, X, vocab, cfg)
	}
	P := vocab.CountMatrix(r.passCounts)
	if cfg.K == 0 {
		cfg.K = 10
	}
	cfg.K = max(1, min(cfg.K, P.Rows/3, vocab.Len()))
	m, err := topics.Fit(ctx, P, vocab, cfg)
	if err != nil {
		return nil, err
	}
	docTopic := make([]float64, len(r.states)*m.K)
	weight := make([]float64, len(r.states))
	for p, d := range r.passDoc {
		if P.Ptr[p+1] == P.Ptr[p] {
			continue // no counted term: no topic weights of its own
		}
		w := float64(max(r.passWords[p], 1))
		weight[d] += w
		for t := 0; t < m.K; t++ {
			docTopic[d*m.K+t] += w * m.DocTopic[p*m.K+t]
		}
	}
	for d := range r.states {
		for t := 0; t < m.K; t++ {
			if weight[d] > 0 {
				docTopic[d*m.K+t] /= weight[d]
			} else {
				docTopic[d*m.K+t] = 1 / float64(m.K)
			}
		}
	}
	m.DocTopic = docTopic
	m.Docs = len(r.states)
	return m, nil
}

func (r *reducer) writeTopics(ts *tableSet, vocab *vectorize.Vocabulary, m *topics.Model) error {
	top := m.TopTermIDs(10)
	// NPMI coherence over 10-token windows of the documents' counted forms.
	wc := topics.NewWindowCounts(topics.Relevant(top), 10, vocab.Len())
	toVocab := make([]int32, len(r.formNames))
	for i, f := range r.formNames {
		toVocab[i] = int32(vocab.ID(f))
	}
	var ids []int32
	if err := r.eachSide(sideForms, func(_ int, _ *docState, s docSide) error {
		ids = ids[:0]
		for _, f := range s.Forms {
			ids = append(ids, toVocab[f])
		}
		wc.Add(ids)
		return nil
	}); err != nil {
		return err
	}
	npmi, _ := wc.NPMI(top)
	if err := r.writeTopicTerms(ts, m, npmi); err != nil {
		return err
	}
	return r.writeDocTopics(ts, m)
}

// writeTopicTerms writes the topics table: each topic's top terms with
// its label, coherence and the model's diversity.
func (r *reducer) writeTopicTerms(ts *tableSet, m *topics.Model, npmi []float64) error {
	_, a, err := openRows[output.TopicRow](ts, "topics")
	if err != nil {
		return err
	}
	diversity := topics.Diversity(m.TopTermIDs(25))
	nTerms := len(m.Terms)
	ranked := m.TopTermIDs(min(20, nTerms))
	labels := plainTopicLabels(m)
	for t, ids := range ranked {
		for k, j := range ids {
			// npmi is null where it cannot be computed: a top term no
			// window holds (a 2-gram: windows hold words) makes it +Inf.
			a.Append(&output.TopicRow{Topic: int32(t), Rank: int32(k + 1), TermID: j, Term: m.Terms[j],
				Weight: m.TopicTerm[t*nTerms+int(j)], Label: labels[t], NPMI: output.NullIfNotFinite(npmi[t]),
				Diversity: diversity, Model: m.Kind})
		}
	}
	return ts.closeTable("topics")
}

// writeDocTopics writes each document's topic weights, as rows
// (doc_topics) and as one vector (doc_vectors).
func (r *reducer) writeDocTopics(ts *tableSet, m *topics.Model) error {
	_, da, err := openRows[output.DocTopicRow](ts, "doc_topics")
	if err != nil {
		return err
	}
	for i, d := range r.states {
		row := output.DocTopicRow{DocID: d.ID, Group: d.Group}
		for t := 0; t < m.K; t++ {
			row.Topic, row.Weight = int32(t), m.DocTopic[i*m.K+t]
			da.Append(&row)
		}
	}
	if err := ts.closeTable("doc_topics"); err != nil {
		return err
	}

	_, va, err := openRows[output.DocVectorRow](ts, "doc_vectors")
	if err != nil {
		return err
	}
	v := make([]float32, m.K)
	for i, d := range r.states {
		for t := range v {
			v[t] = float32(m.DocTopic[i*m.K+t])
		}
		va.Append(&output.DocVectorRow{DocID: d.ID, Group: d.Group, TopicWeights: v})
	}
	return ts.closeTable("doc_vectors")
}
