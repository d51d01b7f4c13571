package output

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
)

// CountRows returns the rows of a written table (a file or a directory of
// parts) in format f: from the Parquet footers, without reading the data,
// when f writes Parquet; else by reading the Arrow IPC files' record
// batches (an IPC file stores no row count).
func CountRows(outDir string, t *Table, f Format) (int64, error) {
	ext := ".parquet"
	if !f.parquet() {
		ext = ".arrow"
	}
	var paths []string
	if t.Layout == Parts {
		paths, _ = filepath.Glob(filepath.Join(outDir, t.Name, "part-*"+ext))
	} else {
		p := filepath.Join(outDir, t.Name+ext)
		if _, err := os.Stat(p); err != nil {
			return 0, err
		}
		paths = []string{p}
	}
	var n int64
	for _, p := range paths {
		rows, err := countFile(p, ext)
		if err != nil {
			return 0, fmt.Errorf("table %s: %w", t.Name, err)
		}
		n += rows
	}
	return n, nil
}

func countFile(path, ext string) (int64, error) {
	if ext == ".parquet" {
		f, err := file.OpenParquetFile(path, false)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		return f.NumRows(), nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	r, err := ipc.NewFileReader(fh, ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	defer r.Close()
	var n int64
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.RecordAt(i)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		n += rec.NumRows()
		rec.Release()
	}
	return n, nil
}
