package clean

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
)

// lineRule drops or files a whole line when its trimmed text matches.
type lineRule struct {
	name     string
	re       *regexp.Regexp
	maxWords int // 0 = any length
	// hints are lower-case strings of which the line must contain one
	// before the expression is tried (none = always try): a cheap filter,
	// since running every expression on every line was most of the
	// cleaner's time.
	hints []string
}

func (r lineRule) match(line, lower string, words int) bool {
	if r.maxWords > 0 && words > r.maxWords {
		return false
	}
	if len(r.hints) > 0 {
		found := false
		for _, h := range r.hints {
			if strings.Contains(lower, h) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return r.re.MatchString(line)
}

func mustRules(specs ...lineRule) []lineRule { return specs }

func rule(name string, re *regexp.Regexp, maxWords int, hints ...string) lineRule {
	return lineRule{name: name, re: re, maxWords: maxWords, hints: hints}
}

func rx(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// chromeRules match page chrome: journal-site banners, calls for papers,
// counters, sharing and newsletter widgets. Matching lines are removed.
func chromeRules() []lineRule {
	return mustRules(
		rule("site-nav", rx(`^main article content$`), 3, "main article"),
		rule("separator", rx(`^[-=_*~#.·•+]{3,}$`), 1),
		rule("call-for-papers", rx(`submission deadline`), 20, "deadline"),
		rule("call-for-papers", rx(`publication fee`), 30, "fee"),
		rule("call-for-papers", rx(`\bsubmit now\b`), 30, "submit now"),
		rule("call-for-papers", rx(`^(call for papers?|submit (your )?(paper|manuscript|article))\b`), 15, "call for", "submit"),
		rule("counter", rx(`^(abstract|html|pdf|full[- ]text|xml|epub)( views?| downloads?)?\s*:?\s*\d+(\s*\|\s*(abstract|html|pdf|full[- ]text|xml|epub)?\s*(views?|downloads?)?\s*:?\s*\d+)*$`), 16, "abstract", "html", "pdf", "full", "xml", "epub"),
		rule("counter", rx(`^\d[\d,.]*\s*(k\s*)?(views?|downloads?|citations?|reads?|times cited|cites?|shares?|mentions?|readers?)$`), 4),
		rule("counter", rx(`^(views?|downloads?|citations?|reads?|cited by|readers?)\s*:?\s*\d[\d,.]*$`), 4, "view", "download", "citation", "read", "cited"),
		rule("counter", rx(`^(pdf |abstract |html )?(views?|downloads?)$`), 3),
		rule("counter", rx(`^[\d\s.,]+$`), 8),
		rule("pager", rx(`^\d+\s*-\s*\d+\s+of\s+\d+$`), 5),
		rule("pager", rx(`^(page \d+( of \d+)?|next|previous|prev|« previous|next »|load more|show more|read more)$`), 4),
		rule("similarity-search", rx(`^you may also start an advanced similarity search`), 15, "similarity"),
		rule("newsletter", rx(`\b(our|monthly|weekly|free|e-?mail)\s+(\w+\s+)?newsletter\b|\bnewsletter\s+(sign[- ]?up|subscription)|^(subscribe|sign up)\b.*\bnewsletter`), 30, "newsletter"),
		rule("newsletter", rx(`^(subscribe|sign up|sign in|log ?in|register)\b`), 12, "subscribe", "sign", "log", "register"),
		rule("metrics", rx(`^(article statistics|metrics|article metrics|plumx( metrics)?|altmetrics?|altmetric score|dimensions|citations?|cited by|crossref citations?|google scholar)$`), 3),
		rule("metrics", rx(`^track views and downloads`), 20, "track views"),
		rule("share", rx(`^(share|share this( article)?|cite|cite this article|how to cite|download citation|export citation|citation tools|print|e-?mail|tweet|facebook|twitter|linkedin|reddit|whatsapp|mendeley|download pdf|download|pdf|html|xml|epub|full text|view pdf|view article|article pdf|open pdf)$`), 3),
		rule("site-nav", rx(`^(home|archives|current|current issue|about|about the journal|announcements|search|browse|issues|editorial team|menu|skip to (main )?content|back to top|top)( [/|>»›] .*)?$`), 16),
		rule("site-nav", rx(`^(home|archives)\s*[/|>»›]`), 20, "home", "archives"),
		rule("journal-banner", rx(`^(the )?(((international|american|european|asian|african|global|indian|chinese|british|canadian|australian|open|online) )+)?journal (of|for|on) [^.!?:]*$`), 15, "journal"),
		rule("cookie", rx(`^(we use cookies|this (web)?site uses cookies|accept( all)? cookies|cookie (settings|policy|preferences)|privacy policy|terms (of use|and conditions)|all rights reserved)`), 40, "cookie", "privacy", "terms", "rights reserved"),
	)
}

// chromeOpeners start a run of page chrome at the foot of a page ("Similar
// Articles", "Article Statistics"): they are removed, and so is every line
// after them until a real section heading, or kept as boilerplate when no
// chrome rule knows it.
func chromeOpeners() []lineRule {
	return mustRules(
		rule("chrome-block", rx(`^(similar|related|recommended|more|other|most (read|popular|viewed|cited)) (articles?|papers?|posts?|content|items|in this (issue|journal))$`), 6),
		rule("chrome-block", rx(`^(article statistics|article metrics|also read|you may also like|recommended for you|trending|most read|popular articles)$`), 5),
	)
}

// frontRules match article metadata that is not the author's argument
// wherever it appears: DOI, dates, ISSN, licence and contact lines.
func frontRules() []lineRule {
	return mustRules(
		rule("doi", rx(`^doi\s*[:：]?\s*\S+`), 12, "doi"),
		rule("doi", rx(`^https?://(dx\.)?doi\.org/\S+$`), 1, "doi.org"),
		rule("dates", rx(`^(received|accepted|published|revised|available online|published online|first published|date of (submission|publication|acceptance))\b[^.]{0,120}\d{4}`), 30, "received", "accepted", "published", "revised", "available online", "date of"),
		rule("issn", rx(`^(e-?issn|p-?issn|issn|online issn|print issn)\b`), 12, "issn"),
		rule("issue", rx(`^vol(ume)?\.?\s*[\divxlc]+\b.{0,60}\b(no|issue|iss|number)\.?\s*\d+`), 20, "vol"),
		rule("contact", rx(`^(corresponding author|correspondence|e-?mail|orcid|contact)\b\s*:?`), 30, "corresponding", "correspondence", "mail", "orcid", "contact"),
		rule("licence", rx(`^(copyright|©|\(c\) \d{4}|this (work|article|is an open access article) .*licen[cs]e|creative commons|licensed under)`), 60, "copyright", "©", "(c)", "licen", "creative commons"),
		rule("cite-as", rx(`^(citation|cite this( article)?|to cite this article|how to cite( this article)?)\s*:`), 80, "cit"),
	)
}

var (
	// The heading vocabularies are fixed, read-only tables.
	refHeadingRE  = regexp.MustCompile(`^(list of )?(the )?(used |cited |selected )?(references?|bibliography|bibliographies|sources|literature|works cited|literature cited|cited literature|reference list|references cited)( and (literature|sources|notes|references|further reading))?( cited| list| used)?$`)
	noteHeadingRE = regexp.MustCompile(`^(foot ?notes?|end ?notes?|notes)$`)
	frontHeadRE   = regexp.MustCompile(`^(acknowledge?ments?|funding( information| statement)?|conflicts? of interests?|declaration of (competing )?interests?|competing interests|author(s')? contributions?|data availability( statement)?|ethics( statement| approval)?|about the authors?|author biograph(y|ies)|notes on contributors|disclosure statement|informed consent)$`)
	kwHeadingRE   = regexp.MustCompile(`^(keywords?|key ?words|index terms|key terms|key phrases)$`)
	absHeadingRE  = regexp.MustCompile(`^(abstract|summary of the article)$`)
	inlineKwRE    = regexp.MustCompile(`(?i)^(keywords?|key ?words|index terms|key terms)\s*(?::|：|\.|-)\s*`)
	inlineAbsRE   = regexp.MustCompile(`(?i)^(abstract)\s*(?::|：|\.|-)\s*`)
	numberingRE   = regexp.MustCompile(`^(\(\d{1,2}\)|\d{1,2}\)|\d{1,2}(\.\d{1,2})*\.?|[ivxlc]{1,6}[.)]|[IVXLC]{1,6}[.)]|[A-Z][.)])\s+`)
	affiliationRE = regexp.MustCompile(`(?i)\b(universit(y|ies|é|ät|at)|institute|faculty|department|dept\.|school of|college|academy|laborator(y|ies)|centre for|center for|ministry of|postgraduate|phd student|professor|lecturer|researcher at)\b`)
	citationishRE = regexp.MustCompile(`https?://|www\.|@|\(\d{4}[a-z]?[,)]|\bet al\.`)
	mdHeadingRE   = regexp.MustCompile(`^#{1,6}\s+\S`)
)

// headingKey normalises a line for matching heading names: numbering,
// trailing colon and punctuation dropped, lower case, single spaces.
func headingKey(s string) string {
	s = strings.Trim(s, "#*_ ")
	s = numberingRE.ReplaceAllString(s, "")
	s = strings.TrimRight(s, " :.：")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// maxHeadingKey bounds the key of a known heading name: the vocabularies
// below match keys of at most 63 bytes.
const maxHeadingKey = 128

// shortHeadingKey is headingKey(s), or false when that is longer than
// maxHeadingKey, found without lower-casing and joining the words of a
// long line (a 50 MB line took seconds).
func shortHeadingKey(s string) (string, bool) {
	s = strings.Trim(s, "#*_ ")
	// numberingRE is anchored at the start: its one match is a prefix.
	if m := numberingRE.FindStringIndex(s); m != nil {
		s = s[m[1]:]
	}
	s = strings.TrimRight(s, " :.：")
	// strings.ToLower shortens a text by at most a third (the Kelvin
	// sign's three bytes become one "k").
	if joinedLen(s, 3*maxHeadingKey) > 3*maxHeadingKey {
		return "", false
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " ")), true
}

// joinedLen is len(strings.Join(strings.Fields(s), " ")), or a number above
// limit once it is known to be larger.
func joinedLen(s string, limit int) int {
	n, in := 0, false
	for i := 0; i < len(s); {
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		i += w
		if unicode.IsSpace(r) {
			in = false
			continue
		}
		if !in && n > 0 {
			n++ // the space before a word
		}
		in = true
		if n += w; n > limit {
			return n
		}
	}
	return n
}

// namedKind says which section kind a heading name stands for, and whether
// the line is such a known heading at all.
func namedKind(line string) (document.SectionKind, bool) {
	k, ok := shortHeadingKey(line)
	switch {
	case !ok:
		return "", false
	case k == "":
		return "", false
	case absHeadingRE.MatchString(k):
		return document.KindAbstract, true
	case kwHeadingRE.MatchString(k):
		return document.KindKeywords, true
	case refHeadingRE.MatchString(k):
		return document.KindReferences, true
	case noteHeadingRE.MatchString(k):
		return document.KindFootnotes, true
	case frontHeadRE.MatchString(k):
		return document.KindFrontMatter, true
	}
	switch k {
	case "introduction", "conclusion", "conclusions", "discussion", "results", "methods",
		"methodology", "background", "literature review", "related work", "findings",
		"conclusion and recommendations", "conclusions and recommendations", "summary",
		"materials and methods", "results and discussion", "limitations", "theoretical framework":
		return document.KindBody, true
	}
	return "", false
}

// words counts the space-separated words of a line.
func words(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' ' || s[i] == '\t' || s[i] == '\n'
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// isAllCaps reports a line whose cased letters (at least three) are all
// upper case. Letters without case (Chinese) do not count: a paragraph of
// Chinese is not a heading in capitals.
func isAllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	return letters >= 3
}

// endsSentence reports a line that ends like a sentence or a list item
// (closing quotes and brackets ignored).
func endsSentence(s string) bool {
	s = strings.TrimRight(s, `"')]}* ”’」』）`)
	if s == "" {
		return false
	}
	switch s[len(s)-1] {
	case '.', '!', '?', ';', ',':
		return true
	}
	// CJK full stops, exclamation and question marks, semicolons, commas.
	return strings.HasSuffix(s, "。") || strings.HasSuffix(s, "！") || strings.HasSuffix(s, "？") ||
		strings.HasSuffix(s, "；") || strings.HasSuffix(s, "，") || strings.HasSuffix(s, "…")
}

// startsUpper reports a line whose first letter or digit, after numbering and
// opening quotes, is an upper-case letter.
func startsUpper(s string) bool {
	s = numberingRE.ReplaceAllString(s, "")
	for _, r := range s {
		if unicode.IsLetter(r) {
			return unicode.IsUpper(r)
		}
		if unicode.IsDigit(r) {
			return false
		}
	}
	return false
}

// hasInnerSentenceBreak reports ". X" inside a line: two sentences, not a
// heading.
func hasInnerSentenceBreak(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if (s[i] == '.' || s[i] == '?' || s[i] == '!') && s[i+1] == ' ' && s[i+2] >= 'A' && s[i+2] <= 'Z' {
			// "U.S. Policy", "Dr. Smith": a short token before the dot.
			j := strings.LastIndexByte(s[:i], ' ')
			if i-j > 3 {
				return true
			}
		}
	}
	return false
}

// citeAbbrev are abbreviations after which a number is part of a citation
// ("vol.3", "pp.12"), not a footnote marker.
func citeAbbrev(w string) bool {
	switch strings.ToLower(w) {
	case "vol", "vols", "no", "nos", "pp", "fig", "figs", "eq", "eqs", "ch", "chap", "sec", "art",
		"para", "ed", "eds", "ref", "refs", "tab", "table", "op", "cf", "iss", "nr", "bd", "s":
		return true
	}
	return false
}

// stripFootMarks removes footnote reference numbers of one or two digits
// glued to a word and its punctuation ("the United States.1 Since" → "the
// United States. Since"). Hand-written: the equivalent regular expression
// dominated the cleaner's run time.
func stripFootMarks(s string) string {
	var b []byte
	last := 0
	for i := 1; i < len(s); i++ {
		if !isPunctMark(s[i-1]) || s[i] < '0' || s[i] > '9' {
			continue
		}
		// digits: one or two, then a space or the end
		j := i + 1
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j < len(s) && s[j] != ' ' && s[j] != '\t' {
			continue
		}
		// before the punctuation (and an optional closing quote): a word of
		// two letters or more, or a closing bracket or quote
		p := i - 1
		if (s[p] == '"' || s[p] == '\'') && p > 0 && isSentencePunct(s[p-1]) {
			p--
		}
		if !isSentencePunct(s[p]) || p == 0 {
			continue
		}
		k := p
		for k > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:k])
			if !unicode.IsLetter(r) {
				break
			}
			k -= size
		}
		word := s[k:p]
		if utf8.RuneCountInString(word) < 2 {
			if c := s[p-1]; c != ')' && c != ']' && c != '"' && c != '\'' {
				continue
			}
		} else if citeAbbrev(word) {
			continue
		}
		b = append(b, s[last:i]...)
		last = j
		i = j
	}
	if last == 0 {
		return s
	}
	b = append(b, s[last:]...)
	return string(b)
}

func isSentencePunct(c byte) bool {
	switch c {
	case '.', ',', ';', ':', '!', '?':
		return true
	}
	return false
}

// isPunctMark is the byte right before a footnote number.
func isPunctMark(c byte) bool { return isSentencePunct(c) || c == '"' || c == '\'' }
