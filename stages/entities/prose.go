package entities

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/jdkato/prose/v2"
)

// ProseLabelMap compares prose's labels with CoNLL-2003 gold.
const ProseLabelMap = "PER=PERSON,LOC=GPE|LOCATION|LOC,ORG=ORGANIZATION|ORG"

// ProseTagger returns a Tagger running prose's default extractor with its
// model loaded once. Each CoNLL sentence is given to prose as its words
// joined by spaces; the entities of prose's Document.Entities (its chunker,
// bugs included) are located again in prose's token stream and mapped back
// to the CoNLL words.
func ProseTagger() (Tagger, error) {
	d, err := prose.NewDocument("Load.", prose.WithSegmentation(false))
	if err != nil {
		return nil, fmt.Errorf("prose: loading model: %w", err)
	}
	model := d.Model
	return func(ctx context.Context, words [][]string, _ [][]string) ([][]string, error) {
		out := make([][]string, len(words))
		for si, ws := range words {
			text := strings.Join(ws, " ")
			pd, err := prose.NewDocument(text, prose.UsingModel(model), prose.WithSegmentation(false))
			if err != nil {
				return nil, err
			}
			out[si] = proseTags(text, ws, pd.Tokens(), pd.Entities())
		}
		return out, nil
	}, nil
}

func proseTags(text string, ws []string, toks []prose.Token, ents []prose.Entity) []string {
	starts := make([]int, len(ws))
	tags := make([]string, len(ws))
	pos := 0
	for i, w := range ws {
		starts[i] = pos
		pos += len(w) + 1
		tags[i] = "O"
	}
	// Word index of every prose token.
	wordOf := make([]int, len(toks))
	cur, wi := 0, 0
	for k, t := range toks {
		if i := strings.Index(text[cur:], t.Text); i >= 0 && t.Text != "" {
			off := cur + i
			cur = off + len(t.Text)
			for wi+1 < len(ws) && starts[wi+1] <= off {
				wi++
			}
		}
		wordOf[k] = wi
	}
	k0 := 0
	for _, e := range ents {
		n := len(strings.Fields(e.Text))
		for k := k0; k+n <= len(toks); k++ {
			parts := make([]string, n)
			for j := range parts {
				parts[j] = toks[k+j].Text
			}
			if strings.Join(parts, " ") != e.Text {
				continue
			}
			first, last := wordOf[k], wordOf[k+n-1]
			for w := first; w <= last; w++ {
				if w == first {
					tags[w] = "B-" + e.Label
				} else {
					tags[w] = "I-" + e.Label
				}
			}
			k0 = k + n
			break
		}
	}
	return tags
}

// EvaluateProse scores prose's default extractor on a CoNLL file, for the
// side-by-side baseline. An empty opts.Map means ProseLabelMap.
func EvaluateProse(ctx context.Context, conllPath string, opts EvalOptions) (*Report, error) {
	if opts.Map == "" {
		opts.Map = ProseLabelMap
	}
	tagger, err := ProseTagger()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(conllPath)
	if err != nil {
		return nil, fmt.Errorf("ner eval: %w", err)
	}
	defer f.Close()
	rep, err := EvalCoNLL(ctx, f, tagger, opts)
	if err != nil {
		return nil, fmt.Errorf("ner eval %s: %w", conllPath, err)
	}
	rep.Name = "prose default extractor"
	return rep, nil
}
