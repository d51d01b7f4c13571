package entities

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/internal/par"
)

//go:embed data/model.bin.gz data/rules.yaml data/gazetteer/*.tsv data/nonentities.txt
var dataFS embed.FS

// Entity labels (OntoNotes names).
const (
	LabelPerson = "PERSON" // people, including fictional
	LabelNORP   = "NORP"   // nationalities, religious and political groups
	LabelOrg    = "ORG"    // companies, agencies, institutions, international bodies
	LabelGPE    = "GPE"    // countries, cities, states
	LabelLoc    = "LOC"    // non-GPE locations: regions, continents, seas
	LabelEvent  = "EVENT"  // named events: wars, crises
	LabelLaw    = "LAW"    // named policies, plans, programmes, initiatives, acts
	LabelDate   = "DATE"   // absolute or relative dates and periods
	// LabelNone in a rule blocks entities over its match.
	LabelNone = "O"
)

// Values of Entity.Source.
const (
	SourceModel     = "model"
	SourceRule      = "rule"
	SourceGazetteer = "gazetteer"
)

// Config configures a Recognizer. The zero value runs every layer with the
// shipped model, rules and gazetteers.
type Config struct {
	DisableModel     bool `yaml:"disable_model"`
	DisableRules     bool `yaml:"disable_rules"`
	DisableGazetteer bool `yaml:"disable_gazetteer"`
	// DisableDefaultRules drops the shipped rules file but keeps RuleFiles.
	DisableDefaultRules bool `yaml:"disable_default_rules"`
	// RuleFiles are user entity-rules files (YAML, see RuleFile), applied
	// after the shipped ones; on equal spans a later file wins.
	RuleFiles []string `yaml:"rule_files"`
	// GazetteerFiles are extra gazetteers (LABEL<TAB>canonical<TAB>variants).
	GazetteerFiles []string `yaml:"gazetteer_files"`
	// ModelFile replaces the shipped model with one written by Model.Save.
	ModelFile string `yaml:"model_file"`
	// KeepCitations keeps names inside citations ("(Zweig, 2016)",
	// "Gao (2019)", "Cheng et al."), which are dropped by default.
	KeepCitations bool `yaml:"keep_citations"`
}

// Recognizer fills Document.Entities. It is safe for concurrent use: all
// tables are read-only after New.
type Recognizer struct {
	cfg   Config
	model *Model
	gaz   *phraseIndex
	rules *ruleSet
	canon canonTable
	// canonFold is canon keyed by lower-cased name, for names the
	// document writes in lower case ("florida").
	canonFold canonTable
	non       nonEntities
	pool      sync.Pool // *procScratch
	// workers is how many goroutines a document of longTokens or more
	// may use (SetWorkers).
	workers, longTokens int
}

// New loads the model, rules and gazetteers once.
func New(cfg Config) (*Recognizer, error) {
	r := &Recognizer{cfg: cfg, canon: canonTable{}, workers: 1, longTokens: defaultLongTokens}
	if !cfg.DisableModel {
		var m *Model
		var err error
		if cfg.ModelFile != "" {
			f, e := os.Open(cfg.ModelFile)
			if e != nil {
				return nil, fmt.Errorf("entities: %w", e)
			}
			m, err = LoadModel(f)
			f.Close()
		} else {
			b, e := dataFS.ReadFile("data/model.bin.gz")
			if e != nil {
				return nil, fmt.Errorf("entities: shipped model: %w", e)
			}
			m, err = LoadModel(bytes.NewReader(b))
		}
		if err != nil {
			return nil, fmt.Errorf("entities: %w", err)
		}
		r.model = m
		b, err := dataFS.ReadFile("data/nonentities.txt")
		if err != nil {
			return nil, fmt.Errorf("entities: shipped word lists: %w", err)
		}
		if r.non, err = parseNonEntities("(shipped) nonentities.txt", string(b)); err != nil {
			return nil, fmt.Errorf("entities: %w", err)
		}
	}
	// Rules are loaded before gazetteers so that their canonical names win
	// in the lookup table.
	if !cfg.DisableRules {
		r.rules = &ruleSet{phrases: newPhraseIndex(), byFirst: map[string][]int{}}
		rank := 0
		if !cfg.DisableDefaultRules {
			b, err := dataFS.ReadFile("data/rules.yaml")
			if err != nil {
				return nil, fmt.Errorf("entities: shipped rules: %w", err)
			}
			if err := r.rules.addFile("(shipped) rules.yaml", b, rank); err != nil {
				return nil, err
			}
		}
		for _, f := range cfg.RuleFiles {
			rank++
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("entities: %w", err)
			}
			if err := r.rules.addFile(f, b, rank); err != nil {
				return nil, err
			}
		}
		for _, p := range r.rules.phrases.list {
			r.canon.add(p.text, p.label, p.canonical)
		}
	}
	if !cfg.DisableGazetteer {
		r.gaz = newPhraseIndex()
		names, err := fs.Glob(dataFS, "data/gazetteer/*.tsv")
		if err != nil {
			return nil, err
		}
		sort.Strings(names)
		for _, n := range names {
			b, _ := dataFS.ReadFile(n)
			if err := addGazetteer(r.gaz, r.canon, "(shipped) "+path.Base(n), string(b), 0); err != nil {
				return nil, err
			}
		}
		for i, f := range cfg.GazetteerFiles {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("entities: %w", err)
			}
			if err := addGazetteer(r.gaz, r.canon, f, string(b), i+1); err != nil {
				return nil, err
			}
		}
	}
	r.canonFold = canonTable{}
	for k, e := range r.canon {
		r.canonFold.add(strings.ToLower(k), e.label, e.canonical)
	}
	return r, nil
}

// lookup finds a name's label and canonical names, as written or, for a
// name written all in lower case, by its lower-cased spelling.
func (r *Recognizer) lookup(text string) (canonEntry, bool) {
	if e, ok := r.canon.lookup(text); ok {
		return e, true
	}
	if hasUpper(text) {
		return canonEntry{}, false
	}
	return r.canonFold.lookup(text)
}

func hasUpper(s string) bool {
	for _, c := range s {
		if unicode.IsUpper(c) {
			return true
		}
	}
	return false
}

// addressLike reports whether a token is a URL, an e-mail address or a
// user handle, which the model, trained on news, mistakes for names.
func addressLike(t string) bool {
	return strings.Contains(t, "@") || strings.Contains(t, "://") || strings.HasPrefix(t, "www.") ||
		strings.HasSuffix(t, ".com") || strings.HasSuffix(t, ".org") || strings.HasSuffix(t, ".net")
}

// Name implements the pipeline's stage interface.
func (r *Recognizer) Name() string { return "entities" }

type procScratch struct {
	words []string
	cands []candidate
	taken []bool
	ms    scratch
	lower lowerSet
	rules ruleScratch
}

// Process replaces doc.Entities with the entities found in doc's tokens.
// Only tokenised (analysed) text is searched.
func (r *Recognizer) Process(ctx context.Context, doc *document.Document) error {
	doc.Entities = doc.Entities[:0]
	if len(doc.Tokens) == 0 {
		return nil
	}
	ps, _ := r.pool.Get().(*procScratch)
	if ps == nil {
		ps = &procScratch{}
	}
	defer func() {
		ps.lower.reset(nil) // the pool must not keep the document's tokens
		r.pool.Put(ps)
	}()
	ps.lower.reset(doc.Tokens)
	var sents []sentRange
	if len(doc.Sentences) == 0 {
		sents = []sentRange{{0, len(doc.Tokens), 0}}
	} else {
		sents = make([]sentRange, 0, len(doc.Sentences))
		for i, s := range doc.Sentences {
			if s.TokenStart < 0 || s.TokenEnd > len(doc.Tokens) || s.TokenStart > s.TokenEnd {
				return fmt.Errorf("entities %s: sentence %d has token range [%d,%d) outside %d tokens",
					doc.ID, i, s.TokenStart, s.TokenEnd, len(doc.Tokens))
			}
			sents = append(sents, sentRange{s.TokenStart, s.TokenEnd, i})
		}
	}
	if r.workers > 1 && len(doc.Tokens) >= r.longTokens {
		if err := r.long(ctx, doc, sents); err != nil {
			return err
		}
		voteLabels(doc)
		return nil
	}
	ents, err := r.sentences(ctx, doc, sents, ps, &ps.lower, doc.Entities)
	doc.Entities = ents
	if err != nil {
		return err
	}
	voteLabels(doc)
	return nil
}

// sentRange is a sentence's tokens and index.
type sentRange struct{ lo, hi, idx int }

// sentences appends the entities of sents to ents.
func (r *Recognizer) sentences(ctx context.Context, doc *document.Document, sents []sentRange, ps *procScratch, lc *lowerSet, ents []document.Entity) ([]document.Entity, error) {
	checked := 0 // tokens at the last look at ctx: every 64 sentences or 16,384 tokens
	if len(sents) > 0 {
		checked = sents[0].lo
	}
	for k, s := range sents {
		if k%64 == 0 || s.lo-checked > 1<<14 {
			checked = s.lo
			if err := ctx.Err(); err != nil {
				return ents, err
			}
		}
		if s.hi > s.lo {
			var err error
			if ents, err = r.sentence(doc, s.lo, s.hi, s.idx, ps, lc, ents); err != nil {
				return ents, fmt.Errorf("entities %s: %w", doc.ID, err)
			}
		}
	}
	return ents, nil
}

const (
	// defaultLongTokens is the size from which a document's sentences
	// are searched by chunks on up to r.workers goroutines (SetWorkers).
	defaultLongTokens = 1 << 19
)

// SetWorkers lets a document of half a million tokens or more be searched
// on up to n goroutines, by chunks of sentences: the run's workers, since
// one long document otherwise leaves all but one of them idle at the end
// of a run. The entities are the same: every sentence is searched alone,
// and the chunks' entities are put together in order. n ≤ 1 keeps every
// document on its caller's goroutine (the default). Call it before Process.
func (r *Recognizer) SetWorkers(n int) { r.workers = max(1, n) }

// long finds the entities of a long document by chunks of sentences.
func (r *Recognizer) long(ctx context.Context, doc *document.Document, sents []sentRange) error {
	toks := doc.Tokens
	// The words the document writes in lower case, gathered by chunks of
	// tokens and shared read-only.
	tcuts := par.Cuts(len(toks), 4*r.workers, r.longTokens/16, func(i int) int { return i + 1 })
	sets := make([]map[string]struct{}, len(tcuts)-1)
	if err := par.Do(len(sets), r.workers, func(_, k int) error {
		lc := lowerSet{toks: toks[tcuts[k]:tcuts[k+1]]}
		lc.has("")
		sets[k] = lc.set
		return ctx.Err()
	}); err != nil {
		return err
	}
	lc := &lowerSet{toks: toks, built: true, set: sets[0]}
	for _, m := range sets[1:] {
		for w := range m {
			lc.set[w] = struct{}{}
		}
	}
	cuts := par.Cuts(len(sents), 4*r.workers, r.longTokens/16, func(i int) int { return sents[i].hi })
	out := make([][]document.Entity, len(cuts)-1)
	scratch := make([]*procScratch, r.workers)
	err := par.Do(len(out), r.workers, func(w, k int) error {
		if scratch[w] == nil {
			scratch[w] = &procScratch{}
		}
		var err error
		out[k], err = r.sentences(ctx, doc, sents[cuts[k]:cuts[k+1]], scratch[w], lc, nil)
		return err
	})
	if err != nil {
		return err
	}
	n := 0
	for _, e := range out {
		n += len(e)
	}
	doc.Entities = slices.Grow(doc.Entities[:0], n)
	for _, e := range out {
		doc.Entities = append(doc.Entities, e...)
	}
	return nil
}

// precedence orders candidates for the greedy resolution: rules first, then
// spans of more tokens, then gazetteer before model, then more bytes, then
// later rule files, then earlier starts.
func precedence(a, b *candidate) bool {
	ar, br := a.source == SourceRule, b.source == SourceRule
	if ar != br {
		return ar
	}
	if la, lb := a.te-a.ts, b.te-b.ts; la != lb {
		return la > lb
	}
	if a.source != b.source {
		return a.source == SourceGazetteer
	}
	if la, lb := a.end-a.start, b.end-b.start; la != lb {
		return la > lb
	}
	if a.rank != b.rank {
		return a.rank > b.rank
	}
	return a.start < b.start
}

// sentence appends the entities of the sentence of tokens [lo, hi), number
// sentIdx, to ents; lc holds the words the document writes in lower case.
func (r *Recognizer) sentence(doc *document.Document, lo, hi, sentIdx int, ps *procScratch, lc *lowerSet, ents []document.Entity) ([]document.Entity, error) {
	toks := doc.Tokens
	cands := ps.cands[:0]
	if r.model != nil {
		ps.words = ps.words[:0]
		for i := lo; i < hi; i++ {
			ps.words = append(ps.words, toks[i].Text)
		}
		tags := r.model.tagIndices(ps.words, &ps.ms)
		cands = r.modelSpans(doc.Clean, toks, lo, tags, lc, cands)
	}
	if r.rules != nil {
		cands = r.rules.phrases.match(doc.Clean, toks, lo, hi, cands)
		cands = r.rules.matchPatterns(toks, lo, hi, cands, &ps.rules)
	}
	if r.gaz != nil {
		cands = r.gaz.match(doc.Clean, toks, lo, hi, cands)
	}
	ps.cands = cands
	if len(cands) == 0 {
		return ents, nil
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if precedence(&a, &b) {
			return -1
		}
		if precedence(&b, &a) {
			return 1
		}
		return 0
	})
	if cap(ps.taken) < hi-lo {
		ps.taken = make([]bool, hi-lo)
	}
	taken := ps.taken[:hi-lo]
	for i := range taken {
		taken[i] = false
	}
	var cite []bool
	if !r.cfg.KeepCitations {
		cite = citationMask(toks, lo, hi)
	}
	first := len(ents)
	for ci := range cands {
		c := &cands[ci]
		free := true
		for t := c.ts; t < c.te; t++ {
			if taken[t-lo] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for t := c.ts; t < c.te; t++ {
			taken[t-lo] = true
		}
		if c.label == LabelNone {
			continue
		}
		if cite != nil && cite[c.ts-lo] {
			continue
		}
		text := doc.Clean[c.start:c.end]
		names := c.canonical
		if len(names) == 0 {
			if e, ok := r.lookup(text); ok && compatible(e.label, c.label) {
				names = e.canonical
			} else {
				names = []string{trimName(text)}
			}
		}
		for _, n := range names {
			ents = append(ents, document.Entity{
				Start: c.start, End: c.end, TokenStart: c.ts, TokenEnd: c.te,
				Sentence: sentIdx, Text: text, Label: c.label, Canonical: n, Source: c.source,
			})
		}
	}
	added := ents[first:]
	slices.SortStableFunc(added, func(a, b document.Entity) int { return a.Start - b.Start })
	return ents, nil
}

// compatible says whether a lookup label may name an entity of label l;
// GPE and LOC are one class for the model, which learnt CoNLL's LOC.
func compatible(lookup, l string) bool {
	return lookup == l || (lookup == LabelGPE || lookup == LabelLoc) && (l == LabelGPE || l == LabelLoc)
}

// modelSpans decodes the model's BIO tags into candidates with OntoNotes
// labels. CoNLL's LOC becomes GPE, or LOC when the gazetteer lists it so;
// MISC is kept only when the lookup table knows the name (NORP, EVENT, LAW).
func (r *Recognizer) modelSpans(clean string, toks []document.Token, lo int, tags []int, lc *lowerSet, out []candidate) []candidate {
	m := r.model
	start := -1
	typ := ""
	flush := func(end int) {
		if start < 0 {
			return
		}
		start, end = r.non.trimTokens(toks, lo, start, end)
		if start >= end {
			start = -1
			return
		}
		c := candidate{ts: lo + start, te: lo + end, start: toks[lo+start].Start, end: toks[lo+end-1].End, source: SourceModel}
		c.end = c.start + trimFootnote(clean[c.start:c.end])
		if end-start == 1 && r.commonWord(toks, lo, lo+start, lc) {
			start = -1
			return
		}
		for t := c.ts; t < c.te; t++ {
			if addressLike(toks[t].Text) {
				start = -1
				return
			}
		}
		// A name starts with a letter or digit; ">I" is a quoted reply.
		if r, _ := utf8.DecodeRuneInString(clean[c.start:]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			start = -1
			return
		}
		text := clean[c.start:c.end]
		e, known := r.lookup(text)
		// A name in lower case is believed only when the lists know it
		// ("florida"): on web text the model otherwise takes common nouns
		// ("chorizo", "lens") for names.
		if !known && !hasUpper(text) {
			start = -1
			return
		}
		switch typ {
		case "PER":
			c.label = LabelPerson
		case "ORG":
			c.label = LabelOrg
		case "LOC":
			c.label = LabelGPE
			if known && e.label == LabelLoc {
				c.label = LabelLoc
			}
		default:
			if known && (e.label == LabelNORP || e.label == LabelEvent || e.label == LabelLaw) {
				c.label = e.label
			}
		}
		if c.label != "" {
			out = append(out, c)
		}
		start = -1
	}
	for i, t := range tags {
		name := m.tags[t]
		if name == "O" {
			flush(i)
			continue
		}
		if name[0] == 'B' || start < 0 || name[2:] != typ {
			flush(i)
			start, typ = i, name[2:]
		}
	}
	flush(len(tags))
	return out
}

// citationMask marks tokens that belong to citations: the inside of
// parentheses or brackets holding a year ("(Zweig, 2016)", "(OECD 2021;
// Lee et al., 2020)"), and names directly followed by "et al." or by a
// parenthesised year ("Gao (2019)", "Gao and Li (2019)").
func citationMask(toks []document.Token, lo, hi int) []bool {
	var mask []bool
	mark := func(a, b int) {
		if mask == nil {
			mask = make([]bool, hi-lo)
		}
		for i := a; i < b; i++ {
			mask[i-lo] = true
		}
	}
	for i := lo; i < hi; i++ {
		t := toks[i].Text
		switch {
		case t == "(" || t == "[":
			closeTok := ")"
			if t == "[" {
				closeTok = "]"
			}
			j := i + 1
			year := false
			for ; j < hi && j-i < 60 && toks[j].Text != closeTok; j++ {
				if isYear(toks[j].Text) || toks[j].Lower == "n.d." {
					year = true
				}
			}
			if year && j < hi && toks[j].Text == closeTok {
				mark(i+1, j)
				// Author names right before "(2019)": walk back over
				// capitalised words, "and", "&", ",", "et al.".
				if isYear(toks[i+1].Text) {
					k := i - 1
					for k >= lo && k >= i-8 && citeAuthorToken(toks[k].Text) {
						k--
					}
					if k+1 < i {
						mark(k+1, i)
					}
				}
			}
		case t == "et" && i+1 < hi && (toks[i+1].Text == "al" || toks[i+1].Text == "al."):
			k := i - 1
			for k >= lo && k >= i-6 && citeAuthorToken(toks[k].Text) {
				k--
			}
			if k+1 < i {
				mark(k+1, i)
			}
		}
	}
	return mask
}

func citeAuthorToken(t string) bool {
	switch t {
	case "and", "&", ",", "et", "al", "al.", ".", "’s", "'s":
		return true
	}
	if t == "" {
		return false
	}
	c := t[0]
	return c >= 'A' && c <= 'Z' || c >= 0x80 && strings.ToUpper(t[:1]) == t[:1]
}

// isYear matches 1500–2099 with an optional letter ("2019a").
func isYear(t string) bool {
	if len(t) == 5 && t[4] >= 'a' && t[4] <= 'z' {
		t = t[:4]
	}
	if len(t) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return t[0] == '1' && t[1] >= '5' || t[0] == '2' && t[1] == '0'
}

// trimFootnote returns the length of name without a footnote marker glued
// to its last word by the tokenizer ("United States.1" → "United States").
func trimFootnote(name string) int {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	if i == len(name) || len(name)-i > 3 || i < 2 {
		return len(name)
	}
	switch name[i-1] {
	case '.', ',', ';', ':':
		if c := name[i-2]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return i - 1
		}
	}
	return len(name)
}

// lowerSet remembers which words a document writes in lower case, built
// on first use.
type lowerSet struct {
	toks  []document.Token
	built bool
	set   map[string]struct{}
}

func (l *lowerSet) reset(toks []document.Token) {
	l.toks, l.built = toks, false
	clear(l.set)
}

func (l *lowerSet) has(w string) bool {
	if !l.built {
		if l.set == nil {
			l.set = map[string]struct{}{}
		}
		for i := range l.toks {
			t := l.toks[i].Text
			if len(t) > 2 && t[0] >= 'a' && t[0] <= 'z' {
				l.set[t] = struct{}{}
			}
		}
		l.built = true
	}
	_, ok := l.set[w]
	return ok
}

// commonWord reports whether the one-word model entity at token i is just a
// capitalised common word: it opens a sentence, a clause or a quotation
// and the same document also writes it in lower case ("Globalization has
// …" beside "globalization").
func (r *Recognizer) commonWord(toks []document.Token, lo, i int, lc *lowerSet) bool {
	if i > lo {
		switch toks[i-1].Text {
		case ":", ";", "\"", "“", "‘", "(", "—", "–", "-", ")", ".":
		default:
			return false
		}
	}
	// An adverb in -ly is believed ("Ultimately, …"); other tags are not
	// trusted on capitalised words (they cost F1 on CoNLL).
	if strings.HasPrefix(toks[i].POS, "RB") && strings.HasSuffix(toks[i].Text, "ly") {
		return true
	}
	w := toks[i].Text
	if len(w) < 2 || w[0] < 'A' || w[0] > 'Z' || isAllCapsWord(w) {
		return false
	}
	return lc.has(strings.ToLower(w[:1]) + w[1:])
}
