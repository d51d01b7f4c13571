package keyphrases

import (
	"bufio"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/stages/tokenize"
)

// TestEuropeanKeyphrases: documents in languages the tagger does not know
// get key phrases: runs of content words between their language's stop
// words, German noun phrases by their capitals. The paragraphs are
// stages/lang's labelled sample (written for framelens's tests).
func TestEuropeanKeyphrases(t *testing.T) {
	tk, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../lang/testdata/sample.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The first paragraph of each language is on the same subject: a
	// programme to attract researchers from abroad.
	want := map[string][]string{
		"de": {"neues Gesetz", "qualifizierte Bewerber", "Bundesregierung"},
		"fr": {"chercheurs étrangers", "laboratoires publics"},
		"es": {"investigadores jóvenes", "nuevo programa"},
		"pt": {"universidades públicas", "cientistas brasileiros"},
		"ru": {"Правительство"},
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		code, text, _ := strings.Cut(sc.Text(), "\t")
		if want[code] == nil {
			continue
		}
		doc := &corpus.Document{ID: code, Lang: code, Clean: text}
		if err := tk.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		if err := ex.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Keyphrases) < 5 {
			t.Errorf("%s: %d key phrases, want at least 5: %q", code, len(doc.Keyphrases), text)
		}
		stop := map[string]bool{}
		for _, tok := range doc.Tokens {
			if tok.IsStop {
				stop[tok.Lower] = true
			}
		}
		var got []string
		for _, p := range doc.Keyphrases {
			got = append(got, p.Phrase)
			ws := strings.Fields(strings.ToLower(p.Phrase))
			if stop[ws[0]] || stop[ws[len(ws)-1]] {
				t.Errorf("%s: %q starts or ends with a stop word", code, p.Phrase)
			}
		}
		if !seen[code] {
			seen[code] = true
			for _, w := range want[code] {
				found := false
				for _, g := range got {
					found = found || strings.Contains(g, w)
				}
				if !found {
					t.Errorf("%s: no key phrase holds %q: %q", code, w, got)
				}
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("languages seen %v, want %d", seen, len(want))
	}
}
