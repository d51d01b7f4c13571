package tokenize

import (
	"context"
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
)

// sampleText is the built-in sample's papers, one after the other.
func sampleText(t *testing.T) string {
	t.Helper()
	names, err := fs.Glob(corpus.SampleFS(), "*.txt")
	if err != nil || len(names) == 0 {
		t.Fatalf("sample: %v", err)
	}
	var b strings.Builder
	for _, n := range names {
		raw, err := fs.ReadFile(corpus.SampleFS(), n)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
		b.WriteString("\n\n")
	}
	return b.String()
}

// sampleDoc is the sample as one document of three sections: two analysed
// ones around one that is not.
func sampleDoc(text string) *document.Document {
	third := strings.Index(text[len(text)/3:], "\n\n") + len(text)/3
	half := strings.Index(text[len(text)/2:], "\n\n") + len(text)/2
	return &document.Document{ID: "sample", Clean: text, Sections: []document.Section{
		{Index: 0, Kind: document.KindBody, Start: 0, End: third},
		{Index: 1, Kind: document.KindReferences, Start: third, End: half},
		{Index: 2, Kind: document.KindBody, Start: half, End: len(text)},
	}}
}

// A long section, counted and filled by chunks of sentences on several
// goroutines, gets exactly the sentences and tokens of the sentence by
// sentence path, on real text.
func TestLongSectionIsSequential(t *testing.T) {
	text := sampleText(t)
	want := sampleDoc(text)
	process(t, newTokenizer(t, Config{}), want)
	if len(want.Tokens) < 5000 {
		t.Fatalf("only %d tokens", len(want.Tokens))
	}
	for _, workers := range []int{1, 2, 5} {
		tk := newTokenizer(t, Config{})
		tk.SetWorkers(workers)
		tk.longBytes = 1000 // every section is long, in chunks of sentences
		got := sampleDoc(text)
		process(t, tk, got)
		checkInvariants(t, got)
		if !reflect.DeepEqual(got.Sentences, want.Sentences) {
			t.Errorf("workers %d: %d sentences differ from the sequential %d", workers, len(got.Sentences), len(want.Sentences))
		}
		if !reflect.DeepEqual(got.Tokens, want.Tokens) {
			t.Errorf("workers %d: %d tokens differ from the sequential %d", workers, len(got.Tokens), len(want.Tokens))
			for i := range min(len(got.Tokens), len(want.Tokens)) {
				if got.Tokens[i] != want.Tokens[i] {
					t.Fatalf("token %d: %+v, want %+v", i, got.Tokens[i], want.Tokens[i])
				}
			}
		}
		// One long section: its tokens are counted, then allocated once.
		one := &document.Document{ID: "one", Clean: text}
		process(t, tk, one)
		if n := len(one.Tokens); cap(one.Tokens) > n+n/100 {
			t.Errorf("workers %d: %d tokens in a slice of %d: grown by appends, not sized", workers, n, cap(one.Tokens))
		}
	}
}

// countdown is a context whose Err turns to Canceled after n calls, safe
// for the goroutines of a long section.
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

// An interrupt stops a long section on every goroutine: in its counting
// pass, in its filling pass, and inside one sentence of 300,000 words;
// the document keeps no half-filled token.
func TestLongSectionCancels(t *testing.T) {
	text := sampleText(t)
	tk := newTokenizer(t, Config{})
	tk.SetWorkers(3)
	tk.longBytes = 1000
	// How often a whole run looks at ctx.
	all := &countdown{Context: context.Background()}
	all.n.Store(1 << 40)
	process(t, tk, sampleDoc(text))
	if err := tk.Process(all, sampleDoc(text)); err != nil {
		t.Fatal(err)
	}
	looks := all.calls.Load()
	if looks < 10 {
		t.Fatalf("a long document looked at ctx %d times", looks)
	}
	for _, after := range []int64{0, 3, looks / 2, looks - 2} {
		ctx := &countdown{Context: context.Background()}
		ctx.n.Store(after)
		doc := sampleDoc(text)
		err := tk.Process(ctx, doc)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled after %d of %d looks: err = %v", after, looks, err)
		}
		for i, tok := range doc.Tokens {
			if tok.Text == "" {
				t.Fatalf("cancelled after %d looks: token %d of %d is half-filled", after, i, len(doc.Tokens))
			}
		}
		// Every goroutine stops at its next look: a few looks more.
		if extra := ctx.calls.Load() - after; extra > 20 {
			t.Errorf("cancelled after %d looks: %d more looks before it stopped", after, extra)
		}
	}
	one := strings.Repeat("word ", 300000)
	doc := &document.Document{ID: "one", Clean: one,
		Sections: []document.Section{{Kind: document.KindBody, Start: 0, End: len(one)}}}
	ctx := &countdown{Context: context.Background()}
	// Process, the counting pass and the filling pass look once each
	// before the sentence: only a look inside it can stop it.
	ctx.n.Store(3)
	if err := tk.Process(ctx, doc); !errors.Is(err, context.Canceled) {
		t.Fatalf("one long sentence: err = %v", err)
	}
}
