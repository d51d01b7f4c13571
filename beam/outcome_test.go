package flbeam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/framelens/framelens/pipeline"
)

// exitStatus is framelens run's exit status for what pipeline.Run
// returned (docs/errors.md): 1 for an error, 2 when some documents
// failed, else 0.
func exitStatus(sum *pipeline.Summary, err error) int {
	switch {
	case err != nil:
		return 1
	case sum.FailuresErr() != nil:
		return 2
	}
	return 0
}

// summaryText is the summary as the command prints it, with the output
// folder named OUT.
func summaryText(t *testing.T, sum *pipeline.Summary, out string) string {
	t.Helper()
	var b bytes.Buffer
	if err := sum.Write(&b); err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(b.String(), out, "OUT")
}

// documentErrors reads run.json's document_errors under out; ok is false
// when there is no run.json.
func documentErrors(t *testing.T, out string) (errs []string, ok bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "run.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		DocumentErrors []string `json:"document_errors"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.DocumentErrors, true
}

// withBrokenRow returns a copy of the JSONL corpus at path with a row that
// is not a JSON object after its third.
func withBrokenRow(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	lines = slices.Insert(lines, 3, `{"id":"broken","group":"a","text":`+"\n")
	p := filepath.Join(t.TempDir(), "broken.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A run on Beam ends as pipeline.Run ends, whatever the corpus: the same
// summary (so the same failure count and exit status), the same error
// message, the same sentinel errors for errors.Is (although the runner
// reports a step's error as text), the same run.json document errors and
// tables.
func TestOutcomesAsRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := write("ok.jsonl", `{"id":"a","party":"x","text":"Visa reviews tightened research security for visiting scholars."}
{"id":"b","party":"y","text":"Universities hope to retain talent through a sense of belonging."}
`)
	// Row 2 has no text: it fails, the others are analysed.
	partialCSV := write("partial.csv", "id,text,party\na,Visa reviews tightened research security.,x\nb,,y\nc,Universities retain talent through belonging.,y\n")
	// No row has text (the shape of sotu/meta.jsonl): every document fails.
	noText := write("meta.jsonl", `{"id":"a","year":1790,"party":"none"}
{"id":"b","year":1791,"party":"none"}
`)
	withGroup := func(cfg pipeline.Config, col string) pipeline.Config {
		cfg.Reader.GroupColumn = col
		return cfg
	}
	withText := func(cfg pipeline.Config, col string) pipeline.Config {
		cfg.Reader.TextColumn = col
		return cfg
	}
	for _, tc := range []struct {
		name string
		cfg  pipeline.Config
		exit int
		// is is the sentinel both errors must match (nil: none).
		is error
		// failed is the number of documents that failed.
		failed int
	}{
		{"an unreadable row among good ones", pipeline.Config{Corpus: withBrokenRow(t, repeatedSample(t, 6)), BlockDocs: 2, Seed: 1, Workers: 1},
			2, pipeline.ErrSomeDocuments, 1},
		{"a row without text", withGroup(pipeline.Config{Corpus: partialCSV, Seed: 1, Workers: 1}, "party"), 2, pipeline.ErrSomeDocuments, 1},
		{"every document failed", pipeline.Config{Corpus: noText, Seed: 1}, 1, pipeline.ErrNoDocuments, 2},
		{"a column the corpus lacks", withText(pipeline.Config{Corpus: ok, Seed: 1}, "body"), 1, pipeline.ErrColumn, 0},
		{"a setting out of range", pipeline.Config{Corpus: ok, Workers: -1}, 1, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			plain, viaBeam := t.TempDir(), t.TempDir()
			c := tc.cfg
			c.Out = plain
			wantSum, wantErr := pipeline.Run(ctx, c, pipeline.Options{})
			o := Options{Config: tc.cfg}
			o.Config.Out = viaBeam
			sum, err := Run(ctx, o)

			if got, want := exitStatus(sum, err), exitStatus(wantSum, wantErr); got != want || want != tc.exit {
				t.Errorf("exit status %d on Beam, %d with pipeline.Run; want %d (errors: %v; %v)", got, want, tc.exit, err, wantErr)
			}
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Errorf("error on Beam:\n\t%v\nwith pipeline.Run:\n\t%v", err, wantErr)
			}
			if (sum == nil) != (wantSum == nil) {
				t.Fatalf("summary on Beam %v, with pipeline.Run %v", sum != nil, wantSum != nil)
			}
			// The sentinel of a failure, or of a run with failed documents.
			asErr := func(sum *pipeline.Summary, err error) error {
				if err == nil && sum != nil {
					return sum.FailuresErr()
				}
				return err
			}
			got, want := asErr(sum, err), asErr(wantSum, wantErr)
			for _, s := range []error{pipeline.ErrSomeDocuments, pipeline.ErrNoDocuments, pipeline.ErrColumn} {
				if errors.Is(got, s) != errors.Is(want, s) {
					t.Errorf("errors.Is(%v): %v on Beam, %v with pipeline.Run", s, errors.Is(got, s), errors.Is(want, s))
				}
			}
			if tc.is != nil && !errors.Is(got, tc.is) {
				t.Errorf("%v does not match %v", got, tc.is)
			}
			if sum != nil {
				if f, _ := sum.Failures(); f != tc.failed {
					t.Errorf("%d documents failed, want %d", f, tc.failed)
				}
				if a, b := summaryText(t, sum, viaBeam), summaryText(t, wantSum, plain); a != b {
					t.Errorf("summary on Beam:\n%s\nwith pipeline.Run:\n%s", a, b)
				}
			}
			gotErrs, gotRun := documentErrors(t, viaBeam)
			wantErrs, wantRun := documentErrors(t, plain)
			if gotRun != wantRun || !slices.Equal(gotErrs, wantErrs) {
				t.Errorf("run.json (%v) document_errors on Beam: %q\nwith pipeline.Run (%v): %q", gotRun, gotErrs, wantRun, wantErrs)
			}
			if wantRun {
				sameTables(t, plain, viaBeam)
			}
		})
	}
}

// A step's error crosses to the driver with its message and sentinels; the
// steps cancelled after it add nothing; without one, the runner's error
// stands.
func TestStepErrorsKeepSentinels(t *testing.T) {
	work := t.TempDir()
	runner := errors.New("prism: stage failed")
	if err := stepErrors(work, runner); err != runner {
		t.Fatalf("no step error recorded: %v, want the runner's", err)
	}
	col := fmt.Errorf("reader.group_column (--group-column) %q: %w in x.jsonl", "partei", pipeline.ErrColumn)
	recordFailure(work, "process", fmt.Errorf("block 3: %w", context.Canceled))
	recordFailure(work, "read", col)
	recordFailure(work, "read", col) // a retry
	err := stepErrors(work, runner)
	if err.Error() != col.Error() || !errors.Is(err, pipeline.ErrColumn) || errors.Is(err, context.Canceled) {
		t.Errorf("%v (ErrColumn %v, Canceled %v), want %v matching ErrColumn only", err, errors.Is(err, pipeline.ErrColumn), errors.Is(err, context.Canceled), col)
	}
	if err := clearOutcome(work); err != nil {
		t.Fatal(err)
	}
	if err := stepErrors(work, runner); err != runner {
		t.Errorf("after clearOutcome: %v, want the runner's", err)
	}
}
