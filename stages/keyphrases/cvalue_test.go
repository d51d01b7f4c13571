package keyphrases

import (
	"math"
	"reflect"
	"testing"
)

func candidateByNorm(c *DocCandidates, norm string) *Candidate {
	for i := range c.Phrases {
		if c.Phrases[i].Norm == norm {
			return &c.Phrases[i]
		}
	}
	return nil
}

// Occurrences inside longer candidates are counted as C-value frequency.
func TestNestedCountsAndCValue(t *testing.T) {
	doc := tokenized(t, "The global talent competition is fierce. Talent competition shapes policy. "+
		"An international talent competition began. The global talent competition goes on.")
	ex, _ := New(Config{})
	c := ex.Candidates(doc)
	tc := candidateByNorm(c, "talent competition")
	if tc == nil {
		t.Fatalf("no candidate \"talent competition\" in %+v", c.Phrases)
	}
	// Whole once; inside "global talent competition" twice and
	// "international talent competition" once: two distinct containers.
	if tc.Maximal != 1 || tc.Nested != 3 || tc.Containers != 2 {
		t.Errorf("talent competition: maximal %d nested %d containers %d, want 1 3 2", tc.Maximal, tc.Nested, tc.Containers)
	}
	// C-value = log2(2)·(4 − 3/2).
	if got := cValue(*tc); math.Abs(got-2.5) > 1e-9 {
		t.Errorf("C-value %v, want 2.5", got)
	}
	g := candidateByNorm(c, "global talent competition")
	if g == nil || g.Count != 2 || g.Nested != 0 || cValue(*g) != math.Log2(3)*2 {
		t.Errorf("global talent competition: %+v", g)
	}
	// A single word has no C-value.
	if p := candidateByNorm(c, "policy"); p == nil || cValue(*p) != 0 {
		t.Errorf("policy: %+v", p)
	}
}

// The counting-sort TF-IDF rank without a corpus equals the sorted one.
func TestRankByCountMatchesSort(t *testing.T) {
	doc := tokenized(t, paperText(t, "zhang2024", "INTRODUCTION"))
	ex, _ := New(Config{})
	c := ex.Candidates(doc)
	if !countOrdered(c) {
		t.Fatal("candidates not in first-position order")
	}
	s := make([]float64, len(c.Phrases))
	for i, p := range c.Phrases {
		s[i] = tfidf(p, nil)
	}
	want := make([]float64, len(s))
	for r, i := range rankOrder(c, s) {
		want[i] = 1 / float64(r+1)
	}
	if got := rankByCount(c); !reflect.DeepEqual(got, want) {
		t.Error("rankByCount differs from sorting by TF-IDF")
	}
}

// Below MinCorpusDocs the corpus is ignored; from it on it counts.
func TestSmallCorpusRanksAsNoCorpus(t *testing.T) {
	ex, _ := New(Config{})
	a := ex.Candidates(tokenized(t, paperText(t, "zhang2024", "INTRODUCTION")))
	b := ex.Candidates(tokenized(t, paperText(t, "sun2025", "Abstract")))
	df := NewPhraseDF()
	df.Add(a)
	df.Add(b)
	if !reflect.DeepEqual(ex.Rank(a, df), ex.Rank(a, nil)) {
		t.Error("a two-document corpus changed the ranking")
	}
	for df.N < MinCorpusDocs {
		df.Add(b)
	}
	if reflect.DeepEqual(ex.Rank(a, df), ex.Rank(a, nil)) {
		t.Errorf("a %d-document corpus left the ranking as without one", df.N)
	}
}

// The authors' own key phrases lead, in score order, when they occur.
func TestAuthorKeywordsLead(t *testing.T) {
	doc := tokenized(t, paperText(t, "zhang2024", "INTRODUCTION"))
	doc.AuthorKeywords = []string{"Talent competition", "sanctions alliance", "no such phrase"}
	ex, _ := New(Config{})
	if err := ex.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range doc.Keyphrases {
		got = append(got, k.Norm)
	}
	if len(got) != 10 || !(got[0] == "talent competition" && got[1] == "sanction alliance" || got[1] == "talent competition" && got[0] == "sanction alliance") {
		t.Errorf("top phrases %q, want the two author keywords first", got)
	}
}

// An author keyword outside the noun-phrase pattern is a candidate where
// the text says it, and its pieces are not ranked after it.
func TestAuthorKeywordOutsidePattern(t *testing.T) {
	doc := tokenized(t, "Under the transformation of global science and technology governance, talent mobility grows. "+
		"Science policy shapes technology governance.")
	doc.AuthorKeywords = []string{"Global science and technology governance", "science and policy"}
	ex, _ := New(Config{})
	c := ex.Candidates(doc)
	p := candidateByNorm(c, "global science and technology governance")
	if p == nil || !p.Author || p.Count != 1 || p.Maximal != 1 {
		t.Fatalf("keyword candidate %+v", p)
	}
	if candidateByNorm(c, "science and policy") != nil {
		t.Error("a keyword the text does not say became a candidate")
	}
	if err := ex.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	for i, k := range doc.Keyphrases {
		if i == 0 && k.Norm != "global science and technology governance" {
			t.Errorf("first phrase %q, want the author keyword", k.Norm)
		}
		if k.Norm == "global science" {
			t.Errorf("fragment %q ranked after the keyword", k.Norm)
		}
	}
	if g := candidateByNorm(c, "technology governance"); g == nil || g.Count != 2 {
		t.Errorf("technology governance %+v, want its two pattern occurrences kept", g)
	}
}
