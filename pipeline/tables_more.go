package pipeline

import (
	"log/slog"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/compare/comparestage"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/ordered"
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

// writeGroupFrames writes group_frames and frame_comparisons.
func (r *reducer) writeGroupFrames(ts *tableSet, plan []comparestage.Sides) error {
	if err := r.writeGroupFrameScores(ts); err != nil {
		return err
	}
	return r.writeFrameComparisons(ts, plan)
}

// writeGroupFrameScores writes group_frames: each group's frame rates and
// shares with their bootstrap intervals.
func (r *reducer) writeGroupFrameScores(ts *tableSet) error {
	bs := r.eng.cfg.Bootstrap
	_, ga, err := openRows[output.GroupFrameRow](ts, "group_frames")
	if err != nil {
		return err
	}
	for _, g := range r.frameSums.Groups() {
		scores, err := r.frameSums.GroupScores(bs, g)
		if err != nil {
			return err
		}
		for _, s := range scores {
			ga.Append(&output.GroupFrameRow{
				Group:         g,
				Frame:         s.Frame,
				Docs:          int32(s.Docs),
				Hits:          s.Hits,
				NegatedHits:   s.Negated,
				NWords:        s.Tokens,
				RatePer1k:     s.Rate,
				RateLo:        output.NullIfNaN(s.RateLo),
				RateHi:        output.NullIfNaN(s.RateHi),
				SentenceShare: s.Share,
				ShareLo:       output.NullIfNaN(s.ShareLo),
				ShareHi:       output.NullIfNaN(s.ShareHi),
				Resample:      s.Resample,
			})
		}
	}
	return ts.closeTable("group_frames")
}

// writeFrameComparisons writes frame_comparisons: each comparison's frame
// differences, resampled in parallel and written in plan order.
func (r *reducer) writeFrameComparisons(ts *tableSet, plan []comparestage.Sides) error {
	bs := r.eng.cfg.Bootstrap
	_, fa, err := openRows[output.FrameComparisonRow](ts, "frame_comparisons")
	if err != nil {
		return err
	}
	// Each document's hits of each frame, for the documents with a hit
	// and Gries' DP of each side.
	frameHits := &compare.DocCounts{}
	for _, d := range r.states {
		if d.Failed || d.Frames == nil {
			frameHits.AddDocOutside(d.Group, false)
			continue
		}
		i := frameHits.AddDoc(d.Group, int64(d.Words))
		for _, c := range d.Frames.Cells {
			frameHits.Add(i, d.Frames.Frames[c.Frame], int64(c.Hits))
		}
	}
	type result struct {
		diffs []frames.Diff
		err   error
	}
	// Comparisons resample independently (seeded by group names): computed
	// in parallel, written in plan order.
	err = ordered.MapWindow(r.ctx, len(plan), r.eng.cfg.Workers, ordered.SmallResults, func(i int) result {
		d, err := r.frameSums.Difference(plan[i].Cmp.A, plan[i].Cmp.B, bs)
		return result{d, err}
	}, func(i int, res result) error {
		if res.err != nil {
			return res.err
		}
		p := plan[i]
		r.frameDiffs = append(r.frameDiffs, comparisonFrames(p.Cmp.Label(), p.A, p.B, bs, res.diffs))
		for _, d := range res.diffs {
			da, db, dpa, dpb := frameHits.Dispersion(p.Cmp, d.Frame)
			fa.Append(&output.FrameComparisonRow{
				Comparison:  p.Cmp.Label(),
				GroupA:      p.A,
				GroupB:      p.B,
				Frame:       d.Frame,
				RateA:       d.RateA,
				RateB:       d.RateB,
				RateDiff:    d.RateDiff,
				RateDiffLo:  output.NullIfNaN(d.Lo),
				RateDiffHi:  output.NullIfNaN(d.Hi),
				ShareA:      d.ShareA,
				ShareB:      d.ShareB,
				ShareDiff:   d.ShareDiff,
				ShareDiffLo: output.NullIfNaN(d.ShareLo),
				ShareDiffHi: output.NullIfNaN(d.ShareHi),
				DocsA:       int32(da),
				DocsB:       int32(db),
				DpA:         output.NullIfNaN(dpa),
				DpB:         output.NullIfNaN(dpb),
			})
		}
		return nil
	})
	if err != nil {
		return err
	}
	return ts.closeTable("frame_comparisons")
}

func (r *reducer) writeMentions(ts *tableSet) error {
	_, ma, err := openRows[output.EntityMentionRow](ts, "entity_mentions")
	if err != nil {
		return err
	}
	r.entityDocs = r.newDocCounts()
	if err := r.eachSide(sideActors, func(i int, d *docState, s docSide) error {
		for _, a := range s.Actors {
			ma.Append(&output.EntityMentionRow{
				DocID:     d.ID,
				Group:     d.Group,
				Canonical: a.Canonical,
				Label:     a.Label,
				Mentions:  a.Mentions,
				Variants:  a.Variants,
			})
			if !d.Failed {
				r.entityDocs.Add(i, a.Canonical, int64(a.Mentions))
				r.entityMentions += int64(a.Mentions)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return ts.closeTable("entity_mentions")
}
