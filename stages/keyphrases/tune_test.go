package keyphrases

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/tokenize"
)

// TestTuneInspec prints dev scores of configurations; it runs only with
// KEYPHRASES_TUNE=1 (it is the tuning harness, not a check).
func TestTuneInspec(t *testing.T) {
	if os.Getenv("KEYPHRASES_TUNE") == "" {
		t.Skip("set KEYPHRASES_TUNE=1 to run the tuning harness")
	}
	dir := sharedtest.Path(t, "eval/keyphrase/inspec")
	split := os.Getenv("KEYPHRASES_SPLIT")
	if split == "" {
		split = "dev"
	}
	gold, err := readGold(filepath.Join(dir, "keys.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var sel []goldDoc
	for _, g := range gold {
		if g.Split == split || g.Split == "train" {
			sel = append(sel, g)
		}
	}
	tk, _ := tokenize.New(tokenize.Config{})
	base, _ := New(Config{})
	docs, err := loadInspec(context.Background(), tk, base, filepath.Join(dir, "docs"), sel)
	if err != nil {
		t.Fatal(err)
	}
	run := func(name string, cfg Config, w *[numFeatures]float64) {
		ex, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if w != nil {
			ex.weights = *w
		}
		for _, d := range docs {
			d.cands = ex.Candidates(d.doc)
		}
		var dfs []string
		if ex.NeedsCorpusStats() {
			dfs = []string{split, "train"}
			if os.Getenv("KEYPHRASES_DF") == "split" {
				dfs = []string{split}
			}
		}
		r := scoreInspec(ex, docs, split, dfs, nil)
		fmt.Printf("%-40s F1@5 %.3f F1@10 %.3f P10 %.3f R10 %.3f ceil %.3f\n", name, r.F5, r.F10, r.P10, r.R10, r.MaxRecall)
	}
	// Fit the ensemble on train: DF from train only.
	fit := func(cfg Config, drop ...int) [numFeatures]float64 {
		cfg.Method = MethodEnsemble
		ex, _ := New(cfg)
		for _, j := range drop {
			ex.weights[j] = 0
		}
		df := NewPhraseDF()
		var train []*inspecDoc
		for _, d := range docs {
			if d.gold.Split == "train" {
				d.cands = ex.Candidates(d.doc)
				df.Add(d.cands)
				train = append(train, d)
			}
		}
		var X [][numFeatures]float64
		var y []float64
		for _, d := range train {
			gold := stemSetOf(d.gold.Keyphrases)
			eachFeatures(d.cands, df, nil, func(i int, f *[numFeatures]float64) {
				for _, j := range drop {
					f[j] = 0
				}
				X = append(X, *f)
				if gold[evalStem(d.cands.Phrases[i].Phrase)] {
					y = append(y, 1)
				} else {
					y = append(y, 0)
				}
			})
		}
		var w [numFeatures]float64
		lr, l2 := 2.0, 1e-5
		for it := 0; it < 6000; it++ {
			var g [numFeatures]float64
			for i, f := range X {
				var z float64
				for j, v := range f {
					z += w[j] * v
				}
				p := 1 / (1 + math.Exp(-z))
				for j, v := range f {
					g[j] += (p - y[i]) * v
				}
			}
			for j := range w {
				w[j] -= lr * (g[j]/float64(len(X)) + l2*w[j])
			}
		}
		fmt.Printf("weights %#v\n", w)
		return w
	}
	run("current default", Config{}, nil)
	for _, drop := range [][]int{nil, {featYAKERank}, {featPosRankRank, featGraph}, {featYAKERank, featPosRankRank, featGraph}} {
		cfg := Config{Method: MethodEnsemble}
		w := fit(cfg, drop...)
		run(fmt.Sprintf("fitted without %v", drop), cfg, &w)
	}
}
