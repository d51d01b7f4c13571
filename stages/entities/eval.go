package entities

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Tagger labels the sentences of one CoNLL document: given the words (and
// the file's POS tags) of every sentence it returns one BIO tag per word,
// with any label names; EvalOptions.Map translates them to the gold ones.
type Tagger func(ctx context.Context, words [][]string, pos [][]string) ([][]string, error)

// DefaultLabelMap compares framelens's OntoNotes labels (and the bare
// model's CoNLL labels) with CoNLL-2003 gold; MISC is left out.
const DefaultLabelMap = "PER=PERSON|PER,LOC=GPE|LOC,ORG=ORG"

// EvalOptions configures an evaluation. The zero value uses DefaultLabelMap.
type EvalOptions struct {
	// Map is "GOLD=PRED|PRED,…": a predicted span counts for gold label
	// GOLD when its label is one of the PREDs. Gold labels that are not
	// listed (CoNLL's MISC by default) and predicted labels that map to
	// nothing are dropped on both sides.
	Map string
}

// LabelScore is precision, recall and F1 of one label (or of all).
type LabelScore struct {
	Label                 string
	Gold, Pred, Correct   int
	Precision, Recall, F1 float64
}

// Report is an entity-level evaluation with conlleval semantics: a
// prediction is correct only when its span and its type both equal a gold
// entity's.
type Report struct {
	Name      string
	Labels    []LabelScore // sorted by label
	Overall   LabelScore
	Sentences int
	Tokens    int
}

func (s *LabelScore) finish() {
	if s.Pred > 0 {
		s.Precision = float64(s.Correct) / float64(s.Pred)
	}
	if s.Gold > 0 {
		s.Recall = float64(s.Correct) / float64(s.Gold)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
}

// Label returns the score of one gold label (zero when absent).
func (r *Report) Label(l string) LabelScore {
	for _, s := range r.Labels {
		if s.Label == l {
			return s
		}
	}
	return LabelScore{Label: l}
}

// Write prints the report as a small table.
func (r *Report) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%s: %d sentences, %d tokens\n%-8s %6s %6s %6s %7s %7s %7s\n",
		r.Name, r.Sentences, r.Tokens, "label", "gold", "pred", "ok", "P", "R", "F1")
	if err != nil {
		return err
	}
	for _, s := range append(append([]LabelScore(nil), r.Labels...), r.Overall) {
		if _, err := fmt.Fprintf(w, "%-8s %6d %6d %6d %7.4f %7.4f %7.4f\n",
			s.Label, s.Gold, s.Pred, s.Correct, s.Precision, s.Recall, s.F1); err != nil {
			return err
		}
	}
	return nil
}

// parseLabelMap turns "PER=PERSON|PER,LOC=GPE" into pred → gold.
func parseLabelMap(spec string) (map[string]string, []string, error) {
	if strings.TrimSpace(spec) == "" {
		spec = DefaultLabelMap
	}
	predToGold := map[string]string{}
	var golds []string
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		gold, preds, ok := strings.Cut(part, "=")
		gold = strings.TrimSpace(gold)
		if !ok || gold == "" || strings.TrimSpace(preds) == "" {
			return nil, nil, fmt.Errorf("label map: %q is not GOLD=PRED|PRED", part)
		}
		golds = append(golds, gold)
		for _, p := range strings.Split(preds, "|") {
			p = strings.TrimSpace(p)
			if prev, dup := predToGold[p]; dup && prev != gold {
				return nil, nil, fmt.Errorf("label map: %s maps to both %s and %s", p, prev, gold)
			}
			predToGold[p] = gold
		}
	}
	return predToGold, golds, nil
}

// EvalCoNLL scores tagger on a CoNLL-2003 file read from r.
func EvalCoNLL(ctx context.Context, r io.Reader, tagger Tagger, opts EvalOptions) (*Report, error) {
	if _, _, err := parseLabelMap(opts.Map); err != nil {
		return nil, err
	}
	docs, err := readCoNLL(r)
	if err != nil {
		return nil, err
	}
	return evalDocsCtx(ctx, docs, tagger, opts)
}

func evalDocs(docs []conllDoc, tagger Tagger, opts EvalOptions) *Report {
	rep, _ := evalDocsCtx(context.Background(), docs, tagger, opts)
	return rep
}

func evalDocsCtx(ctx context.Context, docs []conllDoc, tagger Tagger, opts EvalOptions) (*Report, error) {
	predToGold, golds, err := parseLabelMap(opts.Map)
	if err != nil {
		return nil, err
	}
	goldSet := map[string]bool{}
	for _, g := range golds {
		goldSet[g] = true
	}
	per := map[string]*LabelScore{}
	for _, g := range golds {
		per[g] = &LabelScore{Label: g}
	}
	rep := &Report{}
	for di, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		words := make([][]string, len(d.Sentences))
		pos := make([][]string, len(d.Sentences))
		for i, s := range d.Sentences {
			words[i], pos[i] = s.Words, s.POS
			rep.Sentences++
			rep.Tokens += len(s.Words)
		}
		pred, err := tagger(ctx, words, pos)
		if err != nil {
			return nil, fmt.Errorf("conll document %d: %w", di+1, err)
		}
		if len(pred) != len(words) {
			return nil, fmt.Errorf("conll document %d: tagger returned %d sentences for %d", di+1, len(pred), len(words))
		}
		for i, s := range d.Sentences {
			if len(pred[i]) != len(s.Words) {
				return nil, fmt.Errorf("conll document %d sentence %d: tagger returned %d tags for %d words", di+1, i+1, len(pred[i]), len(s.Words))
			}
			gold := map[span]bool{}
			for _, g := range spans(s.Tags) {
				if goldSet[g.Label] {
					gold[g] = true
					per[g.Label].Gold++
				}
			}
			for _, p := range spans(pred[i]) {
				g, ok := predToGold[p.Label]
				if !ok {
					continue
				}
				p.Label = g
				per[g].Pred++
				if gold[p] {
					per[g].Correct++
				}
			}
		}
	}
	rep.Overall.Label = "ALL"
	for _, g := range golds {
		s := per[g]
		s.finish()
		rep.Labels = append(rep.Labels, *s)
		rep.Overall.Gold += s.Gold
		rep.Overall.Pred += s.Pred
		rep.Overall.Correct += s.Correct
	}
	sort.Slice(rep.Labels, func(i, j int) bool { return rep.Labels[i].Label < rep.Labels[j].Label })
	rep.Overall.finish()
	return rep, nil
}

// Evaluate scores the whole entity stage (model, rules and gazetteers as
// configured in rec) on a CoNLL file: each CoNLL document becomes one
// document.Document whose Clean is its words joined by spaces, one sentence
// per line, and whose Tokens are the CoNLL tokens with the file's POS tags.
func Evaluate(ctx context.Context, rec *Recognizer, conllPath string, opts EvalOptions) (*Report, error) {
	f, err := os.Open(conllPath)
	if err != nil {
		return nil, fmt.Errorf("ner eval: %w", err)
	}
	defer f.Close()
	rep, err := EvalCoNLL(ctx, f, rec.ConllTagger(), opts)
	if err != nil {
		return nil, fmt.Errorf("ner eval %s: %w", conllPath, err)
	}
	rep.Name = "framelens entities"
	return rep, nil
}
