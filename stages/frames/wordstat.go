package frames

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// splitWeight splits a WordStat word line "VISA* (1)" into word and weight
// text; ok is false when the line does not end in a bracketed number.
func splitWeight(s string) (word, weight string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	i := strings.LastIndexByte(s, '(')
	if i < 0 {
		return "", "", false
	}
	weight = s[i+1 : len(s)-1]
	if _, err := strconv.ParseFloat(weight, 64); err != nil {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), weight, true
}

// ParseWordStat reads a WordStat .cat dictionary: category lines, and under
// each, more deeply indented word lines ending in a weight in brackets:
//
//	SECURITY
//	    SECURITY (1)
//	    VISA* (1)
//
// Categories nest by indentation; a word belongs to the innermost enclosing
// category, and nested categories are named "parent.child". WordStat writes
// phrases with spaces or underscores; underscores become spaces.
func ParseWordStat(r io.Reader, file string) (*Lexicon, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	lex := &Lexicon{Source: file}
	type level struct {
		indent int
		name   string
	}
	var stack []level
	index := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		raw := strings.TrimPrefix(sc.Text(), "\ufeff")
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		indent := 0
		for _, r := range raw {
			if r == ' ' {
				indent++
			} else if r == '\t' {
				indent += 4
			} else {
				break
			}
		}
		if word, wt, ok := splitWeight(s); ok {
			for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("word %q is not indented under a category", word)}
			}
			w, _ := strconv.ParseFloat(wt, 64)
			word = strings.ReplaceAll(word, "_", " ")
			if err := checkPattern(word); err != nil {
				return nil, &ParseError{File: file, Line: line, Err: err}
			}
			name := stack[len(stack)-1].name
			fi, ok := index[name]
			if !ok {
				fi = len(lex.Frames)
				index[name] = fi
				lex.Frames = append(lex.Frames, Frame{Name: name})
			}
			addEntry(&lex.Frames[fi], Entry{Pattern: word, Weight: w, Line: line})
			continue
		}
		if strings.ContainsAny(s, "()") {
			return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("line %q: a word needs a weight such as (1); a category name has no brackets", s)}
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		name := s
		if len(stack) > 0 {
			name = stack[len(stack)-1].name + "." + s
		}
		stack = append(stack, level{indent, name})
	}
	if err := sc.Err(); err != nil {
		return nil, scanError(file, line, err)
	}
	if err := lex.Validate(); err != nil {
		return nil, err
	}
	return lex, nil
}
