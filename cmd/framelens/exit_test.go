package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
)

// runExit runs the command line and returns its exit status (exitCode of
// the error, as main exits), stdout and the error message.
func runExit(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	out, _, err := runCLI(t, args...)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return exitCode(err), out, msg
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Exit status 0: every document analysed; 2: the run is complete but some
// documents failed, and run.json lists them; 1: no document could be
// analysed (docs/errors.md).
func TestExitCodesSayWhetherTheRunIsUsable(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, filepath.Join(dir, "ok.jsonl"),
		`{"id":"a","party":"x","text":"Visa reviews tightened research security for visiting scholars."}
{"id":"b","party":"y","text":"Universities hope to retain talent through a sense of belonging."}
`)
	// Row 2 has no text: it fails, the others are analysed.
	partial := writeFile(t, filepath.Join(dir, "partial.csv"),
		"id,text,party\na,Visa reviews tightened research security.,x\nb,,y\nc,Universities retain talent through belonging.,y\n")
	// No row has text (the shape of sotu/meta.jsonl): every document fails.
	noText := writeFile(t, filepath.Join(dir, "meta.jsonl"),
		`{"id":"a","year":1790,"party":"none"}
{"id":"b","year":1791,"party":"none"}
`)
	empty := writeFile(t, filepath.Join(dir, "empty.jsonl"), "")
	header := writeFile(t, filepath.Join(dir, "header.csv"), "id,text,group\n")

	for _, tc := range []struct {
		name string
		args []string
		code int
		// want are substrings of the error message (or of stdout for 0).
		want []string
	}{
		{"complete", []string{"--corpus", ok}, exitOK, []string{"2 documents"}},
		{"some documents failed", []string{"--corpus", partial, "--group-column", "party"}, exitPartial,
			[]string{"1 of 3 documents failed", "run.json"}},
		{"every document failed", []string{"--corpus", noText}, exitFailed,
			[]string{"none of the 2 documents", `neither a "text" nor a "path"`, "columns: id, party, year"}},
		{"wrong text column", []string{"--corpus", ok, "--text-column", "body"}, exitFailed,
			[]string{`--text-column) "body"`, "its columns: id, party, text"}},
		{"empty JSONL", []string{"--corpus", empty}, exitFailed, []string{"empty.jsonl holds no document"}},
		{"header-only CSV", []string{"--corpus", header}, exitFailed, []string{"header.csv holds no document"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, msg := runExit(t, append([]string{"run", "--quiet", "--out", out}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; error: %s\n%s", code, tc.code, msg, stdout)
			}
			text := msg
			if tc.code == exitOK {
				text = stdout
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q is not in %q", w, text)
				}
			}
			if tc.code == exitPartial {
				var man struct {
					DocumentErrors []string `json:"document_errors"`
				}
				b, err := os.ReadFile(filepath.Join(out, "run.json"))
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(b, &man); err != nil {
					t.Fatal(err)
				}
				if len(man.DocumentErrors) != 1 || !strings.Contains(man.DocumentErrors[0], `partial.csv:3 (id "b")`) {
					t.Errorf("run.json document_errors = %q, want the row of b", man.DocumentErrors)
				}
				if !strings.Contains(stdout, "1 documents could not be analysed") {
					t.Errorf("the summary does not list the failure:\n%s", stdout)
				}
			}
		})
	}
}

// sotu/meta.jsonl holds the speeches' metadata, not their text: every one
// of its 233 rows fails, and the run says so with exit status 1.
func TestExitCodeSOTUMetadataOnly(t *testing.T) {
	meta := sharedtest.Path(t, "bench/sotu/meta.jsonl")
	code, _, msg := runExit(t, "run", "--quiet", "--skip", "topics", "--corpus", meta, "--out", filepath.Join(t.TempDir(), "out"))
	if code != exitFailed || !strings.Contains(msg, "none of the 233 documents") || !strings.Contains(msg, "party") {
		t.Errorf("exit %d, %s; want 1 and none of the 233 documents, naming the columns", code, msg)
	}
}

// A flag that cannot apply stops the run before anything is written, with
// a message that says why and what to do.
func TestFlagsThatCannotApplyAreRefused(t *testing.T) {
	dir := t.TempDir()
	rows := writeFile(t, filepath.Join(dir, "rows.jsonl"),
		`{"id":"a","party":"x","text":"Visa reviews tightened research security."}
{"id":"b","party":"y","text":"Universities retain talent through belonging."}
`)
	csv := writeFile(t, filepath.Join(dir, "rows.csv"), "id,text,party\na,Visa reviews tightened research security.,x\n")
	folder := filepath.Join(dir, "folder")
	if err := os.MkdirAll(filepath.Join(folder, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(folder, "x", "a.txt"), "Visa reviews tightened research security.")
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"missing group column, JSONL", []string{"--corpus", rows, "--group-column", "partei"},
			[]string{`"partei"`, "its columns: id, party, text"}},
		{"missing group column, CSV header", []string{"--corpus", csv, "--group-column", "partei"},
			[]string{`"partei"`, "its columns: id, text, party"}},
		{"missing group column, built-in sample", []string{"--group-column", "party"},
			[]string{"built-in sample", "group"}},
		{"group column on a folder without manifest", []string{"--corpus", folder, "--group-column", "party"},
			[]string{"has no manifest", "first-level folders", "manifest.csv"}},
		{"group column on a single file", []string{"--corpus", filepath.Join(folder, "x", "a.txt"), "--group-column", "party"},
			[]string{"single text file"}},
		{"missing id column", []string{"--corpus", rows, "--id-column", "doc"},
			[]string{`--id-column) "doc"`, "its columns: id, party, text"}},
		{"text column on a folder without manifest", []string{"--corpus", folder, "--text-column", "body"},
			[]string{"has no manifest", "the texts of a folder are its files"}},
		{"a flag of a skipped stage", []string{"--corpus", rows, "--skip", "topics", "--topics", "5"},
			[]string{"--topics: the topics stage is skipped"}},
		{"negative workers", []string{"--corpus", rows, "--workers", "-1"}, []string{"--workers", "-1 is negative"}},
		{"negative block-docs", []string{"--corpus", rows, "--block-docs", "-5"}, []string{"--block-docs", "-5 is negative"}},
		{"negative limit", []string{"--corpus", rows, "--limit", "-2"}, []string{"--limit", "-2 is negative"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, _, msg := runExit(t, append([]string{"run", "--quiet", "--out", out}, tc.args...)...)
			if code != exitFailed {
				t.Fatalf("exit %d, want %d (%s)", code, exitFailed, msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q is not in %q", w, msg)
				}
			}
			if _, err := os.Stat(filepath.Join(out, "run.json")); err == nil {
				t.Error("a refused run wrote run.json")
			}
		})
	}
	// The group column that exists is honoured, in a row dump and in a
	// folder's manifest.
	withManifest := filepath.Join(dir, "with_manifest")
	if err := os.MkdirAll(withManifest, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(withManifest, "a.txt"), "Visa reviews tightened research security.")
	writeFile(t, filepath.Join(withManifest, "b.txt"), "Universities retain talent through belonging.")
	writeFile(t, filepath.Join(withManifest, "manifest.csv"), "path,party\na.txt,x\nb.txt,y\n")
	for _, corpus := range []string{rows, withManifest} {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, msg := runExit(t, "run", "--quiet", "--corpus", corpus, "--group-column", "party", "--out", out)
		if code != exitOK || !strings.Contains(stdout, "\n  x ") || !strings.Contains(stdout, "\n  y ") {
			t.Errorf("%s --group-column party: exit %d %s\n%s", corpus, code, msg, stdout)
		}
	}
}

// A flag after an argument is not read by the flag parser: it is refused,
// not ignored.
func TestFlagsAfterArgumentsAreRefused(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	if err := os.MkdirAll(filepath.Join(folder, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(folder, "x", "a.txt"), "Visa reviews tightened research security.")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"corpus", "inspect", folder, "--group-column", "party"}, "corpus inspect: the flag --group-column comes after the argument"},
		{[]string{"run", "--quiet", "--out", filepath.Join(dir, "out"), folder}, "run takes no arguments"},
	} {
		code, _, msg := runExit(t, tc.args...)
		if code != exitFailed || !strings.Contains(msg, tc.want) {
			t.Errorf("%q: exit %d %q; want 1 and %q", tc.args, code, msg, tc.want)
		}
	}
	// Flags first: the group column is checked, and refused on a folder
	// without manifest.
	code, _, msg := runExit(t, "corpus", "inspect", "--group-column", "party", folder)
	if code != exitFailed || !strings.Contains(msg, "has no manifest") {
		t.Errorf("inspect --group-column party on a folder: exit %d %q", code, msg)
	}
}
