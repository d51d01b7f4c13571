package frames

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/tokenize"
)

// testTokenizer loads prose's model once for all tests of the package.
var testTokenizer = sync.OnceValues(func() (*tokenize.Tokenizer, error) { return tokenize.New(tokenize.Config{}) })

func tokenized(t *testing.T, text string) *document.Document {
	t.Helper()
	tk, err := testTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	doc := &document.Document{ID: "t", Clean: text}
	if err := tk.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func testMatcher(t *testing.T, yaml string, cfg Config) *Matcher {
	t.Helper()
	lex, err := ParseYAML([]byte(yaml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Lexicon = lex
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// hitString renders hits as frame:matched-text[!] (! = negated).
func hitString(doc *document.Document) string {
	var parts []string
	for _, h := range doc.FrameHits {
		s := h.Frame + ":" + doc.Clean[h.Start:h.End]
		if h.Negated {
			s += "!"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

const secEmo = `frames:
  - name: sec
    entries: [security, secur*, "research security", "scientific research security", visa*, restrict*, "export control*", sanction*]
  - name: emo
    entries: [belong*, "sense of belonging", identity, "cultural identity", {term: "living conditions", weight: 2}]
`

func TestMatchLongestWinsAndNoDoubleCount(t *testing.T) {
	m := testMatcher(t, secEmo, Config{})
	doc := tokenized(t, "Scientific research security shaped visa rules. A sense of belonging and cultural identity matter; export controls too.")
	if err := m.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	want := "sec:Scientific research security sec:visa emo:sense of belonging emo:cultural identity sec:export controls"
	if got := hitString(doc); got != want {
		t.Errorf("hits\n got %s\nwant %s", got, want)
	}
	for _, h := range doc.FrameHits {
		if doc.Tokens[h.TokenStart].Start != h.Start || doc.Tokens[h.TokenEnd-1].End != h.End {
			t.Errorf("hit %+v: token range and byte span disagree", h)
		}
		if h.Sentence != doc.Tokens[h.TokenStart].Sentence {
			t.Errorf("hit %+v in wrong sentence", h)
		}
	}
	if e := doc.FrameHits[0].Entry; e != "scientific research security" {
		t.Errorf("entry = %q", e)
	}
}

func TestMatchWeightsAndSentenceBoundary(t *testing.T) {
	m := testMatcher(t, secEmo, Config{})
	// "living" ends one sentence and "conditions" starts the next: no phrase.
	doc := tokenized(t, "Better living conditions help. They improve living. Conditions vary.")
	m.Process(context.Background(), doc)
	if got := hitString(doc); got != "emo:living conditions" {
		t.Fatalf("hits = %s", got)
	}
	if doc.FrameHits[0].Weight != 2 {
		t.Errorf("weight = %g, want 2", doc.FrameHits[0].Weight)
	}
}

func TestMatchNegation(t *testing.T) {
	m := testMatcher(t, secEmo, Config{})
	cases := []struct{ text, want string }{
		{"They did not restrict visas.", "sec:restrict! sec:visas"},             // restrict is the negated verb, visas its object
		{"They did not really change the visa rules.", "sec:visa"},              // "not" is the 4th word back
		{"They don't restrict anything.", "sec:restrict!"},                      // n't token
		{"Without sanctions, identity matters.", "sec:sanctions! emo:identity"}, // comma ends the scope
		{"No one in this very large group felt belonging.", "emo:belonging"},    // negator too far back
		{"It is not only security that matters.", "sec:security"},               // "not only" is additive
		{"Never again will security fail.", "sec:security!"},
	}
	for _, c := range cases {
		doc := tokenized(t, c.text)
		m.Process(context.Background(), doc)
		if got := hitString(doc); got != c.want {
			t.Errorf("%q: hits = %s, want %s", c.text, got, c.want)
		}
	}
	off := testMatcher(t, secEmo, Config{NegationWindow: -1})
	doc := tokenized(t, "They did not restrict visas.")
	off.Process(context.Background(), doc)
	if got := hitString(doc); got != "sec:restrict sec:visas" {
		t.Errorf("negation off: %s", got)
	}
}

// TestNegationScope checks the scope rule on real sentences (the security
// paper of the sample and State of the Union addresses): a negator negates
// the predicate it attaches to, so a lexical verb between it and a match
// ends its scope; auxiliaries and copulas do not.
func TestNegationScope(t *testing.T) {
	m, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text, hit string
		negated   bool
	}{
		// zhang2024: the restrictions stay; relax is what is negated.
		{"After the Biden administration came to power, although it showed a different diplomatic style in some aspects, it did not relax the restrictions on Chinese high-tech talents.", "restrictions", false},
		{"No bank ought ever to be chartered without such restrictions on its business as to secure the public.", "restrictions", true},             // SOTU: no verb between
		{"For the first time in two decades, Usama bin Laden is not a threat to this country.", "threat", true},                                     // copula
		{"The integrity and the independence of weaker nations must not be threatened.", "threatened", true},                                        // modal + be
		{"We face no imminent threat, but we do have an enemy.", "threat", true},                                                                    // determiner no
		{"The inflationary pressures of the war and the post-war years no longer threaten, and the dollar commands new respect.", "threaten", true}, // the negated verb itself
		{"Today's world presents not just dangers, not just threats, it presents opportunities.", "threats", false},                                 // additive
		{"The Council did not lift the sanctions imposed on the country.", "sanctions", false},                                                      // lift takes the negation
		{"We do not assume any obligations under the league.", "obligations", true},                                                                 // SOTU: "any" marks the object as inside the scope
		{"Such question is not regulated by treaty.", "treaty", true},                                                                               // SOTU: a passive participle keeps the scope
	}
	for _, c := range cases {
		doc := tokenized(t, c.text)
		if err := m.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range doc.FrameHits {
			if doc.Clean[h.Start:h.End] == c.hit {
				found = true
				if h.Negated != c.negated {
					var tags []string
					for _, tk := range doc.Tokens {
						tags = append(tags, tk.Text+"/"+tk.POS)
					}
					t.Errorf("%q: %s negated = %v, want %v (tags %s)", c.text, c.hit, h.Negated, c.negated, strings.Join(tags, " "))
				}
			}
		}
		if !found {
			t.Errorf("%q: no hit on %q: %s", c.text, c.hit, hitString(doc))
		}
	}
}

func TestMatchLemma(t *testing.T) {
	m := testMatcher(t, `frames:
  - name: r
    lemma: true
    entries: [restrict, "impose sanction"]
  - name: plain
    entries: [restrict]
`, Config{})
	doc := tokenized(t, "The US restricted travel and imposed sanctions.")
	// Lemmas are set here so the test does not depend on the tokenizer's
	// lemmatiser.
	for i, tok := range doc.Tokens {
		switch tok.Lower {
		case "restricted":
			doc.Tokens[i].Lemma = "restrict"
		case "imposed":
			doc.Tokens[i].Lemma = "impose"
		case "sanctions":
			doc.Tokens[i].Lemma = "sanction"
		}
	}
	m.Process(context.Background(), doc)
	if got := hitString(doc); got != "r:restricted r:imposed sanctions" {
		t.Errorf("hits = %s", got)
	}
}

func TestProcessConcurrent(t *testing.T) {
	m, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	base := tokenized(t, "Research security and visa restrictions grew, while a sense of belonging kept talent at home.")
	m.Process(context.Background(), base)
	want := hitString(base)
	if !strings.Contains(want, "security_restriction:Research security") || !strings.Contains(want, "emotion_retention:sense of belonging") {
		t.Fatalf("default lexicon hits = %s", want)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := *base
			d.ID = fmt.Sprint(i)
			d.FrameHits = nil
			if err := m.Process(context.Background(), &d); err != nil {
				errs <- err.Error()
			}
			if got := hitString(&d); got != want {
				errs <- got
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestHitsBySentence(t *testing.T) {
	m := testMatcher(t, secEmo, Config{})
	doc := tokenized(t, "Visa rules tightened. Nothing here. Identity and security both appear.")
	m.Process(context.Background(), doc)
	got := HitsBySentence(doc)
	if len(got) != 2 || got[0].Sentence != 0 || got[1].Sentence != 2 {
		t.Fatalf("sentences = %+v", got)
	}
	if got[1].Text != "Identity and security both appear." || strings.Join(got[1].Frames, ",") != "emo,sec" || len(got[1].Hits) != 2 {
		t.Errorf("sentence 2 = %+v", got[1])
	}
}
