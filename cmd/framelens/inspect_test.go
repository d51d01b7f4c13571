package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writePages writes a JSONL row dump whose text column is "body": pages of
// one site sharing a navigation line, each with a banner line.
func writePages(t *testing.T, path string, ids ...string) {
	t.Helper()
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, `{"id":%q,"group":"a","site":"example.org","body":"Article %s\n\nVisit the Example Policy Portal for more\n\nBody text %s with an argument about visas and belonging.\n\nZZZ sponsored banner 42"}`+"\n", id, id, id)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// corpus inspect reads and cleans the corpus as run does with the same
// --config: its corpus, reader, clean and repeated_lines settings.
func TestCorpusInspectHonoursConfig(t *testing.T) {
	dir := t.TempDir()
	pages := filepath.Join(dir, "pages.jsonl")
	writePages(t, pages, "p1", "p2", "p3")
	cfg := filepath.Join(dir, "framelens.yaml")
	if err := os.WriteFile(cfg, []byte(`corpus: `+pages+`
reader:
  text_column: body
repeated_lines: true
clean:
  extra_chrome: ['zzz sponsored banner \d+']
`), 0o644); err != nil {
		t.Fatal(err)
	}
	const extra = `[extra] "ZZZ sponsored banner 42"`
	const repeated = `[repeated-line] "Visit the Example Policy Portal for more"`

	// The config alone: its corpus, read with its text column and cleaned
	// with its rules.
	out, _, err := runCLI(t, "corpus", "inspect", "--config", cfg)
	if err != nil {
		t.Fatalf("inspect --config: %v\n%s", err, out)
	}
	for _, want := range []string{"== p1", "== p3", "3 document(s) read, 0 unreadable", extra, repeated} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect --config: no %q in\n%s", want, out)
		}
	}

	// Without the config the default cleaning keeps both lines.
	out, _, err = runCLI(t, "corpus", "inspect", "--text-column", "body", pages)
	if err != nil {
		t.Fatalf("inspect without config: %v\n%s", err, out)
	}
	if !strings.Contains(out, "== p1") || strings.Contains(out, "[extra]") || strings.Contains(out, "[repeated-line]") {
		t.Errorf("inspect without config:\n%s", out)
	}

	// PATH overrides the config's corpus, as --corpus does for run; the
	// config's reader and clean settings still apply.
	other := filepath.Join(dir, "other.jsonl")
	writePages(t, other, "q1", "q2", "q3")
	out, _, err = runCLI(t, "corpus", "inspect", "--config", cfg, other)
	if err != nil {
		t.Fatalf("inspect --config PATH: %v\n%s", err, out)
	}
	if !strings.Contains(out, "== q1") || strings.Contains(out, "== p1") || !strings.Contains(out, extra) || !strings.Contains(out, repeated) {
		t.Errorf("inspect --config PATH:\n%s", out)
	}

	// A flag overrides the config's reader section: no column "text".
	out, _, err = runCLI(t, "corpus", "inspect", "--config", cfg, "--text-column", "text")
	if err != nil || !strings.Contains(out, "0 document(s) read, 3 unreadable") {
		t.Errorf("--text-column text over the config's body: %v\n%s", err, out)
	}

	// A config that does not load is an error, as for run.
	if _, _, err := runCLI(t, "corpus", "inspect", "--config", filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing config: %v", err)
	}
}

func TestInspectEncodingFlag(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rows.csv")
	csv := "id,group,text\nd1,Soci\xe9t\xe9,\"Le caf\xe9 du coin reste ouvert, said the minister of research.\"\n"
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "corpus", "inspect", "--encoding", "windows-1252", p)
	if err != nil {
		t.Fatalf("inspect --encoding: %v\n%s", err, out)
	}
	if !strings.Contains(out, `group="Société"`) || !strings.Contains(out, "not valid UTF-8: decoded as windows-1252 (reader.encoding)") {
		t.Errorf("inspect --encoding windows-1252:\n%s", out)
	}
	_, _, err = runCLI(t, "corpus", "inspect", "--encoding", "klingon-8", p)
	if err == nil || !strings.Contains(err.Error(), "klingon-8") {
		t.Errorf("unknown encoding: %v", err)
	}
}
