package keyphrases

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/kljensen/snowball/english"

	"github.com/framelens/framelens/corpus/document"
)

// DocCandidates are the candidate phrases of one document with the
// per-document scores the configured method needs. It is what the pipeline
// keeps between the per-document pass and the corpus-level ranking, so it
// holds one small record per distinct phrase and nothing else.
type DocCandidates struct {
	DocID string
	// Words is the number of word tokens of the analysed text.
	Words   int
	Phrases []Candidate
}

// Candidate is one distinct candidate phrase of a document.
type Candidate struct {
	// Key is the space-separated Snowball stems of the words: the identity
	// of the phrase within and across documents.
	Key string
	// Norm is the lower-cased lemma form (document.Keyphrase.Norm).
	Norm string
	// Phrase is the surface form as most often written.
	Phrase string
	Words  int
	Count  int
	// FirstStart is the byte offset of the first occurrence in Clean;
	// FirstPos its word index.
	FirstStart, FirstPos int
	// Maximal counts the occurrences that are a whole noun phrase rather
	// than part of a longer one.
	Maximal int
	// Nested counts the occurrences inside a longer candidate ("talent
	// competition" inside "global talent competition"), and Containers the
	// distinct longer candidates it occurs in: the C-value counts
	// (Frantzi et al. 2000), kept for phrases of two or more words (zero
	// for single words). A phrase's total frequency is Maximal + Nested.
	Nested, Containers int
	// Author is true when the phrase is one of the document's author
	// keywords (document.Document.AuthorKeywords, compared by stems).
	Author bool
	// Acronym is true for a single word first written in capitals ("UDDI").
	Acronym bool
	// Lead is true when the phrase occurs in the first line or sentence
	// (the title of an abstract).
	Lead bool
	// WordTF is the mean number of times the phrase's words occur in the
	// document's noun phrases.
	WordTF float64
	// YAKE is the YAKE score (lower is better); Graph the graph score
	// (higher is better). Each is filled only when the method uses it.
	YAKE  float64
	Graph float64
	// Context counts the occurrences by what surrounds them, one count per
	// ContextKind: features of the ensemble.
	Context [numContexts]int32
}

// ContextKind is a kind of surrounding of a phrase occurrence, by the
// tokens just before and after it. Each is a feature of the ensemble
// (share of the phrase's occurrences); together they added 0.005 to F1@10
// on Inspec dev and 0.014 on test (docs/eval-keyphrases.md).
type ContextKind int

const (
	// CtxCoordinated: next to "and", "or" or a comma, a member of a list
	// ("institutional support and development opportunities").
	CtxCoordinated ContextKind = iota
	// CtxBeforeOf: followed by "of", the head of a noun phrase whose
	// content is its complement ("a key arena of national competition").
	CtxBeforeOf
	// CtxAfterVerb: right after a verb, its object ("strengthening
	// cultural identity").
	CtxAfterVerb
	// CtxAfterPreposition: right after a preposition (Penn IN).
	CtxAfterPreposition
	// CtxEnd: in the last two sentences, an abstract's conclusion.
	CtxEnd
	// CtxAfterArticle: right after "the", "a" or "an".
	CtxAfterArticle
	numContexts
)

// word is one non-punctuation token of the analysed text.
type word struct {
	tok   int32 // index into Document.Tokens
	id    int32 // the stem's number in analysis.types
	sent  int32 // Token.Sentence
	stop  bool
	class byte // 'A' adjective, 'P' participle, 'N' noun, 'o' the word "of", 0 other
	brk   bool // a boundary before: new sentence, punctuation or line break
	nl    bool // a line break before
	caps  byte // 'A' acronym, 'U' capitalised, 0 other (YAKE's casing)
}

// analysis is the per-document working state shared by the scorers.
//
// Analyses are pooled by the Extractor: every slice and map here is
// scratch space reused from document to document (extraction must stay
// cheap next to tagging), and nothing returned to callers points into it.
type analysis struct {
	doc   *document.Document
	words []word
	occs  []occurrence
	// types numbers the distinct stems: word.id indexes it.
	types []string
	// leadEnd is the index of the first word after the first line or
	// sentence.
	leadEnd int

	// lex and stems outlive the document (word types recur from
	// document to document; they are cleared past maxLexicon entries):
	// lex maps a lower-case form to what it is, stems numbers the distinct
	// stems (lexeme.stem indexes stemOf). local maps a stem number to its
	// id in types for the current document when localGen says so.
	lex      map[string]lexeme
	stems    map[string]int32
	stemOf   []string
	local    []int32
	localGen []uint32
	// seen caches lex by the address of the token's Lower string: the
	// tokenizer interns Lower per spelling, so that most tokens are found
	// here without hashing the string. The address only picks the slot;
	// a hit is decided by comparing the form. Entries stay valid from
	// document to document until lex is cleared.
	seen [2048]lexeme
	// gen numbers the documents: local[g] is valid when localGen[g] == gen.
	gen uint32
	// table finds a phrase by its word ids without building its key: an
	// open-addressing hash table of phrase index + 1 (0 empty), with the
	// hash of each phrase in hashes.
	table   []int32
	hashes  []uint64
	scratch []byte   // norm's buffer
	keyBuf  []byte   // the phrase key being built
	kwKeys  []string // the author keywords' phrase keys (keywordKey)
	terms   []yakeTerm
	i32     [10][]int32
	flags   [2][]bool
}

// lexeme is what a word type is, worked out once per distinct lower-case
// form: one map lookup per token instead of stemming and three tests.
type lexeme struct {
	form        string // the lower-case form, as in lex
	stem        int32  // index into analysis.stemOf
	stop, valid bool
}

// maxLexicon bounds the lower-case forms an analysis remembers across
// documents: a few megabytes per pooled analysis at most, enough for the
// common vocabulary that makes up most tokens of any document.
const maxLexicon = 1 << 15

func newAnalysis() *analysis {
	return &analysis{lex: map[string]lexeme{}, stems: map[string]int32{}, gen: 1}
}

// reset readies a pooled analysis for the next document.
func (a *analysis) reset() {
	a.doc = nil
	a.words, a.occs, a.types = a.words[:0], a.occs[:0], a.types[:0]
	a.hashes = a.hashes[:0]
	if len(a.lex) > maxLexicon {
		clear(a.lex)
		clear(a.stems)
		a.seen = [len(a.seen)]lexeme{}
		a.stemOf, a.local, a.localGen = a.stemOf[:0], a.local[:0], a.localGen[:0]
	}
	a.gen++
	if a.gen == 0 { // wrapped: old entries could look current
		clear(a.localGen)
		a.gen = 1
	}
}

// ints returns scratch buffer k as n zeros.
func (a *analysis) ints(k, n int) []int32 {
	b := a.i32[k]
	if cap(b) < n {
		b = make([]int32, n, n+n/4)
	} else {
		b = b[:n]
		clear(b)
	}
	a.i32[k] = b
	return b
}

// bools returns scratch flag buffer k as n falses.
func (a *analysis) bools(k, n int) []bool {
	b := a.flags[k]
	if cap(b) < n {
		b = make([]bool, n, n+n/4)
	} else {
		b = b[:n]
		clear(b)
	}
	a.flags[k] = b
	return b
}

// occurrence is one occurrence of a candidate: words[start:end].
type occurrence struct {
	start, end int32
	phrase     int32 // index into DocCandidates.Phrases, set by Candidates
	maximal    bool
}

// Candidates finds the candidate phrases of doc and computes the
// per-document scores of the configured method.
func (e *Extractor) Candidates(doc *document.Document) *DocCandidates {
	a := e.pool.Get().(*analysis)
	defer func() {
		a.reset()
		e.pool.Put(a)
	}()
	e.analyse(a, doc)
	dc := &DocCandidates{DocID: doc.ID, Words: len(a.words)}
	if len(a.occs) == 0 {
		return dc
	}
	dc.Phrases = make([]Candidate, 0, len(a.occs)/2)
	a.initTable(len(a.occs))
	// Spellings other than the first seen of each phrase.
	type spelling struct {
		phrase  int
		surface string
	}
	var other map[spelling]int
	firstN := make([]int, 0, len(a.occs)/2)
	buf := a.keyBuf
	defer func() { a.keyBuf = buf }()
	lastSent := doc.Tokens[len(doc.Tokens)-1].Sentence
	for oi := range a.occs {
		o := &a.occs[oi]
		first, last := doc.Tokens[a.words[o.start].tok], doc.Tokens[a.words[o.end-1].tok]
		surface := doc.Clean[first.Start:last.End]
		if hasLineBreakOrTab(surface) {
			surface = strings.Join(strings.Fields(surface), " ")
		}
		h := a.spanHash(o.start, o.end)
		i, slot := a.find(dc.Phrases, h, o.start, o.end)
		if i < 0 {
			buf = buf[:0]
			for k := o.start; k < o.end; k++ {
				if k > o.start {
					buf = append(buf, ' ')
				}
				buf = append(buf, a.types[a.words[k].id]...)
			}
			key := string(buf)
			i = len(dc.Phrases)
			a.table[slot] = int32(i + 1)
			a.hashes = append(a.hashes, h)
			dc.Phrases = append(dc.Phrases, Candidate{
				Key: key, Norm: a.norm(*o), Phrase: surface, Words: int(o.end - o.start),
				FirstStart: first.Start, FirstPos: int(o.start), Lead: int(o.start) < a.leadEnd,
				Acronym: o.end-o.start == 1 && a.words[o.start].caps == 'A',
			})
			firstN = append(firstN, 0)
		}
		o.phrase = int32(i)
		a.countContext(&dc.Phrases[i].Context, o, lastSent)
		dc.Phrases[i].Count++
		if o.maximal {
			dc.Phrases[i].Maximal++
		}
		// A title's capitals ("International Talent Mobility") are not the
		// phrase's spelling: occurrences in the lead line do not vote,
		// unless the phrase occurs nowhere else.
		if int(o.start) < a.leadEnd {
			continue
		}
		if surface == dc.Phrases[i].Phrase {
			firstN[i]++
		} else {
			if other == nil {
				other = map[spelling]int{}
			}
			other[spelling{i, surface}]++
		}
	}
	// Most frequent spelling; the first-seen one wins ties, then the
	// alphabetically first, so that output is deterministic.
	best := make([]int, len(dc.Phrases))
	copy(best, firstN)
	for sp, n := range other {
		i := sp.phrase
		p := &dc.Phrases[i]
		// best[i] > firstN[i] exactly when another spelling has replaced
		// the first one; only then may an equal count win alphabetically.
		if n > best[i] || (n == best[i] && best[i] != firstN[i] && sp.surface < p.Phrase) {
			p.Phrase, best[i] = sp.surface, n
		}
	}
	a.nestedCounts(dc, e.cfg.SubPhrases)
	if len(a.kwKeys) > 0 {
		for i := range dc.Phrases {
			dc.Phrases[i].Author = slices.Contains(a.kwKeys, dc.Phrases[i].Key)
		}
	}
	wordTF := make([]int, len(a.types))
	for _, w := range a.words {
		if w.class == 'A' || w.class == 'N' {
			wordTF[w.id]++
		}
	}
	for i := range dc.Phrases {
		p := &dc.Phrases[i]
		for _, w := range a.words[p.FirstPos : p.FirstPos+p.Words] {
			p.WordTF += float64(wordTF[w.id])
		}
		p.WordTF /= float64(p.Words)
	}
	switch e.cfg.Method {
	case MethodYAKE:
		yakeScores(a, dc)
	case MethodTextRank:
		graphScores(a, dc, e.cfg.Window, false, false)
	case MethodSingleRank:
		graphScores(a, dc, e.cfg.Window, true, false)
	case MethodPositionRank:
		graphScores(a, dc, e.cfg.Window, true, true)
	case MethodEnsemble:
		// Members whose features all weigh zero are not computed.
		w := e.weightsFor(dc)
		if w[featYAKERank] != 0 {
			yakeScores(a, dc)
		}
		if w[featPosRankRank] != 0 || w[featGraph] != 0 {
			graphScores(a, dc, e.cfg.Window, true, true)
		}
	}
	return dc
}

// countContext counts the kinds of surrounding of occurrence o into ctx
// (see ContextKind); lastSent is the document's last sentence.
func (a *analysis) countContext(ctx *[numContexts]int32, o *occurrence, lastSent int) {
	toks := a.doc.Tokens
	first, last := int(a.words[o.start].tok), int(a.words[o.end-1].tok)
	var prev, next *document.Token
	if first > 0 {
		prev = &toks[first-1]
	}
	if last+1 < len(toks) {
		next = &toks[last+1]
	}
	coord := func(t *document.Token) bool { return t != nil && (t.Text == "and" || t.Text == "or" || t.Text == ",") }
	// A conjunction before the phrase joins it to a noun phrase only when a
	// noun precedes it: "scientific and technological talents" coordinates
	// two adjectives of one phrase.
	prevNP := coord(prev) && first > 1 && isNoun(toks[first-2].POS)
	if prevNP || coord(next) {
		ctx[CtxCoordinated]++
	}
	if next != nil && next.Text == "of" {
		ctx[CtxBeforeOf]++
	}
	if prev != nil {
		switch {
		case strings.HasPrefix(prev.POS, "VB"):
			ctx[CtxAfterVerb]++
		case prev.POS == "IN":
			ctx[CtxAfterPreposition]++
		}
		if prev.Text == "the" || prev.Text == "a" || prev.Text == "an" {
			ctx[CtxAfterArticle]++
		}
	}
	if lastSent-toks[first].Sentence <= 1 {
		ctx[CtxEnd]++
	}
}

// keywordKey is the phrase key of an author keyword: its words,
// lower-cased, with typographic dashes folded, Snowball-stemmed.
func keywordKey(kw string) string {
	ws := strings.Fields(normaliseWord(strings.ToLower(kw)))
	for i, w := range ws {
		ws[i] = english.Stem(w, false)
	}
	return strings.Join(ws, " ")
}

// nestedCounts fills Nested and Containers of the candidates of two or
// more words (a single word has no C-value, so its nested occurrences are
// not counted): every distinct candidate of three or more words is
// searched for its contiguous parts of two or more words that end in a
// noun, and each part that is a candidate itself gains the container's
// count.
// Working per distinct phrase rather than per occurrence gives the same
// totals at a fraction of the lookups. With sub-phrases proposed, the
// nested occurrences are already candidate occurrences: Nested is then
// Count − Maximal.
func (a *analysis) nestedCounts(dc *DocCandidates, sub bool) {
	for ci := range dc.Phrases {
		p := &dc.Phrases[ci]
		if p.Words < 3 {
			continue // its only parts are single words
		}
		s0, e0 := int32(p.FirstPos), int32(p.FirstPos+p.Words)
		for s := s0; s < e0; s++ {
			for e := s + 2; e <= e0; e++ {
				if e-s == e0-s0 || a.words[e-1].class != 'N' {
					continue
				}
				if j, _ := a.find(dc.Phrases, a.spanHash(s, e), s, e); j >= 0 {
					if !sub {
						dc.Phrases[j].Nested += p.Count
					}
					dc.Phrases[j].Containers++
				}
			}
		}
	}
	if sub {
		for i := range dc.Phrases {
			dc.Phrases[i].Nested = dc.Phrases[i].Count - dc.Phrases[i].Maximal
		}
	}
}

// initTable empties the phrase table for up to n phrases.
func (a *analysis) initTable(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if cap(a.table) < size {
		a.table = make([]int32, size)
	} else {
		a.table = a.table[:size]
		clear(a.table)
	}
	a.hashes = a.hashes[:0]
}

// spanHash hashes the word ids of words[s:e] (FNV-1a, then mixed).
func (a *analysis) spanHash(s, e int32) uint64 {
	h := uint64(14695981039346656037)
	for _, w := range a.words[s:e] {
		h ^= uint64(uint32(w.id))
		h *= 1099511628211
	}
	h ^= h >> 31
	h *= 0x9E3779B97F4A7C15
	return h ^ h>>29
}

// find returns the index of the phrase whose words are those of
// words[s:e] (h their spanHash), or -1 and the empty slot for it.
func (a *analysis) find(ps []Candidate, h uint64, s, e int32) (int, int) {
	mask := uint64(len(a.table) - 1)
	n := int(e - s)
	for j := h & mask; ; j = (j + 1) & mask {
		v := a.table[j]
		if v == 0 {
			return -1, int(j)
		}
		i := int(v - 1)
		if a.hashes[i] != h || ps[i].Words != n {
			continue
		}
		same := true
		for k, w := range a.words[ps[i].FirstPos : ps[i].FirstPos+n] {
			if w.id != a.words[int(s)+k].id {
				same = false
				break
			}
		}
		if same {
			return i, int(j)
		}
	}
}

// analyse classifies the words of doc and finds candidate occurrences.
func (e *Extractor) analyse(a *analysis, doc *document.Document) {
	a.doc = doc
	prevSent, prevEnd := -1, -1
	pendingBreak := true
	lex := a.lex
	// A document without tags (a language the tagger does not know, or
	// tokenize.no_tags) has no nouns to chunk: its candidates are the runs
	// of words between stop words and punctuation (as RAKE and YAKE find
	// them), every content word taken as a noun; in German, where nouns
	// are capitalised, the other words are modifiers (MOD* NOUN+ keeps
	// "neues Gesetz" and leaves the verb out of "Gesetz beschlossen").
	untagged, german := true, doc.Lang == "de"
	for i := range doc.Tokens {
		if doc.Tokens[i].POS != "" {
			untagged = false
			break
		}
	}
	for ti := range doc.Tokens {
		t := &doc.Tokens[ti]
		if t.IsPunct || !hasLetterOrDigit(t.Text) {
			pendingBreak = true
			continue
		}
		brk := pendingBreak || t.Sentence != prevSent
		// A line break: a heading or title line glued to the next sentence.
		nl := prevEnd < 0 || prevEnd <= t.Start && hasLineBreak(doc.Clean[prevEnd:t.Start])
		if nl && prevEnd >= 0 && wrappedLine(doc.Clean, prevEnd, t.Start) {
			nl = false
		}
		brk = brk || nl
		raw := t.Lower
		if raw == "" {
			raw = strings.ToLower(t.Text)
		}
		sp := unsafe.StringData(raw)
		slot := &a.seen[(uint64(uintptr(unsafe.Pointer(sp)))*0x9E3779B97F4A7C15)>>53]
		lx := *slot
		if lx.form != raw {
			var ok bool
			lx, ok = lex[raw]
			if !ok {
				lower := normaliseWord(raw)
				// Stemmed here, once per distinct form, not taken from the
				// token: a phrase's identity is its Snowball stems whatever
				// the tokenizer is configured to give (tokenize.no_stem).
				stem := english.Stem(lower, false)
				g, seen := a.stems[stem]
				if !seen {
					g = int32(len(a.stemOf))
					a.stems[stem] = g
					a.stemOf = append(a.stemOf, stem)
					a.local = append(a.local, 0)
					a.localGen = append(a.localGen, 0)
				}
				form := strings.Clone(raw) // kept past this document
				lx = lexeme{form: form, stem: g, stop: e.stops[lower] || lower == "of", valid: lower != "of" && validWord(lower)}
				lex[form] = lx
			}
			*slot = lx
		}
		if a.localGen[lx.stem] != a.gen {
			a.localGen[lx.stem] = a.gen
			a.local[lx.stem] = int32(len(a.types))
			a.types = append(a.types, a.stemOf[lx.stem])
		}
		w := word{tok: int32(ti), id: a.local[lx.stem], sent: int32(t.Sentence), stop: t.IsStop || lx.stop, brk: brk, nl: nl}
		switch {
		case isAcronym(t.Text):
			w.caps = 'A'
		case startsUpper(t.Text):
			w.caps = 'U'
		}
		switch {
		case raw == "of":
			w.class = 'o'
		case w.stop || !lx.valid:
		case untagged && german && !startsUpper(t.Text):
			w.class = 'A'
		case isNoun(t.POS) || untagged:
			w.class = 'N'
		case isAdj(t.POS):
			w.class = 'A'
		case t.POS == "VBG" || t.POS == "VBN":
			w.class = 'P'
		}
		a.words = append(a.words, w)
		prevSent, prevEnd, pendingBreak = t.Sentence, t.End, false
	}
	a.leadEnd = len(a.words)
	for i := 1; i < len(a.words); i++ {
		if a.words[i].nl || a.words[i].sent != a.words[0].sent {
			a.leadEnd = i
			break
		}
	}
	a.findCandidates(e.cfg.MaxWords, e.cfg.OfPhrases, e.cfg.SubPhrases, e.cfg.Participles)
	a.kwKeys = a.kwKeys[:0]
	for _, kw := range doc.AuthorKeywords {
		a.kwKeys = append(a.kwKeys, keywordKey(kw))
	}
	a.findKeywords()
}

// findKeywords adds the occurrences of the author keywords that the noun
// phrase pattern cannot find, those with a word that is neither a
// modifier nor a noun ("global science and technology governance"): the
// same stems in the same order within one sentence, as whole noun
// phrases. A keyword the pattern can find is left to it.
func (a *analysis) findKeywords() {
	added := false
	for _, key := range a.kwKeys {
		stems := strings.Fields(key)
		if len(stems) < 2 {
			continue
		}
	next:
		for s := 0; s+len(stems) <= len(a.words); s++ {
			other := false
			for k, st := range stems {
				w := a.words[s+k]
				if (k > 0 && w.brk) || a.types[w.id] != st {
					continue next
				}
				other = other || (w.class != 'A' && w.class != 'N')
			}
			if !other || a.words[s].stop || a.words[s+len(stems)-1].stop {
				continue
			}
			a.occs = append(a.occs, occurrence{start: int32(s), end: int32(s + len(stems)), maximal: true})
			added = true
		}
	}
	if added {
		slices.SortStableFunc(a.occs, func(x, y occurrence) int { return int(x.start - y.start) })
	}
}

// findCandidates chunks runs of modifiers and nouns with the pattern
// MOD* NOUN+ (longest match, MOD an adjective or, with participles, a
// participle), optionally joining "NP of NP" and adding the sub-phrases of
// each noun phrase that end in a noun.
func (a *analysis) findCandidates(maxWords int, ofPhrases, sub, participles bool) {
	n := len(a.words)
	mod := func(c byte) bool { return c == 'A' || (participles && c == 'P') }
	prevStart, prevEnd := -1, -1 // last noun phrase, for "of" joins
	for i := 0; i < n; {
		if !mod(a.words[i].class) && a.words[i].class != 'N' {
			i++
			continue
		}
		start := i
		j := i
		for j < n && mod(a.words[j].class) && (j == start || !a.words[j].brk) {
			j++
		}
		k := j
		for k < n && a.words[k].class == 'N' && (k == start || !a.words[k].brk) {
			k++
		}
		if k == j { // modifiers without a noun
			i = j
			continue
		}
		if a.citation(start, k) {
			i = k
			continue
		}
		a.add(start, k, maxWords, true)
		if sub {
			s0 := max(start, k-maxWords)
			for s := s0; s < k; s++ {
				for e := s + 1; e <= k; e++ {
					if (s == s0 && e == k) || a.words[e-1].class != 'N' {
						continue
					}
					a.add(s, e, maxWords, false)
				}
			}
		}
		if ofPhrases && prevEnd >= 0 && prevEnd+1 == start && a.words[prevEnd].class == 'o' &&
			!a.words[prevEnd].brk && !a.words[start].brk && k-prevStart <= maxWords {
			a.add(prevStart, k, maxWords, true)
		}
		prevStart, prevEnd = start, k
		i = k
	}
}

// citation reports author names of a citation: a proper-noun phrase
// followed by "et al" or directly by a year in parentheses.
func (a *analysis) citation(start, end int) bool {
	if end >= len(a.words) {
		return false
	}
	if next := a.doc.Tokens[a.words[end].tok].Text; next != "et" && next != "Et" && next != "ET" {
		return false
	}
	for i := start; i < end; i++ {
		if !strings.HasPrefix(a.doc.Tokens[a.words[i].tok].POS, "NNP") {
			return false
		}
	}
	return true
}

func (a *analysis) add(start, end, maxWords int, maximal bool) {
	if end-start > maxWords {
		start = end - maxWords // keep the head noun and its closest modifiers
	}
	if end-start == 1 && utf8.RuneCountInString(a.doc.Tokens[a.words[start].tok].Text) < 2 {
		return
	}
	a.occs = append(a.occs, occurrence{start: int32(start), end: int32(end), maximal: maximal})
}

// norm is the lower-cased lemma form of an occurrence.
func (a *analysis) norm(o occurrence) string {
	buf := a.scratch[:0]
	for i := o.start; i < o.end; i++ {
		if i > o.start {
			buf = append(buf, ' ')
		}
		buf = appendWordNorm(buf, &a.doc.Tokens[a.words[i].tok])
	}
	a.scratch = buf
	return string(buf)
}

// appendWordNorm appends the form a token takes in Candidate.Norm.
func appendWordNorm(buf []byte, t *document.Token) []byte {
	// Only common nouns take the lemma: a lemmatiser turns "United
	// States" into "unite state" and adjectives into verbs.
	l := t.Lower
	if t.POS == "NN" || t.POS == "NNS" {
		l = t.Lemma
	}
	if l == "" {
		l = t.Lower
	}
	if l == "" {
		l = t.Text
	}
	if isASCII(l) {
		for k := 0; k < len(l); k++ {
			c := l[k]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
		}
		return buf
	}
	return append(buf, normaliseWord(strings.ToLower(l))...)
}

// NormWords returns the text of doc as phrases' normalised words
// (Candidate.Norm spells each word so): one entry per word token, and ""
// where a phrase cannot continue — at a sentence start and at punctuation
// or symbols between words. A phrase occurs in the text wherever its words
// are consecutive entries.
func NormWords(doc *document.Document) []string {
	out := make([]string, 0, len(doc.Tokens)+len(doc.Sentences))
	sent := -1
	var buf []byte
	for i := range doc.Tokens {
		t := &doc.Tokens[i]
		if t.IsPunct || !hasLetterOrDigit(t.Text) || t.Sentence != sent {
			sent = t.Sentence
			if len(out) > 0 && out[len(out)-1] != "" {
				out = append(out, "")
			}
			if t.IsPunct || !hasLetterOrDigit(t.Text) {
				continue
			}
		}
		buf = appendWordNorm(buf[:0], t)
		out = append(out, string(buf))
	}
	return out
}

// isNoun: NN, NNS, NNP or NNPS.
func isNoun(tag string) bool {
	if len(tag) < 2 || tag[0] != 'N' || tag[1] != 'N' {
		return false
	}
	return len(tag) == 2 || tag == "NNS" || tag == "NNP" || tag == "NNPS"
}

// isAdj: JJ, JJR or JJS.
func isAdj(tag string) bool {
	if len(tag) < 2 || tag[0] != 'J' || tag[1] != 'J' {
		return false
	}
	return len(tag) == 2 || tag == "JJR" || tag == "JJS"
}

func hasLetterOrDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return hasLetterOrDigitRunes(s[i:])
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

func hasLetterOrDigitRunes(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// validWord accepts words that can be part of a key phrase: some letter,
// no URL or e-mail, not absurdly long, not an abbreviation with dots.
func validWord(s string) bool {
	if len(s) > 40 {
		return false
	}
	letter := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letter = true
		case c == '@' || c == '.' || c == '=' || c == '<' || c == '>' || c == '_' || c == '|':
			return false
		case c >= 0x80:
			r, _ := utf8.DecodeRuneInString(s[i:])
			letter = letter || unicode.IsLetter(r)
		}
	}
	if !letter || strings.Contains(s, "http") || strings.Contains(s, "www") {
		return false
	}
	return true
}

// normaliseWord folds typographic dashes and apostrophes to ASCII so that
// "push‒pull" and "push-pull" are one word.
func normaliseWord(s string) string {
	if isASCII(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			return '-'
		case '\u2018', '\u2019', '\u02bc':
			return '\''
		}
		return r
	}, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// hasLineBreakOrTab reports a line break or tab in s, in one pass.
func hasLineBreakOrTab(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\n' || c == '\r' || c == '\t' {
			return true
		}
	}
	return false
}

// hasLineBreak is strings.ContainsAny(s, "\n\r") for the usual gap of
// one space, without its setup cost.
func hasLineBreak(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' {
			return true
		}
	}
	return false
}

// minWrappedLine is the shortest line, in characters, whose single line
// break is taken for a wrap inside a paragraph rather than the end of a
// title or heading. Text extracted from PDFs (SemEval-2010, NUS) wraps
// every 60–70 characters; cutting phrases there split about one in ten
// ("scalable web / service discovery"). Titles and headings are mostly
// shorter, and a blank line always ends a line (Inspec's title).
const minWrappedLine = 40

// wrappedLine reports whether the gap text[prevEnd:start] between two
// words is a wrapped line: exactly one line break, after a line of at
// least minWrappedLine characters.
func wrappedLine(text string, prevEnd, start int) bool {
	gap := text[prevEnd:start]
	if strings.Count(gap, "\n") != 1 || strings.Contains(gap, "\r") {
		return false
	}
	ls := strings.LastIndexByte(text[:prevEnd], '\n') + 1
	return utf8.RuneCountInString(text[ls:prevEnd]) >= minWrappedLine
}
