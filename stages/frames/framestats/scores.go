package framestats

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/compare/comparestage"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/ordered"
	"github.com/framelens/framelens/stages/stage"
)

// ScoresName names the frame scores stage. It is the frames document
// stage's name: skip_stages frames skips both, a failure of its Map is the
// document's "frames" error, and run.json's stage_seconds keeps the time
// of its reduction under frames.
const ScoresName = "frames"

// ScoresStage writes the frame scores of every document (frames), of every
// group (group_frames) and of both sides of every comparison of the plan
// (frame_comparisons), each with its bootstrap interval. Its partial is
// every analysed document's frame summary (frames.DocSummary).
type ScoresStage struct {
	names  []string // the lexicon's frame names, in order
	bs     frames.Bootstrap
	tables []*output.Table
}

// NewScoresStage returns the scores stage of a run of lex whose intervals
// are bs's.
func NewScoresStage(lex *frames.Lexicon, bs frames.Bootstrap) *ScoresStage {
	cat := output.NewCatalog()
	s := &ScoresStage{names: lex.FrameNames(), bs: bs}
	for _, n := range []string{"frames", "group_frames", "frame_comparisons"} {
		s.tables = append(s.tables, cat.MustTable(n))
	}
	return s
}

func (s *ScoresStage) Name() string            { return ScoresName }
func (s *ScoresStage) Tables() []*output.Table { return s.tables }

// Config is nil: the stage's settings are the frames stage's lexicon and
// the config's bootstrap section, recorded there.
func (s *ScoresStage) Config() any { return nil }

// ScoresPartial is the scores stage's partial: the analysed documents, in
// input order.
type ScoresPartial struct{ Docs []DocFrames }

// DocFrames is what the frame tables read of one analysed document.
type DocFrames struct {
	// Summary is the document's hits by sentence, with its id and group.
	Summary *frames.DocSummary
	// Words are its words (documents.n_words), its size on a side of a
	// comparison (frame_comparisons.dp_a and dp_b).
	Words int
	// Matched are, per frame, the lexicon entries its hits that are not
	// negated matched, most frequent first (frames.matched_terms).
	Matched map[string][]string
}

func (s *ScoresStage) NewPartial() stage.Partial { return &ScoresPartial{} }

// Merge appends o's documents, which come after p's.
func (p *ScoresPartial) Merge(o stage.Partial) error {
	q, err := stage.PartialAs[*ScoresPartial](ScoresName, o)
	if err != nil {
		return err
	}
	p.Docs = append(p.Docs, q.Docs...)
	return nil
}

// Map summarises the document's frame hits.
func (s *ScoresStage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	sum, err := frames.Summarize(in.Doc, s.names)
	if err != nil {
		return nil, err
	}
	return &ScoresPartial{Docs: []DocFrames{{Summary: sum, Words: in.Words, Matched: matchedEntries(in.Doc)}}}, nil
}

// matchedEntries returns, per frame, the entries doc's hits that are not
// negated matched, most frequent first (then in byte order).
func matchedEntries(doc *document.Document) map[string][]string {
	counts := map[string]map[string]int{}
	for _, h := range doc.FrameHits {
		if h.Negated {
			continue
		}
		m := counts[h.Frame]
		if m == nil {
			m = map[string]int{}
			counts[h.Frame] = m
		}
		m[h.Entry]++
	}
	out := make(map[string][]string, len(counts))
	for f, m := range counts {
		l := make([]string, 0, len(m))
		for k := range m {
			l = append(l, k)
		}
		sort.Slice(l, func(a, b int) bool { return m[l[a]] > m[l[b]] || (m[l[a]] == m[l[b]] && l[a] < l[b]) })
		out[f] = l
	}
	return out
}

// Env is what Reduce needs of the run beyond stage.Env: the run's summary,
// which shows each document's frame rates and each comparison's frame
// differences.
type Env interface {
	stage.Env
	// DocumentFrames adds a document's frame scores to the summary.
	DocumentFrames(id, group string, scores []frames.Score)
	// ComparisonFrames adds a comparison's sides (labels) and frame
	// differences, with intervals of coverage level, to the summary.
	ComparisonFrames(comparison, a, b string, level float64, diffs []frames.Diff)
}

// Reduce writes frames, group_frames and frame_comparisons.
func (s *ScoresStage) Reduce(ctx context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*ScoresPartial](ScoresName, sp)
	if err != nil {
		return err
	}
	e, ok := env.(Env)
	if !ok {
		return fmt.Errorf("%s: built in, it adds to the run's summary, which %T does not take", ScoresName, env)
	}
	if err := s.writeDocuments(ctx, p.Docs, e); err != nil {
		return err
	}
	if len(p.Docs) == 0 { // no analysed group: no group tables
		return nil
	}
	sums := frames.NewSummaries(s.names)
	for _, d := range p.Docs {
		if err := sums.Add(d.Summary); err != nil {
			return fmt.Errorf("document %s: %w", d.Summary.ID, err)
		}
	}
	if err := s.writeGroups(sums, e); err != nil {
		return err
	}
	return s.writeComparisons(ctx, sums, p.Docs, e)
}

// writeDocuments writes frames: each document's scores. Each document's
// bootstrap draws from its own seeded stream, so the documents are scored
// in parallel and written in order.
func (s *ScoresStage) writeDocuments(ctx context.Context, docs []DocFrames, e Env) error {
	w, err := e.Writer("frames")
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.FrameRow](w)
	if err != nil {
		return err
	}
	return ordered.MapWindow(ctx, len(docs), e.Workers(), ordered.SmallResults, func(i int) []frames.Score {
		return frames.DocumentScores(docs[i].Summary, s.bs)
	}, func(i int, scores []frames.Score) error {
		d := docs[i]
		id, group := d.Summary.ID, d.Summary.Group
		for _, sc := range scores {
			a.Append(&output.FrameRow{DocID: id, Group: group, Frame: sc.Frame, Hits: int32(sc.Hits), NegatedHits: int32(sc.Negated),
				WeightedHits: sc.Weighted, NWords: int32(sc.Tokens), RatePer1k: sc.Rate,
				RateLo: output.NullIfNaN(sc.RateLo), RateHi: output.NullIfNaN(sc.RateHi),
				SentenceShare: sc.Share, MatchedTerms: d.Matched[sc.Frame]})
		}
		e.DocumentFrames(id, group, scores)
		return w.Flush()
	})
}

// writeGroups writes group_frames: each group's frame rates and shares
// with their bootstrap intervals.
func (s *ScoresStage) writeGroups(sums *frames.Summaries, e Env) error {
	w, err := e.Writer("group_frames")
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.GroupFrameRow](w)
	if err != nil {
		return err
	}
	for _, g := range sums.Groups() {
		scores, err := sums.GroupScores(s.bs, g)
		if err != nil {
			return err
		}
		for _, sc := range scores {
			a.Append(&output.GroupFrameRow{
				Group:         g,
				Frame:         sc.Frame,
				Docs:          int32(sc.Docs),
				Hits:          sc.Hits,
				NegatedHits:   sc.Negated,
				NWords:        sc.Tokens,
				RatePer1k:     sc.Rate,
				RateLo:        output.NullIfNaN(sc.RateLo),
				RateHi:        output.NullIfNaN(sc.RateHi),
				SentenceShare: sc.Share,
				ShareLo:       output.NullIfNaN(sc.ShareLo),
				ShareHi:       output.NullIfNaN(sc.ShareHi),
				Resample:      sc.Resample,
			})
		}
	}
	return w.Flush()
}

// frameSides are the comparisons of the plan with analysed documents on
// both sides, which frame differences need: a group against a reference
// corpus has them only when other groups exist, a declared comparison only
// when its groups have analysed documents.
func frameSides(plan []stage.Comparison, docs []DocFrames) []frameSide {
	tally := map[string]comparestage.GroupTally{}
	for _, d := range docs {
		t := tally[d.Summary.Group]
		t.Docs++
		t.Words += int64(d.Words)
		tally[d.Summary.Group] = t
	}
	names := make([]string, 0, len(tally))
	for g := range tally {
		names = append(names, g)
	}
	slices.Sort(names)
	gt := comparestage.NewGroupTallies(names, tally)
	var out []frameSide
	for _, c := range plan {
		cs := gt.Sides(compare.Comparison{A: c.A, B: c.B}, c.Reference)
		if cs.DocsA > 0 && cs.DocsB > 0 {
			out = append(out, frameSide{label: c.Label, sides: cs})
		}
	}
	return out
}

// frameSide is a comparison with documents on both sides.
type frameSide struct {
	label string
	sides comparestage.Sides
}

// writeComparisons writes frame_comparisons: each comparison's frame
// differences, resampled in parallel and written in plan order.
func (s *ScoresStage) writeComparisons(ctx context.Context, sums *frames.Summaries, docs []DocFrames, e Env) error {
	w, err := e.Writer("frame_comparisons")
	if err != nil {
		return err
	}
	fa, err := output.NewAppender[output.FrameComparisonRow](w)
	if err != nil {
		return err
	}
	plan := frameSides(e.Comparisons(), docs)
	// Each document's hits of each frame, for the documents with a hit
	// and Gries' DP of each side.
	hits := &compare.DocCounts{}
	for _, d := range docs {
		i := hits.AddDoc(d.Summary.Group, int64(d.Words))
		for _, c := range d.Summary.Cells {
			hits.Add(i, d.Summary.Frames[c.Frame], int64(c.Hits))
		}
	}
	type result struct {
		diffs []frames.Diff
		err   error
	}
	level := s.bs.Resolved().Level
	// Comparisons resample independently (seeded by group names): computed
	// in parallel, written in plan order.
	err = ordered.MapWindow(ctx, len(plan), e.Workers(), ordered.SmallResults, func(i int) result {
		c := plan[i].sides.Cmp
		d, err := sums.Difference(c.A, c.B, s.bs)
		return result{d, err}
	}, func(i int, res result) error {
		if res.err != nil {
			return res.err
		}
		label, cs := plan[i].label, plan[i].sides
		e.ComparisonFrames(label, cs.A, cs.B, level, res.diffs)
		for _, d := range res.diffs {
			da, db, dpa, dpb := hits.Dispersion(cs.Cmp, d.Frame)
			fa.Append(&output.FrameComparisonRow{
				Comparison:  label,
				GroupA:      cs.A,
				GroupB:      cs.B,
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
	return w.Flush()
}
