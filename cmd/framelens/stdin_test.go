package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
)

// withStdin runs f with the process's standard input reading data.
func withStdin(t *testing.T, data string, f func()) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	old := os.Stdin
	os.Stdin = in
	defer func() { os.Stdin = old }()
	f()
}

// `run --corpus -` analyses the JSONL on standard input and records it in
// run.json as "-" with its size and hash.
func TestRunReadsStdin(t *testing.T) {
	rows := `{"id":"a","group":"x","text":"Visa reviews tightened research security for Chinese scholars in 2019."}
{"id":"b","group":"y","text":"Universities welcomed talented researchers who felt at home and stayed."}
`
	out := filepath.Join(t.TempDir(), "out")
	withStdin(t, rows, func() {
		if _, _, err := runCLI(t, "run", "--quiet", "--corpus", "-", "--out", out); err != nil {
			t.Fatal(err)
		}
	})
	b, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Corpus string             `json:"corpus"`
		Inputs []corpus.InputFile `json:"inputs"`
		Rows   map[string]int64   `json:"rows"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Corpus != "-" || len(m.Inputs) != 1 || m.Inputs[0].Path != "-" || m.Inputs[0].Bytes != int64(len(rows)) || m.Rows["documents"] != 2 {
		t.Errorf("run.json: corpus %q, inputs %+v, rows %v", m.Corpus, m.Inputs, m.Rows)
	}
}

// What would read standard input twice, or in several processes, is
// refused before anything is read or written.
func TestStdinRefusesSecondPass(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("repeated_lines: true\n"), 0o644)
	for _, args := range [][]string{
		{"run", "--quiet", "--corpus", "-", "--resume"},
		{"run", "--quiet", "--corpus", "-", "--shard", "0/2"},
		{"run", "--quiet", "--corpus", "-", "--config", cfg},
		{"corpus", "inspect", "--config", cfg, "-"},
	} {
		out := filepath.Join(dir, "out")
		if args[0] == "run" {
			args = append(args, "--out", out)
		}
		withStdin(t, `{"text":"Visa reviews tightened."}`+"\n", func() {
			_, _, err := runCLI(t, args...)
			if !errors.Is(err, corpus.ErrReadOnce) || !strings.Contains(err.Error(), "write it to a file") {
				t.Errorf("%v: err = %v", args, err)
			}
		})
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: wrote %s", args, out)
		}
	}
}
