package keyphrases

import (
	"context"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/tokenize"
)

// chromeLine matches the page chrome of the sample papers: submission
// notices, DOIs, dates, download counters and the like.
var chromeLine = regexp.MustCompile(`(?i)^(submission deadline|last issue|special issue|doi\s*:|received:|main article content|abstract \d|pdf downloads|international journal of|keywords\b)`)

// paperBody stands in for the corpus cleaner: the text from the line
// start (the abstract or introduction heading) to the references, without
// chrome or keyword lines and with typographic quotes folded.
func paperBody(t *testing.T, name, start string) *document.Document {
	t.Helper()
	doc := &document.Document{ID: name, Clean: paperText(t, name, start)}
	tk, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func paperText(t testing.TB, name, start string) string {
	t.Helper()
	b, err := fs.ReadFile(corpus.SampleFS(), name+".txt")
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		trim := strings.TrimSpace(line)
		if trim == start {
			in = true
			continue
		}
		if !in {
			continue
		}
		if trim == "References" || strings.HasPrefix(trim, "LIST OF USED SOURCES") {
			break
		}
		if chromeLine.MatchString(trim) {
			continue
		}
		keep = append(keep, line)
	}
	return strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "‒", "-", "–", "-").Replace(strings.Join(keep, "\n"))
}

// paperKeywords reads the author keywords of a paper as the corpus cleaner
// does: the text after "Keywords:" or on the line after a "Keywords"
// heading, split at commas.
func paperKeywords(t testing.TB, name string) []string {
	t.Helper()
	b, err := fs.ReadFile(corpus.SampleFS(), name+".txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, line := range lines {
		trim := strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(trim, "Keywords")
		if !ok {
			continue
		}
		rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
		for j := i + 1; rest == "" && j < len(lines); j++ {
			rest = strings.TrimSpace(lines[j])
		}
		var kws []string
		for _, k := range strings.Split(rest, ",") {
			kws = append(kws, strings.TrimSpace(k))
		}
		return kws
	}
	t.Fatalf("paper %s: no keywords line", name)
	return nil
}

// fragment matches what must never be a key phrase: citation debris,
// headings, journal names and page chrome.
var fragment = regexp.MustCompile(`(?i)\bet al\b|\bjournal\b|\bdoi\b|\bpdf\b|\bsubmission\b|\bdownloads?\b|^\d+$|^(introduction|conclusion|abstract|references|keywords)$`)

// rankOf is the 1-based rank of the first phrase containing w as whole
// words, or 0.
func rankOf(got []string, w string) int {
	for i, g := range got {
		if strings.Contains(" "+g+" ", " "+w+" ") {
			return i + 1
		}
	}
	return 0
}

func TestSamplePapers(t *testing.T) {
	cases := []struct {
		paper, start string
		// top10 must be, or be part of, a top-10 phrase (by Norm) when the
		// authors' keywords are known, as the pipeline knows them.
		top10 []string
		// bare are wanted within the top `bareTop` without author keywords:
		// the ranking alone.
		bare    []string
		bareTop int
		// late are wanted within the top 30 in both: phrases said once, at
		// the end of a one-paragraph abstract, which the Inspec-fitted
		// ranking places after earlier ones.
		late []string
	}{
		// The security paper is a long document, ranked by the model fitted
		// on full papers (SemEval-2010), which weighs the first position
		// heavily (papers name their key phrases in the title and abstract;
		// this capture's analysed text starts at the introduction):
		// "scientific research security" ranks 9th–10th and "national
		// security" 12th–13th; with the abstract model they were 7th and
		// 8th (docs/eval-keyphrases.md, "Full papers").
		{"zhang2024", "INTRODUCTION", []string{"talent competition", "research security"},
			[]string{"research security", "national security", "talent competition"}, 12, []string{"national security"}},
		{"sun2025", "Abstract", []string{"talent mobility", "push-pull theory", "dual-drive model"},
			// Without its keywords section "dual-drive model", said once
			// after "builds a", ranks 21st: the context features (fitted on
			// Inspec, +0.013 F1@10 on test) lift the listed phrases of this
			// abstract above it; it was 11th without them.
			[]string{"talent mobility", "push-pull theory", "dual-drive model"}, 21, []string{"cultural identity"}},
	}
	ex, err := New(Config{TopN: 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		for _, withKeywords := range []bool{true, false} {
			doc := paperBody(t, c.paper, c.start)
			if withKeywords {
				doc.AuthorKeywords = paperKeywords(t, c.paper)
			}
			// The per-document pass: every phrase has document frequency 1,
			// as in a corpus smaller than MinCorpusDocs.
			if err := ex.Process(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			single := 0
			for _, k := range doc.Keyphrases {
				got = append(got, k.Norm)
				if fragment.MatchString(k.Phrase) {
					t.Errorf("paper %s: fragment %q among the key phrases", c.paper, k.Phrase)
				}
				if k.Rank <= 10 && !strings.Contains(k.Norm, " ") {
					single++
				}
				if k.FirstStart < 0 || k.FirstStart >= len(doc.Clean) || !strings.HasPrefix(strings.ToLower(doc.Clean[k.FirstStart:]), strings.ToLower(firstWord(k.Phrase))) {
					t.Errorf("paper %s: FirstStart %d of %q does not point at it", c.paper, k.FirstStart, k.Phrase)
				}
			}
			t.Logf("paper %s, author keywords %v: %s", c.paper, withKeywords, strings.Join(got, " | "))
			if single > 1 {
				t.Errorf("paper %s: %d single words in the top 10: %q", c.paper, single, got[:10])
			}
			want, top := c.bare, c.bareTop
			if withKeywords {
				want, top = c.top10, 10
			}
			for _, w := range want {
				if r := rankOf(got, w); r == 0 || r > top {
					t.Errorf("paper %s (author keywords %v): %q ranks %d, want top %d; got %q", c.paper, withKeywords, w, r, top, got)
				}
			}
			for _, w := range c.late {
				if r := rankOf(got, w); r == 0 || r > 30 {
					t.Errorf("paper %s: %q ranks %d, want top 30", c.paper, w, r)
				}
			}
		}
	}
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}
