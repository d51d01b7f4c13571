// Package tfidfstage is the vectoriser's corpus side, a built-in
// stage.Corpus: the vocabulary, the terms and tfidf tables, and the
// document–term matrices the reductions after it read (topics, similarity,
// keyness), handed to the run through Env.
//
// Its partial is the corpus's document and term frequencies
// (vectorize.DFStats); its record is a document's term counts, from which
// Reduce builds the count matrix over the vocabulary (Env.EachRecord) once
// the vocabulary is known.
package tfidfstage

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/vectorize"
)

// Name names the stage and its reduce step (run.json's stage_seconds).
const Name = "tfidf"

// Stage is the vectoriser's corpus side. It always runs; its tables are
// output's.
type Stage struct {
	vec    *vectorize.Vectorizer
	tables []*output.Table
}

// New returns the stage of the run's vectoriser vec.
func New(vec *vectorize.Vectorizer) *Stage {
	cat := output.NewCatalog()
	return &Stage{vec: vec, tables: []*output.Table{cat.MustTable("terms"), cat.MustTable("tfidf")}}
}

func (s *Stage) Name() string { return Name }

// Tables are output's own definitions of the tables, not new ones.
func (s *Stage) Tables() []*output.Table { return s.tables }

// Config is nil: the settings are the vectorize section, recorded there.
func (s *Stage) Config() any { return nil }

// Partial is the document and term frequencies of the documents.
type Partial struct{ DF *vectorize.DFStats }

func (s *Stage) NewPartial() stage.Partial { return &Partial{DF: vectorize.NewDFStats()} }

func (p *Partial) Merge(o stage.Partial) error {
	q, err := stage.PartialAs[*Partial](Name, o)
	if err != nil {
		return err
	}
	p.DF.Merge(q.DF)
	return nil
}

// Map counts the document's terms (stage.MapInput.Terms).
func (s *Stage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	p := &Partial{DF: vectorize.NewDFStats()}
	p.DF.Add(in.Terms)
	return p, nil
}

// Record is a document's term counts.
type Record struct {
	// Terms are its distinct terms, sorted, joined by termSep: one string,
	// not one per term, while the block waits to be saved.
	Terms string
	// N are their counts, in the same order.
	N []int32
}

// termSep joins a record's terms; no term holds it.
const termSep = "\x00"

func (s *Stage) NewRecord() any { return &Record{} }

// Record keeps the document's term counts; a document without a counted
// term has none.
func (s *Stage) Record(_ context.Context, in stage.MapInput) (any, error) {
	if len(in.Terms) == 0 {
		return nil, nil
	}
	terms := make([]string, 0, len(in.Terms))
	for t := range in.Terms {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	rec := &Record{Terms: strings.Join(terms, termSep), N: make([]int32, len(terms))}
	for i, t := range terms {
		rec.N[i] = int32(in.Terms[t])
	}
	return rec, nil
}

// each calls fn with every term of r and its count, in order.
func (r *Record) each(fn func(term string, n int32)) {
	rest := r.Terms
	for i := range r.N {
		t, tail, _ := strings.Cut(rest, termSep)
		fn(t, r.N[i])
		rest = tail
	}
}

// Vectors are what the stage hands to the reductions after it.
type Vectors struct {
	Vocab *vectorize.Vocabulary
	// X is the document–term count matrix over Vocab, a row per document
	// of the run in input order (failed ones empty); W its tf-idf weights.
	X, W *vectorize.CSR
	// Pruned holds, by document index, the warning of each document with
	// counted terms none of which is in the vocabulary (documents.warnings).
	Pruned map[int]string
}

// Env is what Reduce needs of the run beyond stage.Env.
type Env interface {
	stage.Env
	// StartPart directs the tfidf table's rows of document doc (its index)
	// to its block's part file, as if written as it streamed.
	StartPart(w *output.Writer, doc int) error
	// Vectors hands over the vocabulary, the matrices and the warnings.
	Vectors(v *Vectors) error
}

// Reduce builds the vocabulary and the document–term counts, writes the
// terms and tfidf tables and hands the matrices to the run.
func (s *Stage) Reduce(ctx context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*Partial](Name, sp)
	if err != nil {
		return err
	}
	e, ok := env.(Env)
	if !ok {
		return fmt.Errorf("%s: built in, it writes part files and hands its matrices to the run, which %T does not do", Name, env)
	}
	vocab := s.vec.Vocabulary(p.DF)
	v := &Vectors{Vocab: vocab, Pruned: map[int]string{}}
	docs := make([]docKey, len(e.DocIDs()))
	if v.X, err = s.countMatrix(ctx, e, p.DF, v, docs); err != nil {
		return err
	}
	if err := writeTerms(e, vocab); err != nil {
		return err
	}
	v.W = vocab.Weight(v.X)
	if err := writeTfidf(e, vocab, v.X, v.W, docs); err != nil {
		return err
	}
	if len(v.Pruned) > 0 {
		vc := s.vec.Config()
		e.Logger().Warn("vocabulary pruning removed every term of some documents: no tf-idf row, no topic weights of their own (see documents.warnings)",
			"documents", len(v.Pruned), "min_df", vc.MinDF, "max_df", vc.MaxDF, "max_terms", vc.MaxTerms)
	}
	return e.Vectors(v)
}

// docKey is a document's id and group, for its tfidf rows.
type docKey struct{ id, group string }

// countMatrix builds the document–term count matrix over the vocabulary
// from the records, notes the documents pruning left without a term, and
// fills docs, a key per document.
func (s *Stage) countMatrix(ctx context.Context, e Env, df *vectorize.DFStats, v *Vectors, docs []docKey) (*vectorize.CSR, error) {
	n := len(docs)
	// Sized once (a term's document frequency is its column's non-zeros):
	// growing by appends would briefly hold up to twice the largest array
	// of the run.
	nnz := 0
	for _, t := range v.Vocab.Terms {
		nnz += t.DF
	}
	m := &vectorize.CSR{Rows: n, Cols: v.Vocab.Len(), Ptr: make([]int, n+1),
		Ind: make([]int32, 0, nnz), Val: make([]float64, 0, nnz)}
	type cell struct{ j, n int32 }
	var row []cell
	err := e.EachRecord(ctx, func(d stage.DocRecord) error {
		i := d.Index
		docs[i] = docKey{d.ID, d.Group}
		if rec, _ := d.Record.(*Record); rec != nil {
			row = row[:0]
			rec.each(func(t string, c int32) {
				if j := v.Vocab.ID(t); j >= 0 {
					row = append(row, cell{int32(j), c})
				}
			})
			if len(row) == 0 && len(rec.N) > 0 {
				v.Pruned[i] = s.prunedWarning(v.Vocab, df, rec)
			}
			sort.Slice(row, func(a, b int) bool { return row[a].j < row[b].j })
			for _, c := range row {
				m.Ind = append(m.Ind, c.j)
				m.Val = append(m.Val, float64(c.n))
			}
		}
		m.Ptr[i+1] = len(m.Ind)
		return nil
	})
	return m, err
}

// prunedWarning is the warning of a document whose counted terms
// vocabulary pruning all removed: like a document without a counted term,
// it has no tf-idf row and no topic weights of its own. It names the
// settings that removed them.
func (s *Stage) prunedWarning(vocab *vectorize.Vocabulary, df *vectorize.DFStats, rec *Record) string {
	var by []string
	rec.each(func(t string, _ int32) {
		if p := s.vec.PrunedBy(vocab, t, df.DF[t]); p != "" && !slices.Contains(by, p) {
			by = append(by, p)
		}
	})
	slices.Sort(by)
	for i := range by {
		by[i] = "vectorize." + by[i]
	}
	return fmt.Sprintf("no terms kept: vocabulary pruning (%s) removed all %d of its distinct terms; it has no tf-idf row and no topic weights of its own", strings.Join(by, ", "), len(rec.N))
}

// writeTerms writes the terms table and closes it.
func writeTerms(e Env, vocab *vectorize.Vocabulary) error {
	w, err := e.Writer("terms")
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.TermRow](w)
	if err != nil {
		return err
	}
	for _, t := range vocab.Terms {
		a.Append(&output.TermRow{TermID: int32(t.ID), Term: t.Term, N: int32(strings.Count(t.Term, " ") + 1),
			DF: int32(t.DF), CF: int64(t.TF), IDF: t.IDF})
	}
	// Closed now, not when the run ends: its buffers go with it.
	return w.Close()
}

// writeTfidf writes the tfidf table: each document's counts and weights,
// in its block's part file.
func writeTfidf(e Env, vocab *vectorize.Vocabulary, X, W *vectorize.CSR, docs []docKey) error {
	w, err := e.Writer("tfidf")
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.TfidfRow](w)
	if err != nil {
		return err
	}
	for i, d := range docs {
		if err := e.StartPart(w, i); err != nil {
			return err
		}
		cols, counts := X.Row(i)
		wcols, weights := W.Row(i)
		if len(wcols) != len(cols) {
			return fmt.Errorf("document %s: weight row has %d terms, count row %d", d.id, len(wcols), len(cols))
		}
		row := output.TfidfRow{DocID: d.id, Group: d.group}
		for k, j := range cols {
			row.TermID, row.Term, row.Count, row.Weight = j, vocab.Terms[j].Term, int32(counts[k]), weights[k]
			a.Append(&row)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return w.Close()
}
