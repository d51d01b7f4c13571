package frames

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ParseLexicoder reads a Lexicoder .lc3 dictionary: a "+category" line opens
// a category and the following lines, one term each (words, phrases, "*"
// wildcards), belong to it.
func ParseLexicoder(r io.Reader, file string) (*Lexicon, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	lex := &Lexicon{Source: file}
	cur := -1
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if s == "" {
			continue
		}
		if strings.HasPrefix(s, "+") {
			name := strings.TrimSpace(s[1:])
			if name == "" {
				return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("category line without a name")}
			}
			if lex.Frame(name) != nil {
				return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("category %q opened twice", name)}
			}
			cur = len(lex.Frames)
			lex.Frames = append(lex.Frames, Frame{Name: name})
			continue
		}
		if cur < 0 {
			return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("term %q before the first +category line", s)}
		}
		if err := checkPattern(s); err != nil {
			return nil, &ParseError{File: file, Line: line, Err: err}
		}
		addEntry(&lex.Frames[cur], Entry{Pattern: s, Line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, scanError(file, line, err)
	}
	if err := lex.Validate(); err != nil {
		return nil, err
	}
	return lex, nil
}
