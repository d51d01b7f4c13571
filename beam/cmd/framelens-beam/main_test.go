package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/pipeline"
)

// TestMain runs the command itself when the tests start their own binary
// as it (FRAMELENS_BEAM_MAIN=1), so that they see its exit status.
func TestMain(m *testing.M) {
	if os.Getenv("FRAMELENS_BEAM_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// command runs framelens-beam with args and returns its exit status,
// stdout and its message: the last line of stderr that starts with
// "framelens-beam: " (prism and slog log there too).
func command(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "FRAMELENS_BEAM_MAIN=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	msg := ""
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.HasPrefix(l, "framelens-beam: ") {
			msg = l
		}
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), msg
}

// framelens-beam exits as framelens run does (docs/errors.md): 0 and the
// summary for a complete run, 2 with the summary and the count of failed
// documents when some failed, 1 and the error when none could be analysed
// or a setting cannot apply; each message is framelens run's.
func TestExitStatusAsRun(t *testing.T) {
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
	partial := write("partial.csv", "id,text,party\na,Visa reviews tightened research security.,x\nb,,y\nc,Universities retain talent through belonging.,y\n")
	noText := write("meta.jsonl", `{"id":"a","year":1790,"party":"none"}
{"id":"b","year":1791,"party":"none"}
`)
	for _, tc := range []struct {
		name string
		cfg  pipeline.Config
		args []string
		exit int
	}{
		{"complete", pipeline.Config{Corpus: ok}, []string{"--corpus", ok}, 0},
		{"some documents failed", pipeline.Config{Corpus: partial, Reader: corpus.Options{GroupColumn: "party"}}, []string{"--corpus", partial, "--group-column", "party"}, 2},
		{"every document failed", pipeline.Config{Corpus: noText}, []string{"--corpus", noText}, 1},
		{"a setting out of range", pipeline.Config{Corpus: ok, Workers: -1}, []string{"--corpus", ok, "--workers", "-1"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
			cfg := tc.cfg
			cfg.Out = plain
			sum, err := pipeline.Run(context.Background(), cfg, pipeline.Options{})
			// What framelens run prints (cmd/framelens: main and finished).
			wantOut, wantMsg := "", ""
			switch {
			case err != nil:
				wantMsg = "framelens-beam: " + err.Error()
			default:
				var b strings.Builder
				sum.Write(&b)
				wantOut = strings.ReplaceAll(b.String(), plain, out)
				if ferr := sum.FailuresErr(); ferr != nil {
					wantMsg = "framelens-beam: " + ferr.Error()
				}
			}
			code, stdout, msg := command(t, append([]string{"--out", out}, tc.args...)...)
			if code != tc.exit {
				t.Errorf("exit status %d, want %d; message: %s", code, tc.exit, msg)
			}
			if stdout != wantOut {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, wantOut)
			}
			if msg != wantMsg {
				t.Errorf("message:\n\t%s\nwant:\n\t%s", msg, wantMsg)
			}
		})
	}
}
