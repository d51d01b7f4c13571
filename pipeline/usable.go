package pipeline

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/framelens/framelens/corpus"
)

// ErrNoDocuments is the error of a run that analysed no document: the
// corpus holds none (an empty JSONL file, a CSV header without rows), or
// every document failed (rows without text, a wrong --text-column). Its
// tables are written, empty, and run.json lists the failures; the command
// exits 1 (docs/errors.md).
var ErrNoDocuments = errors.New("no document analysed")

// ErrColumn is the error of a reader option naming a column the corpus
// does not have, or given for a corpus without columns.
var ErrColumn = errors.New("no such column")

// corpusName names cfg's corpus in messages.
func corpusName(cfg Config) string {
	if cfg.Corpus == "" {
		return "the built-in sample"
	}
	return cfg.Corpus
}

// readerColumn is a reader option naming a column.
type readerColumn struct {
	key, flag, value, def string
	// folder says where a folder without a manifest takes this from.
	folder string
}

// checkColumns refuses a column option (reader.group_column, id_column,
// text_column: --group-column …) that the corpus cannot honour, rather than
// running without it — every document in one "(no group)" group, ids
// numbered from 1: a corpus without columns (a folder without a manifest,
// a single text file), or one whose header or rows lack the column. Before
// reading (read false) only what is known at Open is judged: a header, a
// folder's manifest; after the last document (read true) the columns of
// every row read. A default name (group, id, text) may be missing: a
// corpus without groups, or with texts in files, is not a mistake.
func checkColumns(cfg Config, stream *corpus.Stream, read bool) error {
	names, complete, ok := stream.Columns()
	for _, c := range []readerColumn{
		{"reader.group_column", "--group-column", cfg.Reader.GroupColumn, "group", "the groups of a folder are the names of its first-level folders"},
		{"reader.id_column", "--id-column", cfg.Reader.IDColumn, "id", "the ids of a folder's documents are their paths"},
		{"reader.text_column", "--text-column", cfg.Reader.TextColumn, "text", "the texts of a folder are its files"},
	} {
		if c.value == "" || c.value == c.def {
			continue
		}
		if !ok {
			if cfg.Reader.Format == "folder" || cfg.Reader.Format == "" && isDir(cfg.Corpus) {
				return fmt.Errorf("%s (%s) %q: %w: the folder %s has no manifest, so its documents have no columns (%s); put a manifest.csv with the columns path and %s at its top, or leave out %s",
					c.key, c.flag, c.value, ErrColumn, cfg.Corpus, c.folder, c.value, c.flag)
			}
			return fmt.Errorf("%s (%s) %q: %w: %s is a single text file, which has no columns; use a manifest or a row dump with a %q column",
				c.key, c.flag, c.value, ErrColumn, corpusName(cfg), c.value)
		}
		if slices.Contains(names, c.value) || !complete && !read {
			continue
		}
		have := "it has none"
		if len(names) > 0 {
			have = "its columns: " + strings.Join(names, ", ")
		}
		return fmt.Errorf("%s (%s) %q: %w in %s (%s); name one of them, or leave out %s",
			c.key, c.flag, c.value, ErrColumn, corpusName(cfg), have, c.flag)
	}
	return nil
}

// usable returns ErrNoDocuments, saying why, when a finished run analysed
// no document; columns are the corpus's (nil when it has none).
func usable(cfg Config, sum *Summary, columns []string) error {
	if sum.Docs > sum.Failed {
		return nil
	}
	if len(sum.Errors) == 0 {
		return fmt.Errorf("%w: %s holds no document (an empty file, or a header without rows)", ErrNoDocuments, corpusName(cfg))
	}
	detail := fmt.Sprintf("none of the %d documents of %s could be analysed; the first error: %s", len(sum.Errors), corpusName(cfg), sum.Errors[0])
	if len(sum.Errors) > 1 {
		detail += fmt.Sprintf(" (run.json document_errors lists all %d)", len(sum.Errors))
	}
	if len(columns) > 0 {
		detail += "; the corpus's columns: " + strings.Join(columns, ", ")
	}
	return fmt.Errorf("%w: %s", ErrNoDocuments, detail)
}

// isDir reports whether p is a directory.
func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
