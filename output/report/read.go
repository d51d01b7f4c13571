package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// ErrNotRun: the folder holds no run.json, so it is not a finished
// framelens run (or the run was interrupted).
var ErrNotRun = errors.New("not a finished framelens run")

// manifest is the part of run.json the report reads.
type manifest struct {
	Version            string              `json:"framelens_version"`
	RunID              string              `json:"run_id"`
	Corpus             string              `json:"corpus"`
	Started            string              `json:"started"`
	Tables             map[string][]string `json:"tables"`
	Rows               map[string]int64    `json:"rows"`
	ComparisonWarnings []string            `json:"comparison_warnings"`
	Config             struct {
		Compare struct {
			Comparisons []json.RawMessage `json:"comparisons"`
		} `json:"compare"`
	} `json:"config"`
}

func readManifest(out string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(out, "run.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("report: %s: %w (no run.json): give the --out folder of a run that completed", out, ErrNotRun)
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	m := &manifest{}
	if err := json.Unmarshal(b, m); err != nil || m.Version == "" {
		return nil, fmt.Errorf("report: %s: %w (run.json is not framelens's: %v)", out, ErrNotRun, err)
	}
	return m, nil
}

// parquetFiles lists the Parquet files of table name, or nil when the run
// did not write it (a skipped stage, --format arrow).
func (m *manifest) parquetFiles(out, name string) ([]string, error) {
	var files []string
	for _, p := range m.Tables[name] {
		full := filepath.Join(out, p)
		st, err := os.Stat(full)
		if err != nil {
			continue
		}
		if st.IsDir() {
			parts, err := filepath.Glob(filepath.Join(full, "part-*.parquet"))
			if err != nil {
				return nil, err
			}
			sort.Strings(parts)
			files = append(files, parts...)
		} else if filepath.Ext(full) == ".parquet" {
			files = append(files, full)
		}
	}
	return files, nil
}

// cols reads the named columns of one record batch; a column the file
// lacks is nil, so that the report reads older runs and optional columns.
type cols map[string]arrow.Array

// scan calls fn for each record batch of the table's Parquet files,
// decoding only the columns named.
func scan(ctx context.Context, files []string, names []string, fn func(n int, c cols) error) error {
	for _, f := range files {
		if err := scanFile(ctx, f, names, fn); err != nil {
			return fmt.Errorf("report: %s: %w", f, err)
		}
	}
	return nil
}

func scanFile(ctx context.Context, name string, names []string, fn func(int, cols) error) error {
	pf, err := file.OpenParquetFile(name, false)
	if err != nil {
		return err
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	schema, err := fr.Schema()
	if err != nil {
		return err
	}
	var idx []int
	var have []string
	for _, n := range names {
		if ix := schema.FieldIndices(n); len(ix) == 1 {
			idx = append(idx, ix[0])
			have = append(have, n)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	// Row group by row group: a dictionary column's dictionary may change
	// from one row group to the next, which a record reader over the
	// whole file does not support.
	for rg := 0; rg < pf.NumRowGroups(); rg++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		tb, err := fr.ReadRowGroups(ctx, idx, []int{rg})
		if err != nil {
			return err
		}
		tr := array.NewTableReader(tb, 1<<16)
		for tr.Next() {
			rec := tr.Record()
			c := cols{}
			for i, n := range have {
				c[n] = rec.Column(i)
			}
			if err := fn(int(rec.NumRows()), c); err != nil {
				tr.Release()
				tb.Release()
				return err
			}
		}
		tr.Release()
		tb.Release()
	}
	return nil
}

// str reads row i of a string column (plain or dictionary-encoded).
func str(a arrow.Array, i int) string {
	if a == nil || a.IsNull(i) {
		return ""
	}
	switch v := a.(type) {
	case *array.Dictionary:
		return str(v.Dictionary(), v.GetValueIndex(i))
	case *array.String:
		return v.Value(i)
	case *array.LargeString:
		return v.Value(i)
	}
	return ""
}

// num reads row i of a numeric column; NaN when null or missing.
func num(a arrow.Array, i int) float64 {
	if a == nil || a.IsNull(i) {
		return math.NaN()
	}
	switch v := a.(type) {
	case *array.Float64:
		return v.Value(i)
	case *array.Float32:
		return float64(v.Value(i))
	case *array.Int32:
		return float64(v.Value(i))
	case *array.Int64:
		return float64(v.Value(i))
	}
	return math.NaN()
}

// strs reads row i of a list<utf8> column.
func strs(a arrow.Array, i int) []string {
	l, ok := a.(*array.List)
	if !ok || l.IsNull(i) {
		return nil
	}
	lo, hi := l.ValueOffsets(i)
	out := make([]string, 0, hi-lo)
	for j := lo; j < hi; j++ {
		out = append(out, str(l.ListValues(), int(j)))
	}
	return out
}

// ints reads row i of a list<int32> column.
func ints(a arrow.Array, i int) []int {
	l, ok := a.(*array.List)
	if !ok || l.IsNull(i) {
		return nil
	}
	vals, ok := l.ListValues().(*array.Int32)
	if !ok {
		return nil
	}
	lo, hi := l.ValueOffsets(i)
	out := make([]int, 0, hi-lo)
	for j := lo; j < hi; j++ {
		out = append(out, int(vals.Value(int(j))))
	}
	return out
}
