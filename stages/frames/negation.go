package frames

import (
	"strings"

	"github.com/framelens/framelens/corpus/document"
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
// token i (not before sentence start) and its scope reaches i. Scope stops
// at punctuation ("not here, but security" is not a negated security) and
// at a lexical verb: a negator negates the predicate it attaches to, so in
// "did not relax the restrictions" it negates relax, not restrictions,
// while in "did not restrict" the match is the negated verb itself.
// Auxiliaries and copulas (be, have, do) carry the negation and do not
// stop it ("has not been restricted", "is not a threat"), nor does a
// passive participle ("is not regulated by treaty"), nor a verb
// whose object is marked by the negative-polarity "any" ("do not assume any
// obligations"). "not only / not just / not merely" is additive, not a
// negation.
func (m *Matcher) negated(toks []document.Token, lower []string, sentStart, i int) bool {
	if m.window < 0 {
		return false
	}
	seen := 0
	npi := false // "any" between the verb and the hit
	for j := i - 1; j >= sentStart && seen < m.window; j-- {
		if toks[j].IsPunct || isPunctForm(lower[j]) {
			return false
		}
		seen++
		w := lower[j]
		if m.negators[w] || strings.HasSuffix(w, "n't") {
			if w == "not" && j+1 < i {
				switch lower[j+1] {
				case "only", "just", "merely", "simply":
					continue
				}
			}
			return true
		}
		// A verb between the negator and the match takes the negation,
		// unless "any" marks its object as inside the scope ("we do not
		// assume any obligations"). Negators that are verbs ("lacked")
		// are found first.
		if w == "any" {
			npi = true
		}
		if lexicalVerb(toks[j]) && !npi && !passive(toks, lower, sentStart, j) {
			return false
		}
	}
	return false
}

// passive reports whether token j is a passive participle: a VBN whose
// auxiliary, before any negators and adverbs, is not a form of have
// ("is not regulated by", "provision not stipulated by"; but "have not
// relaxed" is perfect, active).
func passive(toks []document.Token, lower []string, sentStart, j int) bool {
	if toks[j].POS != "VBN" {
		return false
	}
	for k := j - 1; k >= sentStart; k-- {
		if strings.HasPrefix(toks[k].POS, "RB") || lower[k] == "not" || strings.HasSuffix(lower[k], "n't") || lower[k] == "never" {
			continue
		}
		switch lower[k] {
		case "have", "has", "had", "having", "'ve", "'d":
			return false
		}
		return true
	}
	return true
}

// lexicalVerb reports whether t is a verb other than an auxiliary or
// copula, by its Penn tag (VB, VBD, VBG, VBN, VBP, VBZ) and lemma. A token
// without a tag is not a verb: the rule then reduces to the word window.
func lexicalVerb(t document.Token) bool {
	if !strings.HasPrefix(t.POS, "VB") {
		return false
	}
	form := t.Lemma
	if form == "" {
		form = t.Lower
	}
	switch strings.ToLower(form) {
	case "be", "have", "do", "is", "are", "was", "were", "been", "being", "am",
		"has", "had", "having", "does", "did", "'s", "'re", "'m", "'ve", "'d":
		return false
	}
	return true
}

func isPunctForm(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127 && r != '—' && r != '–' && r != '“' && r != '”' && r != '‘' && r != '’' {
			return false
		}
	}
	return s != ""
}
