package keyphrases

import (
	"bytes"
	"context"
	"encoding/json"
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

// The predictions EvalInspecPredictions writes, scored again by
// ScorePredictions, give the report's figures: the file is what was
// scored. The data set is the two sample papers, their author keywords as
// gold.
func TestPredictionsRescoreToTheReport(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs")
	if err := os.Mkdir(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	var gold bytes.Buffer
	enc := json.NewEncoder(&gold)
	for _, p := range []struct{ id, start string }{{"zhang2024", "INTRODUCTION"}, {"sun2025", "Abstract"}} {
		if err := os.WriteFile(filepath.Join(docs, p.id+".txt"), []byte(paperText(t, p.id, p.start)), 0o644); err != nil {
			t.Fatal(err)
		}
		enc.Encode(goldDoc{ID: p.id, Split: "test", Keyphrases: paperKeywords(t, p.id)})
	}
	goldPath := filepath.Join(dir, "keys.jsonl")
	if err := os.WriteFile(goldPath, gold.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r, err := EvalInspecPredictions(context.Background(), docs, goldPath, "test", Config{}, &out)
	if err != nil {
		t.Fatal(err)
	}
	pred := map[string][]string{}
	dec := json.NewDecoder(&out)
	for dec.More() {
		var p Prediction
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if len(p.Pred) == 0 || len(p.Gold) == 0 {
			t.Errorf("%s: empty prediction line %+v", p.ID, p)
		}
		pred[p.ID] = p.Pred
	}
	if r.Docs != 2 || len(pred) != 2 || r.F10 == 0 {
		t.Fatalf("report %+v, predictions for %d documents", r, len(pred))
	}
	s, err := ScorePredictions(goldPath, "test", pred)
	if err != nil {
		t.Fatal(err)
	}
	if s.Docs != r.Docs || s.F5 != r.F5 || s.F10 != r.F10 || s.P10 != r.P10 || s.R10 != r.R10 {
		t.Errorf("re-scored %+v, report %+v", s, r)
	}
}
