package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eval lemmas scores the gold words that are not punctuation and writes
// one prediction per word; the figures on UD EWT are gated in
// stages/tokenize (TestUDEWTLemmas).
func TestEvalLemmas(t *testing.T) {
	dir := t.TempDir()
	conllu := filepath.Join(dir, "s.conllu")
	gold := "# sent_id = s1\n# text = They also left China's universities.\n" +
		"1\tThey\tthey\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n" +
		"2\talso\talso\tADV\tRB\t_\t3\tadvmod\t_\t_\n" +
		"3\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\t_\n" +
		"4\tChina\tChina\tPROPN\tNNP\t_\t6\tnmod:poss\t_\tSpaceAfter=No\n" +
		"5\t's\t's\tPART\tPOS\t_\t4\tcase\t_\t_\n" +
		"6\tuniversities\tuniversity\tNOUN\tNNS\t_\t3\tobj\t_\tSpaceAfter=No\n" +
		"7\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n"
	if err := os.WriteFile(conllu, []byte(gold), 0o644); err != nil {
		t.Fatal(err)
	}
	preds := filepath.Join(dir, "p.tsv")
	out, _, err := runCLI(t, "eval", "lemmas", "--conllu", conllu, "--predictions", preds)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "words 6 ") || !strings.Contains(out, "lemma accuracy 1.0000 (6)") {
		t.Errorf("eval lemmas printed:\n%s", out)
	}
	b, err := os.ReadFile(preds)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 8 || lines[0] != "sentence\tword\tform\ttag\tlemma" || lines[2] != "0\t1\talso\tRB\talso" {
		t.Errorf("predictions:\n%s", b)
	}
	bad := filepath.Join(dir, "bad.conllu")
	os.WriteFile(bad, []byte("1\tThey\tthey\n"), 0o644)
	if _, _, err := runCLI(t, "eval", "lemmas", "--conllu", bad); err == nil || !strings.Contains(err.Error(), "bad.conllu:1") {
		t.Errorf("a malformed line: %v", err)
	}
}

func TestRunRejectsMissingStopWordFile(t *testing.T) {
	out := t.TempDir()
	for _, flag := range []string{"--stop-words", "--add-stop-words"} {
		_, _, err := runCLI(t, "run", "--quiet", flag, filepath.Join(out, "stop.txt"), "--out", out)
		if err == nil || !strings.Contains(err.Error(), "stop.txt") {
			t.Errorf("%s with a missing file: %v", flag, err)
		}
	}
}
