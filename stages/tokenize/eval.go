package tokenize

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// SegCase is one sentence-segmentation test case in the JSONL format of
// pragmatic_segmenter's Golden Rules export.
type SegCase struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	DocType  *string  `json:"doc_type"`
	Input    string   `json:"input"`
	Expected []string `json:"expected"`
}

// ReadSegCases reads segmentation cases, one JSON object per line.
func ReadSegCases(r io.Reader, name string) ([]SegCase, error) {
	var cases []SegCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c SegCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cases, nil
}

// SegFailure is a case the segmenter gets wrong.
type SegFailure struct {
	Case SegCase
	Got  []string
}

// SegReport is the outcome of EvalSegmentation.
type SegReport struct {
	Cases, Passed int
	Failures      []SegFailure
}

// Write prints the pass count and every failure.
func (r *SegReport) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "passed %d of %d (%.1f%%)\n", r.Passed, r.Cases, 100*float64(r.Passed)/float64(max(r.Cases, 1)))
	for _, f := range r.Failures {
		fmt.Fprintf(&b, "\n%s %s\n  got  %q\n  want %q\n", f.Case.ID, f.Case.Name, f.Got, f.Case.Expected)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// EvalSegmentation splits each case's input and compares the sentences with
// the expected ones, white-space runs collapsed (the expected sentences join
// wrapped lines with a space; our spans point at the original text). With
// byDocType, cases whose doc_type is not "pdf" treat a single newline as a
// boundary (NewlinesBreak), as pragmatic_segmenter does for plain text;
// otherwise every case uses the default NewlinesWrap.
func EvalSegmentation(cases []SegCase, byDocType bool) (*SegReport, error) {
	wrap, err := NewSegmenter(SegmenterConfig{})
	if err != nil {
		return nil, err
	}
	brk, err := NewSegmenter(SegmenterConfig{Newlines: NewlinesBreak})
	if err != nil {
		return nil, err
	}
	rep := &SegReport{Cases: len(cases)}
	for _, c := range cases {
		seg := wrap
		if byDocType && (c.DocType == nil || *c.DocType != "pdf") {
			seg = brk
		}
		spans := seg.Split(c.Input)
		got := make([]string, len(spans))
		for i, sp := range spans {
			got[i] = c.Input[sp.Start:sp.End]
		}
		ok := len(got) == len(c.Expected)
		for i := 0; ok && i < len(got); i++ {
			ok = collapse(got[i]) == collapse(c.Expected[i])
		}
		if ok {
			rep.Passed++
		} else {
			rep.Failures = append(rep.Failures, SegFailure{Case: c, Got: got})
		}
	}
	return rep, nil
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
