package clean

import (
	"context"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// TestMailHeaderWarning: a text that starts with a mail or news header
// block is warned of when the email preset is off, and not otherwise.
func TestMailHeaderWarning(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      bool
	}{
		{"usenet post", "From: ada@example.org (Ada L.)\nSubject: Re: visas\nOrganization: Example University\nLines: 3\n\nVisa delays keep students away.", true},
		{"folded field", "From: ada@example.org\nSubject: Re: visas for\n  researchers\n\nVisa delays keep students away.", true},
		{"first field cut off", " Example University\nFrom: ada@example.org\nLines: 3\n\nBody.", true},
		{"no blank line after", "Subject: visas\nFrom: ada@example.org", true},
		{"CRLF", "From: ada@example.org\r\nSubject: visas\r\n\r\nBody.", true},
		// Two fields at the least: one "Subject:" line may be a memo's.
		{"one field", "Subject: visas\n\nVisa delays keep students away.", false},
		{"one field and a continuation", "Subject: visas\n  for researchers\n\nBody.", false},
		// A line that is not a field ends the candidate: no block.
		{"field then prose", "From: ada@example.org\nSubject: visas\nDear Bob, visa delays keep students away.\n\nBody.", false},
		{"prose", "Fellow-Citizens of the Senate and House of Representatives:\n\nI embrace with great satisfaction.", false},
		{"header after the first paragraph", "Dear Bob,\n\nFrom: ada@example.org\nSubject: visas\n\nBody.", false},
		// A document's own metadata is no mail header.
		{"metadata fields", "Title: Visa rules\nAuthor: A. Lovelace\nDate: 1993-04-05\n\nVisa delays keep students away.", false},
		{"empty", "", false},
	} {
		d := cleanText(t, Config{}, tc.raw)
		if got := slices.Contains(d.Warnings, HeaderWarning); got != tc.want {
			t.Errorf("%s: warned %v, want %v (warnings %q)", tc.name, got, tc.want, d.Warnings)
		}
		if tc.want {
			// With the preset the header goes, and so does the warning.
			d := cleanText(t, Config{Presets: []string{"usenet"}}, tc.raw)
			if slices.Contains(d.Warnings, HeaderWarning) {
				t.Errorf("%s: warned with the usenet preset on", tc.name)
			}
		}
	}
}

// TestNoMailHeaderWarningOnSample: no document of the embedded sample is
// taken for a mail post.
func TestNoMailHeaderWarningOnSample(t *testing.T) {
	docs := sampleDocs(t)
	if len(docs) == 0 {
		t.Fatal("no sample documents")
	}
	for _, d := range docs {
		if slices.Contains(d.Warnings, HeaderWarning) {
			t.Errorf("%s: warned of a mail header: %.200q", d.ID, d.Raw)
		}
	}
}

// warnedDocs cleans the corpus at path with the default rules (limit
// documents at most) and returns the number of documents and of those
// warned of a mail header, and the first of those.
func warnedDocs(t *testing.T, path string, limit int) (docs, warned int, first string) {
	t.Helper()
	s, err := corpus.Open(path, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for docs < limit {
		d, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := c.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		docs++
		if slices.Contains(d.Warnings, HeaderWarning) {
			if warned++; first == "" {
				first = fmt.Sprintf("%s: %.200q", d.ID, d.Raw)
			}
		}
	}
	t.Logf("%s: %d of %d documents warned of a mail header", path, warned, docs)
	return docs, warned, first
}

// TestMailHeaderWarningOnSharedCorpora: State of the Union addresses and
// UN General Debate speeches get no mail-header warning; 20 Newsgroups
// posts (50 of each of two groups) nearly all do.
func TestMailHeaderWarningOnSharedCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the shared corpora")
	}
	for _, c := range []struct {
		path  string
		limit int
	}{{sharedtest.Path(t, "bench/sotu"), 1 << 30}, {sharedtest.Path(t, "bench/ungdc.jsonl.gz"), 300}} {
		docs, warned, first := warnedDocs(t, c.path, c.limit)
		if docs < 100 || warned > 0 {
			t.Errorf("%s: %d of %d documents warned of a mail header, want 0 of ≥ 100; the first: %s", c.path, warned, docs, first)
		}
	}
	dir := sharedtest.Subset(t, "bench/20newsgroups-train", []string{"sci.med", "talk.politics.guns"}, 50)
	docs, warned, _ := warnedDocs(t, dir, 1<<30)
	if docs != 100 || warned < 95 {
		t.Errorf("20 Newsgroups: %d of %d posts warned of a mail header, want ≥ 95 of 100", warned, docs)
	}
}
