package clean

import (
	"strings"
)

// RuleBinary is the removal rule of uuencoded and base64 blocks.
const RuleBinary = "binary attachment"

// Binary attachments: a file mailed or posted as text is uuencoded or
// base64 lines, which tokenise into thousands of junk "words" (20
// Newsgroups: "max>'ax>'ax>'ax>…" in 3,289 lines of one .exe). A line of
// either encoding can look like other text — an ALL CAPS line of 61
// characters starting with "M" is valid uuencode, a 60-character URL or
// hash is valid base64 — so only blocks are removed: a uuencoded file
// between "begin 644 name" and "end", or a run of consecutive lines long
// enough that prose never makes one (TestBinaryRunsInProse counts the
// longest such runs in real prose).
const (
	// minUURun is the run of full uuencode lines (61 characters, "M"
	// first) removed without a "begin" line: the middle parts of a file
	// posted in several parts carry only those.
	minUURun = 4
	// minB64Run is the run of base64 lines of one width ≥ minB64Width
	// removed; after a "Content-Transfer-Encoding: base64" header one
	// line is enough.
	minB64Run   = 4
	minB64Width = 60
	// minDistinct is the number of different characters a run needs:
	// separators and ASCII art ("+++…", "C/C/C/…", "WMWM…") repeated at one
	// width use a few, encoded data nearly all 64.
	minDistinct = 20
)

// binLine is what stripBinary knows of a line.
type binLine struct {
	uu     int8 // bytes a uuencode line decodes to (0–45), -1 if it is not one
	b64    int  // length of a base64 line (letters, digits, "+", "/", final "=" padding), 0 if not one
	begin  bool // "begin 644 name"
	end    bool // "end"
	blank  bool
	mime64 bool // "Content-Transfer-Encoding: base64"
}

// stripBinary removes the uuencoded and base64 blocks of text (the raw
// text: before the character rules turn "`" into "'") and returns the
// text, each block left as one empty line, and one removal per block. It
// reads each line a constant number of times.
func stripBinary(text string) (string, []Removal) {
	if !mayHoldBinary(text) {
		return text, nil
	}
	lines := strings.Split(text, "\n")
	info := make([]binLine, len(lines))
	offs := make([]int, len(lines)+1) // offs[i]: where line i starts in text
	for i, l := range lines {
		info[i] = classifyBinLine(strings.TrimSuffix(l, "\r"))
		offs[i+1] = offs[i] + len(l) + 1
	}
	drop := make([]bool, len(lines))
	var removed []Removal
	mime := false // a base64 header was seen and no text since
	// No uuencoded (base64) block starts before line uuFrom (b64From): a
	// run that is no block holds none, so each run is read once.
	uuFrom, b64From := 0, 0
	for i := 0; i < len(lines); {
		end := i
		if i >= uuFrom {
			end, uuFrom = uuBlock(lines, info, i)
		}
		if end == i && i >= b64From {
			end, b64From = b64Block(lines, info, i, mime)
		}
		if end > i {
			for j := i; j < end; j++ {
				drop[j] = true
			}
			removed = append(removed, Removal{Rule: RuleBinary, Text: text[offs[i] : offs[end]-1]})
			mime = false
			i = end
			continue
		}
		if info[i].mime64 {
			mime = true
		} else if mime && !info[i].blank && !isHeaderOrFold(lines[i]) {
			mime = false
		}
		i++
	}
	if removed == nil {
		return text, nil
	}
	return keptLines(text, lines, drop, false), removed
}

// mayHoldBinary reports whether text has a line that can start a block,
// so that a text without one is not split into lines.
func mayHoldBinary(text string) bool {
	for rest := text; rest != ""; {
		l, next, _ := strings.Cut(rest, "\n")
		l = strings.TrimSuffix(l, "\r")
		if uuBytes(l) == 45 || b64Len(l) >= minB64Width || isBeginLine(l) {
			return true
		}
		rest = next
	}
	return false
}

// isHeaderOrFold reports a MIME part's header field or a folded
// continuation of one.
func isHeaderOrFold(l string) bool {
	return l[0] == ' ' || l[0] == '\t' || headerLine.MatchString(l)
}

const cteField = "content-transfer-encoding:"

func classifyBinLine(l string) binLine {
	t := binLine{uu: uuBytes(l), b64: b64Len(l)}
	switch {
	case strings.TrimSpace(l) == "":
		t.blank = true
	case strings.TrimRight(l, " ") == "end":
		t.end = true
	case isBeginLine(l):
		t.begin = true
	case len(l) >= len(cteField) && len(l) < 80 && strings.EqualFold(l[:len(cteField)], cteField):
		t.mime64 = strings.EqualFold(strings.TrimSpace(l[len(cteField):]), "base64")
	}
	return t
}

// uuBytes returns the number of bytes a uuencode line decodes to: its first
// character encodes it (" " or "`" 0, "!" 1, …, "M" 45), and the rest is
// four characters per three bytes, all between " " and "`", with one
// checksum character some encoders add. It returns -1 for another line.
func uuBytes(l string) int8 {
	if l == "" || l[0] < ' ' || l[0] > '`' {
		return -1
	}
	n := int(l[0]-' ') & 63
	if n > 45 {
		return -1
	}
	if body, want := len(l)-1, (n+2)/3*4; body != want && body != want+1 {
		return -1
	}
	for i := 1; i < len(l); i++ {
		if l[i] < ' ' || l[i] > '`' {
			return -1
		}
	}
	return int8(n)
}

// b64Len returns the length of a line of the base64 alphabet (letters,
// digits, "+", "/", then at most two "=" of padding), or 0.
func b64Len(l string) int {
	body := strings.TrimSuffix(strings.TrimSuffix(l, "="), "=")
	if body == "" {
		return 0
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return 0
		}
	}
	return len(l)
}

// isBeginLine reports a uuencode header: "begin", an octal mode of three
// or four digits, a file name.
func isBeginLine(l string) bool {
	rest, ok := strings.CutPrefix(l, "begin ")
	if !ok {
		return false
	}
	mode, name, ok := strings.Cut(rest, " ")
	if !ok || len(mode) < 3 || len(mode) > 4 || strings.TrimSpace(name) == "" {
		return false
	}
	for i := 0; i < len(mode); i++ {
		if mode[i] < '0' || mode[i] > '7' {
			return false
		}
	}
	return true
}

// uuBlock returns the end of the uuencoded block at line i (i if none)
// and the line from which another block can start: past the run of full
// lines at i, since no part of a run too short or too uniform is a block.
// A block is a "begin" line and the data after it; a run of minUURun full
// lines; or data lines that end in the zero-length line and "end" (the
// last part of a file posted in parts).
func uuBlock(lines []string, info []binLine, i int) (end, next int) {
	start := i
	begin := info[i].begin
	if begin {
		i++
	}
	j := i
	for j < len(info) && info[j].uu == 45 {
		j++
	}
	next = max(j, start+1)
	full := j
	if j < len(info) && info[j].uu > 0 && info[j].uu < 45 {
		j++ // the last, shorter line
	}
	if j == i {
		return start, next // no data
	}
	ended := j+1 < len(info) && info[j].uu == 0 && info[j+1].end
	if !begin && !ended && (full-i < minUURun || !diverse(lines[i:full])) {
		return start, next
	}
	// A file in several parts ends in its last part: "end" is optional.
	if ended {
		j += 2
	} else if j < len(info) && info[j].end {
		j++
	}
	return j, next
}

// b64Block returns the end of the base64 block at line i (i if none) and
// the line from which another block can start. A block is a run of lines
// of one width W ≥ minB64Width and a last one, shorter or padded with "=".
func b64Block(lines []string, info []binLine, i int, afterHeader bool) (end, next int) {
	w := info[i].b64
	if w < minB64Width {
		return i, i + 1
	}
	j := i
	for j < len(info) && info[j].b64 == w && !strings.HasSuffix(strings.TrimSuffix(lines[j], "\r"), "=") {
		j++
	}
	next = max(j, i+1)
	full := j - i
	if j < len(info) && info[j].b64 > 0 && info[j].b64 <= w && (info[j].b64 == w || info[j].b64%4 == 0) {
		j++ // the last line: as wide, or shorter and padded to four characters
	}
	need := minB64Run
	if afterHeader {
		need = 1
	}
	if full < need || !diverse(lines[i:j]) {
		return i, next
	}
	return j, next
}

// diverse reports whether lines use at least minDistinct characters.
func diverse(lines []string) bool {
	var seen [256]bool
	n := 0
	for _, l := range lines {
		for i := 0; i < len(l); i++ {
			if !seen[l[i]] {
				seen[l[i]] = true
				if n++; n >= minDistinct {
					return true
				}
			}
		}
	}
	return false
}
