package pipeline

import (
	"log/slog"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/similarity"
)

// neighbours is the number of most similar documents kept per document.
const neighbours = 10

func (r *reducer) writeSimilarity(ts *tableSet, log *slog.Logger) error {
	w, a, err := openRows[output.SimilarityRow](ts, "similarity")
	if err != nil {
		return err
	}
	// Exact up to similarity.exact_docs documents, approximate above.
	nbs, method := similarity.Neighbours(r.W, neighbours, r.eng.cfg.Similarity, uint64(r.eng.cfg.Seed), r.eng.cfg.Workers)
	log.Info("similarity", "method", method, "documents", r.W.Rows)
	for i, ns := range nbs {
		d := r.states[i]
		for k, n := range ns {
			a.Append(&output.SimilarityRow{
				DocID:         d.ID,
				Group:         d.Group,
				Rank:          int32(k + 1),
				NeighborID:    r.states[n.Doc].ID,
				NeighborGroup: r.states[n.Doc].Group,
				Cosine:        n.Sim,
			})
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return ts.closeTable("similarity")
}
