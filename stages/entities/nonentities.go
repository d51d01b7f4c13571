package entities

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/framelens/framelens/corpus"
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
func (n *nonEntities) trimTokens(toks []corpus.Token, lo, s, e int) (int, int) {
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

func lowerOf(t *corpus.Token) string {
	if t.Lower != "" {
		return t.Lower
	}
	return strings.ToLower(t.Text)
}

// voteLabels gives every model mention of one canonical name (compared
// case-insensitively) the label most of the document's mentions of it
// carry, so that "Miramar" is not a PERSON in one sentence and an ORG in
// the next. Rule and gazetteer mentions vote but keep their label (they
// are curated); ties go to the label of the earliest mention. Mentions
// that share their span with another (the two countries of "Sino-US") and
// DATE are left out.
func voteLabels(ents []corpus.Entity) {
	if len(ents) < 2 {
		return
	}
	type tally struct {
		counts map[string]int
		first  map[string]int
	}
	byName := map[string]*tally{}
	shared := func(i int) bool {
		return i > 0 && ents[i-1].Start == ents[i].Start && ents[i-1].End == ents[i].End ||
			i+1 < len(ents) && ents[i+1].Start == ents[i].Start && ents[i+1].End == ents[i].End
	}
	for i := range ents {
		e := &ents[i]
		if e.Label == LabelDate || shared(i) {
			continue
		}
		k := e.Canonical
		t := byName[k]
		if t == nil {
			t = &tally{counts: map[string]int{}, first: map[string]int{}}
			byName[k] = t
		}
		if _, ok := t.first[e.Label]; !ok {
			t.first[e.Label] = i
		}
		t.counts[e.Label]++
	}
	for i := range ents {
		e := &ents[i]
		if e.Source != SourceModel || e.Label == LabelDate || shared(i) {
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
