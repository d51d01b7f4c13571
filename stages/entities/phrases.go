package entities

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
)

// phrase is one literal spelling of an entity (from a gazetteer or a rule's
// phrases list).
type phrase struct {
	text      string
	foldCase  bool
	label     string
	canonical []string
	source    string // "gazetteer" or "rule"
	rank      int    // file order: later files win ties
}

// phraseIndex finds phrases in Clean text. Matching is on the text rather
// than on token sequences, so it does not depend on how the tokenizer splits
// "U.S." or "Sino-US"; a match must start at a token start and end at a token
// end or before trailing non-letters inside a token ("States.1", "China’s").
type phraseIndex struct {
	byKey map[uint64][]int // hash of the lower-cased first word → phrases
	list  []phrase
}

func newPhraseIndex() *phraseIndex { return &phraseIndex{byKey: map[uint64][]int{}} }

// firstWordKey hashes the leading run of letters and digits of s, lower-cased.
func firstWordKey(s string) (uint64, bool) {
	h := uint64(14695981039346656037)
	n := 0
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		h ^= uint64(unicode.ToLower(r))
		h *= 1099511628211
		n++
	}
	return h, n > 0
}

func (x *phraseIndex) add(p phrase) bool {
	p.text = strings.Join(strings.Fields(p.text), " ")
	k, ok := firstWordKey(p.text)
	if !ok {
		return false
	}
	x.byKey[k] = append(x.byKey[k], len(x.list))
	x.list = append(x.list, p)
	return true
}

// candidate is one proposed entity over tokens [ts, te) of a sentence,
// covering bytes [start, end) of Clean.
type candidate struct {
	ts, te     int
	start, end int
	label      string
	canonical  []string
	source     string
	rank       int
}

// match appends to out every phrase occurrence in the tokens [lo, hi).
func (x *phraseIndex) match(clean string, toks []document.Token, lo, hi int, out []candidate) []candidate {
	if len(x.list) == 0 {
		return out
	}
	for i := lo; i < hi; i++ {
		k, ok := firstWordKey(toks[i].Text)
		if !ok {
			continue
		}
		for _, pi := range x.byKey[k] {
			p := &x.list[pi]
			start := toks[i].Start
			n := matchLen(clean[start:], p.text, p.foldCase)
			if n < 0 {
				continue
			}
			end := start + n
			// Find the token holding the match end.
			j := i
			for j < hi && toks[j].End < end {
				j++
			}
			if j == hi || toks[j].Start >= end {
				continue
			}
			if toks[j].End != end {
				// The match ends inside token j: allow it only before
				// non-letters ("States.1", "China’s").
				r, _ := utf8.DecodeRuneInString(clean[end:])
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					continue
				}
			}
			out = append(out, candidate{ts: i, te: j + 1, start: start, end: end,
				label: p.label, canonical: p.canonical, source: p.source, rank: p.rank})
		}
	}
	return out
}

// matchLen returns the length of the prefix of text that spells phrase p,
// or -1. A space in p matches any run of white space, so that a name
// wrapped across lines ("United\nNations") is still found.
func matchLen(text, p string, fold bool) int {
	i := 0
	for j := 0; j < len(p); {
		if p[j] == ' ' {
			k := i
			for k < len(text) && (text[k] == ' ' || text[k] == '\n' || text[k] == '\t' || text[k] == '\r') {
				k++
			}
			if k == i {
				return -1
			}
			i = k
			j++
			continue
		}
		// Compare up to the next space of p.
		e := strings.IndexByte(p[j:], ' ')
		if e < 0 {
			e = len(p) - j
		}
		w := p[j : j+e]
		if i+len(w) > len(text) {
			return -1
		}
		if fold {
			if !strings.EqualFold(text[i:i+len(w)], w) {
				return -1
			}
		} else if text[i:i+len(w)] != w {
			return -1
		}
		i += len(w)
		j += e
	}
	return i
}
