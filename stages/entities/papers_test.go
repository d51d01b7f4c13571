package entities

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
)

// paperDoc reads a sample paper and marks its body paragraphs as body
// sections (as the clean stage would): paragraphs of prose between the
// first heading of the argument and the bibliography. Headings, reference
// lists, footnotes and page chrome stay outside every analysed section.
func paperDoc(t testing.TB, name string) *document.Document {
	t.Helper()
	b, err := fs.ReadFile(corpus.SampleFS(), name)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	doc := &document.Document{ID: name, Clean: text}
	inBody := false
	off := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		start := off
		off += len(line)
		l := strings.TrimSpace(line)
		switch {
		case l == "INTRODUCTION" || l == "Abstract":
			inBody = true
			continue
		case l == "References" || strings.HasPrefix(l, "LIST OF USED SOURCES") || l == "FOOTNOTES":
			inBody = false
		}
		// Headings are short lines; paragraphs are long.
		if !inBody || len(l) < 150 || strings.HasPrefix(l, "Keywords") {
			continue
		}
		end := start + len(strings.TrimRight(line, "\n"))
		doc.Sections = append(doc.Sections, document.Section{Index: len(doc.Sections), Kind: document.KindBody, Start: start, End: end})
	}
	if len(doc.Sections) == 0 {
		t.Fatalf("%s: no body paragraphs found", name)
	}
	tok, err := sharedTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	if err := tok.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestSamplePapers(t *testing.T) {
	rec := newRec(t, Config{})
	short := paperDoc(t, "sun2025.txt")
	long := paperDoc(t, "zhang2024.txt")
	for _, doc := range []*document.Document{short, long} {
		if err := rec.Process(t.Context(), doc); err != nil {
			t.Fatal(err)
		}
	}
	// Mis-tags reported against prose.
	for _, doc := range []*document.Document{short, long} {
		for _, e := range doc.Entities {
			bad := e.Text == "Southeast Asia" && e.Label != LabelLoc ||
				e.Text == "Trump" && e.Label != LabelPerson ||
				strings.Contains(e.Text, "PDF") || strings.Contains(e.Text, "COVID") ||
				strings.Contains(e.Text, "Downloads")
			if bad {
				t.Errorf("%s: mis-tag %q %s", doc.ID, e.Text, e.Label)
			}
			// Citation authors in the body are not actors.
			switch e.Text {
			case "Zweig", "Saxenian", "Cheng", "Maharum", "Khanna":
				t.Errorf("%s: citation %q tagged %s", doc.ID, e.Text, e.Label)
			}
		}
	}
	want := []struct {
		doc              *document.Document
		label, canonical string
	}{
		{short, LabelGPE, "China"},
		{long, LabelGPE, "United States"},
		{long, LabelGPE, "China"},
		{long, LabelGPE, "Canada"},
		{long, LabelOrg, "G7"},
		{long, LabelOrg, "OECD"},
		{long, LabelLaw, "Thousand Talents Plan"},
		{long, LabelLaw, "Ten Thousand Talents Plan"},
		{long, LabelLaw, "China Initiative"},
		{long, LabelLaw, "Belt and Road Initiative"},
		{long, LabelOrg, "Cornell University"},
		{long, LabelOrg, "Renmin University of China"},
		{long, LabelLoc, "Southeast Asia"},
		{long, LabelPerson, "Donald Trump"},
		// A long policy name is one LAW, not two ORGs.
		{long, LabelLaw, "Guidance Document on Countering Foreign Interference in Research and Innovation"},
	}
	for _, w := range want {
		n := 0
		for _, e := range w.doc.Entities {
			if e.Canonical == w.canonical && e.Label == w.label {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no %s %q", w.doc.ID, w.label, w.canonical)
		}
	}
	// Every "Sino-US" of the body is both countries, from the rules.
	sino := 0
	for _, e := range long.Entities {
		if e.Text == "Sino-US" {
			sino++
			if e.Source != SourceRule {
				t.Errorf("Sino-US from %s", e.Source)
			}
		}
	}
	if sino == 0 || sino%2 != 0 {
		t.Errorf("Sino-US mentions: %d, want an even, non-zero number", sino)
	}
	// The Thousand Talents Plan and the Ten Thousand Talents Plan are told
	// apart by longest match: the text names the first 4 times, the second twice.
	counts := map[string]int{}
	for _, e := range long.Entities {
		counts[e.Canonical]++
	}
	if counts["Thousand Talents Plan"] != 4 || counts["Ten Thousand Talents Plan"] != 2 {
		t.Errorf("talent plans: %d Thousand, %d Ten Thousand; want 4 and 2",
			counts["Thousand Talents Plan"], counts["Ten Thousand Talents Plan"])
	}
}
