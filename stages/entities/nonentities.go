package entities

import (
	"bufio"
	"fmt"
	"strings"
	"unicode"

	"github.com/framelens/framelens/corpus/document"
)

// nonEntities holds the word lists of data/nonentities.txt, lower-cased.
type nonEntities struct {
	edge  map[string]bool // stripped from model entity edges
	alone map[string]bool // never a model entity on their own
}

func parseNonEntities(name, data string) (nonEntities, error) {
	n := nonEntities{edge: map[string]bool{}, alone: map[string]bool{}}
	var cur map[string]bool
	sc := bufio.NewScanner(strings.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		w := strings.TrimSpace(sc.Text())
		switch {
		case w == "" || strings.HasPrefix(w, "#"):
		case w == "[edge]":
			cur = n.edge
		case w == "[alone]":
			cur = n.alone
		case cur == nil:
			return n, fmt.Errorf("%s:%d: word %q before a [edge] or [alone] section", name, line, w)
		default:
			cur[strings.ToLower(w)] = true
		}
	}
	return n, sc.Err()
}

// trimTokens narrows the model span [s, e) (relative to toks[lo:]) past
// edge words at either end; s >= e afterwards means nothing is left.
func (n *nonEntities) trimTokens(toks []document.Token, lo, s, e int) (int, int) {
	for s < e && n.edge[lowerOf(&toks[lo+s])] {
		s++
	}
	for e > s && n.edge[lowerOf(&toks[lo+e-1])] {
		e--
	}
	if e-s == 1 && (n.alone[lowerOf(&toks[lo+s])] || romanNumeral(toks[lo+s].Text)) {
		return s, s
	}
	return s, e
}

// romanNumeral matches "XX", "IV", "VII": session and chapter numbers that
// the model takes for acronyms.
func romanNumeral(t string) bool {
	if len(t) < 2 || len(t) > 6 {
		return false
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case 'I', 'V', 'X', 'L', 'C':
		default:
			return false
		}
	}
	return true
}

func lowerOf(t *document.Token) string {
	if t.Lower != "" {
		return t.Lower
	}
	return strings.ToLower(t.Text)
}

// voteLabels gives every model mention of one canonical name the label
// most of the document's mentions of it carry, so that "Miramar" is not a
// PERSON in one sentence and an ORG in the next. Rule and gazetteer
// mentions vote but keep their label (they are curated); ties go to the
// label of the earliest mention. Left out: DATE; mentions that share their
// span with another (the two countries of "Sino-US"); and mentions in
// lines written in capitals (headlines, tables), where a name's label
// follows its column ("CHICAGO AT ATLANTA" places, "CHICAGO 10 3" a team)
// rather than the document's usage.
func voteLabels(doc *document.Document) {
	ents := doc.Entities
	if len(ents) < 2 {
		return
	}
	caps := map[int]bool{}
	for _, e := range ents {
		if _, ok := caps[e.Sentence]; !ok && e.Sentence < len(doc.Sentences) {
			s := doc.Sentences[e.Sentence]
			caps[e.Sentence] = capsLine(doc.Tokens[s.TokenStart:s.TokenEnd])
		}
	}
	skip := func(i int) bool {
		e := &ents[i]
		return e.Label == LabelDate || caps[e.Sentence] ||
			i > 0 && ents[i-1].Start == e.Start && ents[i-1].End == e.End ||
			i+1 < len(ents) && ents[i+1].Start == e.Start && ents[i+1].End == e.End
	}
	type tally struct {
		counts map[string]int
		first  map[string]int
	}
	byName := map[string]*tally{}
	for i := range ents {
		if skip(i) {
			continue
		}
		e := &ents[i]
		t := byName[e.Canonical]
		if t == nil {
			t = &tally{counts: map[string]int{}, first: map[string]int{}}
			byName[e.Canonical] = t
		}
		if _, ok := t.first[e.Label]; !ok {
			t.first[e.Label] = i
		}
		t.counts[e.Label]++
	}
	for i := range ents {
		e := &ents[i]
		if e.Source != SourceModel || skip(i) {
			continue
		}
		t := byName[e.Canonical]
		if len(t.counts) < 2 {
			continue
		}
		best, bestN := e.Label, -1
		for l, n := range t.counts {
			if n > bestN || n == bestN && t.first[l] < t.first[best] {
				best, bestN = l, n
			}
		}
		e.Label = best
	}
}

// capsLine reports whether a sentence is written in capitals: at least
// two words with letters and four in five of them all capitals (the
// model's own headline flag).
func capsLine(toks []document.Token) bool {
	alpha, caps := 0, 0
	for i := range toks {
		w := toks[i].Text
		for _, r := range w {
			if unicode.IsLetter(r) {
				alpha++
				if isAllCapsWord(w) {
					caps++
				}
				break
			}
		}
	}
	return alpha >= 2 && caps*10 >= alpha*8
}
