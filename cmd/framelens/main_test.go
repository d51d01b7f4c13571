package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := newApp(&out, &errOut).RunContext(context.Background(), append([]string{"framelens"}, args...))
	return out.String(), errOut.String(), err
}

func TestSchemaAndVersion(t *testing.T) {
	out, _, err := runCLI(t, "schema", "tokens")
	if err != nil || !strings.Contains(out, "lemma") || !strings.Contains(out, "dictionary<values=utf8") {
		t.Errorf("schema tokens: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, "schema", "no_such_table"); err == nil || !strings.Contains(err.Error(), "no table") {
		t.Errorf("unknown table: %v", err)
	}
	out, _, err = runCLI(t, "version")
	if err != nil || !strings.HasPrefix(out, "framelens ") {
		t.Errorf("version: %v %q", err, out)
	}
}

// Bad input stops the run with an error that names the file and what is
// wrong, and leaves no run.json behind.
func TestRunRejectsBadInput(t *testing.T) {
	out := t.TempDir()
	_, _, err := runCLI(t, "run", "--quiet", "--corpus", filepath.Join(out, "missing.jsonl"), "--out", out)
	if err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Errorf("missing corpus: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "manifest.yaml")
	os.WriteFile(bad, []byte("- id: a\n  text: [unclosed\n"), 0o644)
	_, _, err = runCLI(t, "run", "--quiet", "--corpus", bad, "--out", out)
	if err == nil || !strings.Contains(err.Error(), "manifest.yaml") {
		t.Errorf("broken manifest: %v", err)
	}
	if _, _, err := runCLI(t, "run", "--quiet", "--skip", "bogus", "--out", out); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown stage: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "run.json")); err == nil {
		t.Error("a failed run left run.json")
	}
}

// The summary prints an interval that was not computed (a document without
// words; null in the tables) as a dash, not as NaN.
func TestSummaryPrintsMissingIntervalsReadably(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "docs.jsonl")
	rows := `{"id":"a","group":"x","text":"Visa reviews tightened research security for Chinese scholars in 2019."}
{"id":"punct","group":"y","text":"!!! ??? ..."}
`
	if err := os.WriteFile(in, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "run", "--quiet", "--corpus", in, "--out", filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("the summary prints NaN:\n%s", out)
	}
	var punct []string
	inPunct := false
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "    ") {
			inPunct = strings.HasPrefix(line, "  punct ")
			continue
		}
		if inPunct && strings.HasPrefix(line, "    ") {
			punct = append(punct, line)
		}
	}
	if len(punct) == 0 {
		t.Fatalf("no frame rates of the punctuation-only document in the summary:\n%s", out)
	}
	for _, line := range punct {
		if !strings.HasSuffix(line, "[    —,     —]") {
			t.Errorf("a missing interval reads %q, want it to end in [    —,     —]", line)
		}
	}
	if !strings.Contains(out, "— no interval") {
		t.Errorf("the summary does not say what — means:\n%s", out)
	}
}
