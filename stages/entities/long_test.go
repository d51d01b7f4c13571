package entities

import (
	"context"
	"errors"
	"io/fs"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
)

// sampleAsOne is the built-in sample's papers as one tokenized document of
// one body section.
func sampleAsOne(t *testing.T) *document.Document {
	t.Helper()
	names, _ := fs.Glob(corpus.SampleFS(), "*.txt")
	var b strings.Builder
	for _, n := range names {
		raw, err := fs.ReadFile(corpus.SampleFS(), n)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
		b.WriteString("\n\n")
	}
	text := b.String()
	doc := &document.Document{ID: "sample", Clean: text,
		Sections: []document.Section{{Kind: document.KindBody, Start: 0, End: len(text)}}}
	tok, err := sharedTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	if err := tok.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// A long document searched by chunks of sentences on several goroutines
// gets exactly the entities of the sentence by sentence path, on real text.
func TestLongDocumentIsSequential(t *testing.T) {
	doc := sampleAsOne(t)
	r, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	want := cloneEntities(doc.Entities)
	if len(want) < 100 {
		t.Fatalf("only %d entities in the sample", len(want))
	}
	for _, workers := range []int{2, 5} {
		p, err := New(Config{})
		if err != nil {
			t.Fatal(err)
		}
		p.SetWorkers(workers)
		p.longTokens = 1000 // chunks of 62 tokens or more
		if err := p.Process(t.Context(), doc); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(doc.Entities, want) {
			t.Errorf("workers %d: %d entities differ from the sequential %d", workers, len(doc.Entities), len(want))
		}
	}
}

func cloneEntities(e []document.Entity) []document.Entity {
	return append([]document.Entity(nil), e...)
}

// countdown is a context whose Err turns to Canceled after n calls.
type countdown struct {
	context.Context
	n, calls atomic.Int64
}

func (c *countdown) Err() error {
	c.calls.Add(1)
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// An interrupt stops every goroutine of a long document at its next look.
func TestLongDocumentCancels(t *testing.T) {
	doc := sampleAsOne(t)
	r, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkers(3)
	r.longTokens = 1000
	all := &countdown{Context: context.Background()}
	all.n.Store(1 << 40)
	if err := r.Process(all, doc); err != nil {
		t.Fatal(err)
	}
	looks := all.calls.Load()
	for _, after := range []int64{0, 5, looks / 2, looks - 1} {
		ctx := &countdown{Context: context.Background()}
		ctx.n.Store(after)
		if err := r.Process(ctx, doc); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled after %d of %d looks: err = %v", after, looks, err)
		}
		if extra := ctx.calls.Load() - after; extra > 10 {
			t.Errorf("cancelled after %d looks: %d more looks before it stopped", after, extra)
		}
	}
}

// A `^\p{Cat}` spec tested without its regexp takes the tokens the regexp
// takes: real tokens, empty and invalid ones, capitals of every script.
func TestClassSpecIsTheRegexp(t *testing.T) {
	doc := sampleAsOne(t)
	texts := []string{"", "\xff", "\xc3", "É", "ǅungla", "Σ", "ⅷ", "a", "1", "Ⅷ", "𝐀"}
	for _, tok := range doc.Tokens {
		texts = append(texts, tok.Text)
	}
	for _, cat := range []string{"Lu", "Ll", "L", "Nd", "Lt"} {
		fast, err := compileSpec(TokenSpec{Regex: `^\p{` + cat + `}`})
		if err != nil || fast.reClass == nil || fast.re != nil {
			t.Fatalf("%s: not compiled to a class (%v)", cat, err)
		}
		re := regexp.MustCompile(`^\p{` + cat + `}`)
		n := 0
		for _, s := range texts {
			tok := document.Token{Text: s}
			if got, want := fast.matches(&tok), re.MatchString(s); got != want {
				t.Fatalf("%s, %q: %v, want %v", cat, s, got, want)
			} else if got {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s matched no token", cat)
		}
	}
}
