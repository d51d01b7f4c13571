package keyphrases

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/framelens/framelens/stages/tokenize"
)

// TuneEnsemble is the harness that fitted the ensemble's weights
// (docs/eval-keyphrases.md): it fits them by logistic regression on the
// train split of a data set in Inspec's layout, with and without groups of
// rank features, and writes each fit's weights and its scores on split to
// w, after the scores of the current default. Document frequencies count
// split and train, or split alone when dfSplitOnly.
func TuneEnsemble(ctx context.Context, docsDir, goldPath, split string, dfSplitOnly bool, w io.Writer) error {
	gold, err := readGold(goldPath)
	if err != nil {
		return err
	}
	var sel []goldDoc
	for _, g := range gold {
		if g.Split == split || g.Split == "train" {
			sel = append(sel, g)
		}
	}
	tk, err := tokenize.New(tokenize.Config{})
	if err != nil {
		return err
	}
	base, err := New(Config{})
	if err != nil {
		return err
	}
	docs, err := loadInspec(ctx, tk, base, docsDir, sel)
	if err != nil {
		return err
	}
	run := func(name string, cfg Config, weights *[numFeatures]float64) error {
		ex, err := New(cfg)
		if err != nil {
			return err
		}
		if weights != nil {
			ex.weights = *weights
		}
		for _, d := range docs {
			d.cands = ex.Candidates(d.doc)
		}
		var dfs []string
		if ex.NeedsCorpusStats() {
			dfs = []string{split, "train"}
			if dfSplitOnly {
				dfs = []string{split}
			}
		}
		r, err := scoreInspec(ex, docs, split, dfs, nil, nil)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%-40s F1@5 %.3f F1@10 %.3f P10 %.3f R10 %.3f ceil %.3f\n", name, r.F5, r.F10, r.P10, r.R10, r.MaxRecall)
		return err
	}
	if err := run("current default", Config{}, nil); err != nil {
		return err
	}
	for _, drop := range [][]int{nil, {featYAKERank}, {featPosRankRank, featGraph}, {featYAKERank, featPosRankRank, featGraph}} {
		if err := ctx.Err(); err != nil {
			return err
		}
		cfg := Config{Method: MethodEnsemble}
		fitted, err := fitEnsemble(docs, cfg, drop...)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "weights %#v\n", fitted); err != nil {
			return err
		}
		if err := run(fmt.Sprintf("fitted without %v", drop), cfg, &fitted); err != nil {
			return err
		}
	}
	return nil
}

// fitEnsemble fits the ensemble's weights on the train documents (document
// frequencies from train only) by batch gradient descent on the logistic
// loss, with the features in drop held at zero.
func fitEnsemble(docs []*inspecDoc, cfg Config, drop ...int) ([numFeatures]float64, error) {
	var w [numFeatures]float64
	cfg.Method = MethodEnsemble
	ex, err := New(cfg)
	if err != nil {
		return w, err
	}
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
	if len(X) == 0 {
		return w, fmt.Errorf("keyphrases tune: no candidates in the train split; the gold file needs documents with split \"train\"")
	}
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
	return w, nil
}
