// Package simstage is the nearest-documents search's corpus side, a
// built-in stage.Corpus: the similarity table, each document's nearest
// documents by the cosine of their TF-IDF rows (similarity.Neighbours).
//
// The rows are the tfidf stage's weighted matrix, which the run hands over
// (Env.Weights) and lets go of: the stage maps nothing of its own.
package simstage

import (
	"context"
	"fmt"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/similarity"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/vectorize"
)

// Name names the stage, its table and its reduce step.
const Name = "similarity"

// Neighbours is the number of most similar documents kept per document.
const Neighbours = 10

// Stage is the nearest-documents search's corpus side. It always runs;
// its table is output's.
type Stage struct {
	cfg    similarity.Config
	tables []*output.Table
}

// New returns the stage searching as cfg says (the similarity section).
func New(cfg similarity.Config) *Stage {
	return &Stage{cfg: cfg, tables: []*output.Table{output.NewCatalog().MustTable(Name)}}
}

func (s *Stage) Name() string { return Name }

// Tables is output's own definition of the table, not a new one.
func (s *Stage) Tables() []*output.Table { return s.tables }

// Config is nil: the settings are the similarity section, recorded there.
func (s *Stage) Config() any { return nil }

// NewPartial counts the documents mapped (stage.DocCount): the rows are
// the tfidf stage's.
func (s *Stage) NewPartial() stage.Partial { return &stage.DocCount{} }

// Map counts the document.
func (s *Stage) Map(context.Context, stage.MapInput) (stage.Partial, error) {
	return &stage.DocCount{Docs: 1}, nil
}

// Env is what Reduce needs of the run beyond stage.Env.
type Env interface {
	stage.Env
	// Weights takes the tfidf stage's weighted document–term matrix, a row
	// per document of the run in input order (DocIDs), and each document's
	// group; the run keeps neither.
	Weights() (W *vectorize.CSR, groups []string, err error)
}

// Reduce writes each document's nearest documents: exactly up to
// similarity.exact_docs documents, approximately above.
func (s *Stage) Reduce(_ context.Context, _ stage.Partial, env stage.Env) error {
	e, ok := env.(Env)
	if !ok {
		return fmt.Errorf("%s: built in, it reads the tfidf stage's weights, which %T does not hand over", Name, env)
	}
	W, groups, err := e.Weights()
	if err != nil {
		return err
	}
	ids := e.DocIDs()
	if len(ids) != W.Rows || len(groups) != W.Rows {
		return fmt.Errorf("%d documents, %d groups for %d weight rows", len(ids), len(groups), W.Rows)
	}
	w, err := e.Writer(Name)
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.SimilarityRow](w)
	if err != nil {
		return err
	}
	nbs, method := similarity.Neighbours(W, Neighbours, s.cfg, uint64(e.Seed()), e.Workers())
	e.Logger().Info("similarity", "method", method, "documents", W.Rows)
	for i, ns := range nbs {
		for k, n := range ns {
			a.Append(&output.SimilarityRow{
				DocID:         ids[i],
				Group:         groups[i],
				Rank:          int32(k + 1),
				NeighborID:    ids[n.Doc],
				NeighborGroup: groups[n.Doc],
				Cosine:        n.Sim,
			})
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	// Closed now, not when the run ends: its buffers go with it.
	return w.Close()
}
