package tokenize

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/framelens/framelens/corpus/document"
)

// UDWord is one syntactic word of a CoNLL-U file (multi-word token lines
// and empty nodes are skipped: "don't" is read as its words "do" and "n't").
type UDWord struct {
	Form, Lemma, UPOS, XPOS string
	// SpaceAfter is false when the MISC column says SpaceAfter=No.
	SpaceAfter bool
}

// UDSentence is one sentence of a CoNLL-U file.
type UDSentence struct {
	ID    string // sent_id
	Text  string // the "# text =" comment: the sentence as written
	Words []UDWord
}

// ReadCoNLLU reads the sentences of a CoNLL-U file (Universal
// Dependencies); name is used in errors, which give the line.
func ReadCoNLLU(r io.Reader, name string) ([]UDSentence, error) {
	var (
		sents []UDSentence
		cur   UDSentence
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		switch {
		case strings.TrimSpace(text) == "":
			if len(cur.Words) > 0 {
				sents = append(sents, cur)
			}
			cur = UDSentence{}
			continue
		case strings.HasPrefix(text, "#"):
			if id, ok := strings.CutPrefix(text, "# sent_id = "); ok {
				cur.ID = id
			}
			if t, ok := strings.CutPrefix(text, "# text = "); ok {
				cur.Text = t
			}
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 10 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 10 (CoNLL-U: ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC)", name, line, len(f))
		}
		if strings.ContainsAny(f[0], "-.") {
			continue // multi-word token or empty node
		}
		cur.Words = append(cur.Words, UDWord{
			Form: f[1], Lemma: f[2], UPOS: f[3], XPOS: f[4],
			SpaceAfter: !strings.Contains(f[9], "SpaceAfter=No"),
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(cur.Words) > 0 {
		sents = append(sents, cur)
	}
	return sents, nil
}

// TagLemmas tags one sentence given as its words and lemmatises each word
// under its tag, as Process does for the words it finds itself. It needs a
// Tokenizer with tags and lemmas.
func (t *Tokenizer) TagLemmas(words []string) (tags, lemmas []string, err error) {
	if t.tagger == nil || t.lemmas == nil {
		return nil, nil, fmt.Errorf("tokenize: TagLemmas needs tags and lemmas (no_tags and no_lemma off)")
	}
	c := newLexCache()
	open := true
	for _, w := range words {
		li := t.lexemeIndex(c, w)
		c.lexes = append(c.lexes, li)
		tw := c.lex[li].tw
		if w == `"` {
			// Gold tokens carry no spacing here: straight quotes alternate.
			if tw = t.closeQuote; open {
				tw = t.openQuote
			}
			open = !open
		}
		c.tws = append(c.tws, tw)
	}
	tags = make([]string, len(words))
	t.tagger.TagSentence(c.tws, tags)
	lemmas = make([]string, len(words))
	for k := range words {
		lemmas[k] = t.taggedLemma(c, tags, k, words[k])
	}
	return tags, lemmas, nil
}

// LemmaError is one kind of lemma error with its count.
type LemmaError struct {
	Form, Gold, Got, Tag, GoldTag string
	N                             int
}

// LemmaReport is the outcome of EvalLemmas.
type LemmaReport struct {
	// Words counts the scored words: gold UPOS neither PUNCT nor SYM.
	Words int
	// Lemmas counts lemmas equal to the gold one, ignoring case; Tags the
	// Penn tags equal to the gold XPOS.
	Lemmas, Tags int
	// Errors are the most frequent lemma errors, most frequent first.
	Errors []LemmaError
	// OwnWords counts the scored words that framelens's own tokenisation
	// of the sentence's text gives exactly (same characters), and
	// OwnLemmas, OwnTags those with the right lemma and tag there: the
	// accuracy a run's tables have.
	OwnWords, OwnLemmas, OwnTags int
}

// LemmaAccuracy is Lemmas/Words.
func (r *LemmaReport) LemmaAccuracy() float64 { return float64(r.Lemmas) / float64(max(r.Words, 1)) }

// TagAccuracy is Tags/Words.
func (r *LemmaReport) TagAccuracy() float64 { return float64(r.Tags) / float64(max(r.Words, 1)) }

// Write prints the accuracies and the listed errors.
func (r *LemmaReport) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "words %d (gold UPOS not PUNCT/SYM)\nlemma accuracy %.4f (%d)\nPenn tag (XPOS) accuracy %.4f (%d)\n",
		r.Words, r.LemmaAccuracy(), r.Lemmas, r.TagAccuracy(), r.Tags)
	if r.OwnWords > 0 {
		own := float64(max(r.OwnWords, 1))
		fmt.Fprintf(&b, "framelens's own tokenisation of the sentence texts: %d of the %d words tokenised alike (%.1f%%); on them lemma accuracy %.4f, Penn tag accuracy %.4f\n",
			r.OwnWords, r.Words, 100*float64(r.OwnWords)/float64(max(r.Words, 1)), float64(r.OwnLemmas)/own, float64(r.OwnTags)/own)
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(&b, "\nmost frequent lemma errors (count form gold got tag gold-tag):\n")
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "%5d  %-16s %-16s %-16s %-5s %s\n", e.N, e.Form, e.Gold, e.Got, e.Tag, e.GoldTag)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// LemmaPrediction is the tag and lemma given to one gold word.
type LemmaPrediction struct {
	Sentence, Word int
	Tag, Lemma     string
}

// EvalLemmas tags and lemmatises the gold words of each sentence (the gold
// tokenisation, so that every system is scored on the same words) and
// scores lemmas and Penn tags over the words whose gold UPOS is not PUNCT
// or SYM. It lists the topErrors most frequent lemma errors, and calls
// each (if not nil) with every prediction, for export to a peer scorer.
func EvalLemmas(t *Tokenizer, sents []UDSentence, topErrors int, each func(LemmaPrediction)) (*LemmaReport, error) {
	rep := &LemmaReport{}
	errs := map[LemmaError]int{}
	words := []string{}
	for si, s := range sents {
		words = words[:0]
		for _, w := range s.Words {
			words = append(words, w.Form)
		}
		tags, lemmas, err := t.TagLemmas(words)
		if err != nil {
			return nil, err
		}
		for k, w := range s.Words {
			if each != nil {
				each(LemmaPrediction{Sentence: si, Word: k, Tag: tags[k], Lemma: lemmas[k]})
			}
			if w.UPOS == "PUNCT" || w.UPOS == "SYM" {
				continue
			}
			rep.Words++
			if tags[k] == w.XPOS {
				rep.Tags++
			}
			if strings.EqualFold(lemmas[k], w.Lemma) {
				rep.Lemmas++
			} else {
				errs[LemmaError{Form: strings.ToLower(w.Form), Gold: w.Lemma, Got: lemmas[k], Tag: tags[k], GoldTag: w.XPOS}]++
			}
		}
	}
	if err := evalOwnTokens(t, sents, rep); err != nil {
		return nil, err
	}
	for e, n := range errs {
		e.N = n
		rep.Errors = append(rep.Errors, e)
	}
	slices.SortFunc(rep.Errors, func(a, b LemmaError) int {
		return cmp.Or(b.N-a.N, cmp.Compare(a.Form, b.Form), cmp.Compare(a.Gold, b.Gold), cmp.Compare(a.Tag, b.Tag), cmp.Compare(a.GoldTag, b.GoldTag))
	})
	rep.Errors = rep.Errors[:min(len(rep.Errors), max(topErrors, 0))]
	return rep, nil
}

// evalOwnTokens tokenizes each sentence's text as a run does and scores the
// gold words that come out as one token with the same characters (found
// in the text in order; a word that cannot be placed is not scored).
func evalOwnTokens(t *Tokenizer, sents []UDSentence, rep *LemmaReport) error {
	doc := &document.Document{ID: "ud"}
	for _, s := range sents {
		if s.Text == "" {
			continue
		}
		doc.Clean = s.Text
		doc.Sections = nil
		if err := t.Process(context.Background(), doc); err != nil {
			return err
		}
		byStart := make(map[int]*document.Token, len(doc.Tokens))
		for i := range doc.Tokens {
			byStart[doc.Tokens[i].Start] = &doc.Tokens[i]
		}
		at := 0
		for _, w := range s.Words {
			i := strings.Index(s.Text[at:], w.Form)
			if i < 0 {
				continue // a word of a multi-word token spelt otherwise
			}
			start, end := at+i, at+i+len(w.Form)
			at = end
			if w.UPOS == "PUNCT" || w.UPOS == "SYM" {
				continue
			}
			tok := byStart[start]
			if tok == nil || tok.End != end {
				continue
			}
			rep.OwnWords++
			if strings.EqualFold(tok.Lemma, w.Lemma) {
				rep.OwnLemmas++
			}
			if tok.POS == w.XPOS {
				rep.OwnTags++
			}
		}
	}
	return nil
}
