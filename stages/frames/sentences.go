package frames

import (
	"slices"

	"github.com/framelens/framelens/corpus/document"
)

// SentenceHits is the evidence for frames in one sentence: its text and
// the hits inside it, each with its byte span into Document.Clean.
type SentenceHits struct {
	Sentence   int
	Start, End int // byte range of the sentence in Clean
	Text       string
	// Frames lists the frames with at least one non-negated hit, sorted.
	Frames []string
	Hits   []document.FrameHit
}

// HitsBySentence groups doc.FrameHits by sentence, in sentence order, for
// evidence tables and highlighting. Sentences without hits are omitted.
func HitsBySentence(doc *document.Document) []SentenceHits {
	var out []SentenceHits
	byIdx := map[int]int{}
	for _, h := range doc.FrameHits {
		i, ok := byIdx[h.Sentence]
		if !ok {
			i = len(out)
			byIdx[h.Sentence] = i
			sh := SentenceHits{Sentence: h.Sentence}
			if h.Sentence >= 0 && h.Sentence < len(doc.Sentences) {
				s := doc.Sentences[h.Sentence]
				sh.Start, sh.End = s.Start, s.End
				if s.End <= len(doc.Clean) && s.Start <= s.End {
					sh.Text = doc.Clean[s.Start:s.End]
				}
			}
			out = append(out, sh)
		}
		out[i].Hits = append(out[i].Hits, h)
		if !h.Negated && !slices.Contains(out[i].Frames, h.Frame) {
			out[i].Frames = append(out[i].Frames, h.Frame)
		}
	}
	for i := range out {
		slices.Sort(out[i].Frames)
		slices.SortStableFunc(out[i].Hits, func(a, b document.FrameHit) int { return a.Start - b.Start })
	}
	slices.SortFunc(out, func(a, b SentenceHits) int { return a.Sentence - b.Sentence })
	return out
}
