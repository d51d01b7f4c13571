package pipeline

import (
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/similarity"
)

// neighbours is the number of most similar documents kept per document.
const neighbours = 10

func (r *reducer) writeSimilarity(ts *tableSet) error {
	w, err := ts.writer("similarity", nil)
	if err != nil {
		return err
	}
	c := output.ColsOf(w)
	docID, group, rank, nid, ngroup, cos := c.Str("doc_id"), c.Str("group"), c.Int32("rank"), c.Str("neighbor_id"), c.Str("neighbor_group"), c.Float64("cosine")
	// Exact up to similarity.exact_docs documents, approximate above.
	nbs, method := similarity.Neighbours(r.W, neighbours, r.eng.cfg.Similarity, uint64(r.eng.cfg.Seed), r.eng.cfg.Workers)
	r.eng.log.Info("similarity", "method", method, "documents", r.W.Rows)
	for i, ns := range nbs {
		d := r.states[i]
		for k, n := range ns {
			docID(d.ID)
			group(d.Group)
			rank(int32(k + 1))
			nid(r.states[n.Doc].ID)
			ngroup(r.states[n.Doc].Group)
			cos(n.Sim)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return ts.closeTable("similarity")
}

func (r *reducer) writeGroupKeyphrases(ts *tableSet) error {
	w, err := ts.writer("group_keyphrases", nil)
	if err != nil {
		return err
	}
	c := output.ColsOf(w)
	group, rank, phrase, score, count, df := c.Str("group"), c.Int32("rank"), c.Str("phrase"), c.Float64("score"), c.Int32("count"), c.Int32("doc_freq")
	prevalence, distinct := c.Float64("prevalence"), c.Float64("distinctiveness")
	for _, g := range r.groupKP.Distinctive(20) {
		group(g.Group)
		rank(int32(g.Rank))
		phrase(g.Phrase)
		score(g.Score)
		prevalence(g.Prevalence)
		distinct(g.Distinctiveness)
		count(int32(g.Count))
		df(int32(g.DocFreq))
	}
	return ts.closeTable("group_keyphrases")
}

// writeGroupFrames writes group_frames, frame_comparisons and
// frame_suggestions.
func (r *reducer) writeGroupFrames(ts *tableSet, plan []comparisonSides) error {
	bs := r.eng.cfg.Bootstrap
	w, err := ts.writer("group_frames", nil)
	if err != nil {
		return err
	}
	c := output.ColsOf(w)
	group, frame, docs, hits, neg, words := c.Str("group"), c.Str("frame"), c.Int32("docs"), c.Int64("hits"), c.Int64("negated_hits"), c.Int64("n_words")
	rate, lo, hi, share, slo, shi, rs := c.Float64("rate_per_1k"), c.Float64OrNull("rate_lo"), c.Float64OrNull("rate_hi"), c.Float64("sentence_share"), c.Float64OrNull("share_lo"), c.Float64OrNull("share_hi"), c.Str("resample")
	for _, g := range r.frameSums.Groups() {
		scores, err := r.frameSums.GroupScores(bs, g)
		if err != nil {
			return err
		}
		for _, s := range scores {
			group(g)
			frame(s.Frame)
			docs(int32(s.Docs))
			hits(s.Hits)
			neg(s.Negated)
			words(s.Tokens)
			rate(s.Rate)
			lo(s.RateLo)
			hi(s.RateHi)
			share(s.Share)
			slo(s.ShareLo)
			shi(s.ShareHi)
			rs(s.Resample)
		}
	}
	if err := ts.closeTable("group_frames"); err != nil {
		return err
	}

	fw, err := ts.writer("frame_comparisons", nil)
	if err != nil {
		return err
	}
	fc := output.ColsOf(fw)
	cmpName, ga, gb, fframe := fc.Str("comparison"), fc.Str("group_a"), fc.Str("group_b"), fc.Str("frame")
	ra, rb, rd, rdlo, rdhi := fc.Float64("rate_a"), fc.Float64("rate_b"), fc.Float64("rate_diff"), fc.Float64OrNull("rate_diff_lo"), fc.Float64OrNull("rate_diff_hi")
	fdocsA, fdocsB, fdpA, fdpB := fc.Int32("docs_a"), fc.Int32("docs_b"), fc.Float64OrNull("dp_a"), fc.Float64OrNull("dp_b")
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
	sa, sb, sd, sdlo, sdhi := fc.Float64("share_a"), fc.Float64("share_b"), fc.Float64("share_diff"), fc.Float64OrNull("share_diff_lo"), fc.Float64OrNull("share_diff_hi")
	type result struct {
		diffs []frames.Diff
		err   error
	}
	// Comparisons resample independently (seeded by group names): computed
	// in parallel, written in plan order.
	err = orderedMapWindow(r.ctx, len(plan), r.eng.cfg.Workers, smallResults, func(i int) result {
		d, err := r.frameSums.Difference(plan[i].cmp.A, plan[i].cmp.B, bs)
		return result{d, err}
	}, func(i int, res result) error {
		if res.err != nil {
			return res.err
		}
		p := plan[i]
		r.frameDiffs = append(r.frameDiffs, comparisonFrames(p.cmp.Label(), p.a, p.b, bs, res.diffs))
		for _, d := range res.diffs {
			cmpName(p.cmp.Label())
			ga(p.a)
			gb(p.b)
			fframe(d.Frame)
			ra(d.RateA)
			rb(d.RateB)
			rd(d.RateDiff)
			rdlo(d.Lo)
			rdhi(d.Hi)
			sa(d.ShareA)
			sb(d.ShareB)
			sd(d.ShareDiff)
			sdlo(d.ShareLo)
			sdhi(d.ShareHi)
			da, db, dpa, dpb := frameHits.Dispersion(p.cmp, d.Frame)
			fdocsA(int32(da))
			fdocsB(int32(db))
			fdpA(dpa)
			fdpB(dpb)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := ts.closeTable("frame_comparisons"); err != nil {
		return err
	}

	sw, err := ts.writer("frame_suggestions", nil)
	if err != nil {
		return err
	}
	sc := output.ColsOf(sw)
	sframe, srank, sterm, sppmi, sjoint, ssents := sc.Str("frame"), sc.Int32("rank"), sc.Str("term"), sc.Float64("ppmi"), sc.Int64("joint"), sc.Int64("term_sentences")
	sugg, err := frames.Suggest(r.cooc, r.eng.fm.Lexicon(), frames.SuggestConfig{})
	if err != nil {
		return err
	}
	rank := map[string]int32{}
	for _, s := range sugg {
		rank[s.Frame]++
		sframe(s.Frame)
		srank(rank[s.Frame])
		sterm(s.Term)
		sppmi(s.PPMI)
		sjoint(s.Joint)
		ssents(s.TermSents)
	}
	return ts.closeTable("frame_suggestions")
}

func (r *reducer) writeMentions(ts *tableSet) error {
	w, err := ts.writer("entity_mentions", nil)
	if err != nil {
		return err
	}
	c := output.ColsOf(w)
	docID, group, canon, label, n, variants := c.Str("doc_id"), c.Str("group"), c.Str("canonical"), c.Str("label"), c.Int32("mentions"), c.Strings("variants")
	r.entityDocs = r.newDocCounts(nil)
	if err := r.eachSide(sideActors, func(i int, d *docState, s docSide) error {
		for _, a := range s.Actors {
			docID(d.ID)
			group(d.Group)
			canon(a.Canonical)
			label(a.Label)
			n(a.Mentions)
			variants(a.Variants)
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
