package tokenize

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/jdkato/prose/v2"

	"github.com/framelens/framelens/corpus"
)

// Config configures a Tokenizer. The zero value is the default.
type Config struct{}

// Tokenizer fills Document.Sentences and Document.Tokens. It is safe for
// concurrent use.
type Tokenizer struct {
	cfg   Config
	model *prose.Model
}

// New loads the tagging model once.
func New(cfg Config) (*Tokenizer, error) {
	d, err := prose.NewDocument("Load.", prose.WithExtraction(false), prose.WithSegmentation(false))
	if err != nil {
		return nil, fmt.Errorf("tokenize: loading prose model: %w", err)
	}
	return &Tokenizer{cfg: cfg, model: d.Model}, nil
}

// Name implements the pipeline's stage interface.
func (t *Tokenizer) Name() string { return "tokenize" }

// Process tokenizes every analysed section of doc. A document with no
// sections is treated as one body section covering all of Clean.
func (t *Tokenizer) Process(ctx context.Context, doc *corpus.Document) error {
	sections := doc.Sections
	if len(sections) == 0 {
		sections = []corpus.Section{{Kind: corpus.KindBody, Start: 0, End: len(doc.Clean)}}
	}
	doc.Sentences = doc.Sentences[:0]
	doc.Tokens = doc.Tokens[:0]
	for si, sec := range sections {
		if !sec.Kind.Analysed() || sec.End <= sec.Start {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := t.section(doc, si, sec); err != nil {
			return fmt.Errorf("tokenize %s section %d: %w", doc.ID, si, err)
		}
	}
	return nil
}

func (t *Tokenizer) section(doc *corpus.Document, si int, sec corpus.Section) error {
	text := doc.Clean[sec.Start:sec.End]
	pd, err := prose.NewDocument(text, prose.UsingModel(t.model), prose.WithExtraction(false))
	if err != nil {
		return err
	}
	// prose returns sentence and token texts without offsets: locate them in
	// order in the section text.
	pos := 0
	for _, s := range pd.Sentences() {
		i := strings.Index(text[pos:], s.Text)
		if i < 0 || s.Text == "" {
			continue
		}
		start := pos + i
		end := start + len(s.Text)
		doc.Sentences = append(doc.Sentences, corpus.Sentence{
			Index: len(doc.Sentences), Section: si,
			Start: sec.Start + start, End: sec.Start + end,
		})
		pos = end
	}
	firstSent := 0
	for i := range doc.Sentences {
		if doc.Sentences[i].Section == si {
			firstSent = i
			break
		}
	}
	pos = 0
	cur := firstSent
	for _, tok := range pd.Tokens() {
		i := strings.Index(text[pos:], tok.Text)
		if i < 0 || tok.Text == "" {
			continue
		}
		start := sec.Start + pos + i
		end := start + len(tok.Text)
		pos += i + len(tok.Text)
		for cur+1 < len(doc.Sentences) && doc.Sentences[cur+1].Start <= start {
			cur++
		}
		lower := strings.ToLower(tok.Text)
		doc.Tokens = append(doc.Tokens, corpus.Token{
			Start: start, End: end, Text: tok.Text, Lower: lower, Lemma: lower, Stem: lower,
			POS: tok.Tag, Sentence: cur, IsPunct: isPunct(tok.Text),
		})
	}
	// Token ranges of sentences.
	ti := 0
	for i := firstSent; i < len(doc.Sentences); i++ {
		s := &doc.Sentences[i]
		for ti < len(doc.Tokens) && doc.Tokens[ti].Start < s.Start {
			ti++
		}
		s.TokenStart = ti
		for ti < len(doc.Tokens) && doc.Tokens[ti].Start < s.End {
			doc.Tokens[ti].Sentence = i
			ti++
		}
		s.TokenEnd = ti
	}
	return nil
}

func isPunct(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
