// Package output defines framelens's tables — their Arrow schemas, column
// descriptions and keys, in one place (tables.go) — and writes them as
// Parquet (zstd, statistics on) or Arrow IPC files.
//
// Each table has a row type (rowtypes.go), a struct with a field per
// column: the table's columns are derived from it, and rows are appended
// as values of it through an Appender, checked against the table when it is
// made. Code that writes a table names no column.
//
// Writers follow three rules that let a run be killed at any moment without
// leaving a table that looks complete: data goes to a ".tmp" file that is
// renamed into place only when it is closed successfully (WriteFileAtomic
// does the same for single files: run.json, block states); a table written
// while the corpus streams is a directory of part files; and the pipeline
// writes run.json last.
//
// Output is deterministic: no timestamps or random ids reach the files, so
// the same input, config and seed give byte-identical tables.
package output
