package output

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
)

// SchemaVersion is the version of the table contract. Any change to a table
// or column (name, type, nullability, order) must bump it; a test holds the
// fingerprint of every version; schemaChanges says what each changed.
const SchemaVersion = 5

// schemaChanges describes each schema version after the first, for the
// data dictionary.
func schemaChanges() map[int]string {
	return map[int]string{
		3: "a key column has one type in every table, so that polars joins any two tables on it without a cast (it refuses to join a Categorical with a String): `documents.doc_id`, `doc_vectors.doc_id`, `comparisons.comparison`, `group_a` and `group_b`, `topics.label` and `topic_prevalence.label` are dictionary-encoded strings, as the same columns of the other tables are. `keyness` gains `docs_a`/`docs_b`, Gries' DP `dp_a`/`dp_b`, the document-level test `doc_t`/`doc_p`/`doc_p_adj` and `concentrated`; its rows are ordered by `doc_t` by default (compare.keyness.test); `z`, `g2`, `p`, `p_adj` are nullable (null for topics, which are tested over documents only); key-phrase counts are every occurrence of a keyphrases-table phrase in the text (were: only in documents that shortlisted it). `frame_comparisons` gains `docs_a`/`docs_b` (documents with a hit) and `dp_a`/`dp_b`; every bootstrap interval whose replicates are all alike (no hit, one sentence) is null instead of zero-width; `comparisons` gains `keyness_test` and `warnings`; `topic_prevalence` gains `interval_note`, and its interval is null when a side has fewer than 2 documents. new table `frame_entries`: hits, negated hits, documents, share of the frame's hits and top matched forms of each frame lexicon entry per group, with a `dominant` flag.",
		4: "`documents` gains `lang_confidence` and `lang_source` after `lang`, which is now always filled: the manifest's language normalised to ISO 639-1, `--lang`, or the detected one (\"\" when the text is too short to tell).",
		5: "new table `collocations`: collocates of node words by group and by side of each comparison, with observed and expected counts, log-Dice, MI, t-score, log-likelihood and the sides' log-Dice difference (docs/methods.md#collocations). The tables of registered analyses (pipeline.Analyses) are part of the contract from this version.",
		2: "`group_keyphrases` gains `prevalence` and `distinctiveness`; its `score` is their product (was c-TF-IDF), and `count`/`doc_freq` count the documents that rank the phrase in their top 50; `comparisons.jsd_terms` is nullable (null when a side has no counted term); the bootstrap interval columns (`frames.rate_lo`/`rate_hi`, `group_frames.rate_lo`/`rate_hi`/`share_lo`/`share_hi`, `frame_comparisons.rate_diff_lo`/`rate_diff_hi`/`share_diff_lo`/`share_diff_hi`, `topic_prevalence.diff_lo`/`diff_hi`) are nullable: null, no longer NaN, when there is no interval (no words to resample, or bootstrap.b < 0); documents without a term in the vocabulary (no words, or only numbers and stop words), whose `doc_topics` weights are a placeholder 1/K, are left out of `topic_prevalence` (its means and `docs_a`/`docs_b`; a comparison with a side of such documents only has no rows), `comparisons.jsd_topics` and keyness's topic features.",
	}
}

// Layout says how a table is laid out on disk.
type Layout int

const (
	// SingleFile tables are computed at the end of a run and written as one
	// file, <name>.parquet.
	SingleFile Layout = iota
	// Parts tables are written while documents stream, as a directory of
	// part files, <name>/part-00000.parquet, read as one table by pandas,
	// polars and DuckDB.
	Parts
)

// Column is one column of a table.
type Column struct {
	Name        string
	Type        arrow.DataType
	Nullable    bool
	Description string
}

// Table is the definition of one output table.
type Table struct {
	Name        string
	Description string
	// Key lists the columns that identify a row.
	Key    []string
	Layout Layout
	// Columns are derived from the table's row type (rowTable).
	Columns []Column
	// Example queries for the data dictionary.
	PandasExample string
	SQLExample    string

	row *rowPlan // the row type's columns
	// newRow returns a new *T of the row type; bind makes an Appender[T]
	// for a writer of the table: so that a test can write every table
	// through its row type without naming each type.
	newRow func() any
	bind   func(*Writer) (func(any), error)
}

// Schema returns the Arrow schema with each column's description in its
// field metadata and the given table-level metadata.
func (t *Table) Schema(meta map[string]string) *arrow.Schema {
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = arrow.Field{
			Name: c.Name, Type: c.Type, Nullable: c.Nullable,
			Metadata: arrow.NewMetadata([]string{"description"}, []string{c.Description}),
		}
	}
	keys := make([]string, 0, len(meta)+3)
	for k := range meta {
		keys = append(keys, k)
	}
	keys = append(keys, "framelens.table", "framelens.table_description", "framelens.key")
	sort.Strings(keys)
	vals := make([]string, len(keys))
	for i, k := range keys {
		switch k {
		case "framelens.table":
			vals[i] = t.Name
		case "framelens.table_description":
			vals[i] = t.Description
		case "framelens.key":
			vals[i] = strings.Join(t.Key, ",")
		default:
			vals[i] = meta[k]
		}
	}
	md := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema(fields, &md)
}

// ColumnIndex returns the index of the named column, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Catalog is the set of framelens tables, by name.
type Catalog struct {
	tables []*Table
	byName map[string]*Table
}

// Tables returns every table in documentation order.
func (c *Catalog) Tables() []*Table { return c.tables }

// Table returns the named table.
func (c *Catalog) Table(name string) (*Table, error) {
	t, ok := c.byName[name]
	if !ok {
		names := make([]string, len(c.tables))
		for i, t := range c.tables {
			names[i] = t.Name
		}
		return nil, fmt.Errorf("no table %q (tables: %s)", name, strings.Join(names, ", "))
	}
	return t, nil
}

// MustTable is Table for names fixed in code.
func (c *Catalog) MustTable(name string) *Table {
	t, err := c.Table(name)
	if err != nil {
		panic(err)
	}
	return t
}

// Fingerprint hashes every table's name, layout and columns (name, type,
// nullability, order). Descriptions do not count: rewording them is not a
// contract change.
func (c *Catalog) Fingerprint() string {
	h := sha256.New()
	for _, t := range c.tables {
		fmt.Fprintf(h, "table %s layout %d key %s\n", t.Name, t.Layout, strings.Join(t.Key, ","))
		for _, col := range t.Columns {
			fmt.Fprintf(h, "  %s %s %v\n", col.Name, col.Type, col.Nullable)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func newCatalog(tables ...*Table) *Catalog {
	c := &Catalog{tables: tables, byName: make(map[string]*Table, len(tables))}
	for _, t := range tables {
		if _, dup := c.byName[t.Name]; dup {
			panic("output: duplicate table " + t.Name)
		}
		if t.row == nil {
			panic("output: table " + t.Name + " has no row type: define it with rowTable")
		}
		c.byName[t.Name] = t
	}
	return c
}

// Column type shorthands used by the table definitions.
var (
	typString = arrow.BinaryTypes.String
	typDict   = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	typInt32  = arrow.PrimitiveTypes.Int32
	typInt64  = arrow.PrimitiveTypes.Int64
	typF64    = arrow.PrimitiveTypes.Float64
	typBool   = arrow.FixedWidthTypes.Boolean
	typStrs   = arrow.ListOf(arrow.BinaryTypes.String)
	typI32s   = arrow.ListOf(arrow.PrimitiveTypes.Int32)
	typF32s   = arrow.ListOf(arrow.PrimitiveTypes.Float32)
)

// MetaColumn is a documents column carried from the corpus manifest, of
// type "string", "int64", "float64", "bool" or "date" (ISO dates, stored as
// date32 so notebooks get real dates). It is always nullable: a document
// may lack the value.
func MetaColumn(name, typ string) Column {
	var t arrow.DataType
	switch typ {
	case "date":
		t = arrow.FixedWidthTypes.Date32
	case "int64":
		t = typInt64
	case "float64":
		t = typF64
	case "bool":
		t = typBool
	default:
		t = typString
	}
	return Column{Name: name, Type: t, Nullable: true, Description: "Corpus metadata column \"" + name + "\" from the manifest or row dump."}
}

// With returns a catalog of c's tables and then tables: those a
// corpus-level stage declares (stage.Corpus.Tables). A name already taken
// is an error.
func (c *Catalog) With(tables ...*Table) (*Catalog, error) {
	all := append(slices.Clip(c.tables), tables...)
	out := &Catalog{tables: all, byName: make(map[string]*Table, len(all))}
	for _, t := range all {
		if _, dup := out.byName[t.Name]; dup {
			return nil, fmt.Errorf("output: two tables named %q", t.Name)
		}
		out.byName[t.Name] = t
	}
	return out, nil
}
