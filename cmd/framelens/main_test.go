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
