package tokenize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// appendWords appends the tokens of text[start:end] (one sentence) as byte
// spans. It follows prose's tokenizer (itself Penn-Treebank-like: white
// space, then leading "$ ( [ \"", trailing punctuation and clitics split off)
// but works on offsets and keeps abbreviations ("e.g.", "al.", "U.S."),
// ellipses and URLs whole, splits "'ve"/"'d" like the Treebank, and splits
// em dashes between words.
func appendWords(dst []Span, text string, start, end int) []Span {
	i := start
	for i < end {
		r, n := utf8.DecodeRuneInString(text[i:end])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		j := i
		for j < end {
			r, n := utf8.DecodeRuneInString(text[j:end])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		dst = appendChunk(dst, text, i, j, j >= end)
		i = j
	}
	return dst
}

// appendChunk splits one white-space-free chunk.
func appendChunk(dst []Span, text string, a, b int, last bool) []Span {
	chunk := text[a:b]
	if emoticons[chunk] {
		return append(dst, Span{Start: a, End: b})
	}
	if strings.IndexByte(chunk, '-') < 0 && !strings.Contains(chunk, "—") && !strings.Contains(chunk, "―") || isURLish(chunk) {
		return appendPiece(dst, text, a, b, last)
	}
	// Em dashes and "--" separate words: "relations—are", "so--if".
	p := a
	for k := a; k < b; {
		r, n := utf8.DecodeRuneInString(text[k:b])
		dl := 0
		if r == '—' || r == '―' {
			dl = n
		} else if r == '-' && k+1 < b && text[k+1] == '-' {
			dl = 2
			for k+dl < b && text[k+dl] == '-' {
				dl++
			}
		}
		if dl == 0 {
			k += n
			continue
		}
		if p < k {
			dst = appendPiece(dst, text, p, k, false)
		}
		dst = append(dst, Span{Start: k, End: k + dl})
		k += dl
		p = k
	}
	if p < b {
		dst = appendPiece(dst, text, p, b, last)
	}
	return dst
}

func isLeading(r rune) bool {
	switch r {
	case '(', '[', '{', '"', '“', '‘', '«', '$', '£', '€', '¥', '„':
		return true
	}
	return false
}

func isTrailing(r rune) bool {
	switch r {
	case ',', ';', ':', '!', '?', ')', ']', '}', '"', '”', '’', '»', '\'', '.', '…', '．', '。', '，', '！', '？':
		return true
	}
	return false
}

// appendPiece strips leading and trailing punctuation and clitics from
// text[a:b] and appends the resulting tokens. At the end of a sentence (last)
// only initialisms keep their period: "is no." ends with "no" and ".".
func appendPiece(dst []Span, text string, a, b int, last bool) []Span {
	// leading punctuation
	for a < b {
		r, n := utf8.DecodeRuneInString(text[a:b])
		if isLeading(r) && a+n < b || r == '\'' && a+n < b && leadingQuote(text[a+n:b]) {
			dst = append(dst, Span{Start: a, End: a + n})
			a += n
			continue
		}
		break
	}
	if a >= b {
		return dst
	}
	if isURLish(text[a:b]) {
		e := b
		for e > a && strings.IndexByte(".,;:!?)]}\"'", text[e-1]) >= 0 {
			e--
		}
		dst = append(dst, Span{Start: a, End: e})
		for k := e; k < b; k++ {
			dst = append(dst, Span{Start: k, End: k + 1})
		}
		return dst
	}
	// trailing punctuation, collected right to left
	var tail []Span
	e := b
	for e > a {
		r, n := utf8.DecodeLastRuneInString(text[a:e])
		if !isTrailing(r) {
			break
		}
		if r == '.' {
			// "..." and ". . ." stay one token
			k := e
			for k > a && text[k-1] == '.' {
				k--
			}
			if e-k >= 2 {
				tail = append(tail, Span{Start: k, End: e})
				e = k
				continue
			}
			if e-n > a && keepsPeriod(text[a:e-n], last && len(tail) == 0) {
				break
			}
		}
		tail = append(tail, Span{Start: e - n, End: e})
		e -= n
	}
	if e > a {
		dst = appendClitics(dst, text, a, e)
	}
	for k := len(tail) - 1; k >= 0; k-- {
		dst = append(dst, tail[k])
	}
	return dst
}

// keepsPeriod reports whether w followed by a period is one token: known
// abbreviations, initials and initialisms.
func keepsPeriod(w string, final bool) bool {
	if isInitialism(w) {
		return true
	}
	if final {
		return false
	}
	lw := strings.ToLower(w)
	if continueAbbrevs[lw] || ambiguousAbbrevs[lw] || timeAbbrevs[lw] {
		return true
	}
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && unicode.IsUpper(r)
}

// leadingQuote: an apostrophe before a word is an opening quote unless it
// starts an elided form ('tis, 'em, '90s).
func leadingQuote(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsLetter(r) {
		return false
	}
	lw := strings.ToLower(rest)
	for _, p := range []string{"tis", "twas", "em", "cause", "n"} {
		if lw == p {
			return false
		}
	}
	return true
}

var clitics = []string{"n't", "n’t", "'s", "’s", "'re", "’re", "'ll", "’ll", "'m", "’m", "'ve", "’ve", "'d", "’d"}

// appendClitics splits "don't" → do n't, "China's" → China 's.
func appendClitics(dst []Span, text string, a, b int) []Span {
	w := text[a:b]
	if strings.IndexByte(w, '\'') < 0 && !strings.Contains(w, "’") {
		return append(dst, Span{Start: a, End: b})
	}
	for _, c := range clitics {
		if len(w) > len(c) && hasSuffixFold(w, c) {
			k := b - len(c)
			if hasLetter(text[a:k]) {
				dst = append(dst, Span{Start: a, End: k})
				return append(dst, Span{Start: k, End: b})
			}
		}
	}
	return append(dst, Span{Start: a, End: b})
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
