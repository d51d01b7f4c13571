package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/tokenize"
	"github.com/framelens/framelens/stages/vectorize"
)

// exportPapers tokenises every paragraph of the sample papers and writes
// papers-tokens.txt and, for each weighting scheme, papers-<scheme>.tsv
// (the weighted matrix) with papers-vocab.txt, for peers.py --tfidf.
func exportPapers(out string) error {
	root := sharedtest.Root()
	if root == "" {
		return fmt.Errorf("shared data not found beside the repository")
	}
	dir := filepath.Join(root, "corpus", "papers")
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	tok, err := tokenize.New(tokenize.Config{})
	if err != nil {
		return err
	}
	var docs [][]string
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		for _, para := range strings.Split(string(b), "\n\n") {
			if len(strings.Fields(para)) < 5 {
				continue
			}
			d := &corpus.Document{ID: name, Clean: para}
			if err := tok.Process(context.Background(), d); err != nil {
				return err
			}
			vec, _ := vectorize.New(vectorize.Config{StopWords: englishStop})
			docs = append(docs, vec.Forms(d))
		}
	}
	lines := make([]string, len(docs))
	for i, d := range docs {
		lines[i] = strings.Join(d, " ")
	}
	if err := writeLines(filepath.Join(out, "papers-tokens.txt"), lines); err != nil {
		return err
	}
	for _, scheme := range []string{vectorize.SchemeSklearn, vectorize.SchemeSublinear, vectorize.SchemeIDFPlain, vectorize.SchemeBM25} {
		vec, err := vectorize.New(vectorize.Config{Scheme: scheme})
		if err != nil {
			return err
		}
		df := vectorize.NewDFStats()
		counts := make([]vectorize.DocCounts, len(docs))
		for i, d := range docs {
			counts[i] = histogram(d)
			df.Add(counts[i])
		}
		voc := vec.Vocabulary(df)
		if err := writeLines(filepath.Join(out, "papers-vocab.txt"), voc.Strings()); err != nil {
			return err
		}
		if err := writeMatrix(filepath.Join(out, "papers-"+scheme+".tsv"), voc.Weight(voc.CountMatrix(counts))); err != nil {
			return err
		}
	}
	return nil
}
