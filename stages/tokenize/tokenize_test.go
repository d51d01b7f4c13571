package tokenize

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/document"
)

func newTokenizer(t *testing.T, cfg Config) *Tokenizer {
	t.Helper()
	tk, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func process(t *testing.T, tk *Tokenizer, doc *document.Document) {
	t.Helper()
	if err := tk.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
}

// checkInvariants asserts what every consumer relies on: exact offsets,
// document-global and consistent sentence/token indices, tokens inside their
// sentence and sentences inside their section.
func checkInvariants(t *testing.T, doc *document.Document) {
	t.Helper()
	next := 0
	for si, s := range doc.Sentences {
		if s.Index != si {
			t.Fatalf("sentence %d has Index %d", si, s.Index)
		}
		if s.TokenStart != next || s.TokenEnd <= s.TokenStart {
			t.Fatalf("sentence %d tokens [%d,%d), want start %d and at least one token", si, s.TokenStart, s.TokenEnd, next)
		}
		next = s.TokenEnd
		if len(doc.Sections) > 0 {
			sec := doc.Sections[s.Section]
			if s.Start < sec.Start || s.End > sec.End || !sec.Kind.Analysed() {
				t.Fatalf("sentence %d [%d,%d) outside its %s section [%d,%d)", si, s.Start, s.End, sec.Kind, sec.Start, sec.End)
			}
		}
		if s.Start > 0 && s.Start < len(doc.Clean) && strings.TrimSpace(doc.Clean[s.Start:s.End]) != doc.Clean[s.Start:s.End] {
			t.Fatalf("sentence %d is not trimmed: %q", si, doc.Clean[s.Start:s.End])
		}
		for ti := s.TokenStart; ti < s.TokenEnd; ti++ {
			tok := doc.Tokens[ti]
			if tok.Sentence != si {
				t.Fatalf("token %d %q has Sentence %d, want %d", ti, tok.Text, tok.Sentence, si)
			}
			if tok.Start < s.Start || tok.End > s.End {
				t.Fatalf("token %d %q [%d,%d) crosses sentence %d [%d,%d)", ti, tok.Text, tok.Start, tok.End, si, s.Start, s.End)
			}
			if ti > 0 && tok.Start < doc.Tokens[ti-1].End {
				t.Fatalf("token %d %q overlaps the previous one", ti, tok.Text)
			}
			if tok.Start >= tok.End || doc.Clean[tok.Start:tok.End] != tok.Text {
				t.Fatalf("token %d %q offsets [%d,%d) point at %q", ti, tok.Text, tok.Start, tok.End, doc.Clean[tok.Start:tok.End])
			}
			if strings.ContainsFunc(tok.Text, func(r rune) bool { return r == ' ' || r == '\n' }) {
				t.Fatalf("token %d %q contains white space", ti, tok.Text)
			}
		}
		// Every non-space character of the sentence is in some token.
		covered := 0
		for ti := s.TokenStart; ti < s.TokenEnd; ti++ {
			covered += len(strings.Join(strings.Fields(doc.Tokens[ti].Text), ""))
		}
		if want := len(strings.Join(strings.Fields(doc.Clean[s.Start:s.End]), "")); covered != want {
			t.Fatalf("sentence %d: tokens cover %d of %d non-space bytes: %q", si, covered, want, doc.Clean[s.Start:s.End])
		}
	}
	if next != len(doc.Tokens) {
		t.Fatalf("sentences cover %d of %d tokens", next, len(doc.Tokens))
	}
}

func TestPapersInvariants(t *testing.T) {
	tk := newTokenizer(t, Config{})
	for _, name := range samplePapers {
		doc := paperDoc(t, name)
		process(t, tk, doc)
		checkInvariants(t, doc)
		if len(doc.Tokens) < 500 || len(doc.Sentences) < 20 {
			t.Errorf("%s: only %d tokens in %d sentences", name, len(doc.Tokens), len(doc.Sentences))
		}
		// Running twice on the same document gives the same result.
		n := len(doc.Tokens)
		process(t, tk, doc)
		if len(doc.Tokens) != n {
			t.Errorf("%s: second run %d tokens, first %d", name, len(doc.Tokens), n)
		}
	}
}

// sentenceOf returns the text of the sentence that contains substr.
func sentenceOf(t *testing.T, doc *document.Document, substr string) string {
	t.Helper()
	at := strings.Index(doc.Clean, substr)
	if at < 0 {
		t.Fatalf("%q not in %s", substr, doc.ID)
	}
	for _, s := range doc.Sentences {
		if s.Start <= at && at < s.End {
			if at+len(substr) > s.End {
				t.Errorf("%q is split: sentence ends at %q", substr, doc.Clean[s.Start:s.End])
			}
			return doc.Clean[s.Start:s.End]
		}
	}
	t.Fatalf("%q is in no sentence", substr)
	return ""
}

func TestPaperSentences(t *testing.T) {
	tk := newTokenizer(t, Config{})
	doc := paperDoc(t, "zhang2024.txt")
	process(t, tk, doc)
	// A citation with "et al." stays inside its sentence.
	if s := sentenceOf(t, doc, "Cheng et al. (2020) analyzed"); !strings.HasSuffix(s, "technology blockades.") {
		t.Errorf("sentence with the citation: %q", s)
	}
	sentenceOf(t, doc, "The U.S. federal government’s cybersec")
	// Headings (their own paragraph) are sentences of their own.
	if s := sentenceOf(t, doc, "THEORETICAL FRAMEWORK"); s != "THEORETICAL FRAMEWORK" {
		t.Errorf("heading sentence %q", s)
	}
	// Consecutive sentences of a paragraph split at the period.
	s := sentenceOf(t, doc, "Since 2018, the United States has tightened")
	if !strings.HasPrefix(s, "Since 2018") || !strings.HasSuffix(s, "key technology fields.") {
		t.Errorf("sentence %q", s)
	}
}

func TestNoSplitInsideAbbreviationsCitationsNumbers(t *testing.T) {
	tk := newTokenizer(t, Config{})
	text := "Visa reviews tightened in the U.S. after 2018, e.g. for students, i.e. in STEM fields. " +
		"Dr. Lee and Wang et al. studied it (Zweig, 2016) and found 3.14 or 1,000.5 cases in v2.0 of the data (Smith et al., 2019, p. 4). " +
		"Fig. 3 shows No. 5 of the series.\n" +
		"This line wraps\nwithout a boundary.\n\nA new paragraph starts here"
	doc := &document.Document{ID: "synthetic", Clean: text}
	process(t, tk, doc)
	checkInvariants(t, doc)
	var got []string
	for _, s := range doc.Sentences {
		got = append(got, text[s.Start:s.End])
	}
	want := []string{
		"Visa reviews tightened in the U.S. after 2018, e.g. for students, i.e. in STEM fields.",
		"Dr. Lee and Wang et al. studied it (Zweig, 2016) and found 3.14 or 1,000.5 cases in v2.0 of the data (Smith et al., 2019, p. 4).",
		"Fig. 3 shows No. 5 of the series.",
		"This line wraps\nwithout a boundary.",
		"A new paragraph starts here",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences\n got %q\nwant %q", got, want)
	}
	var toks []string
	for _, tok := range doc.Tokens[doc.Sentences[1].TokenStart:doc.Sentences[1].TokenEnd] {
		toks = append(toks, tok.Text)
	}
	wantToks := "Dr.|Lee|and|Wang|et|al.|studied|it|(|Zweig|,|2016|)|and|found|3.14|or|1,000.5|cases|in|v2.0|of|the|data|(|Smith|et|al.|,|2019|,|p.|4|)|."
	if strings.Join(toks, "|") != wantToks {
		t.Errorf("tokens\n got %s\nwant %s", strings.Join(toks, "|"), wantToks)
	}
}

func TestStraightQuotesTaggedByPosition(t *testing.T) {
	tk := newTokenizer(t, Config{})
	doc := &document.Document{ID: "quotes", Clean: `Officials called it "research security" in 2019.`}
	process(t, tk, doc)
	var got []string
	for _, tok := range doc.Tokens {
		got = append(got, tok.Text+"/"+tok.POS)
	}
	if g := strings.Join(got, " "); !strings.Contains(g, `"/`+"``"+` research/`) || !strings.Contains(g, `security/NN "/''`) {
		t.Errorf("tags %s", g)
	}
}

func TestTokensAttributes(t *testing.T) {
	tk := newTokenizer(t, Config{})
	doc := paperDoc(t, "zhang2024.txt")
	process(t, tk, doc)
	find := func(text string) document.Token {
		for _, tok := range doc.Tokens {
			if tok.Text == text {
				return tok
			}
		}
		t.Fatalf("no token %q", text)
		return document.Token{}
	}
	for _, c := range []struct{ text, lower, lemma, stem, pos string }{
		{"restrictions", "restrictions", "restriction", "restrict", "NNS"},
		{"tightened", "tightened", "tighten", "tighten", "VBN"},
		{"United", "united", "united", "unit", "NNP"}, // proper nouns keep their form as lemma
		{"“", "“", "“", "“", "``"},
		{"”", "”", "”", "”", "''"},
		{"the", "the", "the", "the", "DT"},
		{"China", "china", "china", "china", "NNP"},
		{",", ",", ",", ",", ","},
	} {
		tok := find(c.text)
		if tok.Lower != c.lower || tok.Lemma != c.lemma || tok.Stem != c.stem || tok.POS != c.pos {
			t.Errorf("%q: lower %q lemma %q stem %q pos %q; want %q %q %q %q", c.text, tok.Lower, tok.Lemma, tok.Stem, tok.POS, c.lower, c.lemma, c.stem, c.pos)
		}
	}
	if !find("the").IsStop || find("talent").IsStop || !find(",").IsPunct || find("2018").IsPunct || find("the").IsPunct {
		t.Error("IsStop/IsPunct wrong for the, talent, ',' or 2018")
	}
	stops, puncts := 0, 0
	for _, tok := range doc.Tokens {
		if tok.IsStop {
			stops++
		}
		if tok.IsPunct {
			puncts++
		}
	}
	// English prose: roughly a third to a half stop words, some punctuation.
	if r := float64(stops) / float64(len(doc.Tokens)); r < 0.25 || r > 0.55 {
		t.Errorf("stop-word share %.2f", r)
	}
	if r := float64(puncts) / float64(len(doc.Tokens)); r < 0.05 || r > 0.25 {
		t.Errorf("punctuation share %.2f", r)
	}
}

func TestConfigSwitches(t *testing.T) {
	dir := t.TempDir()
	stopFile := filepath.Join(dir, "stop.txt")
	if err := os.WriteFile(stopFile, []byte("# custom list\ntalent\nChina  \n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tk := newTokenizer(t, Config{NoTags: true, NoLemma: true, NoStem: true, StopWordsFile: stopFile})
	doc := paperDoc(t, "zhang2024.txt")
	process(t, tk, doc)
	checkInvariants(t, doc)
	for _, tok := range doc.Tokens {
		if tok.POS != "" || tok.Lemma != tok.Lower || tok.Stem != tok.Lower {
			t.Fatalf("%q: POS %q lemma %q stem %q with everything off", tok.Text, tok.POS, tok.Lemma, tok.Stem)
		}
		if want := tok.Lower == "talent" || tok.Lower == "china"; tok.IsStop != want {
			t.Fatalf("%q: IsStop %v with the custom list", tok.Text, tok.IsStop)
		}
	}
	if _, err := New(Config{StopWordsFile: filepath.Join(dir, "missing.txt")}); err == nil {
		t.Error("missing stop-word file accepted")
	}
	if _, err := New(Config{Newlines: "sometimes"}); err == nil {
		t.Error("unknown newline mode accepted")
	}
}

func TestSectionsRespected(t *testing.T) {
	tk := newTokenizer(t, Config{})
	doc := paperDoc(t, "zhang2024.txt")
	refs := strings.Index(doc.Clean, "LIST OF USED SOURCES")
	intro := strings.Index(doc.Clean, "INTRODUCTION")
	if refs < 0 || intro < 0 {
		t.Fatal("headings not found")
	}
	// A section boundary in the middle of a sentence must cut it.
	mid := strings.Index(doc.Clean, "tightened restrictions")
	doc.Sections = []document.Section{
		{Index: 0, Kind: document.KindFrontMatter, Start: 0, End: intro},
		{Index: 1, Kind: document.KindBody, Start: intro, End: mid},
		{Index: 2, Kind: document.KindBody, Start: mid, End: refs},
		{Index: 3, Kind: document.KindReferences, Start: refs, End: len(doc.Clean)},
	}
	process(t, tk, doc)
	checkInvariants(t, doc)
	for _, tok := range doc.Tokens {
		if tok.Start < intro || tok.End > refs {
			t.Fatalf("token %q at %d outside the analysed sections", tok.Text, tok.Start)
		}
	}
	found := false
	for _, s := range doc.Sentences {
		if s.Start == mid {
			found = true
		}
		if s.Start < mid && s.End > mid {
			t.Fatalf("sentence crosses the section boundary: %q", doc.Clean[s.Start:s.End])
		}
	}
	if !found {
		t.Error("no sentence starts at the section boundary")
	}
}

// TestConcurrentUse runs one Tokenizer from several goroutines and expects
// the results of a sequential run (run with -race to check sharing).
func TestConcurrentUse(t *testing.T) {
	tk := newTokenizer(t, Config{})
	want := map[string][]document.Token{}
	clean := map[string]string{}
	for _, name := range samplePapers {
		doc := paperDoc(t, name)
		clean[name] = doc.Clean
		process(t, tk, doc)
		want[name] = doc.Tokens
	}
	errs := make(chan error, 8)
	for g := 0; g < 4; g++ {
		go func(g int) {
			name := samplePapers[g%len(samplePapers)]
			doc := &document.Document{ID: name, Clean: clean[name]}
			if err := tk.Process(context.Background(), doc); err != nil {
				errs <- err
				return
			}
			for i, tok := range doc.Tokens {
				if i >= len(want[name]) || tok != want[name][i] {
					errs <- fmt.Errorf("%s: token %d %+v differs from the sequential run", name, i, tok)
					return
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 4; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
