package tokenize

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
)

// segCase is one line of pragmatic_segmenter's Golden Rules export.
type segCase struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	DocType  *string  `json:"doc_type"`
	Input    string   `json:"input"`
	Expected []string `json:"expected"`
}

func readSegCases(tb testing.TB, rel string) []segCase {
	tb.Helper()
	f, err := os.Open(sharedtest.Path(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var cases []segCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for line := 1; sc.Scan(); line++ {
		var c segCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("%s:%d: %v", rel, line, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return cases
}

// collapse joins white-space runs into one space: the expected sentences of
// the Golden Rules join wrapped lines with a space, while our spans point at
// the original text.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// scoreSegmentation returns the ids of the cases that pass and fail. When
// byDocType is set, cases without doc_type "pdf" use NewlinesBreak, as
// pragmatic_segmenter does for plain text.
func scoreSegmentation(tb testing.TB, cases []segCase, byDocType, logFailures bool) (pass int, failed []string) {
	wrap, err := NewSegmenter(SegmenterConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	brk, err := NewSegmenter(SegmenterConfig{Newlines: NewlinesBreak})
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range cases {
		seg := wrap
		if byDocType && (c.DocType == nil || *c.DocType != "pdf") {
			seg = brk
		}
		got := seg.Split(c.Input)
		ok := len(got) == len(c.Expected)
		for i := 0; ok && i < len(got); i++ {
			ok = collapse(c.Input[got[i].Start:got[i].End]) == collapse(c.Expected[i])
		}
		if ok {
			pass++
		} else {
			failed = append(failed, c.ID)
			if logFailures && testing.Verbose() {
				var texts []string
				for _, sp := range got {
					texts = append(texts, c.Input[sp.Start:sp.End])
				}
				tb.Logf("%s %s\n  got  %q\n  want %q", c.ID, c.Name, texts, c.Expected)
			}
		}
	}
	return pass, failed
}

// The pass counts are asserted exactly so that any regression (or any
// improvement not recorded in docs/eval-segmentation.md) fails.
const (
	goldenPassByDocType = 52
	goldenPassWrap      = 51
)

func TestGoldenRules(t *testing.T) {
	cases := readSegCases(t, "eval/segmentation/golden_rules_en.jsonl")
	if len(cases) != 52 {
		t.Fatalf("golden rules: %d cases, want 52", len(cases))
	}
	pass, failed := scoreSegmentation(t, cases, true, true)
	t.Logf("Golden Rules, newline mode by doc_type: %d/%d pass; failing %v", pass, len(cases), failed)
	if pass != goldenPassByDocType {
		t.Errorf("Golden Rules (newline mode by doc_type) pass %d, recorded %d; failing %v", pass, goldenPassByDocType, failed)
	}
	pass, failed = scoreSegmentation(t, cases, false, true)
	t.Logf("Golden Rules, default NewlinesWrap: %d/%d pass; failing %v", pass, len(cases), failed)
	if pass != goldenPassWrap {
		t.Errorf("Golden Rules (NewlinesWrap) pass %d, recorded %d; failing %v", pass, goldenPassWrap, failed)
	}
}

const extraPassByDocType = 97

func TestExtraSegmentCases(t *testing.T) {
	cases := readSegCases(t, "eval/segmentation/extra_segment_cases_en.jsonl")
	pass, failed := scoreSegmentation(t, cases, true, false)
	t.Logf("extra cases, newline mode by doc_type: %d/%d pass; failing %v", pass, len(cases), failed)
	if pass != extraPassByDocType {
		t.Errorf("extra cases pass %d, recorded %d", pass, extraPassByDocType)
	}
}
