package pipeline

import (
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/frames"
)

// frameEntryForms is how many matched forms frame_entries lists per entry.
const frameEntryForms = 5

// writeFrameEntries writes frame_entries, the per-entry report, and warns
// (log and summary) of entries that carry most of a frame's hits and of a
// lexicon derived from the text it scores.
func (r *reducer) writeFrameEntries(ts *tableSet, sum *Summary) error {
	lex := r.eng.fm.Lexicon()
	ids := make([]string, len(r.states))
	for i, d := range r.states {
		ids[i] = d.ID
	}
	if w := lex.DerivedOverlap(r.eng.cfg.Corpus, ids); w != "" {
		r.eng.log.Warn(w)
		sum.Warnings = append(sum.Warnings, w)
	}
	sources := map[[2]string][]string{}
	for _, f := range lex.Frames {
		for _, e := range f.Entries {
			if len(e.Sources) > 0 {
				sources[[2]string{f.Name, e.Pattern}] = e.Sources
			}
		}
	}
	if r.entries == nil {
		r.entries = frames.NewEntryStats()
	}
	rows := r.entries.Rows(frameEntryForms)
	groups := len(r.entries.Counts)
	for _, d := range frames.Dominant(rows) {
		w := d.Warning(groups)
		r.eng.log.Warn(w)
		sum.Warnings = append(sum.Warnings, w)
	}
	w, err := ts.writer("frame_entries", nil)
	if err != nil {
		return err
	}
	c := output.ColsOf(w)
	group, frame, entry, hits, neg, docs := c.Str("group"), c.Str("frame"), c.Str("entry"), c.Int64("hits"), c.Int64("negated_hits"), c.Int64("docs")
	fhits, share, dominant, forms, formHits, src := c.Int64("frame_hits"), c.Float64("share"), c.Bool("dominant"), c.Strings("top_forms"), c.Int32s("top_form_hits"), c.Strings("sources")
	for _, row := range rows {
		group(row.Group)
		frame(row.Frame)
		entry(row.Entry)
		hits(row.Hits)
		neg(row.Negated)
		docs(row.Docs)
		fhits(row.FrameHits)
		share(row.Share)
		dominant(row.Dominant)
		forms(row.Forms)
		fh := make([]int32, len(row.FormHits))
		for i, n := range row.FormHits {
			fh[i] = int32(min(n, 1<<31-1))
		}
		formHits(fh)
		src(sources[[2]string{row.Frame, row.Entry}])
	}
	return ts.closeTable("frame_entries")
}
