package vectorize_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/james-bowman/sparse"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/stages/tokenize"
	"github.com/framelens/framelens/stages/vectorize"
)

// A TF-IDF matrix handed to github.com/james-bowman/sparse (and so to
// gonum and james-bowman/nlp): the product W·Wᵀ of the L2-normalised rows
// is every pair's cosine similarity, computed there in one sparse
// multiplication, and it agrees with vectorize.Cosine.
func ExampleCSR_Sparse() {
	texts := []string{
		"Universities compete for international talent; research security rules restrict talent mobility.",
		"Visa rules and research security shape where international students and researchers go.",
		"The committee approved the harbour budget for the coming year.",
	}
	tok, err := tokenize.New(tokenize.Config{})
	if err != nil {
		panic(err)
	}
	vec, err := vectorize.New(vectorize.Config{Form: vectorize.FormLemma})
	if err != nil {
		panic(err)
	}
	df := vectorize.NewDFStats()
	var counts []vectorize.DocCounts
	for i, text := range texts {
		doc := &corpus.Document{ID: fmt.Sprint(i), Clean: text}
		if err := tok.Process(context.Background(), doc); err != nil {
			panic(err)
		}
		c := vec.Count(doc)
		df.Add(c)
		counts = append(counts, c)
	}
	voc := vec.Vocabulary(df)
	W := voc.Weight(voc.CountMatrix(counts))

	sp := W.Sparse() // a *sparse.CSR: a gonum mat.Matrix
	var sim sparse.CSR
	sim.Mul(sp, sp.T())
	r, c := sim.Dims()
	for i := range r {
		row := make([]string, c)
		for j := range row {
			row[j] = fmt.Sprintf("%.3f", sim.At(i, j))
		}
		fmt.Println(strings.Join(row, " "))
	}
	fmt.Printf("vectorize.Cosine(W, 0, 1) = %.3f\n", vectorize.Cosine(W, 0, 1))
	// Output:
	// 1.000 0.266 0.000
	// 0.266 1.000 0.000
	// 0.000 0.000 1.000
	// vectorize.Cosine(W, 0, 1) = 0.266
}
