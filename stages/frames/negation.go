package frames

import (
	"strings"

	"github.com/framelens/framelens/corpus"
)

// DefaultNegators returns the default negator words (a fresh slice). Tokens
// ending in "n't" ("don't" when a tokenizer keeps it whole) count too.
func DefaultNegators() []string {
	return []string{
		"not", "no", "never", "without", "n't", "neither", "nor", "none",
		"nobody", "nothing", "nowhere", "cannot", "hardly", "barely",
		"scarcely", "seldom", "lack", "lacks", "lacked", "lacking", "absence",
	}
}

// negated reports whether a negator occurs among the m.window words before
// token i (not before sentence start). Scope stops at punctuation ("not
// here, but security" is not a negated security), and "not only / not just /
// not merely" is additive, not a negation.
func (m *Matcher) negated(toks []corpus.Token, lower []string, sentStart, i int) bool {
	if m.window < 0 {
		return false
	}
	seen := 0
	for j := i - 1; j >= sentStart && seen < m.window; j-- {
		if toks[j].IsPunct || isPunctForm(lower[j]) {
			return false
		}
		seen++
		w := lower[j]
		if !m.negators[w] && !strings.HasSuffix(w, "n't") {
			continue
		}
		if w == "not" && j+1 < i {
			switch lower[j+1] {
			case "only", "just", "merely", "simply":
				continue
			}
		}
		return true
	}
	return false
}

func isPunctForm(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127 && r != '—' && r != '–' && r != '“' && r != '”' && r != '‘' && r != '’' {
			return false
		}
	}
	return s != ""
}
