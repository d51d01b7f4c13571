package comparestage

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/framelens/framelens/stages/compare"
)

// ReadReference reads the term counts (terms.parquet: term, cf) of an
// earlier framelens run, the reference corpus of compare.reference.
func ReadReference(dir string) (*compare.Counts, error) {
	path := filepath.Join(dir, "terms.parquet")
	f, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, fmt.Errorf("compare.reference: %w (give the output directory of a framelens run)", err)
	}
	defer f.Close()
	rd, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("compare.reference %s: %w", path, err)
	}
	tbl, err := rd.ReadTable(context.Background())
	if err != nil {
		return nil, fmt.Errorf("compare.reference %s: %w", path, err)
	}
	defer tbl.Release()
	ti, ci := tbl.Schema().FieldIndices("term"), tbl.Schema().FieldIndices("cf")
	if len(ti) != 1 || len(ci) != 1 {
		return nil, fmt.Errorf("compare.reference %s: no term and cf columns", path)
	}
	var c compare.Counts
	terms, cfs := tbl.Column(ti[0]).Data().Chunks(), tbl.Column(ci[0]).Data().Chunks()
	for k := range terms {
		ts, ok1 := terms[k].(*array.String)
		cs, ok2 := cfs[k].(*array.Int64)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("compare.reference %s: term must be utf8 and cf int64", path)
		}
		for i := 0; i < ts.Len(); i++ {
			c.Add("reference", ts.Value(i), cs.Value(i))
		}
	}
	return &c, nil
}
