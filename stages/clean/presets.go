package clean

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean presets: rules for a genre that would be wrong elsewhere, turned
// on by name (clean.presets, --clean). Stage directions are not one of
// them: "(Applause.)" is never the speaker's words, in any genre, so that
// rule is on by default (clean.disable_stage_directions turns it off).
const (
	// PresetTranscript drops speaker labels ("THE PRESIDENT:", "Q:") and
	// time codes at the start of a line.
	PresetTranscript = "transcript"
	// PresetEmail drops a mail or news post's header block, quoted
	// replies, attribution lines ("In article <…> x writes:") and the
	// signature after a "-- " line. PresetUsenet is the same preset.
	PresetEmail  = "email"
	PresetUsenet = "usenet"
)

// Presets lists the preset names New accepts.
func Presets() []string { return []string{PresetEmail, PresetTranscript, PresetUsenet} }

// presetSet is the parsed clean.presets.
type presetSet struct {
	transcript, email bool
}

func parsePresets(names []string) (presetSet, error) {
	var p presetSet
	for _, n := range names {
		switch strings.ToLower(strings.TrimSpace(n)) {
		case PresetTranscript:
			p.transcript = true
		case PresetEmail, PresetUsenet:
			p.email = true
		default:
			return p, fmt.Errorf("corpus: clean.presets: unknown preset %q (known: %s)", n, strings.Join(Presets(), ", "))
		}
	}
	return p, nil
}

// stageWords are the words a stage direction is made of. A bracketed span
// is a stage direction when all its words are here and one of them is a
// cue (stageCues): "(Applause.)", "[Laughter and applause]", "(Prolonged
// applause, the audience rising.)". Requiring every word keeps
// "(applause for the troops was loud)" — a speaker's aside — as text.
var stageCues = []string{
	"applause", "applauding", "laughter", "laughing", "laughs", "cheers", "cheering", "booing", "boos",
	"crosstalk", "inaudible", "unintelligible", "indiscernible", "ovation", "interruption", "chanting",
	"chants", "sighs", "chuckles", "groans", "murmurs", "whistles", "gavel", "music", "silence", "pause",
	"recess", "noise", "shouting", "shouts", "cries", "jeers", "heckling",
}

var stageFill = []string{
	"a", "an", "the", "and", "of", "from", "in", "on", "by", "with", "some", "all", "prolonged", "loud",
	"continued", "continuing", "sustained", "long", "brief", "scattered", "mixed", "standing", "audience",
	"members", "member", "rising", "rise", "rises", "house", "chamber", "floor", "gallery", "galleries",
	"democrats", "republicans", "both", "sides", "side", "sits", "seated", "again", "more", "much",
	"great", "general", "and/or", "followed", "by", "crowd", "speaker", "pauses", "briefly",
}

// stripStageDirections removes the stage directions of a line and returns
// the line and the spans removed.
func stripStageDirections(l string) (string, []string) {
	if strings.IndexByte(l, '(') < 0 && strings.IndexByte(l, '[') < 0 {
		return l, nil
	}
	var removed []string
	var b strings.Builder
	kept := 0 // l[:kept] is written to b or removed
	for pos := 0; ; {
		s, e := nextStageSpan(l, pos)
		if s < 0 {
			break
		}
		if m := l[s:e]; isStageDirection(m) {
			b.WriteString(l[kept:s])
			kept = e
			removed = append(removed, strings.TrimSpace(m))
		}
		pos = e
	}
	if removed == nil {
		return l, nil
	}
	b.WriteString(l[kept:])
	return strings.TrimSpace(b.String()), removed
}

// nextStageSpan returns the first match [s, e) at or after pos of
// `\s*[(\[][^()\[\]\n]{2,80}[)\]]`, a short bracketed span with no bracket
// inside, or -1, -1; in one pass, where the regexp's scan of a 50 MB line
// took seconds. As the expression's body admits no bracket, a
// match is an opening bracket, the text up to the first bracket or newline
// after it when that is a closing bracket and 2 to 80 characters lie
// between, and the white space (\s: tab, newline, form feed, carriage
// return, space) before the opening bracket, from pos on.
func nextStageSpan(l string, pos int) (int, int) {
	for {
		i := strings.IndexAny(l[pos:], "([")
		if i < 0 {
			return -1, -1
		}
		j := pos + i
		q := j + 1
		for q < len(l) && !isStageStop(l[q]) {
			q++
		}
		if q == len(l) {
			return -1, -1 // no bracket after j either
		}
		if c := l[q]; c == ')' || c == ']' {
			if n := utf8.RuneCountInString(l[j+1 : q]); n >= 2 && n <= 80 {
				s := j
				for s > pos && isPerlSpace(l[s-1]) {
					s--
				}
				return s, q + 1
			}
		}
		pos = j + 1
	}
}

func isStageStop(c byte) bool { return c == '(' || c == ')' || c == '[' || c == ']' || c == '\n' }

// isPerlSpace is the regexp class \s.
func isPerlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

func isStageDirection(span string) bool {
	span = strings.TrimSpace(span)
	if (span[0] == '(') != (span[len(span)-1] == ')') {
		return false // "(…]": not one bracketed span
	}
	words := strings.FieldsFunc(strings.ToLower(span[1:len(span)-1]), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '/'
	})
	cue := false
	for _, w := range words {
		switch {
		case slices.Contains(stageCues, w):
			cue = true
		case slices.Contains(stageFill, w):
		default:
			return false
		}
	}
	return cue && len(words) <= 10
}

// speakerLabel matches a transcript's speaker label at the start of a line:
// an upper-case name or role and a colon ("THE PRESIDENT:", "MR. SMITH:",
// "Q:"), or a time code ("[00:12:31]", "12:31").
var speakerLabel = regexp.MustCompile(`^(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?(?:[A-Z][A-Z.' -]{0,40}[A-Z.]|Q|A):\s+|^\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+`)

// stripSpeakerLabel removes a speaker label or time code from the start of
// a transcript line.
func stripSpeakerLabel(l string) (string, string) {
	loc := speakerLabel.FindStringIndex(l)
	if loc == nil || loc[1] >= len(l) {
		return l, ""
	}
	return l[loc[1]:], strings.TrimSpace(l[:loc[1]])
}

// headerLine matches an RFC 5322 header field ("Subject: …",
// "Article-I.D.: …"): a name of printable characters but the colon.
var headerLine = regexp.MustCompile(`^[A-Za-z][!-9;-~]{0,60}:(?:\s|$)`)

// attribution matches a line that introduces a quotation: scikit-learn's
// _QUOTE_RE, made to want the verb at the end of the line (so that "the
// minister said: we will act" in the body is kept) or the usual openings.
var attribution = regexp.MustCompile(`(?i)(?:\b(?:writes|wrote|says|said)(?:\s+in\s+[^:]{0,120})?:\s*$|^in article\s|^quoted from\s|\bwrites in\b)`)

// headerBlock returns the number of lines of the header block at the
// start of text, 0 when it has none: the lines up to the first blank one,
// if each is a header field or a continuation (some archived posts start
// with a continuation, their first field cut off) and two or more are
// fields. A text that does not start that way has none. It reads only the
// block's lines.
func headerBlock(text string) int {
	n, fields := 0, 0
	// Only an empty line ends the block: one of spaces is a folded field.
	for rest := text; rest != ""; n++ {
		l, next, _ := strings.Cut(rest, "\n")
		if strings.TrimRight(l, "\r") == "" {
			break
		}
		if headerLine.MatchString(l) {
			fields++
		} else if c := l[0]; c != ' ' && c != '\t' {
			return 0
		}
		rest = next
	}
	if fields < 2 {
		return 0
	}
	return n
}

// mailFields are header fields only a mail or news post has: a block of
// other fields ("Title:", "Date:", "Author:") is a document's own metadata.
var mailFields = []string{"from", "subject", "newsgroups", "message-id", "path", "nntp-posting-host", "received", "reply-to", "in-reply-to"}

// HeaderWarning is the documents.warnings entry of a document that starts
// with a mail or news header block when the email preset is off.
const HeaderWarning = "clean: starts with an email/Usenet header block (From:, Subject:, …) analysed as text; --clean usenet (or email) removes it"

// startsWithMailHeader reports whether text starts with a header block
// (headerBlock) that has a field of a mail or news post (mailFields).
func startsWithMailHeader(text string) bool {
	n := headerBlock(text)
	for rest := text; n > 0; n-- {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		if name, _, ok := strings.Cut(l, ":"); ok && headerLine.MatchString(l) && slices.Contains(mailFields, strings.ToLower(name)) {
			return true
		}
	}
	return false
}

// stripEmail removes the header block at the start of text, quoted lines
// ("> …", "| …"), attribution lines and a signature: the lines after the
// last "-- " (or "--") separator among the last 15 lines. It returns the
// text and the removed lines with their rule. Quoted lines are those that
// start with ">" or "|" (scikit-learn's rule), or ": " and ":>" (tin's).
func stripEmail(text string) (string, []Removal) {
	lines := strings.Split(text, "\n")
	var removed []Removal
	drop := make([]bool, len(lines))
	// The header block; the rest is looked for in every post.
	for i := range headerBlock(text) {
		drop[i] = true
		removed = append(removed, Removal{Rule: "email header", Text: lines[i]})
	}
	// The signature: after the last separator near the end.
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-15; i-- {
		if drop[i] {
			break
		}
		if t := strings.TrimRight(lines[i], " \t\r"); t == "--" {
			for j := i; j < len(lines); j++ {
				drop[j] = true
				if strings.TrimSpace(lines[j]) != "" {
					removed = append(removed, Removal{Rule: "email signature", Text: lines[j]})
				}
			}
			break
		}
	}
	for i, l := range lines {
		if drop[i] {
			continue
		}
		t := strings.TrimLeft(l, " \t")
		switch {
		case strings.HasPrefix(t, ">") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, ": ") || strings.HasPrefix(t, ":>"):
			drop[i] = true
			removed = append(removed, Removal{Rule: "email quote", Text: l})
		case attribution.MatchString(t):
			drop[i] = true
			removed = append(removed, Removal{Rule: "email attribution", Text: l})
		}
	}
	if removed == nil {
		return text, nil
	}
	return keptLines(text, lines, drop, true), removed
}

// keptLines joins the lines of text that drop does not mark. A run of
// dropped lines leaves one blank line: quoted blocks, a header or an
// attachment end paragraphs, as they did in the post. newlineAfterLast
// ends the last kept line with a newline too.
func keptLines(text string, lines []string, drop []bool, newlineAfterLast bool) string {
	var b strings.Builder
	b.Grow(len(text))
	for i, l := range lines {
		if drop[i] {
			if i == 0 || !drop[i-1] {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteString(l)
		if newlineAfterLast || i+1 < len(lines) {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
