package entities

import (
	"regexp/syntax"
	"unicode/utf8"
)

// firstBytes computes which first bytes a token can have for a regular
// expression anchored at its start to match it, so that the regexp runs
// only on tokens that can match (a year pattern is not run on words). ok is
// false when the set cannot be worked out; the regexp then always runs.
func firstBytes(expr string) (set [256]bool, ok bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return set, false
	}
	return set, first(re.Simplify(), &set)
}

// first adds the possible first bytes of re to set and reports whether it
// could; an expression that may match the empty string cannot be bounded.
func first(re *syntax.Regexp, set *[256]bool) bool {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 || re.Flags&syntax.FoldCase != 0 {
			return false
		}
		addRune(set, re.Rune[0])
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi >= utf8.RuneSelf {
				return false
			}
			for r := lo; r <= hi; r++ {
				set[r] = true
			}
		}
		return true
	case syntax.OpCapture:
		return first(re.Sub[0], set)
	case syntax.OpPlus:
		return first(re.Sub[0], set)
	case syntax.OpRepeat:
		return re.Min >= 1 && first(re.Sub[0], set)
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !first(s, set) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if s.Op == syntax.OpBeginText || s.Op == syntax.OpBeginLine {
				continue
			}
			return first(s, set)
		}
	}
	return false
}

func addRune(set *[256]bool, r rune) {
	var b [utf8.UTFMax]byte
	utf8.EncodeRune(b[:], r)
	set[b[0]] = true
}
