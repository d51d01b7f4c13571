package topicstage

import (
	"context"
	"strings"
	"testing"

	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/vectorize"
)

// docsEnv hands coherence the analysed documents' forms.
type docsEnv struct {
	Env
	docs []stage.DocForms
}

func (e docsEnv) EachDoc(_ context.Context, fn func(stage.DocForms) error) error {
	for _, d := range e.docs {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// A failed document is no window: the NPMI of a run with one is that of
// the same run without it (it was an empty window, which lowered every
// topic's score).
func TestCoherenceLeavesOutFailedDocuments(t *testing.T) {
	voc := &vectorize.Vocabulary{}
	for i, w := range []string{"border", "research", "sanctions", "security", "talent", "visa"} {
		voc.Terms = append(voc.Terms, vectorize.Term{ID: i, Term: w})
	}
	texts := []string{
		"visa border security sanctions research",
		"talent research visa security",
		"security sanctions border visa",
		"talent talent research",
	}
	var docs []stage.DocForms
	for i, s := range texts {
		docs = append(docs, stage.DocForms{Index: i, Forms: strings.Fields(s)})
	}
	top := [][]int32{{5, 0, 3}, {4, 1, 5}}
	want, err := coherence(context.Background(), docsEnv{docs: docs}, voc, top)
	if err != nil {
		t.Fatal(err)
	}
	// The same documents with a failed one between them (index 1), which
	// EachDoc leaves out.
	var withFailed []stage.DocForms
	for _, d := range docs {
		if d.Index >= 1 {
			d.Index++
		}
		withFailed = append(withFailed, d)
	}
	got, err := coherence(context.Background(), docsEnv{docs: withFailed}, voc, top)
	if err != nil {
		t.Fatal(err)
	}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("topic %d: NPMI %v with a failed document, %v without", k, got[k], want[k])
		}
	}
}
