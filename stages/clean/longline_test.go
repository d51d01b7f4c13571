package clean

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// stageSpanRE is the expression nextStageSpan scans for.
var stageSpanRE = regexp.MustCompile(`\s*[(\[][^()\[\]\n]{2,80}[)\]]`)

// realLines are the lines of the sample and, when ../shared is there, of
// the State of the Union addresses (their stage directions: "(Applause.)").
func realLines(t *testing.T) []string {
	t.Helper()
	var texts []string
	names, _ := fs.Glob(corpus.SampleFS(), "*.txt")
	for _, n := range names {
		b, _ := fs.ReadFile(corpus.SampleFS(), n)
		texts = append(texts, string(b))
	}
	if root := sharedtest.Root(); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, "bench", "sotu", "txt", "*.txt"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(b))
		}
	}
	var lines []string
	for _, s := range texts {
		lines = append(lines, strings.Split(s, "\n")...)
	}
	return lines
}

// nextStageSpan finds the matches of the expression, in order, on real
// lines, on the whole texts as one line each, and on random strings of
// brackets, spaces, newlines and letters.
func TestNextStageSpanIsTheExpression(t *testing.T) {
	lines := realLines(t)
	inputs := append(lines, strings.Join(lines, " "), strings.Join(lines, "\n"))
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"(", ")", "[", "]", " ", "\t", "\n", "a", "b", "é", "—", "\f", "\v", "x y", "applause"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(120) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	inputs = append(inputs, "("+strings.Repeat("é", 80)+")", "("+strings.Repeat("é", 81)+")", "(a)", "(ab)", " \t (ab)")
	matched := 0
	for _, in := range inputs {
		want := stageSpanRE.FindAllStringIndex(in, -1)
		var got [][]int
		for pos := 0; ; {
			s, e := nextStageSpan(in, pos)
			if s < 0 {
				break
			}
			got = append(got, []int{s, e})
			pos = e
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("%.200q: spans %v, want %v", in, got, want)
		}
		matched += len(want)
	}
	if matched < 1000 {
		t.Errorf("only %d matches: the inputs do not test much", matched)
	}
}

// headingKey's bounded form is headingKey on known headings, numbered,
// marked up or padded, and tells a long line apart without folding it.
func TestShortHeadingKey(t *testing.T) {
	lines := append(realLines(t), "## 2.1. References:", "**Abstract**", "KEYWORDS", "i. Introduction",
		"Notes"+strings.Repeat(" ", 5000), "   Literature   cited ", "\u212a"+strings.Repeat("\u212a", 200),
		"list of the selected literature cited and further reading list", "1.2.3.4.5.6.7.8 Findings")
	for _, l := range lines {
		full := headingKey(l)
		k, ok := shortHeadingKey(l)
		if ok && k != full || !ok && len(full) <= maxHeadingKey {
			t.Fatalf("%.100q: shortHeadingKey = %q, %v; headingKey %q", l, k, ok, full)
		}
	}
	if k, ok := shortHeadingKey("  ## Notes" + strings.Repeat(" \u00a0", 1<<20)); !ok || k != "notes" {
		t.Errorf("a heading padded with a megabyte of spaces: %q, %v", k, ok)
	}
}

// The title test's bounded key decides as the whole key does.
func TestTitleKeyPrefix(t *testing.T) {
	lines := realLines(t)
	titles := []string{"", "The State of the Union", "Address", lines[3], strings.Repeat("Ünïcode ", 20)}
	for _, title := range titles {
		tk := titleKey(title)
		for _, l := range append(slices.Clone(lines[:min(2000, len(lines))]), title, title+" and more", title[:len(title)/2]) {
			lk := titleKey(l)
			want := tk != "" && lk != "" && (lk == tk || (len(lk) >= len(tk)/3 && strings.HasPrefix(tk, lk)) || strings.HasPrefix(lk, tk))
			r := &cleanRun{doc: &document.Document{Title: title}}
			if got := r.isTitle(l); got != want {
				t.Fatalf("title %q, line %.100q: isTitle = %v, want %v", title, l, got, want)
			}
		}
	}
}
