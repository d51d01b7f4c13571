package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inspecLike writes a data set in Inspec's layout (docs/<id>.txt: title,
// blank line, abstract; keys.jsonl) of two train and two test abstracts.
func inspecLike(t *testing.T) (docs, gold string) {
	t.Helper()
	dir := t.TempDir()
	docs = filepath.Join(dir, "docs")
	if err := os.Mkdir(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	set := []struct {
		id, split, text string
		keys            []string
	}{
		{"a", "train", "Talent mobility and research security\n\nUniversities compete for scientific talent. Research security rules restrict talent mobility between rival states, and visa policy shapes where doctoral students go.", []string{"talent mobility", "research security", "visa policy"}},
		{"b", "train", "Visa policy for doctoral students\n\nA visa policy that delays doctoral students pushes scientific talent to other universities. Talent mobility follows the visa policy.", []string{"visa policy", "doctoral students", "talent mobility"}},
		{"c", "test", "Research security in universities\n\nResearch security offices review foreign funding. Universities weigh research security against open science and the talent mobility it needs.", []string{"research security", "open science", "foreign funding"}},
		{"d", "test", "Open science and foreign funding\n\nOpen science depends on foreign funding and on talent mobility. Restrictions on foreign funding slow open science in small universities.", []string{"open science", "foreign funding"}},
	}
	var keys strings.Builder
	enc := json.NewEncoder(&keys)
	for _, d := range set {
		if err := os.WriteFile(filepath.Join(docs, d.id+".txt"), []byte(d.text), 0o644); err != nil {
			t.Fatal(err)
		}
		enc.Encode(map[string]any{"id": d.id, "split": d.split, "keyphrases": d.keys})
	}
	gold = filepath.Join(dir, "keys.jsonl")
	if err := os.WriteFile(gold, []byte(keys.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return docs, gold
}

// eval keyphrases reports every method with --method all, writes the
// scored documents' predictions with --predictions, and fits the
// ensemble with --tune (the tools that were environment-gated tests).
func TestEvalKeyphrases(t *testing.T) {
	docs, gold := inspecLike(t)
	out, _, err := runCLI(t, "eval", "keyphrases", "--docs", docs, "--gold", gold, "--method", "all")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range allKeyphraseMethods {
		if strings.Count(out, "documents, method "+m+"\n") != 1 {
			t.Errorf("--method all: no single report of %s in\n%s", m, out)
		}
	}
	if !strings.Contains(out, "split test: 2 documents") {
		t.Errorf("--method all printed:\n%s", out)
	}

	preds := filepath.Join(t.TempDir(), "pred.jsonl")
	if _, _, err := runCLI(t, "eval", "keyphrases", "--docs", docs, "--gold", gold, "--predictions", preds); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(preds)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"id":"c","pred":[`) || !strings.Contains(lines[1], `"gold":["open science","foreign funding"]`) {
		t.Errorf("predictions:\n%s", b)
	}

	out, _, err = runCLI(t, "eval", "keyphrases", "--docs", docs, "--gold", gold, "--tune", "--split", "test")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "current default ") || strings.Count(out, "\nfitted without ") != 4 || strings.Count(out, "weights [") != 4 {
		t.Errorf("--tune printed:\n%s", out)
	}
	if _, _, err := runCLI(t, "eval", "keyphrases", "--docs", docs, "--gold", gold, "--tune", "--predictions", preds); err == nil {
		t.Error("--tune with --predictions: no error")
	}
}
