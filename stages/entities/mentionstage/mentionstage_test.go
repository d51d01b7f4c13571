package mentionstage

import (
	"bytes"
	"context"
	"encoding/gob"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/stage"
)

func ent(text, label, canon string) document.Entity {
	return document.Entity{Text: text, Label: label, Canonical: canon}
}

// A document's actors are its mentions by canonical name and label, in
// that order, with their spellings most frequent first.
func TestActorsGatherSpellings(t *testing.T) {
	doc := &document.Document{Entities: []document.Entity{
		ent("US", "GPE", "United States"), ent("China", "GPE", "China"), ent("America", "GPE", "United States"),
		ent("US", "GPE", "United States"), ent("Washington", "PERSON", "Washington"), ent("Washington", "GPE", "Washington"),
	}}
	want := []Actor{
		{Canonical: "China", Label: "GPE", Mentions: 1, Variants: []string{"China"}},
		{Canonical: "United States", Label: "GPE", Mentions: 3, Variants: []string{"US", "America"}},
		{Canonical: "Washington", Label: "GPE", Mentions: 1, Variants: []string{"Washington"}},
		{Canonical: "Washington", Label: "PERSON", Mentions: 1, Variants: []string{"Washington"}},
	}
	if got := Actors(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("actors\n%+v\nwant\n%+v", got, want)
	}
	if Actors(&document.Document{}) != nil {
		t.Error("actors of a document without entities")
	}
}

// fakeEnv hands Reduce saved records (gob round trip, as the pipeline's
// record files) and takes what it hands over.
type fakeEnv struct {
	dir    *output.OutDir
	groups []string
	recs   [][]byte // nil: no record
	perDoc *compare.DocCounts
	total  int64
	ws     []*output.Writer
	// batchRows is the writers' batch size (0: output's default).
	batchRows int
}

func (e *fakeEnv) Groups() []string                                          { return nil }
func (e *fakeEnv) Comparisons() []stage.Comparison                           { return nil }
func (e *fakeEnv) EachDoc(context.Context, func(stage.DocForms) error) error { return nil }
func (e *fakeEnv) DocIDs() []string                                          { return nil }
func (e *fakeEnv) Seed() int64                                               { return 1 }
func (e *fakeEnv) Workers() int                                              { return 1 }
func (e *fakeEnv) Logger() *slog.Logger                                      { return slog.Default() }
func (e *fakeEnv) Warn(string)                                               {}
func (e *fakeEnv) Writer(table string) (*output.Writer, error) {
	w, err := output.NewWriter(e.dir, output.NewCatalog().MustTable(table), output.Options{BatchRows: e.batchRows})
	e.ws = append(e.ws, w)
	return w, err
}
func (e *fakeEnv) EachRecord(_ context.Context, fn func(stage.DocRecord) error) error {
	for i, b := range e.recs {
		d := stage.DocRecord{Index: i, ID: string(rune('a' + i)), Group: e.groups[i]}
		if b != nil {
			r := &Record{}
			if err := gob.NewDecoder(bytes.NewReader(b)).Decode(r); err != nil {
				return err
			}
			d.Record = r
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}
func (e *fakeEnv) NewDocCounts() *compare.DocCounts {
	dc := &compare.DocCounts{}
	for _, g := range e.groups {
		dc.AddDoc(g, 100)
	}
	return dc
}
func (e *fakeEnv) Mentions(perDoc *compare.DocCounts, total int64) error {
	e.perDoc, e.total = perDoc, total
	return nil
}

// Reduce counts each document's mentions of each entity from its saved
// record and hands the counts over; records that disagree with the
// corpus's mention count are an error, not a table.
func TestReduceHandsOverCountsFromRecords(t *testing.T) {
	s := New()
	docs := []*document.Document{
		{Group: "a", Entities: []document.Entity{ent("US", "GPE", "United States"), ent("America", "GPE", "United States")}},
		{Group: "b"},
		{Group: "b", Entities: []document.Entity{ent("U.S.", "GPE", "United States"), ent("China", "GPE", "China")}},
	}
	od, err := output.OpenOutDir(t.TempDir(), output.DirOptions{Command: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer od.Close()
	env := &fakeEnv{dir: od}
	total := s.NewPartial()
	for _, d := range docs {
		in := stage.MapInput{Doc: d}
		p, err := s.Map(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		total.Merge(p)
		rec, err := s.Record(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		var b []byte
		if rec != nil {
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(rec); err != nil {
				t.Fatal(err)
			}
			b = buf.Bytes()
		}
		env.recs, env.groups = append(env.recs, b), append(env.groups, d.Group)
	}
	if env.recs[1] != nil {
		t.Error("a record of a document without entities")
	}
	if err := s.Reduce(context.Background(), total, env); err != nil {
		t.Fatal(err)
	}
	for _, w := range env.ws {
		w.Close()
	}
	gc := env.perDoc.GroupCounts(0)
	if env.total != 4 || gc.Count("a", "United States") != 2 || gc.Count("b", "United States") != 1 || gc.Count("b", "China") != 1 {
		t.Errorf("total %d; a: US %d; b: US %d, China %d", env.total, gc.Count("a", "United States"), gc.Count("b", "United States"), gc.Count("b", "China"))
	}

	// A record lost (as if read from another block's file).
	env.recs[2], env.perDoc = nil, nil
	err = s.Reduce(context.Background(), total, env)
	if err == nil || !strings.Contains(err.Error(), "2 mentions") {
		t.Errorf("records of 2 mentions for a corpus of 4: %v", err)
	}
	if env.perDoc != nil {
		t.Error("counts handed over from records that disagree")
	}
	if err := s.Reduce(context.Background(), total, struct{ stage.Env }{env}); err == nil || !strings.Contains(err.Error(), "hands its counts") {
		t.Errorf("reduced in an Env that takes no counts: %v", err)
	}
}

// The table is written in batches between documents, not held whole until
// the end: with batches of one row, each document with mentions is a row
// group of its own.
func TestReduceWritesBetweenDocuments(t *testing.T) {
	s := New()
	dir := t.TempDir()
	od, err := output.OpenOutDir(dir, output.DirOptions{Command: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer od.Close()
	env := &fakeEnv{dir: od, batchRows: 1}
	total := s.NewPartial()
	for _, e := range []document.Entity{ent("US", "GPE", "United States"), ent("China", "GPE", "China"), ent("Japan", "GPE", "Japan")} {
		in := stage.MapInput{Doc: &document.Document{Group: "a", Entities: []document.Entity{e}}}
		p, err := s.Map(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		total.Merge(p)
		rec, err := s.Record(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(rec); err != nil {
			t.Fatal(err)
		}
		env.recs, env.groups = append(env.recs, buf.Bytes()), append(env.groups, "a")
	}
	if err := s.Reduce(context.Background(), total, env); err != nil {
		t.Fatal(err)
	}
	for _, w := range env.ws {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	pf, err := file.OpenParquetFile(filepath.Join(dir, Name+".parquet"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if pf.NumRows() != 3 || pf.NumRowGroups() != 3 {
		t.Errorf("%d rows in %d row groups, want 3 in 3 (one a document)", pf.NumRows(), pf.NumRowGroups())
	}
}
