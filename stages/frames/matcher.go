package frames

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/internal/par"
)

// Config configures a Matcher. The zero value uses the default lexicon.
type Config struct {
	// LexiconPath is a lexicon file (see LoadLexicon); "" = the default
	// lexicon shipped with framelens.
	LexiconPath string `yaml:"lexicon"`
	// Lexicon, when not nil, is used instead of LexiconPath (for callers
	// that build or edit a lexicon in code).
	Lexicon *Lexicon `yaml:"-"`
	// NegationWindow is how many words before a hit are searched for a
	// negator; 0 = 3, negative = no negation detection.
	NegationWindow int `yaml:"negation_window"`
	// Negators replaces the default negator list (DefaultNegators) when
	// not empty.
	Negators []string `yaml:"negators"`
}

// Resolved returns cfg with the defaults New uses filled in: a negation
// window of 3 and the default negators. LexiconPath stays as given (""
// is the default lexicon).
func (cfg Config) Resolved() Config {
	if cfg.NegationWindow == 0 {
		cfg.NegationWindow = 3
	}
	if len(cfg.Negators) == 0 {
		cfg.Negators = DefaultNegators()
	}
	return cfg
}

// Matcher finds frame lexicon entries in tokenised documents. It is
// read-only after New and safe for concurrent use.
type Matcher struct {
	lex      *Lexicon
	entries  []compiled
	lower    index // entries matched on lower-case forms
	lemma    index // entries matched on lemmas
	window   int
	negators map[string]bool
	// workers is how many goroutines a document of longTokens or more
	// may use (SetWorkers).
	workers, longTokens int
}

// compiled is an entry split into words.
type compiled struct {
	frame  int
	entry  int // index within the frame's Entries
	words  []word
	lemma  bool
	weight float64
	wild   int // number of wildcard words (fewer wins ties)
	// vetoes are phrase exclusions: where one matches at the entry's
	// first token, the entry does not match there.
	vetoes [][]word
}

type word struct {
	text   string // without the trailing *
	prefix bool
	// except are the forms a prefix word must not match (Entry.Exclude).
	except []word
}

func (w word) matches(form string) bool {
	if !w.prefix {
		return form == w.text
	}
	if !strings.HasPrefix(form, w.text) {
		return false
	}
	for _, x := range w.except {
		if x.matches(form) {
			return false
		}
	}
	return true
}

// index finds the entries that can start at a token, by their first word.
type index struct {
	exact  map[string][]int32
	prefix map[string][]int32
	// longest is the byte length of the longest prefix: no longer prefix of
	// a token can match, so a token's prefixes are looked up only that far
	// (every prefix of a 10 MB "word" was hashed: quadratic).
	longest int
}

func (ix *index) add(w word, id int32) {
	if w.prefix {
		ix.prefix[w.text] = append(ix.prefix[w.text], id)
		ix.longest = max(ix.longest, len(w.text))
	} else {
		ix.exact[w.text] = append(ix.exact[w.text], id)
	}
}

// candidates appends the ids of entries whose first word matches form.
func (ix *index) candidates(form string, out []int32) []int32 {
	out = append(out, ix.exact[form]...)
	if len(ix.prefix) == 0 {
		return out
	}
	for i := 1; i <= min(len(form), ix.longest); i++ {
		if i < len(form) && !utf8.RuneStart(form[i]) {
			continue
		}
		out = append(out, ix.prefix[form[:i]]...)
	}
	return out
}

// New loads the lexicon (once) and compiles it.
func New(cfg Config) (*Matcher, error) {
	lex := cfg.Lexicon
	if lex == nil {
		var err error
		if cfg.LexiconPath == "" {
			lex, err = DefaultLexicon()
		} else {
			lex, err = LoadLexicon(cfg.LexiconPath)
		}
		if err != nil {
			return nil, fmt.Errorf("frames: %w", err)
		}
	} else if err := lex.Validate(); err != nil {
		return nil, fmt.Errorf("frames: %w", err)
	}
	m := &Matcher{
		lex:        lex,
		lower:      index{exact: map[string][]int32{}, prefix: map[string][]int32{}},
		lemma:      index{exact: map[string][]int32{}, prefix: map[string][]int32{}},
		window:     cfg.NegationWindow,
		workers:    1,
		longTokens: defaultLongTokens,
	}
	if m.window == 0 {
		m.window = 3
	}
	negs := cfg.Negators
	if len(negs) == 0 {
		negs = DefaultNegators()
	}
	m.negators = make(map[string]bool, len(negs))
	for _, n := range negs {
		m.negators[NormalizePattern(n)] = true
	}
	for fi, f := range lex.Frames {
		for ei, e := range f.Entries {
			c := compiled{frame: fi, entry: ei, lemma: e.Lemma, weight: e.weight()}
			for _, w := range strings.Fields(NormalizePattern(e.Pattern)) {
				cw := word{text: w}
				if strings.HasSuffix(w, "*") {
					cw = word{text: strings.TrimSuffix(w, "*"), prefix: true}
					c.wild++
					for _, x := range e.Exclude {
						x = NormalizePattern(x)
						if strings.Contains(x, " ") {
							continue // a phrase exclusion: below
						}
						xw := word{text: strings.TrimSuffix(x, "*"), prefix: strings.HasSuffix(x, "*")}
						if strings.HasPrefix(xw.text, cw.text) {
							cw.except = append(cw.except, xw)
						}
					}
				}
				c.words = append(c.words, cw)
			}
			for _, x := range e.Exclude {
				x = NormalizePattern(x)
				if !strings.Contains(x, " ") {
					continue
				}
				var v []word
				for _, w := range strings.Fields(x) {
					v = append(v, word{text: strings.TrimSuffix(w, "*"), prefix: strings.HasSuffix(w, "*")})
				}
				c.vetoes = append(c.vetoes, v)
			}
			id := int32(len(m.entries))
			m.entries = append(m.entries, c)
			if e.Lemma {
				m.lemma.add(c.words[0], id)
			} else {
				m.lower.add(c.words[0], id)
			}
		}
	}
	return m, nil
}

// Name implements the pipeline's stage interface.
func (m *Matcher) Name() string { return "frames" }

// Lexicon returns the lexicon in use (read-only: do not modify).
func (m *Matcher) Lexicon() *Lexicon { return m.lex }

// Process replaces doc.FrameHits with the matches in doc's sentences.
func (m *Matcher) Process(ctx context.Context, doc *document.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	doc.FrameHits = doc.FrameHits[:0]
	if len(doc.Tokens) == 0 {
		return nil
	}
	spans := sentenceSpans(doc)
	if m.workers > 1 && len(doc.Tokens) >= m.longTokens {
		return m.long(ctx, doc, spans)
	}
	var err error
	doc.FrameHits, err = m.hits(ctx, doc, spans, 0, len(doc.Tokens), doc.FrameHits)
	return err
}

const (
	// defaultLongTokens is the size from which a document's sentences
	// are matched by chunks on up to m.workers goroutines (SetWorkers).
	defaultLongTokens = 1 << 19
)

// SetWorkers lets a document of half a million tokens or more be matched
// on up to n goroutines, by chunks of sentences: the run's workers, since
// one long document otherwise leaves all but one of them idle at the end
// of a run. The hits are the same: every sentence is matched alone, and
// the chunks' hits are put together in order. n ≤ 1 keeps every document
// on its caller's goroutine (the default). Call it before Process.
func (m *Matcher) SetWorkers(n int) { m.workers = max(1, n) }

// long matches a long document by chunks of sentences.
func (m *Matcher) long(ctx context.Context, doc *document.Document, spans []span) error {
	cuts := par.Cuts(len(spans), 4*m.workers, m.longTokens/16, func(i int) int { return spans[i].end })
	out := make([][]document.FrameHit, len(cuts)-1)
	err := par.Do(len(out), m.workers, func(_, k int) error {
		sp := spans[cuts[k]:cuts[k+1]]
		var err error
		out[k], err = m.hits(ctx, doc, sp, sp[0].start, sp[len(sp)-1].end, nil)
		return err
	})
	if err != nil {
		return err
	}
	n := 0
	for _, h := range out {
		n += len(h)
	}
	doc.FrameHits = slices.Grow(doc.FrameHits[:0], n)
	for _, h := range out {
		doc.FrameHits = append(doc.FrameHits, h...)
	}
	return nil
}

// hits appends to out the hits in the sentences spans, all of whose tokens
// lie in doc.Tokens[base:limit].
func (m *Matcher) hits(ctx context.Context, doc *document.Document, spans []span, base, limit int, out []document.FrameHit) ([]document.FrameHit, error) {
	// Indices below are into toks, lower and lemma: token base is 0.
	toks := doc.Tokens[base:limit]
	lower := make([]string, len(toks))
	lemma := make([]string, len(toks))
	for i, t := range toks {
		lower[i] = tokenLower(t)
		lemma[i] = lower[i]
		if t.Lemma != "" {
			lemma[i] = NormalizePattern(t.Lemma)
		}
	}
	nf := len(m.lex.Frames)
	best := make([]int32, nf) // best entry per frame at the current token, -1 none
	next := make([]int, nf)   // first token each frame may match again
	var cand []int32
	checked := base // tokens at the last look at ctx: every 256 sentences or 65,536 tokens
	for si, sp := range spans {
		if si%256 == 0 || sp.start-checked > 1<<16 {
			checked = sp.start
			if err := ctx.Err(); err != nil {
				return out, fmt.Errorf("frames %s: %w", doc.ID, err)
			}
		}
		start, end := sp.start-base, sp.end-base
		for f := range next {
			next[f] = start
		}
		for i := start; i < end; i++ {
			cand = m.lower.candidates(lower[i], cand[:0])
			cand = m.lemma.candidates(lemma[i], cand)
			if len(cand) == 0 {
				continue
			}
			for f := range best {
				best[f] = -1
			}
			for _, id := range cand {
				c := &m.entries[id]
				if i < next[c.frame] || !m.matchAt(c, i, end, lower, lemma) {
					continue
				}
				if b := best[c.frame]; b < 0 || better(c, &m.entries[b]) {
					best[c.frame] = id
				}
			}
			for f, id := range best {
				if id < 0 {
					continue
				}
				c := &m.entries[id]
				e := i + len(c.words)
				next[f] = e
				out = append(out, document.FrameHit{
					Frame:      m.lex.Frames[f].Name,
					Entry:      m.lex.Frames[f].Entries[c.entry].Pattern,
					Start:      toks[i].Start,
					End:        toks[e-1].End,
					TokenStart: base + i,
					TokenEnd:   base + e,
					Sentence:   sp.sentence,
					Weight:     c.weight,
					Negated:    m.negated(toks, lower, start, i),
				})
			}
		}
	}
	return out, nil
}

// better reports whether a should replace b as the match at a position:
// longer wins, then fewer wildcards (the more specific entry), then the
// entry listed first.
func better(a, b *compiled) bool {
	if len(a.words) != len(b.words) {
		return len(a.words) > len(b.words)
	}
	if a.wild != b.wild {
		return a.wild < b.wild
	}
	return a.entry < b.entry
}

func (m *Matcher) matchAt(c *compiled, i, end int, lower, lemma []string) bool {
	if i+len(c.words) > end {
		return false
	}
	forms := lower
	if c.lemma {
		forms = lemma
	}
	for k, w := range c.words {
		if !w.matches(forms[i+k]) {
			return false
		}
	}
	for _, v := range c.vetoes {
		if i+len(v) > end {
			continue
		}
		veto := true
		for k, w := range v {
			if !w.matches(forms[i+k]) {
				veto = false
				break
			}
		}
		if veto {
			return false
		}
	}
	return true
}

func tokenLower(t document.Token) string {
	s := t.Lower
	if s == "" {
		s = strings.ToLower(t.Text)
	}
	return strings.ReplaceAll(s, "’", "'")
}

type span struct{ sentence, start, end int }

// sentenceSpans lists the token range of each sentence; without sentences
// all tokens form one.
func sentenceSpans(doc *document.Document) []span {
	if len(doc.Sentences) == 0 {
		return []span{{0, 0, len(doc.Tokens)}}
	}
	out := make([]span, 0, len(doc.Sentences))
	for i, s := range doc.Sentences {
		end := min(s.TokenEnd, len(doc.Tokens))
		if s.TokenStart < end {
			out = append(out, span{i, s.TokenStart, end})
		}
	}
	return out
}
