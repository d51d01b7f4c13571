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
	_, a, err := openRows[output.FrameEntryRow](ts, "frame_entries")
	if err != nil {
		return err
	}
	for _, row := range rows {
		fh := make([]int32, len(row.FormHits))
		for i, n := range row.FormHits {
			fh[i] = int32(min(n, 1<<31-1))
		}
		a.Append(&output.FrameEntryRow{
			Group:       row.Group,
			Frame:       row.Frame,
			Entry:       row.Entry,
			Hits:        row.Hits,
			NegatedHits: row.Negated,
			Docs:        row.Docs,
			FrameHits:   row.FrameHits,
			Share:       row.Share,
			Dominant:    row.Dominant,
			TopForms:    row.Forms,
			TopFormHits: fh,
			Sources:     sources[[2]string{row.Frame, row.Entry}],
		})
	}
	return ts.closeTable("frame_entries")
}
