package frames

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseLIWC reads a LIWC-format .dic file: a category table between two
// lines holding only "%" ("1<TAB>posemo"), then one word per line followed
// by the ids of its categories. Words may end in "*" and may contain spaces
// (LIWC2007 phrases such as "kind of"). LIWC2007's conditional codes, fields
// with "(" or "<", are skipped: their meaning depends on LIWC's own engine.
// Frames keep the order of the category table.
func ParseLIWC(r io.Reader, file string) (*Lexicon, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	lex := &Lexicon{Source: file}
	byID := map[int]int{} // category id -> frame index
	state := 0            // 0 before the table, 1 inside it, 2 words
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if s == "" {
			continue
		}
		if s == "%" {
			if state == 2 {
				return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("third %% line")}
			}
			state++
			continue
		}
		switch state {
		case 0:
			return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("want a %% line opening the category table, got %q", s)}
		case 1:
			f := strings.Fields(s)
			if len(f) < 2 {
				return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("category line %q: want <id> <name>", s)}
			}
			id, err := strconv.Atoi(f[0])
			if err != nil {
				return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("category line %q: id %q is not a number", s, f[0])}
			}
			if _, dup := byID[id]; dup {
				return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("category id %s defined twice", f[0])}
			}
			// LIWC2015 writes "1 funct (Function Words)": keep the short name,
			// use the rest as the description.
			byID[id] = len(lex.Frames)
			desc := strings.Trim(strings.Join(f[2:], " "), "()")
			lex.Frames = append(lex.Frames, Frame{Name: f[1], Description: desc})
		case 2:
			f := strings.Fields(s)
			// Leading fields up to the first category id are the word.
			k := 0
			for k < len(f) {
				if _, err := strconv.Atoi(f[k]); err == nil && k > 0 {
					break
				}
				k++
			}
			if k == len(f) {
				return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("word line %q has no category id", s)}
			}
			word := strings.Join(f[:k], " ")
			if err := checkPattern(word); err != nil {
				return nil, &ParseError{File: file, Line: line, Err: err}
			}
			inCond := false
			for _, field := range f[k:] {
				// Skip conditional codes "(02 134)126" and "<of>131/125".
				if strings.ContainsAny(field, "(<") {
					inCond = !strings.ContainsAny(field, ")>")
					continue
				}
				if inCond {
					inCond = !strings.ContainsAny(field, ")>")
					continue
				}
				id, err := strconv.Atoi(field)
				if err != nil {
					return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("word %q: bad category id %q", word, field)}
				}
				fi, ok := byID[id]
				if !ok {
					return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("word %q: category id %s is not in the table", word, field)}
				}
				addEntry(&lex.Frames[fi], Entry{Pattern: word, Line: line})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, scanError(file, line, err)
	}
	if state < 2 {
		return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("the category table is not closed by a %% line")}
	}
	// Categories no word uses are dropped: they cannot score.
	kept := lex.Frames[:0]
	for _, f := range lex.Frames {
		if len(f.Entries) > 0 {
			kept = append(kept, f)
		}
	}
	lex.Frames = kept
	if err := lex.Validate(); err != nil {
		return nil, err
	}
	return lex, nil
}
