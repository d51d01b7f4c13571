package entities

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// conllSentence is one sentence of a CoNLL-2003 file: tokens, their POS
// tags and their NER tags converted to BIO.
type conllSentence struct {
	Words []string
	POS   []string
	Tags  []string
}

// conllDoc is the sentences between two -DOCSTART- lines.
type conllDoc struct {
	Sentences []conllSentence
}

// ParseError reports a malformed line of a CoNLL file.
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("conll line %d: %s", e.Line, e.Msg) }

// readCoNLL reads a CoNLL-2003 style file ("token POS chunk NER", or any
// number of columns with the token first and the NER tag last). IOB1 tags are
// converted to BIO so that every entity starts with B-.
//
// It also reads Universal NER's .iob2 files: "# key = value" comment lines,
// "# newdoc" starting a document, and tab-separated "index<TAB>token<TAB>tag<TAB>…"
// lines (told from CoNLL's space-separated lines by the tab and the
// leading word index).
func readCoNLL(r io.Reader) ([]conllDoc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	var docs []conllDoc
	var cur conllDoc
	var sent conllSentence
	flushSent := func() {
		if len(sent.Words) > 0 {
			sent.Tags = iob1ToBIO(sent.Tags)
			cur.Sentences = append(cur.Sentences, sent)
		}
		sent = conllSentence{}
	}
	flushDoc := func() {
		flushSent()
		if len(cur.Sentences) > 0 {
			docs = append(docs, cur)
		}
		cur = conllDoc{}
	}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			flushSent()
			continue
		}
		if strings.HasPrefix(text, "# newdoc") {
			flushDoc()
			continue
		}
		// CoNLL-U style comments are "# key = value"; a CoNLL token "#"
		// ("# # O O") has no " = ".
		if strings.HasPrefix(text, "#") && strings.Contains(text, " = ") {
			continue
		}
		if tf := strings.Split(text, "\t"); len(tf) >= 3 && isIndex(tf[0]) {
			sent.Words = append(sent.Words, tf[1])
			sent.POS = append(sent.POS, "")
			sent.Tags = append(sent.Tags, strings.TrimSpace(tf[2]))
			continue
		}
		f := strings.Fields(text)
		if f[0] == "-DOCSTART-" {
			flushDoc()
			continue
		}
		if len(f) < 2 {
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("want at least 2 columns, got %q", text)}
		}
		sent.Words = append(sent.Words, f[0])
		pos := ""
		if len(f) >= 3 {
			pos = f[1]
		}
		sent.POS = append(sent.POS, pos)
		sent.Tags = append(sent.Tags, f[len(f)-1])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("conll line %d: %w", line, err)
	}
	flushDoc()
	return docs, nil
}

// isIndex reports whether s is a word index of an .iob2 line ("1", "12").
func isIndex(s string) bool {
	if s == "" || len(s) > 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// iob1ToBIO rewrites IOB1 (I- everywhere, B- only between two adjacent
// entities of one type) as BIO (B- at every entity start). BIO input is
// returned unchanged.
func iob1ToBIO(tags []string) []string {
	out := make([]string, len(tags))
	prev := "O"
	for i, t := range tags {
		switch {
		case t == "O" || len(t) < 3:
			out[i] = "O"
		case strings.HasPrefix(t, "I-"):
			typ := t[2:]
			if prev == "O" || prev[2:] != typ {
				out[i] = "B-" + typ
			} else {
				out[i] = t
			}
		default:
			out[i] = "B-" + t[2:]
		}
		prev = out[i]
	}
	return out
}

// spans decodes BIO tags into [start,end) typed spans with conlleval
// semantics: an I- tag that does not continue an entity of its own type
// starts a new one.
func spans(tags []string) []span {
	var out []span
	start, typ := -1, ""
	for i := 0; i <= len(tags); i++ {
		t := "O"
		if i < len(tags) {
			t = tags[i]
		}
		var prefix, ty string
		if t != "O" && len(t) > 2 && t[1] == '-' {
			prefix, ty = t[:1], t[2:]
		}
		if start >= 0 && (prefix != "I" || ty != typ) {
			out = append(out, span{start, i, typ})
			start = -1
		}
		if prefix != "" && start < 0 {
			start, typ = i, ty
		}
	}
	return out
}

type span struct {
	Start, End int
	Label      string
}
