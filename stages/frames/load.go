package frames

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

//go:embed lexicons/default.yaml
var defaultLexiconYAML []byte

// DefaultLexicon parses the lexicon shipped with framelens
// (lexicons/default.yaml, CC0). Each call returns a fresh copy.
func DefaultLexicon() (*Lexicon, error) {
	lex, err := ParseYAML(defaultLexiconYAML, "lexicons/default.yaml")
	if err != nil {
		return nil, err
	}
	lex.Source = ""
	return lex, nil
}

// LoadLexicon reads a lexicon file, choosing the format by extension:
//
//	.yaml .yml  framelens lexicon (a top-level "frames:" list) or
//	            quanteda-style dictionary (nested map category -> words)
//	.dic        LIWC dictionary
//	.cat        WordStat categorization dictionary
//	.lc3        Lexicoder dictionary
//
// Parse errors are *ParseError values naming the file and line.
func LoadLexicon(path string) (*Lexicon, error) {
	// Stat before opening: a FIFO would block, /dev/zero never end.
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("frames: reading lexicon: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("frames: lexicon %s: not a regular file (%s)", path, st.Mode().Type())
	}
	if st.Size() > maxLexiconBytes {
		return nil, fmt.Errorf("frames: lexicon %s: %d bytes; a lexicon may be at most %d MB", path, st.Size(), maxLexiconBytes>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("frames: reading lexicon: %w", err)
	}
	var lex *Lexicon
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".yaml", ".yml":
		lex, err = ParseYAML(data, path)
	case ".dic":
		lex, err = ParseLIWC(bytes.NewReader(data), path)
	case ".cat":
		lex, err = ParseWordStat(bytes.NewReader(data), path)
	case ".lc3":
		lex, err = ParseLexicoder(bytes.NewReader(data), path)
	default:
		return nil, fmt.Errorf("frames: lexicon %s: unknown extension %q (want .yaml, .yml, .dic, .cat or .lc3)", path, ext)
	}
	if err != nil {
		return nil, err
	}
	if lex.Name == "" {
		lex.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return lex, nil
}

// maxLexiconBytes bounds a lexicon file: the largest published ones (LIWC,
// the Lexicoder Sentiment Dictionary) are under 1 MB.
const maxLexiconBytes = 64 << 20

// scanError names the line a bufio.Scanner failed on: line is the last
// line it returned, so a line too long to scan is the next one.
func scanError(file string, line int, err error) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return &ParseError{File: file, Line: line + 1, Err: errors.New("line longer than 1 MB")}
	}
	return &ParseError{File: file, Line: line, Err: err}
}

// addEntry appends a normalised entry to f, skipping exact duplicates (the
// same pattern in the same matching mode), which would double count.
func addEntry(f *Frame, e Entry) {
	e.Pattern = NormalizePattern(e.Pattern)
	for _, o := range f.Entries {
		if o.Pattern == e.Pattern && o.Lemma == e.Lemma {
			return
		}
	}
	f.Entries = append(f.Entries, e)
}
