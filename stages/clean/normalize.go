package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizer applies the character-level cleaning rules to a whole text and
// counts the runes it deletes.
type normalizer struct {
	nfkc, quotes, dashes, ligatures, spaces bool
}

// ligature spells out typographic ligatures (which NFKC also splits; kept
// apart so the rule works with NFKC switched off).
func ligature(r rune) (string, bool) {
	switch r {
	case 'ﬀ':
		return "ff", true
	case 'ﬁ':
		return "fi", true
	case 'ﬂ':
		return "fl", true
	case 'ﬃ':
		return "ffi", true
	case 'ﬄ':
		return "ffl", true
	case 'ﬅ', 'ﬆ':
		return "st", true
	}
	return "", false
}

func isDash(r rune) bool {
	switch r {
	case '‒', '–', '—', '―', '−', '‐', '‑', '⁃', '﹘', '﹣', '－':
		return true
	}
	return false
}

func isQuote(r rune) (string, bool) {
	switch r {
	case '‘', '’', '‚', '‛', '′', '`', '´', 'ʼ':
		return "'", true
	case '“', '”', '„', '‟', '″', '«', '»', '〝', '〞':
		return `"`, true
	}
	return "", false
}

// invisible reports characters that carry no text: soft hyphens, zero-width
// characters, byte-order marks, bidirectional controls, and control
// characters other than \n and \t. Bidi controls (embeddings, overrides,
// isolates, marks) only steer display; kept, they split one word into
// several tokens that print alike, or hide text ("Trojan Source").
func invisible(r rune) bool {
	switch r {
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u180E':
		return true
	case '\u200E', '\u200F', '\u061C', // marks
		'\u202A', '\u202B', '\u202C', '\u202D', '\u202E', // embeddings, overrides
		'\u2066', '\u2067', '\u2068', '\u2069': // isolates
		return true
	case '\n', '\t':
		return false
	}
	return unicode.IsControl(r)
}

// apply normalises s and returns the result and the number of runes the
// rules inserted (a dash given spaces, a ligature spelled out), so that
// deletions can be counted as len(before) - len(after) + inserted.
func (n normalizer) apply(s string) (string, int) {
	inserted := 0
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if n.nfkc && !norm.NFKC.IsNormalString(s) {
		before := utf8.RuneCountInString(s)
		s = norm.NFKC.String(s)
		if d := utf8.RuneCountInString(s) - before; d > 0 {
			inserted += d
		}
	}
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII: only control characters change
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7F {
				i++
				continue
			}
			if n.quotes && c == '`' {
				c = '\''
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case invisible(r):
		case n.ligatures && isLigature(r):
			l, _ := ligature(r)
			b = append(b, l...)
			inserted += len(l) - 1
		case n.quotes && isQuoteRune(r):
			q, _ := isQuote(r)
			b = append(b, q...)
		case n.dashes && isDash(r):
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			d := dashFor(r, prev, next, i == 0, i+size >= len(s))
			inserted += len(d) - 1
			b = append(b, d...)
		case n.spaces && unicode.IsSpace(r):
			b = append(b, ' ')
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b), inserted
}

func isLigature(r rune) bool { _, ok := ligature(r); return ok }

func isQuoteRune(r rune) bool { _, ok := isQuote(r); return ok }

// dashFor decides what the dash at rs[i] becomes. A spaced dash stays a
// spaced hyphen ("war – and" → "war - and"); an unspaced em dash or bar
// between words is a parenthetical dash and gets spaces ("war—and" →
// "war - and"); an unspaced en or figure dash joins compounds and ranges
// ("push–pull", "pp. 12–17") and becomes a plain hyphen.
func dashFor(r, prev, next rune, atStart, atEnd bool) string {
	if atStart || atEnd || unicode.IsSpace(prev) || unicode.IsSpace(next) {
		return "-"
	}
	if (r == '—' || r == '―') && unicode.IsLetter(prev) && unicode.IsLetter(next) {
		return " - "
	}
	return "-"
}

// tidyLine trims a line and collapses runs of blanks inside it, returning
// the line and the number of runes removed.
func tidyLine(l string) (string, int) {
	if tidy(l) {
		return l, 0
	}
	before := utf8.RuneCountInString(l)
	f := strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '\t' })
	out := strings.Join(f, " ")
	return out, before - utf8.RuneCountInString(out)
}

// stripBullet removes a list bullet glyph at the start of a line.
func stripBullet(l string) (string, int) {
	for _, b := range []string{"• ", "◦ ", "▪ ", "● ", "‣ ", "∙ ", "· "} {
		if strings.HasPrefix(l, b) {
			return strings.TrimSpace(l[len(b):]), 2
		}
	}
	return l, 0
}

// tidy reports a line with no blanks to trim or collapse (the common case).
func tidy(l string) bool {
	if l == "" {
		return true
	}
	if l[0] == ' ' || l[len(l)-1] == ' ' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if l[i] == '\t' || (l[i] == ' ' && i+1 < len(l) && l[i+1] == ' ') {
			return false
		}
	}
	return true
}
