package tokenize

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
	"github.com/kljensen/snowball/english"
)

// Span is a half-open byte range [Start, End) of a text.
type Span = document.Span

// NewlineMode says what a single newline inside a paragraph means. A blank
// line always ends a sentence.
type NewlineMode string

const (
	// NewlinesWrap (also the zero value "") treats a single newline as a line
	// wrap, as in text extracted from PDF or HTML: it is a space, unless the
	// next line starts a list item or bullet.
	NewlinesWrap NewlineMode = "wrap"
	// NewlinesBreak treats a single newline as the end of a sentence unless it
	// follows a space and precedes a lower-case letter or "(" (the reading of
	// pragmatic_segmenter for plain text, where lines are items).
	NewlinesBreak NewlineMode = "break"
)

// SegmenterConfig configures a Segmenter. The zero value is the default.
type SegmenterConfig struct {
	Newlines NewlineMode `yaml:"newlines"`
}

// Segmenter splits text into sentences with hand-written rules in the spirit
// of pragmatic_segmenter. It holds no mutable state and is safe for
// concurrent use.
type Segmenter struct {
	breakLines bool
}

// NewSegmenter checks cfg and returns a Segmenter.
func NewSegmenter(cfg SegmenterConfig) (*Segmenter, error) {
	switch cfg.Newlines {
	case "", NewlinesWrap:
		return &Segmenter{}, nil
	case NewlinesBreak:
		return &Segmenter{breakLines: true}, nil
	}
	return nil, fmt.Errorf("tokenize: unknown newline mode %q (want %q or %q)", cfg.Newlines, NewlinesWrap, NewlinesBreak)
}

// Split returns the sentences of text as byte spans, trimmed of surrounding
// white space, in order and without overlap.
func (s *Segmenter) Split(text string) []Span { return s.AppendSplit(nil, text) }

// AppendSplit appends the sentences of text to dst and returns it.
func (s *Segmenter) AppendSplit(dst []Span, text string) []Span {
	first := len(dst)
	s.blocks(text, func(bs, be int) {
		dst = splitBlock(dst, text, bs, be)
	})
	return mergeEmpty(dst, first, text)
}

// blocks calls fn for every range of text that no sentence crosses:
// paragraphs, list lines and (in NewlinesBreak mode) lines.
func (s *Segmenter) blocks(text string, fn func(start, end int)) {
	start := 0
	for ls := 0; ls <= len(text); {
		le := strings.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		line := text[ls:le]
		switch {
		case isBlank(line):
			if start < ls {
				fn(start, ls)
			}
			start = le + 1
		case ls > start && s.lineStartsSentence(text, ls):
			fn(start, ls)
			start = ls
		}
		ls = le + 1
	}
	if start < len(text) {
		fn(start, len(text))
	}
}

// lineStartsSentence reports whether the line starting at ls (not the first
// of its block) starts a new sentence.
func (s *Segmenter) lineStartsSentence(text string, ls int) bool {
	if s.breakLines {
		// text[ls-1] is the newline
		if ls >= 2 && (text[ls-2] == ' ' || text[ls-2] == '\t') && ls < len(text) {
			r, _ := utf8.DecodeRuneInString(text[ls:])
			if unicode.IsLower(r) || r == '(' {
				return false
			}
		}
		return true
	}
	i := ls
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	if i+1 < len(text) && (text[i] == '-' || text[i] == '*') && text[i+1] == ' ' {
		return true
	}
	if r, n := utf8.DecodeRuneInString(text[i:]); isBullet(r) && n > 0 {
		return true
	}
	_, _, ok := listMarkerAt(text, i, len(text))
	return ok
}

func isBlank(line string) bool {
	for _, r := range line {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func isBullet(r rune) bool {
	switch r {
	case '•', '◦', '▪', '▫', '‣', '⁃', '●', '○', '■', '□', '➢', '►', '✓':
		return true
	}
	return false
}

// marker kinds for list numbering
const (
	mkNumDot    = iota // 1.
	mkNumParen         // 1)
	mkNumDotPar        // 1.)
	mkAlphaDot         // a.
	mkAlphaParen
	mkAlphaDotPar
	mkUpperParen
	mkUpperDotPar
)

// listMarkerAt recognises a list-item marker ("2.", "2)", "2.)", "b.", "b)",
// "B)") starting at i and followed by a space and a word. It returns the
// marker's kind and number.
func listMarkerAt(text string, i, end int) (kind, value int, ok bool) {
	j := i
	for j < end && j-i < 2 && text[j] >= '0' && text[j] <= '9' {
		value = value*10 + int(text[j]-'0')
		j++
	}
	numeric := j > i
	upper := false
	if !numeric {
		if j >= end {
			return 0, 0, false
		}
		c := text[j]
		switch {
		case c >= 'a' && c <= 'z':
			value = int(c - 'a' + 1)
		case c >= 'A' && c <= 'Z':
			value, upper = int(c-'A'+1), true
		default:
			return 0, 0, false
		}
		j++
	}
	if j >= end {
		return 0, 0, false
	}
	switch {
	case strings.HasPrefix(text[j:end], ".)"):
		kind, j = mkNumDotPar, j+2
	case text[j] == ')':
		kind, j = mkNumParen, j+1
	case text[j] == '.':
		kind, j = mkNumDot, j+1
	default:
		return 0, 0, false
	}
	if !numeric {
		kind += mkAlphaDot
		if upper {
			if kind == mkAlphaDot {
				return 0, 0, false // "E. Smith" is an initial
			}
			kind += mkUpperParen - mkAlphaParen
		}
	}
	if j+1 >= end || text[j] != ' ' {
		return 0, 0, false
	}
	r, _ := utf8.DecodeRuneInString(text[j+1 : end])
	if !unicode.IsLetter(r) || kind == mkNumDot && !unicode.IsUpper(r) {
		return 0, 0, false // "for 1. above" refers to an item
	}
	return kind, value, true
}

// listCuts returns the positions in [bs, be) before which a list item or a
// bullet starts. Numbered markers count only in runs of consecutive numbers
// of the same style, so that "p. 5" or "in 2. The" alone is no list.
func listCuts(text string, bs, be int) []int {
	type cand struct{ pos, kind, value int }
	var cands []cand
	var cuts []int
	prevSpace := true
	for i := bs; i < be; {
		r, n := utf8.DecodeRuneInString(text[i:be])
		if prevSpace {
			if isBullet(r) {
				cuts = append(cuts, i)
			} else if k, v, ok := listMarkerAt(text, i, be); ok {
				cands = append(cands, cand{i, k, v})
			}
		}
		prevSpace = unicode.IsSpace(r) || isBullet(r)
		i += n
	}
	if len(cands) < 2 && cuts == nil {
		return nil
	}
	accepted := make([]bool, len(cands))
	for a := range cands {
		for b := a + 1; b < len(cands); b++ {
			if cands[b].kind == cands[a].kind {
				if cands[b].value == cands[a].value+1 {
					accepted[a], accepted[b] = true, true
				}
				break
			}
		}
	}
	for a, c := range cands {
		if !accepted[a] || c.pos == bs {
			continue
		}
		// A marker right after a bullet belongs to the bullet's item.
		k := c.pos
		for k > bs && (text[k-1] == ' ' || text[k-1] == '\t') {
			k--
		}
		if r, _ := utf8.DecodeLastRuneInString(text[bs:k]); isBullet(r) {
			continue
		}
		cuts = append(cuts, c.pos)
	}
	sortInts(cuts)
	return cuts
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// splitBlock appends the sentences of text[bs:be].
func splitBlock(dst []Span, text string, bs, be int) []Span {
	cuts := listCuts(text, bs, be)
	last := bs
	cut := func(at int) {
		if at > last {
			dst = appendTrimmed(dst, text, last, at)
			last = at
		}
	}
	ci := 0
	atWordStart := true
	for i := bs; i < be; {
		for ci < len(cuts) && cuts[ci] <= i {
			cut(cuts[ci])
			ci++
		}
		c := text[i]
		if atWordStart && c != ' ' {
			// URLs and e-mail addresses: only their trailing punctuation
			// can end a sentence.
			we := wordEnd(text, i, be)
			if isURLish(text[i:we]) {
				k := we
				for k > i && strings.IndexByte(".!?,;:)]\"'", text[k-1]) >= 0 {
					k--
				}
				if k > i {
					i = k
					atWordStart = false
					continue
				}
			}
		}
		r, n := utf8.DecodeRuneInString(text[i:be])
		if isTerminal(r) {
			at, resume := decide(text, bs, be, last, i)
			if at >= 0 {
				cut(at)
			}
			i = resume
			atWordStart = false
			continue
		}
		atWordStart = unicode.IsSpace(r)
		i += n
	}
	if last < be {
		dst = appendTrimmed(dst, text, last, be)
	}
	return dst
}

func isTerminal(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '．', '。', '！', '？':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case ')', ']', '}', '"', '\'', '”', '’', '»':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '(', '[', '{', '"', '\'', '“', '‘', '«':
		return true
	}
	return false
}

func wordEnd(text string, i, be int) int {
	for i < be {
		r, n := utf8.DecodeRuneInString(text[i:be])
		if unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

func isURLish(w string) bool {
	if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") {
		return true
	}
	at := strings.IndexByte(w, '@')
	return at > 0 && strings.IndexByte(w[at:], '.') > 0
}

// decide looks at the run of terminal punctuation starting at i. It returns
// where to cut (-1 for no boundary) and where to resume scanning.
func decide(text string, bs, be, last, i int) (at, resume int) {
	// The terminator cluster: "?!", "....", ". . .", "…".
	j, dots, strong, spaced, wide := i, 0, false, false, false
	for j < be {
		r, n := utf8.DecodeRuneInString(text[j:be])
		switch {
		case r == '.':
			dots++
		case r == '…':
			dots += 3
		case isTerminal(r):
			strong = true
			wide = wide || n == 3 // "．", "。": no space follows in CJK text
		case r == ' ' && dots > 0 && j+1 < be && text[j+1] == '.' && standaloneDot(text, j+1, be):
			spaced = true
		default:
			goto done
		}
		j += n
	}
done:
	clusterEnd := j
	for j < be {
		r, n := utf8.DecodeRuneInString(text[j:be])
		if !isCloser(r) {
			break
		}
		j += n
	}
	cutAt := j
	attached := i > bs && !isSpaceByte(text[i-1])

	if wide {
		return cutAt, cutAt
	}
	// Something other than a space follows: numbers (3.14, $.50), "Jr.'s",
	// "Yahoo!", "(Smith et al., 2019)". Only "world.Today" and a footnote
	// call before a new sentence ("martyr.[1] The", "(1987).1 According")
	// are boundaries.
	if cutAt < be && !isSpaceByte(text[cutAt]) {
		if dots == 1 && !strong && !spaced && cutAt == i+1 && attachedCapital(text, last, i, cutAt, be) {
			return cutAt, cutAt
		}
		if end := footnoteCall(text, i, cutAt, be); end > 0 {
			return end, end
		}
		return -1, clusterEnd
	}
	// Next word: skip spaces and opening quotes or brackets.
	k := cutAt
	for k < be && isSpaceByte(text[k]) {
		k++
	}
	if k >= be {
		return -1, be // the block ends here anyway
	}
	if parenMarker(text[k:be]) {
		return cutAt, cutAt // "(b) Hello world."
	}
	for k < be {
		r, n := utf8.DecodeRuneInString(text[k:be])
		if !isOpener(r) && r != '-' && r != '—' && r != '–' && !(r == ' ' && k > cutAt && strings.ContainsRune("-—–", rune(text[k-1]))) {
			break
		}
		k += n
	}
	next, _ := utf8.DecodeRuneInString(text[k:be])
	nextWord := text[k:wordEnd(text, k, be)]
	nextWord = strings.TrimRightFunc(nextWord, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })

	if dots >= 2 || spaced {
		// Ellipsis. Bracketed omissions "[...]" never end a sentence.
		if i > bs && (text[i-1] == '[' || text[i-1] == '(') {
			return -1, cutAt
		}
		if !unicode.IsUpper(next) {
			return -1, cutAt
		}
		// "compounds. . . . The": the word's own period ends the sentence
		// and the ellipsis opens the next one.
		if attached && spaced && text[i+1] == ' ' {
			return i + 1, cutAt
		}
		if dots >= 4 {
			return cutAt, cutAt
		}
		// A capital after "..." is evidence of a new sentence, except for
		// "I", which is always capitalised.
		if nextWord == "I" {
			return -1, cutAt
		}
		return cutAt, cutAt
	}
	if unicode.IsLower(next) {
		return -1, cutAt
	}
	if strong && dots == 0 {
		return cutAt, cutAt
	}
	// A single period.
	if isMarkerOnly(text[last:i]) {
		return -1, cutAt
	}
	if unicode.IsDigit(next) {
		return -1, cutAt // "p. 55", "No. 5", "N°. 1026"; list items are cut by listCuts
	}
	if !unicode.IsLetter(next) {
		if !attached {
			return cutAt, cutAt
		}
	}
	w := wordBefore(text, last, i)
	lw := strings.ToLower(w)
	switch {
	case continueAbbrevs[lw]:
		return -1, cutAt
	case isSingleLetter(w):
		if w == "I" && prevWordLower(text, last, i-len(w)) {
			return cutAt, cutAt // "you and I. Did …"
		}
		return -1, cutAt // an initial: "Jonas E. Smith"
	case timeAbbrevs[lw]:
		if frontedTime(text[last:i]) {
			return -1, cutAt
		}
		return cutAt, cutAt
	case ambiguousAbbrevs[lw] || isInitialism(w):
		if isOpenerWord(nextWord) {
			return cutAt, cutAt
		}
		return -1, cutAt
	}
	return cutAt, cutAt
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// standaloneDot reports whether the '.' at j stands alone, as in ". . .".
func standaloneDot(text string, j, be int) bool {
	if j+1 >= be {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[j+1 : be])
	return r == ' ' || r == '.' || isCloser(r) || r == '\n'
}

// attachedCapital: "world.Today", "1,000.That" – a sentence glued to the
// next. Initialisms, URLs and file names are left alone.
func attachedCapital(text string, last, i, j, be int) bool {
	w := wordBefore(text, last, i)
	if len(w) < 2 || strings.ContainsAny(w, ".@/") {
		return false
	}
	r1, n := utf8.DecodeRuneInString(text[j:be])
	r2, _ := utf8.DecodeRuneInString(text[j+n : be])
	return unicode.IsUpper(r1) && unicode.IsLower(r2)
}

// wordBefore returns the word that ends at i, without leading openers.
func wordBefore(text string, last, i int) string {
	k := i
	for k > last && !isSpaceByte(text[k-1]) {
		k--
	}
	return strings.TrimLeftFunc(text[k:i], isOpener)
}

func prevWordLower(text string, last, i int) bool {
	k := i
	for k > last && isSpaceByte(text[k-1]) {
		k--
	}
	w := wordBefore(text, last, k)
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r)
}

func isSingleLetter(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && unicode.IsLetter(r)
}

// isInitialism matches "U.S", "U.S.A", "a.m", "Ph.D": letter groups of one
// or two joined by periods (the final period is not part of w).
func isInitialism(w string) bool {
	if !strings.Contains(w, ".") {
		return false
	}
	for _, part := range strings.Split(w, ".") {
		if len(part) == 0 || len(part) > 2 {
			return false
		}
		for _, c := range []byte(part) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return false
			}
		}
	}
	return true
}

func isOpenerWord(w string) bool {
	lw := strings.ToLower(w)
	return sentenceOpeners[lw] || english.IsStopWord(lw) && !titleVerbs[lw]
}

// frontedTime: "At 5 a.m" – a short prepositional phrase opening the
// sentence, which the time abbreviation cannot end.
func frontedTime(pending string) bool {
	f := strings.Fields(pending)
	return len(f) > 0 && len(f) <= 4 && frontedPrepositions[strings.ToLower(f[0])]
}

// isMarkerOnly: the sentence so far is only a list marker ("1", "a", "iv",
// "• 9", "(2"), so its period does not end a sentence.
func isMarkerOnly(pending string) bool {
	p := strings.TrimLeftFunc(pending, func(r rune) bool { return unicode.IsSpace(r) || isBullet(r) || r == '(' })
	p = strings.TrimRightFunc(p, unicode.IsSpace)
	if p == "" || len(p) > 4 {
		return false
	}
	digits, letters := 0, 0
	for _, c := range []byte(p) {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		default:
			return false
		}
	}
	if digits > 0 {
		return letters == 0 && digits <= 3
	}
	return letters == 1 || strings.Trim(strings.ToLower(p), "ivx") == ""
}

// appendTrimmed appends text[a:b] without surrounding white space, if any
// text is left.
func appendTrimmed(dst []Span, text string, a, b int) []Span {
	for a < b {
		r, n := utf8.DecodeRuneInString(text[a:b])
		if !unicode.IsSpace(r) {
			break
		}
		a += n
	}
	for b > a {
		r, n := utf8.DecodeLastRuneInString(text[a:b])
		if !unicode.IsSpace(r) {
			break
		}
		b -= n
	}
	if a < b {
		dst = append(dst, Span{Start: a, End: b})
	}
	return dst
}

// mergeEmpty joins spans without a letter or digit (a lone bullet or "...")
// to the following span, or to the preceding one at the end.
func mergeEmpty(dst []Span, first int, text string) []Span {
	out := dst[:first]
	pendingStart, pendingEnd := -1, 0
	for _, sp := range dst[first:] {
		if pendingStart >= 0 {
			if hasBlankLine(text[pendingEnd:sp.Start]) {
				out = append(out, Span{Start: pendingStart, End: pendingEnd})
			} else {
				sp.Start = pendingStart
			}
			pendingStart = -1
		}
		if !hasAlnum(text[sp.Start:sp.End]) {
			if pendingStart < 0 {
				pendingStart = sp.Start
			}
			pendingEnd = sp.End
			continue
		}
		out = append(out, sp)
	}
	if pendingStart >= 0 {
		if len(out) > first && !hasBlankLine(text[out[len(out)-1].End:pendingStart]) {
			out[len(out)-1].End = pendingEnd
		} else {
			out = append(out, Span{Start: pendingStart, End: pendingEnd})
		}
	}
	return out
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// hasBlankLine reports whether s contains a line of only white space
// between two newlines.
func hasBlankLine(s string) bool {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return false
		}
		s = s[i+1:]
		j := strings.IndexByte(s, '\n')
		if j < 0 {
			return false
		}
		if isBlank(s[:j]) {
			return true
		}
	}
}

// footnoteCall recognises footnote calls glued to a sentence end at j
// ("[1]", "[7][8]", "1", "12") followed by a space and a capitalised word,
// and returns the end of the calls (0 if none). The period at i must follow a
// letter or ")" so that numbers such as 3.14 are never split.
func footnoteCall(text string, i, j, be int) int {
	if i == 0 {
		return 0
	}
	if p := text[i-1]; !(p == ')' || p >= 'a' && p <= 'z' || p >= 'A' && p <= 'Z') {
		return 0
	}
	k := j
	if text[k] == '[' {
		for k < be && text[k] == '[' {
			d := k + 1
			for d < be && text[d] >= '0' && text[d] <= '9' {
				d++
			}
			if d == k+1 || d-k > 4 || d >= be || text[d] != ']' {
				return 0
			}
			k = d + 1
		}
	} else {
		for k < be && text[k] >= '0' && text[k] <= '9' {
			k++
		}
		if k == j || k-j > 3 {
			return 0
		}
	}
	if k+1 >= be || !isSpaceByte(text[k]) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(text[k+1 : be])
	if !unicode.IsUpper(r) {
		return 0
	}
	return k
}

// parenMarker matches "(b) ", "(iv) ", "(2) " at the start of s.
func parenMarker(s string) bool {
	if len(s) < 4 || s[0] != '(' {
		return false
	}
	k := 1
	for k < len(s) && k <= 4 && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || s[k] >= '0' && s[k] <= '9') {
		k++
	}
	if k == 1 || k >= len(s)-1 || s[k] != ')' || s[k+1] != ' ' {
		return false
	}
	return k == 2 || strings.Trim(strings.ToLower(s[1:k]), "ivx") == "" || k == 3 && isDigits(s[1:k]) // not "(2020)"
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
