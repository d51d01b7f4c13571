package tokenize

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/internal/par"
)

// Config configures a Tokenizer. The zero value is the default: tags,
// lemmas, stems and the default English stop list (DefaultStopList),
// single newlines read as line wraps.
type Config struct {
	// NoTags leaves Token.POS empty and skips the tagger.
	NoTags bool `yaml:"no_tags"`
	// NoLemma sets Token.Lemma to the lower-cased form.
	NoLemma bool `yaml:"no_lemma"`
	// NoStem sets Token.Stem to the lower-cased form.
	NoStem bool `yaml:"no_stem"`
	// StopWordsFile names a UTF-8 file of stop words, one per line ("#"
	// starts a comment), that replaces the default English list.
	StopWordsFile string `yaml:"stop_words_file"`
	// ExtraStopWordsFile names a file of the same form whose words are
	// added to the list (the default one, or StopWordsFile's).
	ExtraStopWordsFile string `yaml:"extra_stop_words_file"`
	// Newlines says what a single newline inside a paragraph means.
	Newlines NewlineMode `yaml:"newlines"`
}

// Tokenizer fills Document.Sentences and Document.Tokens. Models are loaded
// once by New and read-only afterwards; it is safe for concurrent use.
type Tokenizer struct {
	cfg    Config
	seg    *Segmenter
	tagger *Tagger     // nil with NoTags
	lemmas *Lemmatizer // nil with NoLemma
	stop   StopList
	// openQuote and closeQuote are the tagger's views of `` and '', the
	// Treebank spellings of a straight double quote by position.
	openQuote, closeQuote TagWord
	// caches holds idle word-form caches. Unlike a sync.Pool it survives
	// garbage collections, so a cache stays warm across documents.
	caches chan *lexCache
	// workers is how many goroutines a section of longBytes or more may
	// use (SetWorkers).
	workers, longBytes int
}

// maxCacheWords bounds a worker's word-form cache; it is cleared when full.
const maxCacheWords = 1 << 18

const (
	// defaultLongBytes is the size from which a section is a long one
	// (longSection): counted first, then filled by chunks of sentences.
	defaultLongBytes = 2 << 20
)

// New loads the tagging model, the lemma dictionary and the stop words.
func New(cfg Config) (*Tokenizer, error) {
	seg, err := NewSegmenter(SegmenterConfig{Newlines: cfg.Newlines})
	if err != nil {
		return nil, err
	}
	t := &Tokenizer{cfg: cfg, seg: seg}
	if !cfg.NoTags {
		if t.tagger, err = NewTagger(); err != nil {
			return nil, err
		}
		t.openQuote, t.closeQuote = t.tagger.Word("``"), t.tagger.Word("''")
	}
	if !cfg.NoLemma {
		if t.lemmas, err = NewLemmatizer(); err != nil {
			return nil, err
		}
	}
	t.stop = DefaultStopList()
	if cfg.StopWordsFile != "" {
		if t.stop, err = ReadStopWords(cfg.StopWordsFile); err != nil {
			return nil, err
		}
	}
	if cfg.ExtraStopWordsFile != "" {
		extra, err := ReadStopWords(cfg.ExtraStopWordsFile)
		if err != nil {
			return nil, err
		}
		for w := range extra {
			t.stop[w] = true
		}
	}
	t.caches = make(chan *lexCache, 2*runtime.GOMAXPROCS(0))
	t.workers, t.longBytes = 1, defaultLongBytes
	return t, nil
}

// SetWorkers lets a section of two megabytes or more be tokenized and
// tagged on up to n goroutines, by chunks of sentences: the run's workers,
// since one long document otherwise leaves all but one of them idle at
// the end of a run. The tokens are the same. n ≤ 1 keeps every document on
// its caller's goroutine (the default). Call it before Process.
func (t *Tokenizer) SetWorkers(n int) { t.workers = max(1, n) }

// getCache takes an idle word-form cache, or makes one.
func (t *Tokenizer) getCache() *lexCache {
	var c *lexCache
	select {
	case c = <-t.caches:
	default:
		c = newLexCache()
	}
	if len(c.lex) > maxCacheWords {
		clear(c.index)
		clear(c.lemmas)
		c.lex = c.lex[:0]
	}
	return c
}

// putCache gives back a cache for the next document.
func (t *Tokenizer) putCache(c *lexCache) {
	select {
	case t.caches <- c:
	default: // more workers than idle slots: drop it
	}
}

// Name implements the pipeline's stage interface.
func (t *Tokenizer) Name() string { return "tokenize" }

// Segmenter returns the sentence splitter the Tokenizer uses.
func (t *Tokenizer) Segmenter() *Segmenter { return t.seg }

// lexeme is everything about a token that depends only on its text.
type lexeme struct {
	lower, stem string
	// lemma is the lemma without a tag (Config.NoTags); plain the lemma
	// under the tags that do not inflect (NN, JJ, IN, RB, …).
	lemma, plain string
	// inflClass and infl memoise the lemma under the last inflecting
	// class (NNS, VBD, …) the form was tagged with; others go to
	// lexCache.lemmas.
	inflClass   lemmaClass
	infl        string
	stop, punct bool
	tw          TagWord
}

// lemmaKey names a word form under a lemma class in lexCache.lemmas.
type lemmaKey struct {
	lex   int32
	class lemmaClass
}

// lexCache memoises lexemes by token text, plus scratch buffers. Stems,
// lemmas and tagger features are computed once per word form; a worker keeps
// its cache across documents through the Tokenizer's pool.
type lexCache struct {
	index map[string]int32
	lex   []lexeme
	sents []Span
	words []Span
	tws   []TagWord
	tags  []string
	lexes []int32 // the lexeme of each word of the sentence
	// lemmas memoises the lemmas of inflecting tags (NNS, VBD, …).
	lemmas map[lemmaKey]string
}

func newLexCache() *lexCache {
	return &lexCache{index: make(map[string]int32, 4096), lemmas: make(map[lemmaKey]string, 1024)}
}

// Process tokenizes every analysed section of doc. A document with no
// sections is treated as one body section covering all of Clean.
func (t *Tokenizer) Process(ctx context.Context, doc *document.Document) error {
	sections := doc.Sections
	if len(sections) == 0 {
		sections = []document.Section{{Kind: document.KindBody, Start: 0, End: len(doc.Clean)}}
	}
	doc.Sentences = doc.Sentences[:0]
	doc.Tokens = doc.Tokens[:0]
	c := t.getCache()
	defer t.putCache(c)
	var zh *Chinese
	if doc.Lang == "zh" {
		var err error
		if zh, err = LoadChinese(); err != nil {
			return err
		}
	}
	for si, sec := range sections {
		if !sec.Kind.Analysed() || sec.End <= sec.Start {
			continue
		}
		if sec.Start < 0 || sec.End > len(doc.Clean) {
			return fmt.Errorf("tokenize %s: section %d range [%d,%d) outside Clean (%d bytes)", doc.ID, si, sec.Start, sec.End, len(doc.Clean))
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if zh != nil {
			if err := t.chineseSection(ctx, zh, doc, si, sec); err != nil {
				return fmt.Errorf("tokenize %s section %d: %w", doc.ID, si, err)
			}
			continue
		}
		if doc.Lang != "" && doc.Lang != "en" {
			if err := t.otherSection(ctx, c, doc, si, sec); err != nil {
				return fmt.Errorf("tokenize %s section %d: %w", doc.ID, si, err)
			}
			continue
		}
		if err := t.section(ctx, c, doc, si, sec); err != nil {
			return fmt.Errorf("tokenize %s section %d: %w", doc.ID, si, err)
		}
	}
	return nil
}

func (t *Tokenizer) section(ctx context.Context, c *lexCache, doc *document.Document, si int, sec document.Section) error {
	text := doc.Clean
	c.sents = t.seg.AppendSplit(c.sents[:0], text[sec.Start:sec.End])
	if sec.End-sec.Start >= t.longBytes {
		return t.longSection(ctx, c, doc, si, sec)
	}
	// ctx is checked every 1,024 sentences or 65,536 bytes of them, so
	// that an interrupt stops a document of one huge sentence too.
	checked := 0
	var err error
	for n, sp := range c.sents {
		if n%1024 == 1023 || sp.End-checked > 1<<16 {
			checked = sp.End
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		sentIdx := len(doc.Sentences)
		ts := len(doc.Tokens)
		start, end := sec.Start+sp.Start, sec.Start+sp.End
		if doc.Tokens, err = t.sentence(ctx, c, text, start, end, sentIdx, doc.Tokens); err != nil {
			return err
		}
		doc.Sentences = append(doc.Sentences, document.Sentence{
			Index: sentIdx, Section: si, Start: start, End: end,
			TokenStart: ts, TokenEnd: len(doc.Tokens),
		})
	}
	return nil
}

// longSection tokenizes a section of at least longBytes, whose sentences
// AppendSplit has put in c.sents: it counts the tokens of its chunks of
// sentences first, so that doc.Tokens grows once to its exact size (a
// slice of ten million tokens growing by appends copied gigabytes), then
// fills each chunk's part of it, on up to t.workers goroutines. The tokens
// are those of the sentence-by-sentence path: a sentence is tokenized and
// tagged alone, and every cache is only a memo.
func (t *Tokenizer) longSection(ctx context.Context, c *lexCache, doc *document.Document, si int, sec document.Section) error {
	text := doc.Clean
	sents := c.sents
	cuts := par.Cuts(len(sents), 4*t.workers, t.longBytes/8, func(i int) int { return sents[i].End })
	chunks := len(cuts) - 1
	caches := make([]*lexCache, max(1, min(t.workers, chunks)))
	caches[0] = c
	defer func() {
		for _, x := range caches[1:] {
			if x != nil {
				t.putCache(x)
			}
		}
	}()
	cache := func(w int) *lexCache {
		if caches[w] == nil {
			caches[w] = t.getCache()
		}
		return caches[w]
	}
	// Pass 1: the number of tokens of each chunk.
	counts := make([]int, chunks)
	err := par.Do(chunks, t.workers, func(w, k int) error {
		x := cache(w)
		n := 0
		checked := -1 << 62
		for i := cuts[k]; i < cuts[k+1]; i++ {
			if i%1024 == 0 || sents[i].End-checked > 1<<20 {
				checked = sents[i].End
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			x.words = appendWords(x.words[:0], text, sec.Start+sents[i].Start, sec.Start+sents[i].End)
			n += len(x.words)
		}
		counts[k] = n
		return nil
	})
	if err != nil {
		return err
	}
	tokBase, sentBase := len(doc.Tokens), len(doc.Sentences)
	total := 0
	for _, n := range counts {
		total += n
	}
	doc.Tokens = slices.Grow(doc.Tokens, total)[:tokBase+total]
	doc.Sentences = slices.Grow(doc.Sentences, len(sents))[:sentBase+len(sents)]
	// Pass 2: each chunk appends into its own window of doc.Tokens, whose
	// capacity is exactly its count, so the appends write in place.
	first := make([]int, chunks) // first token of each chunk
	for k := 1; k < chunks; k++ {
		first[k] = first[k-1] + counts[k-1]
	}
	err = par.Do(chunks, t.workers, func(w, k int) error {
		x := cache(w)
		lo, hi := tokBase+first[k], tokBase+first[k]+counts[k]
		toks := doc.Tokens[lo:lo:hi]
		checked := sents[cuts[k]].Start
		for i := cuts[k]; i < cuts[k+1]; i++ {
			sp := sents[i]
			if i%1024 == 1023 || sp.End-checked > 1<<16 {
				checked = sp.End
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			ts := lo + len(toks)
			start, end := sec.Start+sp.Start, sec.Start+sp.End
			var err error
			if toks, err = t.sentence(ctx, x, text, start, end, sentBase+i, toks); err != nil {
				return err
			}
			doc.Sentences[sentBase+i] = document.Sentence{
				Index: sentBase + i, Section: si, Start: start, End: end,
				TokenStart: ts, TokenEnd: lo + len(toks),
			}
		}
		if len(toks) != hi-lo || (len(toks) > 0 && &toks[0] != &doc.Tokens[lo]) {
			return fmt.Errorf("%w: chunk %d of %d tokens counted %d", errLongSection, k, len(toks), hi-lo)
		}
		return nil
	})
	if err != nil {
		// no half-filled tokens: the document failed
		doc.Tokens, doc.Sentences = doc.Tokens[:tokBase], doc.Sentences[:sentBase]
	}
	return err
}

// errLongSection is a bug: the two passes over a long section disagreed.
var errLongSection = errors.New("tokenize: long section")

// sentence tokenizes and tags the sentence [start, end) of text, number
// sentIdx of the document, and appends its tokens to toks.
func (t *Tokenizer) sentence(ctx context.Context, c *lexCache, text string, start, end, sentIdx int, toks []document.Token) ([]document.Token, error) {
	c.words = appendWords(c.words[:0], text, start, end)
	ts := len(toks)
	c.tws = c.tws[:0]
	c.lexes = c.lexes[:0]
	for k, w := range c.words {
		if k&0xffff == 0xffff { // a sentence of a million words: look at ctx inside it
			if err := ctx.Err(); err != nil {
				return toks, err
			}
		}
		tok := text[w.Start:w.End]
		li := t.lexemeIndex(c, tok)
		c.lexes = append(c.lexes, li)
		lx := &c.lex[li]
		toks = append(toks, document.Token{
			Start: w.Start, End: w.End, Text: tok,
			Lower: lx.lower, Lemma: lx.lemma, Stem: lx.stem,
			Sentence: sentIdx, IsStop: lx.stop, IsPunct: lx.punct,
		})
		tw := lx.tw
		if tok == `"` && t.tagger != nil {
			if w.Start == start || unicode.IsSpace(rune(text[w.Start-1])) || strings.ContainsRune("([{", rune(text[w.Start-1])) {
				tw = t.openQuote
			} else {
				tw = t.closeQuote
			}
		}
		c.tws = append(c.tws, tw)
	}
	if t.tagger != nil {
		if cap(c.tags) < len(c.tws) {
			c.tags = make([]string, len(c.tws), 2*len(c.tws))
		}
		c.tags = c.tags[:len(c.tws)]
		t.tagger.TagSentence(c.tws, c.tags)
		for k, tag := range c.tags {
			tok := &toks[ts+k]
			tok.POS = tag
			switch {
			case tok.IsStop && keepsProperNoun(tok.Lower, tok.Text, tag) && k > 0 && !c.lex[c.lexes[k-1]].punct:
				// not at the start of a sentence: "May God bless".
				tok.IsStop = false
			case tok.Text == "US" && tag == "PRP":
				tok.IsStop = t.stop.has("us") // "LET US": the pronoun after all
			}
			if t.lemmas != nil {
				tok.Lemma = t.taggedLemma(c, c.tags, k, tok.Text)
			}
		}
	}
	return toks, nil
}

func (t *Tokenizer) lexemeIndex(c *lexCache, tok string) int32 {
	if i, ok := c.index[tok]; ok {
		return i
	}
	tok = strings.Clone(tok) // the cache outlives the document
	lower := strings.ToLower(tok)
	lx := lexeme{lower: lower, lemma: lower, stem: lower, punct: isPunct(tok)}
	lx.plain = lower
	if !lx.punct {
		if t.lemmas != nil {
			if t.tagger == nil {
				lx.lemma = t.lemmas.lemma(lower, classNone)
			}
			lx.plain = t.lemmas.lemma(lower, classPlain)
		}
		if !t.cfg.NoStem {
			lx.stem = english.Stem(lower, false)
		}
	}
	lx.stop = t.stop.has(lower)
	if tok == "US" {
		// the country, unless the tagger says pronoun (taggedLemma)
		lx.stop = false
		if t.lemmas != nil {
			lx.lemma, lx.plain = "u.s.", "u.s."
		}
	}
	if t.tagger != nil {
		spell := proseSpelling(tok)
		if spell == "i" {
			// The tagger learnt from edited text: web text's lone "i" is a
			// noun to it.
			spell = "I"
		}
		lx.tw = t.tagger.Word(spell)
	}
	i := int32(len(c.lex))
	c.lex = append(c.lex, lx)
	c.index[tok] = i
	return i
}

// taggedLemma is the lemma of the k-th word of the sentence under its tag.
// A plural proper noun inside a name keeps its form ("United States",
// "United Nations" are not "united state", "united nation"); alone it is
// singular, as UD lemmatises it ("Palestinians" → "palestinian").
//
// "us" is "we" whatever its tag (the tagger often calls the pronoun a
// proper noun: "Contact Us"), unless written "US": the country, lemma
// "u.s." as it is written "U.S.", so that no term "us" leaves a reader
// guessing which it counts.
func (t *Tokenizer) taggedLemma(c *lexCache, tags []string, k int, text string) string {
	li := c.lexes[k]
	lx := &c.lex[li]
	if lx.punct && tags[k] != "POS" {
		return lx.lower
	}
	if lx.lower == "us" {
		if text == "US" && tags[k] != "PRP" {
			return "u.s."
		}
		return "we"
	}
	class := tagClass(tags[k])
	switch class {
	case classPlain:
		return lx.plain
	case classNNPS:
		if k > 0 && (tags[k-1] == "NNP" || tags[k-1] == "NNPS") {
			return lx.lower
		}
	}
	if lx.inflClass == class {
		return lx.infl
	}
	key := lemmaKey{li, class}
	lm, ok := c.lemmas[key]
	if !ok {
		lm = t.lemmas.lemma(lx.lower, class)
		c.lemmas[key] = lm
	}
	lx.inflClass, lx.infl = class, lm
	return lm
}

// proseSpelling writes a token as the tagger, trained on ASCII Penn
// Treebank text, expects it: curly quotes as “ and ”, dashes as --, the
// ellipsis as "...", apostrophes inside words as '. (prose itself turns
// curly quotes into straight ones, which the model does not know.)
func proseSpelling(tok string) string {
	ascii := true
	for i := 0; i < len(tok); i++ {
		if tok[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || tok == "" {
		return tok
	}
	switch tok {
	case "…":
		return "..."
	case "—", "―", "–":
		return "--"
	case "“", "„", "«":
		return "``"
	case "”", "»":
		return "''"
	case "‘":
		return "`"
	}
	return proseQuotes.Replace(tok)
}

var proseQuotes = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2018", "'", "\u2019", "'")

func isPunct(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
