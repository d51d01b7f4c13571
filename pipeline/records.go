package pipeline

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/framelens/framelens/stages/stage"
)

// The records of the corpus stages that keep one per document
// (stage.Recorder) are side state of the stage's own: held by each
// document's state until its block is saved, then saved beside the block
// state, one file per stage and block, let go from memory (spill) and read
// back, block by block, only by the stage's Reduce (Env.EachRecord). A
// saved record file, like a side file, is written before the block state
// that marks the block complete.

// recordPrefix starts the name of a record file (isStateFile).
const recordPrefix = "record-"

// recordPath is the file of the records of analysis name beside a block
// state: record-<name>-<block>.gob.gz, the name escaped for a file name.
func recordPath(statePath, name string) string {
	dir, base := filepath.Split(statePath)
	return filepath.Join(dir, recordPrefix+url.PathEscape(name)+"-"+strings.TrimPrefix(base, "block-"))
}

// isRecordFile says whether name is a record file's (recordPath).
func isRecordFile(name string) bool {
	rest, ok := strings.CutPrefix(name, recordPrefix)
	i := strings.LastIndexByte(rest, '-')
	if !ok || i <= 0 || strings.ContainsAny(rest, `/\`) {
		return false
	}
	n, ok := strings.CutSuffix(rest[i+1:], ".gob.gz")
	return ok && len(n) >= 5 && strings.Trim(n, "0123456789") == ""
}

// recorders are the analyses that keep records, by index in as (nil: one
// that keeps none).
func recorders(as []stage.Corpus) []stage.Recorder {
	var out []stage.Recorder
	for i, a := range as {
		if rec, ok := a.(stage.Recorder); ok {
			if out == nil {
				out = make([]stage.Recorder, len(as))
			}
			out[i] = rec
		}
	}
	return out
}

// memRecords returns the in-memory records of analysis k of every document
// of the block, in the block's order.
func (b *blockState) memRecords(k int) []any {
	out := make([]any, len(b.Docs))
	for i, d := range b.Docs {
		if d.records != nil {
			out[i] = d.records[k]
		}
	}
	return out
}

// saveRecords writes the records of every analysis that keeps them beside
// the block state at path.
func (b *blockState) saveRecords(path string) error {
	for k, rec := range recorders(b.analyses) {
		if rec == nil {
			continue
		}
		name := b.analyses[k].Name()
		if err := writeRecords(recordPath(path, name), b.memRecords(k)); err != nil {
			return fmt.Errorf("saving block %d records of %s: %w", b.Block, name, err)
		}
	}
	return nil
}

// records returns the records of analysis k, a, of every document of the
// block: from memory, or from disk once spilled. (A loaded block knows
// no analyses: they are the run's.)
func (b *blockState) records(k int, a stage.Corpus, rec stage.Recorder) ([]any, error) {
	if !b.spilled {
		return b.memRecords(k), nil
	}
	return readRecords(recordPath(b.path, a.Name()), len(b.Docs), rec.NewRecord)
}

// writeRecords writes recs (nil: a document without one) as one gob
// stream: which documents have a record, then each record, so that a
// record decodes into its stage's NewRecord.
func writeRecords(path string, recs []any) error {
	return writeGobs(path, func(enc *gob.Encoder) error {
		has := make([]bool, len(recs))
		for i, r := range recs {
			has[i] = r != nil
		}
		if err := enc.Encode(has); err != nil {
			return err
		}
		for i, r := range recs {
			if r == nil {
				continue
			}
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("record %d: %w", i, err)
			}
		}
		return nil
	})
}

// readRecords reads back what writeRecords wrote of n documents, each
// record into a new one of newRecord.
func readRecords(path string, n int, newRecord func() any) ([]any, error) {
	out := make([]any, n)
	err := readGobs(path, func(dec *gob.Decoder) error {
		var has []bool
		if err := dec.Decode(&has); err != nil {
			return err
		}
		if len(has) != n {
			return fmt.Errorf("%d entries for %d documents", len(has), n)
		}
		for i, ok := range has {
			if !ok {
				continue
			}
			r := newRecord()
			if err := dec.Decode(r); err != nil {
				return fmt.Errorf("record %d: %w", i, err)
			}
			out[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachRecord calls fn for every document, in order, with its record of
// analysis k. Blocks are read from disk on every worker, a few at a time,
// and handed over in order (as eachSide).
func (r *reducer) eachRecord(ctx context.Context, k int, fn func(i int, d *docState, rec any) error) error {
	a := r.eng.analyses[k]
	rec, ok := a.(stage.Recorder)
	if !ok {
		return errors.New("the stage keeps no records (stage.Recorder)")
	}
	return eachBlockDoc(ctx, r, func(bi int) ([]any, error) {
		return r.blocks[bi].records(k, a, rec)
	}, fn)
}

// EachRecord streams the records of the reducing stage (stage.Env).
func (e *reduceEnv) EachRecord(ctx context.Context, fn func(stage.DocRecord) error) error {
	return e.r.eachRecord(ctx, e.stage, func(i int, d *docState, rec any) error {
		return fn(stage.DocRecord{Index: i, ID: d.ID, Group: d.Group, Failed: d.Failed, Record: rec})
	})
}
