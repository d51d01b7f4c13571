package corpus

import (
	"fmt"
	"strconv"
)

// DocError reports one document that could not be read. The stream goes on:
// the caller logs it and calls Next again.
type DocError struct {
	// Source names the file, and the line or row where known
	// ("manifest.csv:4", "papers/a.txt").
	Source string
	// ID is the document id when it was known before the failure.
	ID  string
	Err error
}

func (e *DocError) Error() string {
	if e.ID != "" {
		return "corpus: " + e.Source + " (id " + strconv.Quote(e.ID) + "): " + e.Err.Error()
	}
	return "corpus: " + e.Source + ": " + e.Err.Error()
}

func (e *DocError) Unwrap() error { return e.Err }

// ParseError reports an input that does not parse at all, such as a manifest
// with a syntax error. It ends the stream. Line and Column are 1-based; 0
// means unknown. Like encoding/csv.ParseError, it says where and what.
type ParseError struct {
	// File is the path the corpus was opened with (a folder's manifest:
	// the folder's path joined to the manifest's name).
	File   string
	Line   int
	Column int
	Err    error
}

func (e *ParseError) Error() string {
	where := e.File
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			where += ":" + strconv.Itoa(e.Column)
		}
	}
	return fmt.Sprintf("corpus: cannot parse %s: %v", where, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }
