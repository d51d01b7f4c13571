package output

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v17/parquet/file"
)

// CountRows returns the rows of a written Parquet table (a file or a
// directory of parts) from the files' footers, without reading the data.
func CountRows(outDir string, t *Table) (int64, error) {
	var paths []string
	if t.Layout == Parts {
		paths, _ = filepath.Glob(filepath.Join(outDir, t.Name, "part-*.parquet"))
	} else {
		p := filepath.Join(outDir, t.Name+".parquet")
		if _, err := os.Stat(p); err != nil {
			return 0, err
		}
		paths = []string{p}
	}
	var n int64
	for _, p := range paths {
		f, err := file.OpenParquetFile(p, false)
		if err != nil {
			return 0, fmt.Errorf("table %s: %w", t.Name, err)
		}
		n += f.NumRows()
		f.Close()
	}
	return n, nil
}
