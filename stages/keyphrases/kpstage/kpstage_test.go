package kpstage

import (
	"bytes"
	"context"
	"encoding/gob"
	"log/slog"
	"testing"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/stage"
)

// fakeEnv hands out records through gob, as the pipeline's record files
// do, and takes the counts.
type fakeEnv struct {
	groups []string
	recs   []any
	perDoc *compare.DocCounts
}

func (e *fakeEnv) Groups() []string                                          { return nil }
func (e *fakeEnv) Comparisons() []stage.Comparison                           { return nil }
func (e *fakeEnv) EachDoc(context.Context, func(stage.DocForms) error) error { return nil }
func (e *fakeEnv) DocIDs() []string                                          { return nil }
func (e *fakeEnv) Seed() int64                                               { return 1 }
func (e *fakeEnv) Workers() int                                              { return 1 }
func (e *fakeEnv) Logger() *slog.Logger                                      { return slog.Default() }
func (e *fakeEnv) Warn(string)                                               {}
func (e *fakeEnv) Writer(string) (*output.Writer, error)                     { return nil, nil }
func (e *fakeEnv) StartPart(*output.Writer, int) error                       { return nil }
func (e *fakeEnv) Keyphrases(dc *compare.DocCounts) error                    { e.perDoc = dc; return nil }
func (e *fakeEnv) NewDocCounts() *compare.DocCounts {
	dc := &compare.DocCounts{}
	for _, g := range e.groups {
		dc.AddDoc(g, 100)
	}
	return dc
}
func (e *fakeEnv) EachRecord(_ context.Context, fn func(stage.DocRecord) error) error {
	for i, r := range e.recs {
		d := stage.DocRecord{Index: i, Group: e.groups[i]}
		if r != nil {
			var b bytes.Buffer
			if err := gob.NewEncoder(&b).Encode(r); err != nil {
				return err
			}
			back := &Record{}
			if err := gob.NewDecoder(&b).Decode(back); err != nil {
				return err
			}
			d.Record = back
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// Every phrase some document ranks among its top ones is counted in every
// document wherever its words follow each other in one run — inside longer
// phrases too, never across a run's end — whether or not that document
// ranks it.
func TestPhrasesAreCountedWhereverTheyOccur(t *testing.T) {
	kp, err := keyphrases.New(keyphrases.Config{Method: keyphrases.MethodYAKE})
	if err != nil {
		t.Fatal(err)
	}
	if kp.NeedsCorpusStats() {
		t.Fatal("yake needs corpus statistics: the test's path is the other one")
	}
	s := New(kp)
	docs := []stage.MapInput{
		{Phrases: &stage.PhraseInput{Top: []string{"research security"},
			Words: []string{"research", "security", "matter", "", "research", "security", "policy"}}},
		{Phrases: &stage.PhraseInput{Top: []string{"talent"},
			Words: []string{"research", "", "security", "talent", "research", "security"}}},
		{}, // keyphrases did not run for it: no record
	}
	env := &fakeEnv{groups: []string{"a", "b", "b"}}
	total := s.NewPartial()
	for _, in := range docs {
		p, err := s.Map(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if err := total.Merge(p); err != nil {
			t.Fatal(err)
		}
		rec, err := s.Record(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		env.recs = append(env.recs, rec)
	}
	if env.recs[2] != nil {
		t.Errorf("a record of a document without key-phrase material: %v", env.recs[2])
	}
	if err := s.Reduce(context.Background(), total, env); err != nil {
		t.Fatal(err)
	}
	gc := env.perDoc.GroupCounts(0)
	for _, c := range []struct {
		group, phrase string
		want          int64
	}{
		{"a", "research security", 2}, // twice, the second inside a longer phrase
		{"b", "research security", 1}, // once: "research" ends a run before the other
		{"b", "talent", 1},
		{"a", "talent", 0},
	} {
		if got := gc.Count(c.group, c.phrase); got != c.want {
			t.Errorf("%s: %q counted %d times, want %d", c.group, c.phrase, got, c.want)
		}
	}
}
