package entities

import (
	"bufio"
	"fmt"
	"strings"
)

// addGazetteer reads a gazetteer file: one entry per line,
// "LABEL<TAB>canonical<TAB>variant|variant|…", '#' starts a comment line.
// The canonical name is matched too.
func addGazetteer(x *phraseIndex, canon canonTable, name string, data string, rank int) error {
	sc := bufio.NewScanner(strings.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) < 2 || len(f) > 3 || f[0] == "" || f[1] == "" {
			return fmt.Errorf("gazetteer %s:%d: want LABEL<TAB>canonical[<TAB>variants], got %q", name, line, text)
		}
		label, canonical := f[0], strings.TrimSpace(f[1])
		variants := []string{canonical}
		if len(f) == 3 && f[2] != "" {
			variants = append(variants, strings.Split(f[2], "|")...)
		}
		for _, v := range variants {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if !x.add(phrase{text: v, label: label, canonical: []string{canonical}, source: SourceGazetteer, rank: rank}) {
				return fmt.Errorf("gazetteer %s:%d: variant %q must start with a letter or digit", name, line, v)
			}
			canon.add(v, label, []string{canonical})
		}
	}
	return sc.Err()
}

// canonTable maps a spelling to its label and canonical names, so that an
// entity found by the model ("U.S.") gets the gazetteer's canonical name.
type canonTable map[string]canonEntry

type canonEntry struct {
	label     string
	canonical []string
}

func (c canonTable) add(text, label string, canonical []string) {
	if len(canonical) == 0 || label == LabelNone {
		return
	}
	k := strings.Join(strings.Fields(text), " ")
	if _, ok := c[k]; !ok {
		c[k] = canonEntry{label, canonical}
	}
}

// lookup finds text as written, then without a leading "the" and a trailing
// possessive.
func (c canonTable) lookup(text string) (canonEntry, bool) {
	if e, ok := c[text]; ok {
		return e, true
	}
	t := trimName(text)
	e, ok := c[t]
	return e, ok
}

// trimName strips a leading article and a trailing possessive and folds
// white space: "the United States’" → "United States".
func trimName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, p := range []string{"the ", "The ", "THE "} {
		s = strings.TrimPrefix(s, p)
	}
	for _, suf := range []string{"'s", "’s", "'", "’"} {
		s = strings.TrimSuffix(s, suf)
	}
	return strings.TrimSpace(s)
}
