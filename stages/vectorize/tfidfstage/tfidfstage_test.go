package tfidfstage

import (
	"context"
	"strings"
	"testing"

	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/vectorize"
)

// recordEnv hands out saved records the way the pipeline's EachRecord
// does: every document in order, failed ones without a record.
type recordEnv struct {
	Env
	docs []stage.DocRecord
}

func (e *recordEnv) DocIDs() []string {
	ids := make([]string, len(e.docs))
	for i, d := range e.docs {
		ids[i] = d.ID
	}
	return ids
}

func (e *recordEnv) EachRecord(_ context.Context, fn func(stage.DocRecord) error) error {
	for _, d := range e.docs {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// The partials and records of four documents (one failed) make the count
// matrix over the pruned vocabulary, and a document whose only term
// min_df removed gets the warning that names it.
func TestCountMatrixFromRecords(t *testing.T) {
	vec, err := vectorize.New(vectorize.Config{MinDF: 2})
	if err != nil {
		t.Fatal(err)
	}
	s := New(vec)
	ctx := context.Background()
	counts := []map[string]int{{"tax": 2, "war": 1, "peace": 3}, nil, {"tax": 1, "war": 4}, {"treaty": 1}}
	total := s.NewPartial()
	env := &recordEnv{}
	for i, c := range counts {
		d := stage.DocRecord{Index: i, ID: string(rune('a' + i)), Group: "g", Failed: c == nil}
		if c != nil {
			in := stage.MapInput{Terms: c}
			p, err := s.Map(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if err := total.Merge(p); err != nil {
				t.Fatal(err)
			}
			if d.Record, err = s.Record(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		env.docs = append(env.docs, d)
	}
	df := total.(*Partial).DF
	if df.N != 3 || df.DF["tax"] != 2 || df.TF["war"] != 5 {
		t.Fatalf("merged frequencies: N %d, df(tax) %d, tf(war) %d; want 3, 2, 5", df.N, df.DF["tax"], df.TF["war"])
	}
	v := &Vectors{Vocab: vec.Vocabulary(df), Pruned: map[int]string{}}
	docs := make([]docKey, len(counts))
	X, err := s.countMatrix(ctx, env, df, v, docs)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(v.Vocab.Strings(), " "); got != "tax war" {
		t.Fatalf("vocabulary %q, want %q (min_df 2)", got, "tax war")
	}
	want := [][]float64{{2, 1}, nil, {1, 4}, nil}
	for i, w := range want {
		_, vals := X.Row(i)
		if len(vals) != len(w) {
			t.Fatalf("row %d: %v, want %v", i, vals, w)
		}
		for k := range w {
			if vals[k] != w[k] {
				t.Fatalf("row %d: %v, want %v", i, vals, w)
			}
		}
	}
	if len(v.Pruned) != 1 || !strings.Contains(v.Pruned[3], "vectorize.min_df: 2") || !strings.Contains(v.Pruned[3], "all 1 of its distinct terms") {
		t.Fatalf("pruned warnings %v, want one for document 3 naming min_df", v.Pruned)
	}
	if docs[2] != (docKey{"c", "g"}) {
		t.Fatalf("document key %v", docs[2])
	}
}
