package entities

import (
	"context"
	"strings"

	"github.com/framelens/framelens/corpus/document"
)

// ConllTagger returns a Tagger that runs the whole stage: each CoNLL
// document becomes one document.Document (words joined by spaces, one
// sentence per line, tokens carrying the file's POS tags) and the entities
// found are written back as BIO tags with OntoNotes labels.
func (r *Recognizer) ConllTagger() Tagger {
	return func(ctx context.Context, words [][]string, pos [][]string) ([][]string, error) {
		doc := conllDocument(words, pos)
		if err := r.Process(ctx, doc); err != nil {
			return nil, err
		}
		out := make([][]string, len(words))
		for i, s := range doc.Sentences {
			tags := make([]string, s.TokenEnd-s.TokenStart)
			for k := range tags {
				tags[k] = "O"
			}
			out[i] = tags
		}
		for _, e := range doc.Entities {
			s := doc.Sentences[e.Sentence]
			tags := out[e.Sentence]
			if tags[e.TokenStart-s.TokenStart] != "O" {
				continue // second name of a "Sino-US" mention
			}
			for t := e.TokenStart; t < e.TokenEnd; t++ {
				p := "I-"
				if t == e.TokenStart {
					p = "B-"
				}
				tags[t-s.TokenStart] = p + e.Label
			}
		}
		return out, nil
	}
}

func conllDocument(words [][]string, pos [][]string) *document.Document {
	var b strings.Builder
	doc := &document.Document{ID: "conll"}
	for si, ws := range words {
		if si > 0 {
			b.WriteByte('\n')
		}
		s := document.Sentence{Index: si, Start: b.Len(), TokenStart: len(doc.Tokens)}
		for wi, w := range ws {
			if wi > 0 {
				b.WriteByte(' ')
			}
			start := b.Len()
			b.WriteString(w)
			t := document.Token{Start: start, End: b.Len(), Text: w, Lower: strings.ToLower(w), Sentence: si}
			if pos != nil && wi < len(pos[si]) {
				t.POS = pos[si][wi]
			}
			doc.Tokens = append(doc.Tokens, t)
		}
		s.End = b.Len()
		s.TokenEnd = len(doc.Tokens)
		doc.Sentences = append(doc.Sentences, s)
	}
	doc.Clean = b.String()
	return doc
}
