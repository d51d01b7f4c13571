package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/keyphrases"
)

// TestInspecThroughRun runs Inspec's test and train abstracts (the
// documents EvalInspec uses, so the same document frequencies) through
// the whole pipeline, cleaner included, and scores the keyphrases table of
// the test abstracts: it must be within 0.01 F1@10 of EvalInspec, which
// reads the files without cleaning. The cleaner used to take each
// abstract's title line for front matter and drop it (0.360 against
// 0.402).
func TestInspecThroughRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 1,500 abstracts")
	}
	dir := sharedtest.Path(t, "eval/keyphrase/inspec")
	docs, gold := filepath.Join(dir, "docs"), filepath.Join(dir, "keys.jsonl")
	f, err := os.Open(gold)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	man, err := os.Create(filepath.Join(tmp, "manifest.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(man)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var g struct{ ID, Split string }
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		if g.Split == "test" || g.Split == "train" {
			enc.Encode(map[string]string{"id": g.ID, "path": filepath.Join(docs, g.ID+".txt")})
		}
	}
	f.Close()
	man.Close()
	skip, err := SkipAllBut([]string{"keyphrases"})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "out")
	// The manifest (in a temporary folder) names the abstracts in ../shared.
	cfg := Config{Corpus: man.Name(), Out: out, Workers: 2, SkipStages: skip}
	cfg.Reader.AllowOutsidePaths = true
	if _, err := Run(context.Background(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	pred := map[string][]string{}
	type ranked struct {
		rank   int64
		phrase string
	}
	byDoc := map[string][]ranked{}
	for _, r := range rows(t, out, "keyphrases") {
		id := r["doc_id"].(string)
		byDoc[id] = append(byDoc[id], ranked{r["rank"].(int64), r["phrase"].(string)})
	}
	for id, rs := range byDoc {
		sort.Slice(rs, func(i, j int) bool { return rs[i].rank < rs[j].rank })
		for _, r := range rs {
			pred[id] = append(pred[id], r.phrase)
		}
	}
	run, err := keyphrases.ScorePredictions(gold, "test", pred)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := keyphrases.EvalInspec(context.Background(), docs, gold, "test", keyphrases.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Inspec test F1@5 / F1@10: framelens run %.3f / %.3f, eval keyphrases %.3f / %.3f", run.F5, run.F10, ev.F5, ev.F10)
	if run.Docs != 500 {
		t.Errorf("scored %d documents, want 500", run.Docs)
	}
	if d := ev.F10 - run.F10; d > 0.01 || d < -0.01 {
		t.Errorf("F1@10 through the run %.3f, eval %.3f: differ by more than 0.01", run.F10, ev.F10)
	}
}
