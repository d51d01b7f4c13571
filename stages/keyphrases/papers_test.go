package keyphrases

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/tokenize"
)

// chromeLine matches the page chrome of the sample papers: submission
// notices, DOIs, dates, download counters and the like.
var chromeLine = regexp.MustCompile(`(?i)^(submission deadline|last issue|special issue|doi\s*:|received:|main article content|abstract \d|pdf downloads|international journal of|keywords\b)`)

// paperBody stands in for the corpus cleaner: the text from the line
// start (the abstract or introduction heading) to the references, without
// chrome or keyword lines and with typographic quotes folded.
func paperBody(t *testing.T, name, start string) *corpus.Document {
	t.Helper()
	doc := &corpus.Document{ID: name, Clean: paperText(t, name, start)}
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
	dir := sharedtest.Path(t, "corpus/papers")
	matches, _ := filepath.Glob(filepath.Join(dir, name+"_*.txt"))
	if len(matches) != 1 {
		t.Fatalf("paper %s not found in %s", name, dir)
	}
	b, err := os.ReadFile(matches[0])
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

func TestSamplePapers(t *testing.T) {
	cases := []struct {
		paper, start string
		want         []string // each must be, or be part of, a top-20 phrase (by Norm)
		// late are wanted within the top 30: phrases said once, at the end
		// of a one-paragraph abstract, which the Inspec-fitted ranking
		// places after earlier ones.
		late []string
	}{
		{"001", "INTRODUCTION", []string{"research security", "national security", "talent competition"}, nil},
		{"000", "Abstract", []string{"talent mobility", "push-pull theory", "dual-drive model"}, []string{"cultural identity"}},
	}
	bad := regexp.MustCompile(`(?i)\bet al\b|\bjournal\b|\bdoi\b|\bpdf\b|\bsubmission\b|\bdownloads?\b|^\d+$|^(introduction|conclusion|abstract|references|keywords)$`)
	ex, err := New(Config{TopN: 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		doc := paperBody(t, c.paper, c.start)
		// The per-document pass: every phrase has document frequency 1.
		if err := ex.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, k := range doc.Keyphrases {
			got = append(got, k.Norm)
			if bad.MatchString(k.Phrase) {
				t.Errorf("paper %s: fragment %q among the key phrases", c.paper, k.Phrase)
			}
			if k.FirstStart < 0 || k.FirstStart >= len(doc.Clean) || !strings.HasPrefix(strings.ToLower(doc.Clean[k.FirstStart:]), strings.ToLower(firstWord(k.Phrase))) {
				t.Errorf("paper %s: FirstStart %d of %q does not point at it", c.paper, k.FirstStart, k.Phrase)
			}
		}
		t.Logf("paper %s: %s", c.paper, strings.Join(got, " | "))
		for n, w := range append(c.want, c.late...) {
			top := 20
			if n >= len(c.want) {
				top = 30
			}
			found := false
			for _, g := range got[:min(top, len(got))] {
				if strings.Contains(" "+g+" ", " "+w+" ") {
					found = true
				}
			}
			if !found {
				t.Errorf("paper %s: no top-%d phrase contains %q; got %q", c.paper, top, w, got)
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
