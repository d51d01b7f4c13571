package tokenize

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
)

// WordSegReport is Chinese word segmentation scored as the SIGHAN 2005
// bakeoff's score script does: precision, recall and F1 of words, a word
// right when its character span is the gold word's.
type WordSegReport struct {
	Lines           int
	Gold, Got, Same int
}

func (r WordSegReport) Precision() float64 { return float64(r.Same) / float64(max(r.Got, 1)) }
func (r WordSegReport) Recall() float64    { return float64(r.Same) / float64(max(r.Gold, 1)) }
func (r WordSegReport) F1() float64 {
	p, q := r.Precision(), r.Recall()
	if p+q == 0 {
		return 0
	}
	return 2 * p * q / (p + q)
}

// Write prints the scores.
func (r WordSegReport) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "lines %d, gold words %d, framelens words %d, right %d\nprecision %.4f  recall %.4f  F1 %.4f\n",
		r.Lines, r.Gold, r.Got, r.Same, r.Precision(), r.Recall(), r.F1())
	return err
}

// EvalChineseSegmentation segments each line of the raw test file as a
// Chinese document, through the Tokenizer (sentences, then words: what a
// run does), and scores the words against the gold file (the same lines,
// words separated by spaces).
func (t *Tokenizer) EvalChineseSegmentation(ctx context.Context, testPath, goldPath string) (WordSegReport, error) {
	var rep WordSegReport
	test, err := readLines(testPath)
	if err != nil {
		return rep, err
	}
	gold, err := readLines(goldPath)
	if err != nil {
		return rep, err
	}
	if len(test) != len(gold) {
		return rep, fmt.Errorf("%s has %d lines, %s %d: not the same text", testPath, len(test), goldPath, len(gold))
	}
	for i, line := range test {
		gw := strings.Fields(gold[i])
		if strings.Join(gw, "") != strings.Join(strings.Fields(line), "") {
			return rep, fmt.Errorf("%s:%d: the gold words do not spell the test line", goldPath, i+1)
		}
		doc := &document.Document{ID: fmt.Sprint(i + 1), Lang: "zh", Clean: line}
		if err := t.Process(ctx, doc); err != nil {
			return rep, err
		}
		var got []string
		for _, tok := range doc.Tokens {
			got = append(got, tok.Text)
		}
		rep.Lines++
		rep.Gold += len(gw)
		rep.Got += len(got)
		rep.Same += sameSpans(gw, got)
	}
	return rep, nil
}

// sameSpans counts the words of b whose character span (white space
// ignored) is a word of a.
func sameSpans(a, b []string) int {
	spans := map[[2]int]bool{}
	pos := 0
	for _, w := range a {
		n := utf8.RuneCountInString(w)
		spans[[2]int{pos, pos + n}] = true
		pos += n
	}
	same := 0
	pos = 0
	for _, w := range b {
		n := utf8.RuneCountInString(w)
		if spans[[2]int{pos, pos + n}] {
			same++
		}
		pos += n
	}
	return same
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		out = append(out, strings.TrimPrefix(sc.Text(), "\ufeff"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// A final empty line is the file's last newline, not a paragraph.
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	return out, nil
}
