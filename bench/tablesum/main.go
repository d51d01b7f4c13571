// Command tablesum prints a digest of the rows of every Parquet table in
// framelens output folders, one line per table: the folder, the table name, the
// number of rows and a sha256 over its schema's column names and types and every
// value in row order. File metadata (the config hash, which holds block_docs),
// row-group sizes and the cut into part files are left out, so two runs that
// differ only in block_docs give the same digests when their rows are the same.
// bench/identical.sh uses it to check that the block size changes no row:
//
//	go build -o /tmp/tablesum ./bench/tablesum && /tmp/tablesum out-a out-b
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

func main() {
	dump := flag.String("dump", "", "print the rows of `TABLE` (one line a row, values quoted) instead of digests")
	flag.Parse()
	if flag.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "usage: tablesum [-dump TABLE] OUTDIR...")
		os.Exit(2)
	}
	for _, dir := range flag.Args() {
		if err := sumDir(dir, *dump); err != nil {
			fmt.Fprintln(os.Stderr, "tablesum:", err)
			os.Exit(1)
		}
	}
}

// sumDir prints the digest of each table of dir: a NAME.parquet file, or a
// NAME/ folder of part-NNNNN.parquet files read in name order. With dump, it
// prints the rows of that table only.
func sumDir(dir, dump string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		var parts []string
		switch {
		case strings.HasPrefix(name, "."):
			continue
		case e.IsDir():
			parts, _ = filepath.Glob(filepath.Join(dir, name, "part-*.parquet"))
			sort.Strings(parts)
		case strings.HasSuffix(name, ".parquet"):
			parts = []string{filepath.Join(dir, name)}
			name = strings.TrimSuffix(name, ".parquet")
		}
		if len(parts) == 0 || (dump != "" && name != dump) {
			continue
		}
		h := sha256.New()
		w := bufio.NewWriterSize(h, 1<<16)
		if dump != "" {
			w = bufio.NewWriter(os.Stdout)
		}
		var rows int64
		for i, p := range parts {
			n, err := sumFile(w, p, i == 0)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			rows += n
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if dump == "" {
			fmt.Printf("%s\t%s\t%d\t%x\n", dir, name, rows, h.Sum(nil))
		}
	}
	return nil
}

// sumFile writes the schema (first part only) and every value of the Parquet
// file at path to h, row by row, and returns its number of rows.
func sumFile(h *bufio.Writer, path string, first bool) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	pf, err := file.NewParquetReader(f)
	if err != nil {
		return 0, err
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 4096}, memory.DefaultAllocator)
	if err != nil {
		return 0, err
	}
	schema, err := fr.Schema()
	if err != nil {
		return 0, err
	}
	if first {
		for _, fld := range schema.Fields() {
			fmt.Fprintf(h, "%s:%s;", fld.Name, fld.Type)
		}
		fmt.Fprintln(h)
	}
	// Row group by row group, as tables: the record reader cannot return a
	// dictionary column (tfidf's term) whose dictionary changes within a batch.
	cols := make([]int, pf.MetaData().Schema.NumColumns())
	for i := range cols {
		cols[i] = i
	}
	var rows int64
	for rg := 0; rg < pf.NumRowGroups(); rg++ {
		tbl, err := fr.ReadRowGroups(context.Background(), cols, []int{rg})
		if err != nil {
			return rows, err
		}
		tr := array.NewTableReader(tbl, 4096)
		for tr.Next() {
			rec := tr.Record()
			for i := 0; i < int(rec.NumRows()); i++ {
				for _, col := range rec.Columns() {
					writeValue(h, col, i)
				}
				fmt.Fprintln(h)
			}
			rows += rec.NumRows()
		}
		err = tr.Err()
		tr.Release()
		tbl.Release()
		if err != nil && err != io.EOF {
			return rows, err
		}
	}
	return rows, nil
}

// writeValue writes one value, nulls marked apart from empty strings.
func writeValue(h *bufio.Writer, col arrow.Array, i int) {
	if col.IsNull(i) {
		io.WriteString(h, "\x00null\x1f")
		return
	}
	fmt.Fprintf(h, "%q\x1f", col.ValueStr(i))
}
