package tokenize

import (
	"os"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
)

func readSegCases(tb testing.TB, rel string) []SegCase {
	tb.Helper()
	f, err := os.Open(sharedtest.Path(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadSegCases(f, rel)
	if err != nil {
		tb.Fatal(err)
	}
	return cases
}

// scoreSegmentation returns the number of cases that pass and the ids of
// those that fail (see EvalSegmentation).
func scoreSegmentation(tb testing.TB, cases []SegCase, byDocType, logFailures bool) (pass int, failed []string) {
	rep, err := EvalSegmentation(cases, byDocType)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range rep.Failures {
		failed = append(failed, f.Case.ID)
		if logFailures && testing.Verbose() {
			tb.Logf("%s %s\n  got  %q\n  want %q", f.Case.ID, f.Case.Name, f.Got, f.Case.Expected)
		}
	}
	return rep.Passed, failed
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
