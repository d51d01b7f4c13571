package pipeline

import (
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

func (r *reducer) writeKeyness(ts *tableSet, vocab *vectorize.Vocabulary, X *vectorize.CSR, model *topics.Model, sum *Summary) error {
	return nil
}
