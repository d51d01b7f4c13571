package keyphrases

import (
	"context"
	"encoding/json"
	"github.com/framelens/framelens/stages/tokenize"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
)

// minTestF10 is the default method's F1@10 on Inspec test as measured
// (docs/eval-keyphrases.md), less a small margin: a regression fails.
const minTestF10 = 0.395

func TestInspecTestDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("tokenises 1,500 abstracts")
	}
	dir := sharedtest.Path(t, "eval/keyphrase/inspec")
	r, err := EvalInspec(context.Background(), filepath.Join(dir, "docs"), filepath.Join(dir, "keys.jsonl"), "test", Config{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.Write(&b)
	t.Log("\n" + b.String())
	if r.Docs != 500 {
		t.Errorf("evaluated %d documents, want the 500 of Inspec test", r.Docs)
	}
	if r.F10 < minTestF10 {
		t.Errorf("F1@10 = %.3f, below the measured level %.3f", r.F10, minTestF10)
	}
}

// TestInspecAllMethods prints the report of every method; it runs only
// with KEYPHRASES_EVAL=<split> (it produced docs/eval-keyphrases.md).
func TestInspecAllMethods(t *testing.T) {
	split := os.Getenv("KEYPHRASES_EVAL")
	if split == "" {
		t.Skip("set KEYPHRASES_EVAL=test (or dev) to print every method's scores")
	}
	dir := sharedtest.Path(t, "eval/keyphrase/inspec")
	for _, m := range []string{MethodYAKE, MethodTextRank, MethodSingleRank, MethodPositionRank, MethodTFIDF, MethodEnsemble} {
		r, err := EvalInspec(context.Background(), filepath.Join(dir, "docs"), filepath.Join(dir, "keys.jsonl"), split, Config{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		r.Write(os.Stdout)
	}
}

// TestInspecDump writes the default method's test predictions as JSON lines
// to $KEYPHRASES_DUMP, to re-score them with another stemmer (nltk's
// Porter, as pke does) outside Go.
func TestInspecDump(t *testing.T) {
	out := os.Getenv("KEYPHRASES_DUMP")
	if out == "" {
		t.Skip("set KEYPHRASES_DUMP=file to write predictions")
	}
	dir := sharedtest.Path(t, "eval/keyphrase/inspec")
	gold, err := readGold(filepath.Join(dir, "keys.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var sel []goldDoc
	for _, g := range gold {
		if g.Split == "test" || g.Split == "train" {
			sel = append(sel, g)
		}
	}
	tk, _ := tokenize.New(tokenize.Config{})
	ex, _ := New(Config{})
	docs, err := loadInspec(context.Background(), tk, ex, filepath.Join(dir, "docs"), sel)
	if err != nil {
		t.Fatal(err)
	}
	df := NewPhraseDF()
	for _, d := range docs {
		df.Add(d.cands)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, d := range docs {
		if d.gold.Split != "test" {
			continue
		}
		var ps []string
		for _, k := range ex.Rank(d.cands, df) {
			ps = append(ps, k.Phrase)
		}
		enc.Encode(map[string]any{"id": d.gold.ID, "pred": ps, "gold": d.gold.Keyphrases})
	}
}
