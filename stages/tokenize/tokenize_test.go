package tokenize

import (
	"context"
	"testing"

	"github.com/framelens/framelens/corpus"
)

func TestProcessFindsSentencesAndTokens(t *testing.T) {
	tk, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	doc := &corpus.Document{ID: "t", Clean: "The United States tightened visa reviews. China responded with talent plans."}
	if err := tk.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Sentences) != 2 {
		t.Fatalf("sentences = %d, want 2: %+v", len(doc.Sentences), doc.Sentences)
	}
	for _, tok := range doc.Tokens {
		if doc.Clean[tok.Start:tok.End] != tok.Text {
			t.Errorf("token %q offsets %d:%d point at %q", tok.Text, tok.Start, tok.End, doc.Clean[tok.Start:tok.End])
		}
	}
	s := doc.Sentences[1]
	if got := doc.Tokens[s.TokenStart].Text; got != "China" {
		t.Errorf("second sentence starts with %q, want China", got)
	}
}
