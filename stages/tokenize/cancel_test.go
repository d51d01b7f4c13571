package tokenize

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/document"
)

// countdownCtx is a context whose Err turns to Canceled after n calls: it
// shows where a long loop looks at ctx without any timing.
type countdownCtx struct {
	context.Context
	n int
}

func (c *countdownCtx) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// TestCancelInsideOneSentence: a document of one sentence of 300,000 words
// (no full stop anywhere) is stopped inside the sentence, not after it.
func TestCancelInsideOneSentence(t *testing.T) {
	tok, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("word ", 300000)
	doc := &document.Document{ID: "long", Clean: text,
		Sections: []document.Section{{Kind: document.KindBody, Start: 0, End: len(text)}}}
	err = tok.Process(&countdownCtx{Context: context.Background(), n: 2}, doc)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(doc.Tokens) >= 300000 {
		t.Errorf("stopped only after the sentence: %d tokens", len(doc.Tokens))
	}
}
