package frames

import (
	"fmt"
	"sort"
	"strings"

	"github.com/framelens/framelens/corpus/document"
)

// EntryStats counts, per group, frame and lexicon entry, the entry's hits,
// negated hits, the documents it matched in and the word forms it matched,
// so that a reader can see which entries drive a frame and whether a
// wildcard catches words it should not ("import*" → "important"). Counts
// from shards or blocks add up with Merge. Fields are exported for
// encoding/gob.
type EntryStats struct {
	// Counts is keyed by group, then frame, then entry (as written).
	Counts map[string]map[string]map[string]*EntryCount
}

// EntryCount is one entry's counts in one group.
type EntryCount struct {
	Hits, Negated, Docs int64
	// Forms counts the matched text, lower-cased, of non-negated hits.
	Forms map[string]int64
}

// NewEntryStats returns empty counts.
func NewEntryStats() *EntryStats {
	return &EntryStats{Counts: map[string]map[string]map[string]*EntryCount{}}
}

func (s *EntryStats) count(group, frame, entry string) *EntryCount {
	g := s.Counts[group]
	if g == nil {
		g = map[string]map[string]*EntryCount{}
		s.Counts[group] = g
	}
	f := g[frame]
	if f == nil {
		f = map[string]*EntryCount{}
		g[frame] = f
	}
	c := f[entry]
	if c == nil {
		c = &EntryCount{Forms: map[string]int64{}}
		f[entry] = c
	}
	return c
}

// AddDoc adds the frame hits of one document to its group's counts.
func (s *EntryStats) AddDoc(doc *document.Document) {
	seen := map[[2]string]bool{}
	for _, h := range doc.FrameHits {
		c := s.count(doc.Group, h.Frame, h.Entry)
		if h.Negated {
			c.Negated++
			continue
		}
		c.Hits++
		if k := [2]string{h.Frame, h.Entry}; !seen[k] {
			seen[k] = true
			c.Docs++
		}
		if h.Start >= 0 && h.End <= len(doc.Clean) && h.Start < h.End {
			c.Forms[NormalizePattern(doc.Clean[h.Start:h.End])]++
		}
	}
}

// Merge adds o's counts to s.
func (s *EntryStats) Merge(o *EntryStats) {
	if o == nil {
		return
	}
	for g, frames := range o.Counts {
		for f, entries := range frames {
			for e, oc := range entries {
				c := s.count(g, f, e)
				c.Hits += oc.Hits
				c.Negated += oc.Negated
				c.Docs += oc.Docs
				for form, n := range oc.Forms {
					c.Forms[form] += n
				}
			}
		}
	}
}

// EntryRow is one row of the per-entry report (the frame_entries table).
type EntryRow struct {
	Group, Frame, Entry string
	Hits, Negated, Docs int64
	// FrameHits is the frame's non-negated hits in the group; Share is
	// Hits / FrameHits (0 when the frame has no hit).
	FrameHits int64
	Share     float64
	// Forms and FormHits are the most frequent matched forms, most
	// frequent first (ties by form).
	Forms    []string
	FormHits []int64
	// Dominant marks an entry carrying more than DominantShare of a frame
	// with at least DominantMinHits hits in the group.
	Dominant bool
}

// An entry that carries more than DominantShare of its frame's hits in a
// group, where the frame has at least DominantMinHits hits, makes the
// frame's score mostly that one word's frequency: worth a reader's look.
// Below DominantMinHits one entry easily carries most of a handful of hits.
const (
	DominantShare   = 0.5
	DominantMinHits = 20
)

// Rows returns the report rows, by group, frame, then hits (most first)
// and entry, with up to topForms forms each. Entries that only have
// negated hits are included (Hits 0).
func (s *EntryStats) Rows(topForms int) []EntryRow {
	var out []EntryRow
	for _, g := range sortedKeys(s.Counts) {
		for _, f := range sortedKeys(s.Counts[g]) {
			entries := s.Counts[g][f]
			var total int64
			for _, c := range entries {
				total += c.Hits
			}
			start := len(out)
			for e, c := range entries {
				r := EntryRow{Group: g, Frame: f, Entry: e, Hits: c.Hits, Negated: c.Negated, Docs: c.Docs, FrameHits: total}
				if total > 0 {
					r.Share = float64(c.Hits) / float64(total)
				}
				r.Dominant = total >= DominantMinHits && r.Share > DominantShare
				r.Forms, r.FormHits = topCounts(c.Forms, topForms)
				out = append(out, r)
			}
			rows := out[start:]
			sort.Slice(rows, func(i, j int) bool {
				if rows[i].Hits != rows[j].Hits {
					return rows[i].Hits > rows[j].Hits
				}
				if rows[i].Negated != rows[j].Negated {
					return rows[i].Negated > rows[j].Negated
				}
				return rows[i].Entry < rows[j].Entry
			})
		}
	}
	return out
}

// Dominance is an entry that carries most of a frame's hits in some
// groups.
type Dominance struct {
	Frame, Entry string
	// Groups are the groups where it dominates; MaxShare its largest share.
	Groups   []string
	MaxShare float64
}

// Warning is the dominance as one line for a log or summary.
func (d Dominance) Warning(groups int) string {
	where := fmt.Sprintf("in %d of %d groups", len(d.Groups), groups)
	if groups <= 1 {
		where = "in the corpus"
	} else if len(d.Groups) <= 3 {
		names := make([]string, len(d.Groups))
		for i, g := range d.Groups {
			names[i] = g
			if g == "" {
				names[i] = "(no group)"
			}
		}
		where = "in " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("frame %s: entry %q carries most of the frame's hits %s (up to %.0f%%): its score is largely that entry's frequency (see frame_entries)", d.Frame, d.Entry, where, 100*d.MaxShare)
}

// Dominant collects the dominant rows by frame and entry, in frame and
// entry order.
func Dominant(rows []EntryRow) []Dominance {
	idx := map[[2]string]int{}
	var out []Dominance
	for _, r := range rows {
		if !r.Dominant {
			continue
		}
		k := [2]string{r.Frame, r.Entry}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Dominance{Frame: r.Frame, Entry: r.Entry})
		}
		out[i].Groups = append(out[i].Groups, r.Group)
		out[i].MaxShare = max(out[i].MaxShare, r.Share)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Frame != out[j].Frame {
			return out[i].Frame < out[j].Frame
		}
		return out[i].Entry < out[j].Entry
	})
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// topCounts returns the n largest counts of m, ties by key.
func topCounts(m map[string]int64, n int) ([]string, []int64) {
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	if n >= 0 && len(keys) > n {
		keys = keys[:n]
	}
	counts := make([]int64, len(keys))
	for i, k := range keys {
		counts[i] = m[k]
	}
	return keys, counts
}
