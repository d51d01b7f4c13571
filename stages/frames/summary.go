package frames

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/framelens/framelens/corpus/document"
)

// DocSummary is the compact, mergeable record of one document's frame hits
// from which every document and group score (with bootstrap intervals) is
// computed: the word count of each sentence and, per sentence, the hits of
// each frame that occurs in it. It holds no text.
type DocSummary struct {
	ID    string
	Group string
	// Frames names the frames in lexicon order; Cell.Frame indexes it.
	Frames []string
	// SentTokens[i] is the number of non-punctuation tokens of sentence i
	// (Document.Sentences order).
	SentTokens []int32
	// Cells lists, sentence by sentence, the frames with at least one hit.
	Cells []Cell
}

// Cell is the hits of one frame in one sentence.
type Cell struct {
	Sentence int32
	Frame    int32
	// Hits counts matches not preceded by a negator; Negated those that are.
	Hits, Negated int32
	// Weighted is the sum of the entry weights of the non-negated hits.
	Weighted float64
}

// Summarize condenses doc (tokens, sentences and FrameHits) into a
// DocSummary. frames is the lexicon's frame order (Lexicon.FrameNames); a
// hit of any other frame is an error.
func Summarize(doc *document.Document, frames []string) (*DocSummary, error) {
	idx := make(map[string]int32, len(frames))
	for i, f := range frames {
		idx[f] = int32(i)
	}
	s := &DocSummary{ID: doc.ID, Group: doc.Group, Frames: slices.Clone(frames)}
	if len(doc.Sentences) == 0 {
		var n int32
		for _, t := range doc.Tokens {
			if !isPunctToken(t) {
				n++
			}
		}
		if len(doc.Tokens) > 0 {
			s.SentTokens = []int32{n}
		}
	} else {
		s.SentTokens = make([]int32, len(doc.Sentences))
		for _, t := range doc.Tokens {
			if t.Sentence >= 0 && t.Sentence < len(s.SentTokens) && !isPunctToken(t) {
				s.SentTokens[t.Sentence]++
			}
		}
	}
	type key struct{ sent, frame int32 }
	cells := map[key]*Cell{}
	for _, h := range doc.FrameHits {
		fi, ok := idx[h.Frame]
		if !ok {
			return nil, fmt.Errorf("frames: summarizing %s: hit of unknown frame %q", doc.ID, h.Frame)
		}
		sent := int32(h.Sentence)
		if len(doc.Sentences) == 0 {
			sent = 0
		}
		if int(sent) >= len(s.SentTokens) || sent < 0 {
			return nil, fmt.Errorf("frames: summarizing %s: hit in sentence %d of %d", doc.ID, h.Sentence, len(s.SentTokens))
		}
		k := key{sent, fi}
		c := cells[k]
		if c == nil {
			c = &Cell{Sentence: sent, Frame: fi}
			cells[k] = c
		}
		if h.Negated {
			c.Negated++
		} else {
			c.Hits++
			w := h.Weight
			if w == 0 {
				w = 1
			}
			c.Weighted += w
		}
	}
	for _, c := range cells {
		s.Cells = append(s.Cells, *c)
	}
	slices.SortFunc(s.Cells, func(a, b Cell) int {
		if a.Sentence != b.Sentence {
			return int(a.Sentence - b.Sentence)
		}
		return int(a.Frame - b.Frame)
	})
	return s, nil
}

func isPunctToken(t document.Token) bool {
	if t.IsPunct {
		return true
	}
	return isPunctForm(strings.ToLower(t.Text))
}

// Summarize is Summarize with the matcher's frame order.
func (m *Matcher) Summarize(doc *document.Document) (*DocSummary, error) {
	return Summarize(doc, m.lex.FrameNames())
}

// Summaries collects DocSummaries by group. Shards built apart combine with
// Merge; the result does not depend on the order documents arrive in.
type Summaries struct {
	Frames []string
	groups map[string][]*DocSummary

	mu    sync.Mutex
	pools map[string]*pool // per-group bootstrap pools, built on first use
	whole *pool            // every group's pool, as parts (restPool)
}

// NewSummaries starts an empty collection for the given frame order.
func NewSummaries(frames []string) *Summaries {
	return &Summaries{Frames: slices.Clone(frames), groups: map[string][]*DocSummary{}}
}

// Add records a document summary under its Group.
func (s *Summaries) Add(d *DocSummary) error {
	if !slices.Equal(d.Frames, s.Frames) {
		return fmt.Errorf("frames: summary of %s has frames %v, collection has %v", d.ID, d.Frames, s.Frames)
	}
	if s.groups == nil {
		s.groups = map[string][]*DocSummary{}
	}
	s.groups[d.Group] = append(s.groups[d.Group], d)
	s.pools = nil
	return nil
}

// Merge adds every summary of o.
func (s *Summaries) Merge(o *Summaries) error {
	for _, g := range o.Groups() {
		for _, d := range o.groups[g] {
			if err := s.Add(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// Groups lists the group names, sorted.
func (s *Summaries) Groups() []string {
	out := make([]string, 0, len(s.groups))
	for g := range s.groups {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

// Docs returns the summaries of the named groups (all groups when none are
// named), ordered by group then ID so that results are reproducible.
func (s *Summaries) Docs(groups ...string) []*DocSummary {
	if len(groups) == 0 {
		groups = s.Groups()
	}
	var out []*DocSummary
	for _, g := range groups {
		out = append(out, s.groups[g]...)
	}
	slices.SortStableFunc(out, func(a, b *DocSummary) int {
		if c := strings.Compare(a.Group, b.Group); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// rest lists the groups not in names.
func (s *Summaries) rest(names []string) []string {
	var out []string
	for _, g := range s.Groups() {
		if !slices.Contains(names, g) {
			out = append(out, g)
		}
	}
	return out
}
