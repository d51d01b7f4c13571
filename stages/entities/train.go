package entities

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"sort"
)

// TrainOptions configures Train. The zero value trains the shipped model.
type TrainOptions struct {
	// Epochs is the number of passes over the training data (default 12).
	Epochs int
	// Bits is log2 of the number of feature buckets (default 18).
	Bits uint
	// Seed fixes the order in which sentences are visited (default 1).
	Seed int64
	// Dev, when set, is a CoNLL file read after every epoch; the epoch with
	// the best entity F1 on it is kept (early stopping).
	Dev io.Reader
	// Logger receives one line per epoch; nil logs nothing.
	Logger *slog.Logger
}

// Train fits a linear-chain averaged perceptron (Collins 2002) to a CoNLL
// file (token first column, NER tag last; IOB1 or BIO).
func Train(r io.Reader, opts TrainOptions) (*Model, error) {
	if opts.Epochs <= 0 {
		opts.Epochs = 12
	}
	if opts.Bits == 0 {
		opts.Bits = 18
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	docs, err := readCoNLL(r)
	if err != nil {
		return nil, fmt.Errorf("ner train: %w", err)
	}
	var dev []conllDoc
	if opts.Dev != nil {
		if dev, err = readCoNLL(opts.Dev); err != nil {
			return nil, fmt.Errorf("ner train: dev set: %w", err)
		}
	}
	var sents []conllSentence
	tagSet := map[string]bool{}
	for _, d := range docs {
		for _, s := range d.Sentences {
			sents = append(sents, s)
			for _, t := range s.Tags {
				tagSet[t] = true
			}
		}
	}
	if len(sents) == 0 {
		return nil, fmt.Errorf("ner train: no sentences")
	}
	delete(tagSet, "O")
	tags := []string{"O"}
	for t := range tagSet {
		tags = append(tags, t)
	}
	sort.Strings(tags[1:])
	index := map[string]int{}
	for i, t := range tags {
		index[t] = i
	}
	m := newModel(tags, opts.Bits)
	nt := len(tags)
	// Averaging by the "u" trick: keep the sum of c·Δ and subtract it at the
	// end, so each update stays O(features).
	uw := make([]float32, len(m.w))
	ut := make([]float32, len(m.trans))
	c := float32(1)
	rng := rand.New(rand.NewSource(opts.Seed))
	order := rng.Perm(len(sents))
	s := &scratch{}
	gold := make([]int, 0, 128)

	var best *Model
	bestF := -1.0
	for ep := 1; ep <= opts.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		errs := 0
		for _, si := range order {
			sent := sents[si]
			gold = gold[:0]
			for _, t := range sent.Tags {
				gold = append(gold, index[t])
			}
			pred := m.tagIndices(sent.Words, s)
			n := len(pred)
			wrong := false
			for i := 0; i < n; i++ {
				if pred[i] != gold[i] {
					wrong = true
					break
				}
			}
			if wrong {
				errs++
				for i := 0; i < n; i++ {
					gp, pp := nt, nt
					if i > 0 {
						gp, pp = gold[i-1], pred[i-1]
					}
					if gold[i] != pred[i] || gp != pp {
						m.trans[gp*nt+gold[i]]++
						ut[gp*nt+gold[i]] += c
						m.trans[pp*nt+pred[i]]--
						ut[pp*nt+pred[i]] -= c
					}
					if gold[i] != pred[i] {
						for _, b := range s.feats[i*maxFeat : i*maxFeat+s.nf[i]] {
							m.w[int(b)*nt+gold[i]]++
							uw[int(b)*nt+gold[i]] += c
							m.w[int(b)*nt+pred[i]]--
							uw[int(b)*nt+pred[i]] -= c
						}
					}
				}
			}
			c++
		}
		avg := averaged(m, uw, ut, c)
		line := []any{"epoch", ep, "sentence_errors", errs}
		if dev != nil {
			rep := evalDocs(dev, modelTagger(avg), EvalOptions{})
			line = append(line, "dev_f1", rep.Overall.F1)
			if rep.Overall.F1 > bestF {
				bestF, best = rep.Overall.F1, avg
			}
		} else {
			best = avg
		}
		if opts.Logger != nil {
			opts.Logger.Info("ner train", line...)
		}
	}
	return best, nil
}

func averaged(m *Model, uw, ut []float32, c float32) *Model {
	a := newModel(m.tags, m.bits)
	for i := range m.w {
		a.w[i] = m.w[i] - uw[i]/c
	}
	for i := range m.trans {
		a.trans[i] = m.trans[i] - ut[i]/c
	}
	return a
}

// modelTagger tags CoNLL sentences with the bare model (no rules or
// gazetteers), for early stopping.
func modelTagger(m *Model) Tagger {
	return func(_ context.Context, sents [][]string, _ [][]string) ([][]string, error) {
		return m.TagDocument(sents), nil
	}
}
