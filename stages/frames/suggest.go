package frames

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/framelens/framelens/corpus/document"
)

// Cooc counts, over sentences, how often each word occurs and how often it
// occurs in a sentence carrying each frame. It is the mergeable input of
// Suggest: count shards apart, Merge, then Suggest once.
type Cooc struct {
	Frames []string
	// Lemma counts lemmas instead of lower-case forms.
	Lemma bool
	// Sentences is the number of sentences with at least one word.
	Sentences int64
	// FrameSents[f] is the number of sentences with a non-negated hit of f.
	FrameSents []int64
	// Term[w] is the number of sentences containing w.
	Term map[string]int64
	// Joint[f][w] is the number of sentences carrying f that contain w
	// outside f's own matched spans.
	Joint []map[string]int64
}

// NewCooc starts empty co-occurrence counts for the frames.
func NewCooc(frames []string, lemma bool) *Cooc {
	c := &Cooc{Frames: slices.Clone(frames), Lemma: lemma, FrameSents: make([]int64, len(frames)),
		Term: map[string]int64{}, Joint: make([]map[string]int64, len(frames))}
	for i := range c.Joint {
		c.Joint[i] = map[string]int64{}
	}
	return c
}

// AddDoc counts the sentences of a document whose FrameHits are filled.
func (c *Cooc) AddDoc(doc *document.Document) error {
	idx := make(map[string]int, len(c.Frames))
	for i, f := range c.Frames {
		idx[f] = i
	}
	carry := map[int][]int{} // sentence -> frames
	tokens := 0
	if len(doc.FrameHits) > 0 {
		tokens = len(doc.Tokens)
	}
	cov := newCoverage(len(c.Frames), tokens)
	for _, h := range doc.FrameHits {
		if h.Negated {
			continue
		}
		f, ok := idx[h.Frame]
		if !ok {
			return fmt.Errorf("frames: co-occurrence of %s: unknown frame %q", doc.ID, h.Frame)
		}
		if !slices.Contains(carry[h.Sentence], f) {
			carry[h.Sentence] = append(carry[h.Sentence], f)
		}
		for t := h.TokenStart; t < h.TokenEnd; t++ {
			cov.mark(f, t)
		}
	}
	form := func(tok document.Token) string {
		if c.Lemma && tok.Lemma != "" {
			return NormalizePattern(tok.Lemma)
		}
		return tokenLower(tok)
	}
	seen := map[string]bool{}
	for _, sp := range sentenceSpans(doc) {
		clear(seen)
		for t := sp.start; t < sp.end; t++ {
			tok := doc.Tokens[t]
			if w := form(tok); !tok.IsPunct && !tok.IsStop && isWord(w) {
				seen[w] = true
			}
		}
		if len(seen) == 0 {
			continue
		}
		c.Sentences++
		for w := range seen {
			c.Term[w]++
		}
		for _, f := range carry[sp.sentence] {
			c.FrameSents[f]++
			// Count a word for f only when it occurs outside f's own hits,
			// so the words of matched phrases do not suggest themselves.
			clear(seen)
			for t := sp.start; t < sp.end; t++ {
				tok := doc.Tokens[t]
				if w := form(tok); !cov.has(f, t) && !tok.IsPunct && !tok.IsStop && isWord(w) {
					seen[w] = true
				}
			}
			for w := range seen {
				c.Joint[f][w]++
			}
		}
	}
	return nil
}

// coverage marks the (frame, token) pairs inside a non-negated hit: a bit
// per frame for each token when there are at most 64 frames (a map of
// pairs took seconds on a document of millions of tokens), else a map.
type coverage struct {
	bits  []uint64
	pairs map[[2]int]bool
}

func newCoverage(frames, tokens int) coverage {
	if frames <= 64 {
		return coverage{bits: make([]uint64, tokens)}
	}
	return coverage{pairs: map[[2]int]bool{}}
}

func (c coverage) mark(f, t int) {
	switch {
	case c.pairs != nil:
		c.pairs[[2]int{f, t}] = true
	case t >= 0 && t < len(c.bits): // only tokens' pairs are asked for
		c.bits[t] |= 1 << f
	}
}

func (c coverage) has(f, t int) bool {
	if c.pairs != nil {
		return c.pairs[[2]int{f, t}]
	}
	return c.bits[t]&(1<<f) != 0
}

// Merge adds o's counts. Words new to c are copied, so that merged counts
// do not keep the texts they were cut from in memory.
func (c *Cooc) Merge(o *Cooc) error {
	if !slices.Equal(c.Frames, o.Frames) || c.Lemma != o.Lemma {
		return fmt.Errorf("frames: merging co-occurrence counts of different frames or forms")
	}
	c.Sentences += o.Sentences
	for f := range c.FrameSents {
		c.FrameSents[f] += o.FrameSents[f]
		for w, n := range o.Joint[f] {
			if _, ok := c.Joint[f][w]; !ok {
				w = strings.Clone(w)
			}
			c.Joint[f][w] += n
		}
	}
	for w, n := range o.Term {
		if _, ok := c.Term[w]; !ok {
			w = strings.Clone(w)
		}
		c.Term[w] += n
	}
	return nil
}

// SuggestConfig configures Suggest.
type SuggestConfig struct {
	// TopN is the number of suggestions per frame; 0 = 20.
	TopN int
	// MinJoint is the least number of frame sentences a word must occur in;
	// 0 = 3 (PPMI overrates words seen once or twice).
	MinJoint int64
	// StopWords are excluded in addition to the built-in English list and
	// tokens the tokenizer marked as stop words.
	StopWords []string
}

// Suggestion is a candidate entry for a frame.
type Suggestion struct {
	Frame string
	Term  string
	// PPMI is max(0, log2 P(w,f) / (P(w) P(f))) over sentences.
	PPMI float64
	// Joint is the number of sentences carrying the frame that contain the
	// term; TermSents the number of sentences containing it.
	Joint, TermSents int64
}

// Suggest proposes new entries for each frame of lex: words that co-occur
// with the frame's hits in the same sentences more than chance, ranked by
// PPMI (then joint count, then the word). Words the frame already matches
// and stop words are left out.
func Suggest(c *Cooc, lex *Lexicon, cfg SuggestConfig) ([]Suggestion, error) {
	if cfg.TopN == 0 {
		cfg.TopN = 20
	}
	if cfg.MinJoint == 0 {
		cfg.MinJoint = 3
	}
	m, err := New(Config{Lexicon: lex, NegationWindow: -1})
	if err != nil {
		return nil, err
	}
	stop := map[string]bool{}
	for _, w := range englishStopWords() {
		stop[w] = true
	}
	for _, w := range cfg.StopWords {
		stop[NormalizePattern(w)] = true
	}
	var out []Suggestion
	n := float64(c.Sentences)
	for f, name := range c.Frames {
		fi := -1
		for i, lf := range lex.Frames {
			if lf.Name == name {
				fi = i
			}
		}
		var cands []Suggestion
		for w, j := range c.Joint[f] {
			if j < cfg.MinJoint || stop[w] || (fi >= 0 && m.matchesWord(fi, w)) {
				continue
			}
			pmi := math.Log2(float64(j) * n / (float64(c.Term[w]) * float64(c.FrameSents[f])))
			if pmi <= 0 {
				continue
			}
			cands = append(cands, Suggestion{Frame: name, Term: w, PPMI: pmi, Joint: j, TermSents: c.Term[w]})
		}
		slices.SortFunc(cands, func(a, b Suggestion) int {
			if a.PPMI != b.PPMI {
				if a.PPMI > b.PPMI {
					return -1
				}
				return 1
			}
			if a.Joint != b.Joint {
				return int(b.Joint - a.Joint)
			}
			return strings.Compare(a.Term, b.Term)
		})
		if len(cands) > cfg.TopN {
			cands = cands[:cfg.TopN]
		}
		out = append(out, cands...)
	}
	return out, nil
}

// matchesWord reports whether some one-word entry of frame fi matches w
// (as a lower-case form or lemma).
func (m *Matcher) matchesWord(fi int, w string) bool {
	for _, c := range m.entries {
		if c.frame == fi && len(c.words) == 1 && c.words[0].matches(w) {
			return true
		}
	}
	return false
}

func isWord(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 3
}

// englishStopWords is a short function-word list so that Suggest works
// even when the tokenizer does not flag stop words.
func englishStopWords() []string {
	return strings.Fields(`a about above after again against all also although am an and any are as at be
because been before being below between both but by can could did do does doing down during each either
else even ever every few for from further had has have having he her here hers herself him himself his how
however i if in into is it its itself just may me might more most much must my myself no nor not now of off
on once one only or other others our ours ourselves out over own same shall she should so some such than that
the their theirs them themselves then there these they this those through thus to too under until up upon us
very was we were what when where whether which while who whom whose why will with within without would yet
you your yours yourself yourselves well many among via per including thereby therefore hence`)
}
