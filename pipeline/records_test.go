package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/stage"
)

// recordCheck is an analysis that keeps a record of every document with
// words (stage.Recorder) and writes, from the records its Reduce reads
// back, one row per document: what Env.EachRecord said of it and what the
// record holds, to be checked against the documents table.
type recordCheck struct{}

type recordCheckPartial struct{ Records int }

func (p *recordCheckPartial) Merge(o stage.Partial) error {
	p.Records += o.(*recordCheckPartial).Records
	return nil
}

// checkRecord is recordCheck's record: the document as its Map saw it.
type checkRecord struct {
	ID    string
	Words int
	Forms []string
}

type recordCheckRow struct {
	Index     int32  `col:"index"`
	DocID     string `col:"doc_id"`
	Group     string `col:"group"`
	Failed    bool   `col:"failed"`
	HasRecord bool   `col:"has_record"`
	RecordID  string `col:"record_id"`
	Words     int32  `col:"words"`
	Forms     string `col:"forms"`
}

func (recordCheck) Name() string              { return "record_check" }
func (recordCheck) Config() any               { return struct{}{} }
func (recordCheck) NewPartial() stage.Partial { return &recordCheckPartial{} }
func (recordCheck) NewRecord() any            { return &checkRecord{} }

func (recordCheck) Tables() []*output.Table {
	t, err := output.RowTable[recordCheckRow](output.Table{Name: "record_check", Description: "Records read back.", Layout: output.SingleFile},
		output.Describe("index", "i"), output.Describe("doc_id", "d"), output.Describe("group", "g"), output.Describe("failed", "f"),
		output.Describe("has_record", "h"), output.Describe("record_id", "r"), output.Describe("words", "w"), output.Describe("forms", "o"))
	if err != nil {
		panic(err)
	}
	return []*output.Table{t}
}

func (recordCheck) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	if in.Words == 0 {
		return &recordCheckPartial{}, nil
	}
	return &recordCheckPartial{Records: 1}, nil
}

// Record keeps none of a document without words: the saved file must say
// which documents have one.
func (recordCheck) Record(_ context.Context, in stage.MapInput) (any, error) {
	if in.Words == 0 {
		return nil, nil
	}
	return &checkRecord{ID: strings.Clone(in.Doc.ID), Words: in.Words, Forms: append([]string(nil), in.Forms[:min(3, len(in.Forms))]...)}, nil
}

func (recordCheck) Reduce(ctx context.Context, sp stage.Partial, env stage.Env) error {
	w, err := env.Writer("record_check")
	if err != nil {
		return err
	}
	a, err := output.NewAppender[recordCheckRow](w)
	if err != nil {
		return err
	}
	n := 0
	err = env.EachRecord(ctx, func(d stage.DocRecord) error {
		row := recordCheckRow{Index: int32(d.Index), DocID: d.ID, Group: d.Group, Failed: d.Failed}
		if rec, ok := d.Record.(*checkRecord); ok {
			row.HasRecord, row.RecordID, row.Words, row.Forms = true, rec.ID, int32(rec.Words), strings.Join(rec.Forms, " ")
			n++
		} else if d.Record != nil {
			return fmt.Errorf("a record of type %T", d.Record)
		}
		a.Append(&row)
		return nil
	})
	if err != nil {
		return err
	}
	if want := sp.(*recordCheckPartial).Records; n != want {
		return fmt.Errorf("%d records read back, %d mapped", n, want)
	}
	return w.Flush()
}

var recordCheckOpts = Options{Analyses: []stage.Registration{{
	Name: "record_check",
	New:  func(func(any) error) (stage.Corpus, error) { return recordCheck{}, nil },
}}}

// recordCorpus writes 7 documents, one of punctuation only (no words, no
// record), into a folder.
func recordCorpus(t *testing.T) string {
	dir := t.TempDir()
	texts := []string{
		"Visa rules for researchers from China were tightened in 2023.",
		"Universities warned that talent would go elsewhere.",
		"?! … —",
		"The Senate debated research security for a week.",
		"Officials cited espionage; scientists cited collaboration.",
		"Grants were frozen and later restored by the courts.",
		"Students from abroad brought skills and tuition.",
	}
	for i, s := range texts {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("d%d.txt", i)), []byte(s+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// checkRecords fails unless the records out's record_check read back are,
// in order, one per row of the documents table, each the record of its own
// document.
func checkRecords(t *testing.T, out string) {
	t.Helper()
	docs, recs := rows(t, out, "documents"), rows(t, out, "record_check")
	if len(recs) != len(docs) || len(docs) != 7 {
		t.Fatalf("%d records read back for %d documents, want 7", len(recs), len(docs))
	}
	with := 0
	for i, d := range docs {
		r := recs[i]
		if r["index"] != int64(i) || r["doc_id"] != d["doc_id"] || r["group"] != d["group"] || r["failed"] != false {
			t.Errorf("record %d: %v, document %v %v", i, r, d["doc_id"], d["group"])
		}
		words := d["n_words"].(int64)
		if has := r["has_record"].(bool); has != (words > 0) {
			t.Errorf("document %v (%d words): has_record %v", d["doc_id"], words, has)
			continue
		}
		if words == 0 {
			continue
		}
		with++
		if r["record_id"] != d["doc_id"] || r["words"] != words || r["forms"] == "" {
			t.Errorf("document %v (%d words) read back the record %v", d["doc_id"], words, r)
		}
	}
	if with != 6 {
		t.Errorf("%d documents with a record, want 6", with)
	}
}

// An analysis's records are read back, in input order and each with its
// own document, by a single run, by a run resumed after it was stopped
// with some blocks saved, and by shards and their merge.
func TestRecordsAreReadBackInOrder(t *testing.T) {
	ctx := context.Background()
	cfg := Config{Corpus: recordCorpus(t), BlockDocs: 2, Seed: 3, Workers: 2, SkipStages: []string{"topics"}}
	whole := t.TempDir()
	cfg.Out = whole
	if _, err := Run(ctx, cfg, recordCheckOpts); err != nil {
		t.Fatal(err)
	}
	checkRecords(t, whole)

	t.Run("resume", func(t *testing.T) {
		out := t.TempDir()
		c := cfg
		c.Out = out
		stop, cancel := context.WithCancel(ctx)
		defer cancel()
		opts := recordCheckOpts
		opts.OnProgress = func(p Progress) {
			if p.Docs < 5 {
				return
			}
			// Stop once a block is saved (the saver goes on beside the
			// writer).
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if saved, _ := savedBlocks(out); len(saved) > 0 {
					break
				}
			}
			cancel()
		}
		if _, err := Run(stop, c, opts); err == nil {
			t.Fatal("the run was not stopped")
		}
		saved, _ := savedBlocks(out)
		if len(saved) == 0 || len(saved) == 4 {
			t.Fatalf("%d of 4 blocks saved when stopped: nothing to resume, or nothing left", len(saved))
		}
		for _, path := range saved {
			if _, err := os.Stat(recordPath(path, "record_check")); err != nil {
				t.Errorf("block saved without its records: %v", err)
			}
		}
		c.Resume = true
		if _, err := Run(ctx, c, recordCheckOpts); err != nil {
			t.Fatalf("resumed run: %v", err)
		}
		checkRecords(t, out)
		sameTables(t, whole, out)
	})

	t.Run("shards", func(t *testing.T) {
		s0, s1, merged := t.TempDir(), t.TempDir(), t.TempDir()
		for i, dir := range []string{s0, s1} {
			c := cfg
			c.Out, c.Shard = dir, Shard{Index: i, Count: 2}
			if _, err := Run(ctx, c, recordCheckOpts); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Merge(ctx, merged, []string{s0, s1}, recordCheckOpts); err != nil {
			t.Fatal(err)
		}
		checkRecords(t, merged)
		sameTables(t, whole, merged)
	})
}

// A record file says which documents have a record, and refuses to be read
// for another number of documents.
func TestRecordFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "record-x-00000.gob.gz")
	in := []any{&checkRecord{ID: "a", Words: 2}, nil, &checkRecord{ID: "c", Forms: []string{"x"}}}
	if err := writeRecords(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := readRecords(path, 3, func() any { return &checkRecord{} })
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := out[0].(*checkRecord); !ok || a.ID != "a" || a.Words != 2 || out[1] != nil {
		t.Errorf("read back %v %v", out[0], out[1])
	}
	// Each record decodes into a new one: nothing of the first is left in
	// the third.
	if c, ok := out[2].(*checkRecord); !ok || c.ID != "c" || c.Words != 0 || len(c.Forms) != 1 {
		t.Errorf("read back %+v", out[2])
	}
	if _, err := readRecords(path, 4, func() any { return &checkRecord{} }); err == nil {
		t.Error("read 3 records as 4 documents'")
	}
	if !isStateFile("record-x-00000.gob.gz") || !isStateFile("record-entity_mentions-00012.gob.gz.tmp") || isStateFile("record-x.gob.gz") || isStateFile("record--00001.gob.gz") {
		t.Error("isStateFile does not know record files")
	}
}
