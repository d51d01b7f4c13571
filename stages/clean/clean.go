package clean

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
)

// Config switches the cleaning rules. The zero value turns every rule
// on; each field turns one off. docs/corpus.md describes the rules.
type Config struct {
	DisableNFKC          bool `yaml:"disable_nfkc,omitempty" json:"disable_nfkc,omitempty"`
	DisableQuotes        bool `yaml:"disable_quotes,omitempty" json:"disable_quotes,omitempty"`
	DisableDashes        bool `yaml:"disable_dashes,omitempty" json:"disable_dashes,omitempty"`
	DisableLigatures     bool `yaml:"disable_ligatures,omitempty" json:"disable_ligatures,omitempty"`
	DisableSpaces        bool `yaml:"disable_spaces,omitempty" json:"disable_spaces,omitempty"`
	DisableHyphenation   bool `yaml:"disable_hyphenation,omitempty" json:"disable_hyphenation,omitempty"`
	DisableFootnoteMarks bool `yaml:"disable_footnote_marks,omitempty" json:"disable_footnote_marks,omitempty"`
	DisableChrome        bool `yaml:"disable_chrome,omitempty" json:"disable_chrome,omitempty"`
	DisableFrontMatter   bool `yaml:"disable_front_matter,omitempty" json:"disable_front_matter,omitempty"`
	// DisableSections files the whole text as one body section.
	DisableSections bool `yaml:"disable_sections,omitempty" json:"disable_sections,omitempty"`
	// DisableStageDirections keeps bracketed stage directions such as
	// "(Applause.)" or "[Laughter]" in the text (see stripStageDirections).
	DisableStageDirections bool `yaml:"disable_stage_directions,omitempty" json:"disable_stage_directions,omitempty"`
	// DisableBinary keeps uuencoded and base64 blocks (binary attachments)
	// in the text (see stripBinary).
	DisableBinary bool `yaml:"disable_binary,omitempty" json:"disable_binary,omitempty"`
	// Presets turns on the rules of a genre by name: "transcript" (speaker
	// labels and time codes), "email" or "usenet" (headers, quoted replies,
	// attribution lines, signatures). See presets.go.
	Presets []string `yaml:"presets,omitempty" json:"presets,omitempty"`
	// ExtraChrome are further regular expressions for lines to remove. A
	// pattern must match a whole line (trimmed, case-insensitive): it is
	// anchored as ^(?:pattern)$, so "Applause" drops only a line that is
	// just "Applause"; write ".*applause.*" for any line containing it.
	ExtraChrome []string `yaml:"extra_chrome,omitempty" json:"extra_chrome,omitempty"`
	// RepeatedLines, when set, drops every line that occurs in at least
	// RepeatedMinDocs documents of the same site (see LineStats): navigation
	// and footers a site repeats on every page. Known section headings are
	// kept.
	RepeatedLines *LineStats `yaml:"-" json:"-"`
	// RepeatedMinDocs is the threshold for RepeatedLines (0 = 3).
	RepeatedMinDocs int `yaml:"repeated_min_docs,omitempty" json:"repeated_min_docs,omitempty"`
}

// Cleaner is the clean stage: it normalises Raw into Clean, drops page
// chrome and splits the text into Sections. It is safe for concurrent use.
type Cleaner struct {
	cfg     Config
	norm    normalizer
	chrome  []lineRule
	openers []lineRule
	front   []lineRule
	minDocs int
	presets presetSet
}

// Resolved returns cfg with its defaults filled in (RepeatedMinDocs 3).
func (cfg Config) Resolved() Config {
	if cfg.RepeatedMinDocs <= 0 {
		cfg.RepeatedMinDocs = 3
	}
	return cfg
}

// New builds a Cleaner; it fails only on a bad ExtraChrome pattern.
func New(cfg Config) (*Cleaner, error) {
	c := &Cleaner{
		cfg: cfg,
		norm: normalizer{nfkc: !cfg.DisableNFKC, quotes: !cfg.DisableQuotes, dashes: !cfg.DisableDashes,
			ligatures: !cfg.DisableLigatures, spaces: !cfg.DisableSpaces},
		minDocs: cfg.RepeatedMinDocs,
	}
	if c.minDocs <= 0 {
		c.minDocs = 3
	}
	var err error
	if c.presets, err = parsePresets(cfg.Presets); err != nil {
		return nil, err
	}
	if !cfg.DisableChrome {
		c.chrome = chromeRules()
		c.openers = chromeOpeners()
		for _, p := range cfg.ExtraChrome {
			re, err := regexp.Compile(`(?i)^(?:` + p + `)$`)
			if err != nil {
				return nil, fmt.Errorf("corpus: clean.extra_chrome %q (an RE2 regular expression matched against a whole trimmed line, case-insensitive): %w", p, err)
			}
			c.chrome = append(c.chrome, lineRule{name: "extra", re: re})
		}
	}
	if !cfg.DisableFrontMatter {
		c.front = frontRules()
	}
	return c, nil
}

// Name is the stage name.
func (c *Cleaner) Name() string { return "clean" }

// Process fills doc.Clean, Sections, RemovedChars and AuthorKeywords.
func (c *Cleaner) Process(ctx context.Context, doc *document.Document) error {
	_, err := c.Explain(ctx, doc)
	return err
}

// Removal is one line cleaning dropped (one block, for a binary
// attachment), with the rule that dropped it.
type Removal = document.Removal

// Explain is Process that also returns the lines it removed.
func (c *Cleaner) Explain(ctx context.Context, doc *document.Document) ([]Removal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !utf8.ValidString(doc.Raw) {
		return nil, fmt.Errorf("corpus: clean %s: Raw is not valid UTF-8", doc.ID)
	}
	run := &cleanRun{c: c, doc: doc}
	run.prepare()
	if c.cfg.DisableSections {
		run.flat()
	} else {
		run.classify()
		// A text of one line is a statement, a tweet, an answer: analysing
		// it as body is what anyone expects, and a warning on each of a
		// million such rows would drown the ones that matter. Several lines
		// none of which looked like body may be a paper that lost its text.
		if run.rescueShortText() > 1 {
			doc.Warnings = append(doc.Warnings, "clean: no body text found; the lines taken for a title or headings are analysed as body")
		}
	}
	run.build()
	return run.removals, nil
}

type lineRole uint8

const (
	roleDrop lineRole = iota
	roleContent
	roleHeading
	roleInline // a label heading and content on one line ("Keywords: a, b")
)

type cline struct {
	text     string
	para     int
	isolated bool // the only line of its paragraph
	first    bool // the first line of its paragraph
	paraLen  int  // lines in its paragraph
	role     lineRole
	seg      int
	labelLen int // roleInline: bytes of the label, separator included
}

type segment struct {
	kind    document.SectionKind
	heading string
}

type cleanRun struct {
	c        *Cleaner
	doc      *document.Document
	lines    []cline
	segs     []segment
	removals []Removal
	inserted int
}

// prepare normalises characters, splits lines, repairs hyphenation and
// strips footnote markers.
func (r *cleanRun) prepare() {
	raw := r.doc.Raw
	if !r.c.cfg.DisableBinary {
		// Before the character rules, which change uuencode's "`", and
		// before the email rules, which would take a line of it starting
		// with ">" for a quotation.
		var rem []Removal
		raw, rem = stripBinary(raw)
		r.removals = append(r.removals, rem...)
	}
	text, inserted := r.c.norm.apply(raw)
	r.inserted = inserted
	if r.c.presets.email {
		var rem []Removal
		text, rem = stripEmail(text)
		r.removals = append(r.removals, rem...)
	} else if startsWithMailHeader(text) {
		// Its field names and addresses would be a corpus's top terms
		// (20 Newsgroups: "subject" in 98 % of posts) with no word said.
		r.doc.Warnings = append(r.doc.Warnings, HeaderWarning)
	}
	para := 0
	for _, l := range strings.Split(text, "\n") {
		l, _ = tidyLine(l)
		l, _ = stripBullet(l)
		if l == "" {
			para++
			continue
		}
		if l = r.stripInline(l); l == "" {
			continue // a line that was only a stage direction or a label
		}
		r.lines = append(r.lines, cline{text: l, para: para})
	}
	if !r.c.cfg.DisableHyphenation {
		r.repairHyphens(text)
	}
	paraLen := map[int]int{}
	for _, l := range r.lines {
		paraLen[l.para]++
	}
	for i := range r.lines {
		l := &r.lines[i]
		l.first = i == 0 || r.lines[i-1].para != l.para
		l.isolated = l.first && (i+1 == len(r.lines) || r.lines[i+1].para != l.para)
		l.paraLen = paraLen[l.para]
	}
}

// repairHyphens joins "inter-" + "national" at a line end inside a paragraph.
// The hyphen is kept when the document spells the word with a hyphen
// elsewhere ("push-pull"), and dropped otherwise.
//
// It is linear in the text: "spelled elsewhere" is answered by an index of
// the text's hyphens (spelledIndex), not by searching the whole text at
// each break, and a run of joined lines is built once, not by repeated
// concatenation.
func (r *cleanRun) repairHyphens(full string) {
	var spelled *spelledIndex // built at the first break: most texts have none
	out := r.lines[:0]
	for i := 0; i < len(r.lines); i++ {
		l := r.lines[i]
		// The joined line is done (in sb) up to pending, the last line
		// joined, which ends with the hyphen being decided on.
		var sb strings.Builder
		pending := l.text
		for i+1 < len(r.lines) && r.lines[i+1].para == l.para && sb.Len()+len(pending) >= 3 &&
			brokenAt(sb.String(), pending, r.lines[i+1].text) {
			if spelled == nil {
				spelled = newSpelledIndex(full)
			}
			next := r.lines[i+1].text
			before := pending[:len(pending)-1]
			head := lastWord(before)
			if len(head) == len(before) { // the word goes on into the text before
				head = lastWord(sb.String()) + head
			}
			if spelled.has(head, firstWord(next)) {
				sb.WriteString(pending)
			} else {
				sb.WriteString(before)
			}
			pending = next
			i++
		}
		if sb.Len() > 0 { // at least one line was joined
			sb.WriteString(pending)
			l.text = sb.String()
		}
		out = append(out, l)
	}
	r.lines = out
}

// brokenAt reports whether the text done+a ends with a letter and a hyphen
// and b starts in lower case.
func brokenAt(done, a, b string) bool {
	if len(a) == 0 || a[len(a)-1] != '-' {
		return false
	}
	before := a[:len(a)-1]
	if before == "" {
		before = done
	}
	prev, _ := utf8.DecodeLastRuneInString(before)
	first, _ := utf8.DecodeRuneInString(b)
	return unicode.IsLetter(prev) && unicode.IsLower(first)
}

// spelledIndex answers whether head+"-"+tail occurs in a text, head and
// tail being what lastWord and firstWord return (head is not empty): whether
// some hyphen of the text has head just before it and tail just after. Every
// hyphen is filed under the run lastWord finds before it, by each of that
// run's last 1 … spelledKey bytes (bytes, not runes, as the old substring
// search matched bytes); the distinct (before, after) pairs under a key are
// sorted by the run after the hyphen, so a question is one map look-up and
// a binary search. Building it is linear in the text.
type spelledIndex struct {
	bySuffix map[string][]spelledPair
}

// spelledPair is the run of letters before a hyphen and the run after it.
type spelledPair struct{ before, after string }

// spelledKey bounds the suffixes filed, so the index holds at most
// spelledKey entries per hyphen; longer heads are checked against the
// whole run before the hyphen.
const spelledKey = 16

func newSpelledIndex(text string) *spelledIndex {
	x := &spelledIndex{bySuffix: map[string][]spelledPair{}}
	seen := map[spelledPair]bool{}
	for off := 0; ; {
		j := strings.IndexByte(text[off:], '-')
		if j < 0 {
			break
		}
		p := off + j
		off = p + 1
		// The runs of letters either side: scanning them is linear overall,
		// since a run touches at most the hyphens at its two ends.
		before := text[:p]
		before = before[len(before)-len(lastWord(before)):]
		pair := spelledPair{before: before, after: firstWord(text[p+1:])}
		if before == "" || seen[pair] {
			continue
		}
		seen[pair] = true
		for k := len(before) - 1; k >= 0 && len(before)-k <= spelledKey; k-- {
			suf := before[k:]
			x.bySuffix[suf] = append(x.bySuffix[suf], pair)
		}
	}
	for _, l := range x.bySuffix {
		sort.Slice(l, func(i, j int) bool { return l[i].after < l[j].after })
	}
	return x
}

// has reports whether head+"-"+tail occurs in the text, as
// strings.Contains(text, head+"-"+tail) would.
func (x *spelledIndex) has(head, tail string) bool {
	key := head
	if len(key) > spelledKey {
		key = key[len(key)-spelledKey:]
	}
	l := x.bySuffix[key]
	for i := sort.Search(len(l), func(i int) bool { return l[i].after >= tail }); i < len(l) && strings.HasPrefix(l[i].after, tail); i++ {
		if len(key) == len(head) || strings.HasSuffix(l[i].before, head) {
			return true
		}
	}
	return false
}

func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return s[i+1:]
}

func firstWord(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if i < 0 {
		return s
	}
	return s[:i]
}

// stripInline removes the stage directions and, with the transcript
// preset, the speaker label of a line.
func (r *cleanRun) stripInline(l string) string {
	if !r.c.cfg.DisableStageDirections {
		var spans []string
		l, spans = stripStageDirections(l)
		for _, sp := range spans {
			r.removals = append(r.removals, Removal{Rule: "stage direction", Text: sp})
		}
	}
	if r.c.presets.transcript {
		var label string
		if l, label = stripSpeakerLabel(l); label != "" {
			r.removals = append(r.removals, Removal{Rule: "transcript speaker label", Text: label})
		}
	}
	return l
}

func (r *cleanRun) drop(i int, rule string) {
	r.lines[i].role = roleDrop
	r.removals = append(r.removals, Removal{Rule: rule, Text: r.lines[i].text})
}

func (r *cleanRun) newSeg(kind document.SectionKind, heading string) int {
	r.segs = append(r.segs, segment{kind: kind, heading: heading})
	return len(r.segs) - 1
}

// rescueShortText files a document's title-like and heading lines as body
// when classify found no body text at all: a short text — a one-line
// statement, a tweet, a survey answer, a headline — looks like a paper's
// title or a heading, and would otherwise be kept but not analysed.
// Boilerplate and dropped lines stay as they are. It returns the number of
// lines it filed as body.
func (r *cleanRun) rescueShortText() int {
	for _, l := range r.lines {
		if l.role != roleContent && l.role != roleInline {
			continue
		}
		if k := r.segs[l.seg].kind; k.Analysed() && k != document.KindTitle {
			return 0
		}
	}
	body, n := -1, 0
	for i := range r.lines {
		l := &r.lines[i]
		frontLine := l.role == roleContent && (r.segs[l.seg].kind == document.KindFrontMatter || r.segs[l.seg].kind == document.KindTitle)
		headingLine := l.role == roleHeading && r.segs[l.seg].kind == document.KindBody
		if !frontLine && !headingLine {
			// A kept line of another section between rescued lines
			// (a reference list) ends the body section: one section
			// across it would overlap that section.
			if l.role != roleDrop {
				body = -1
			}
			continue
		}
		if body < 0 {
			body = r.newSeg(document.KindBody, "")
		}
		l.role, l.seg = roleContent, body
		n++
	}
	return n
}

// flat files every line as body (DisableSections), still dropping chrome.
func (r *cleanRun) flat() {
	seg := r.newSeg(document.KindBody, "")
	for i, l := range r.lines {
		if rule := r.chromeRule(l.text, words(l.text)); rule != "" {
			r.drop(i, rule)
			continue
		}
		r.lines[i].role, r.lines[i].seg = roleContent, seg
	}
}

// maxRuleLine is the longest line the chrome and front-matter rules look
// at: longer lines are paragraphs of prose (and regular expressions over
// them were most of the cleaner's run time).
const maxRuleLine = 400

// chromeRule names the chrome rule a line matches, or "".
func (r *cleanRun) chromeRule(t string, w int) string {
	lower := ""
	for _, rule := range r.c.chrome {
		if len(t) > maxRuleLine && rule.name != "extra" {
			continue
		}
		if lower == "" {
			lower = strings.ToLower(t)
		}
		if rule.match(t, lower, w) {
			return rule.name
		}
	}
	if j, ok := r.doc.Meta["journal"].(string); ok && r.c.chrome != nil && strings.EqualFold(strings.TrimSpace(j), t) {
		return "journal-banner"
	}
	if st := r.c.cfg.RepeatedLines; st != nil {
		if _, known := namedKind(t); !known && st.DocFreq(SiteOf(r.doc), t) >= r.c.minDocs {
			return "repeated-line"
		}
	}
	return ""
}

func matchAny(rules []lineRule, t string, w int) string {
	if len(t) > maxRuleLine {
		return ""
	}
	lower := strings.ToLower(t)
	for _, rule := range rules {
		if rule.match(t, lower, w) {
			return rule.name
		}
	}
	return ""
}

// titleKey folds a line for comparing it with the document title.
func titleKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// titleKeyPrefix is titleKey(s), cut once it is longer than limit bytes.
func titleKeyPrefix(s string, limit int) string {
	var b strings.Builder
	for _, r := range s {
		if r = unicode.ToLower(r); unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			if b.Len() > limit {
				break
			}
		}
	}
	return b.String()
}

func (r *cleanRun) isTitle(t string) bool {
	tk := titleKey(r.doc.Title)
	if tk == "" {
		return false
	}
	// A key longer than the title's only needs its first len(tk)+1 bytes
	// to compare: a 50 MB line is not folded whole.
	lk := titleKeyPrefix(t, len(tk))
	if lk == "" {
		return false
	}
	return lk == tk || (len(lk) >= len(tk)/3 && strings.HasPrefix(tk, lk)) || strings.HasPrefix(lk, tk)
}

// isHeading decides whether a line standing alone as a paragraph is a
// heading: ALL CAPS, numbered ("(1) Obstacles to …"), Title or sentence case
// without final punctuation, or a short line ending with ":" ("National
// Security Dimension:"). A line with a lead-in and text after the colon
// ("Weakened mutual benefit: After the end of …") ends with a full stop
// and so stays body text.
func isHeading(t string, w int) bool {
	if mdHeadingRE.MatchString(t) {
		return w <= 20
	}
	if w == 0 || w > 20 || len(t) > 250 || citationishRE.MatchString(t) {
		return false
	}
	if strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：") {
		return w <= 10 && startsUpper(t) && !strings.Contains(strings.TrimRight(t, ":："), ":")
	}
	if endsSentence(t) || hasInnerSentenceBreak(t) {
		return false
	}
	if isAllCaps(t) {
		return true
	}
	if !startsUpper(t) {
		return false
	}
	if numberingRE.MatchString(t) {
		return true
	}
	return w <= 16
}

// inlineLabel matches a label regexp against the start of t only.
func inlineLabel(re *regexp.Regexp, t string) []int {
	if len(t) > 40 {
		t = t[:40]
	}
	return re.FindStringIndex(t)
}

// headingPlace reports whether line l stands where a heading can: alone as
// a paragraph, or, for a known section name, an ALL CAPS line or a Markdown
// heading, at the start of a paragraph ("ABSTRACT" directly followed by its
// text in plain-text files).
func headingPlace(l *cline, t string) bool {
	if l.isolated || mdHeadingRE.MatchString(t) {
		return true
	}
	if !l.first || words(t) > 12 {
		return false
	}
	_, known := namedKind(t)
	return known || isAllCaps(t)
}

// isStrongHeading is a heading that can end a reference or footnote list,
// whose entries are often short lines without final punctuation.
func isStrongHeading(t string, w int) bool {
	if _, ok := namedKind(t); ok {
		return true
	}
	return isAllCaps(t) && w <= 20 && !endsSentence(t) && !citationishRE.MatchString(t)
}

// headingText is the heading as recorded: Markdown marks and emphasis and
// a final colon removed.
func headingText(t string) string {
	if mdHeadingRE.MatchString(t) {
		t = strings.TrimRight(strings.TrimLeft(t, "#"), "# ")
	}
	if strings.HasPrefix(t, "**") && strings.HasSuffix(t, "**") && len(t) > 4 {
		t = t[2 : len(t)-2]
	}
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t), ":："))
}

// classify assigns each line a role and a segment. See docs/corpus.md for
// the order in which the rules apply.
func (r *cleanRun) classify() {
	const (
		zoneFront = iota
		zoneMain
	)
	zone := zoneFront
	cur := -1      // the current main (heading-led) segment
	last := -1     // the segment of the last kept line
	lastPara := -1 // paragraph of the last kept line
	inChrome := false
	// keywords sections hold one paragraph; then the text before them resumes
	kwOpen, kwInline := false, false
	resumeKind, resumeHeading := document.KindBody, ""
	firstKept := true

	content := func(i, seg int) {
		r.lines[i].role, r.lines[i].seg = roleContent, seg
		last, lastPara = seg, r.lines[i].para
	}
	// mainContent puts line i into the current section, opening a
	// continuation when another kind of line came in between.
	mainContent := func(i int) {
		if cur >= 0 && r.segs[cur].kind == document.KindKeywords && kwOpen && (kwInline || r.lines[i].para != lastPara) && last == cur && lastHasContent(r.lines[:i], cur) {
			kwOpen = false
			cur = r.newSeg(resumeKind, resumeHeading)
		}
		if cur < 0 || last != cur {
			if cur < 0 {
				cur = r.newSeg(document.KindBody, "")
			} else {
				cur = r.newSeg(r.segs[cur].kind, r.segs[cur].heading)
			}
		}
		content(i, cur)
	}
	// The title is analysed once: the line(s) matching Title, or the first
	// short line when Title is unknown. A repeat of it (web captures give
	// it twice) and other short lines stay front matter.
	titleSeg, titleKeys := -1, map[string]bool{}
	titleKind := func(t string, first bool) document.SectionKind {
		k := titleKey(t)
		if titleKeys[k] || (titleSeg >= 0 && last != titleSeg) || !(r.isTitle(t) || (first && r.doc.Title == "" && !headerLike(t))) {
			return document.KindFrontMatter
		}
		titleKeys[k] = true
		return document.KindTitle
	}
	side := func(i int, kind document.SectionKind) { // title, front matter and boilerplate lines
		if last < 0 || r.segs[last].kind != kind || last == cur {
			last = r.newSeg(kind, "")
		}
		content(i, last)
		if kind == document.KindTitle {
			titleSeg = last
		}
	}
	heading := func(i int, kind document.SectionKind, text string) {
		if kind == document.KindKeywords {
			kwOpen, kwInline = true, false
			if cur >= 0 && r.segs[cur].kind.Analysed() {
				resumeKind, resumeHeading = r.segs[cur].kind, r.segs[cur].heading
			}
		} else {
			kwOpen = false
		}
		cur = r.newSeg(kind, text)
		r.lines[i].role, r.lines[i].seg = roleHeading, cur
		last, lastPara = cur, r.lines[i].para
		zone = zoneMain
	}

	for i := range r.lines {
		l := &r.lines[i]
		t, w := l.text, words(l.text)
		if rule := r.chromeRule(t, w); rule != "" {
			r.drop(i, rule)
			continue
		}
		if rule := matchAny(r.c.openers, t, w); rule != "" {
			r.drop(i, rule)
			inChrome = true
			continue
		}
		if inChrome {
			if headingPlace(l, t) && isStrongHeading(t, w) {
				inChrome = false
			} else {
				side(i, document.KindBoilerplate)
				continue
			}
		}
		if cur < 0 || !(r.segs[cur].kind == document.KindReferences || r.segs[cur].kind == document.KindFootnotes) {
			if m := inlineLabel(inlineKwRE, t); m != nil && m[1] < len(t) {
				if cur >= 0 && r.segs[cur].kind.Analysed() {
					resumeKind, resumeHeading = r.segs[cur].kind, r.segs[cur].heading
				}
				cur = r.newSeg(document.KindKeywords, headingText(strings.TrimSpace(t[:m[1]])))
				l.role, l.seg, l.labelLen = roleInline, cur, m[1]
				last, lastPara = cur, l.para
				kwOpen, kwInline, zone = true, true, zoneMain
				continue
			}
			if m := inlineLabel(inlineAbsRE, t); m != nil && words(t[m[1]:]) >= 5 {
				cur = r.newSeg(document.KindAbstract, headingText(strings.TrimSpace(t[:m[1]])))
				l.role, l.seg, l.labelLen = roleInline, cur, m[1]
				last, lastPara = cur, l.para
				kwOpen, zone = false, zoneMain
				continue
			}
		}
		if rule := matchAny(r.c.front, t, w); rule != "" {
			side(i, document.KindFrontMatter)
			continue
		}
		if cur >= 0 && (r.segs[cur].kind == document.KindReferences || r.segs[cur].kind == document.KindFootnotes) {
			if headingPlace(l, t) && isStrongHeading(t, w) {
				kind, ok := namedKind(t)
				if !ok {
					kind = document.KindBody
				}
				heading(i, kind, headingText(t))
			} else {
				mainContent(i)
			}
			continue
		}
		if zone == zoneFront && r.c.front != nil {
			wasFirst := firstKept
			firstKept = false
			kind, known := namedKind(t)
			switch {
			case r.isTitle(t) || (wasFirst && !known && w <= 30 && !endsSentence(t) && l.paraLen <= 3):
				side(i, titleKind(t, wasFirst))
				continue
			case !known && w <= 40 && !hasInnerSentenceBreak(t) && affiliationRE.MatchString(t):
				side(i, document.KindFrontMatter)
				continue
			case known && headingPlace(l, t):
				heading(i, kind, headingText(t))
				continue
			case headingPlace(l, t) && isHeading(t, w) && (isAllCaps(t) || numberingRE.MatchString(t) || mdHeadingRE.MatchString(t)):
				heading(i, document.KindBody, headingText(t))
				continue
			case w <= 30 && !(endsSentence(t) && w >= 12) && l.paraLen <= 3:
				side(i, document.KindFrontMatter)
				continue
			}
			zone = zoneMain
		}
		if headingPlace(l, t) && isHeading(t, w) {
			kind, ok := namedKind(t)
			if !ok {
				kind = document.KindBody
			}
			heading(i, kind, headingText(t))
			continue
		}
		zone = zoneMain
		mainContent(i)
	}
}

// lastHasContent reports whether segment seg already holds a content line.
func lastHasContent(lines []cline, seg int) bool {
	for j := len(lines) - 1; j >= 0; j-- {
		if lines[j].seg == seg && (lines[j].role == roleContent || lines[j].role == roleInline) {
			return true
		}
		if lines[j].role != roleDrop && lines[j].seg != seg {
			return false
		}
	}
	return false
}

// build writes Clean from the kept lines and turns segments into Sections.
func (r *cleanRun) build() {
	type span struct {
		hs, he, s, e int
		head, body   bool
	}
	spans := make([]span, len(r.segs))
	var b strings.Builder
	b.Grow(len(r.doc.Raw))
	prevPara := -1
	for _, l := range r.lines {
		if l.role == roleDrop {
			continue
		}
		if b.Len() > 0 {
			if l.para != prevPara {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		prevPara = l.para
		if !r.c.cfg.DisableFootnoteMarks && l.role != roleHeading && r.segs[l.seg].kind.Analysed() {
			l.text = stripFootMarks(l.text)
		}
		start := b.Len()
		b.WriteString(l.text)
		end := b.Len()
		sp := &spans[l.seg]
		switch l.role {
		case roleHeading:
			// The heading span stops before a trailing colon, as the
			// section's heading name does.
			sp.hs, sp.he, sp.head = start, start+len(strings.TrimRight(l.text, ": ")), true
		case roleInline:
			label := strings.TrimRight(l.text[:l.labelLen], ": ")
			sp.hs, sp.he, sp.head = start, start+len(label), true
			sp.s, sp.e, sp.body = start+l.labelLen, end, true
		case roleContent:
			if !sp.body {
				sp.s, sp.body = start, true
			}
			sp.e = end
		}
	}
	clean := b.String()
	var secs []document.Section
	for i, sg := range r.segs {
		sp := spans[i]
		if !sp.head && !sp.body {
			continue
		}
		sec := document.Section{Heading: sg.heading, Kind: sg.kind}
		if sp.head {
			sec.HeadingStart, sec.HeadingEnd = sp.hs, sp.he
		}
		if sp.body {
			sec.Start, sec.End = sp.s, sp.e
		} else {
			sec.Start, sec.End = sp.he, sp.he
		}
		secs = append(secs, sec)
	}
	// In the order of the text: segments are numbered as they are made,
	// and the body rescueShortText makes comes after the sections it found
	// (FuzzClean: "A\n\nReferences" gave the references section first).
	at := func(s document.Section) int {
		if s.HeadingEnd > 0 {
			return s.HeadingStart
		}
		return s.Start
	}
	sort.SliceStable(secs, func(i, j int) bool { return at(secs[i]) < at(secs[j]) })
	var kws []string
	for i := range secs {
		secs[i].Index = i
		if secs[i].Kind == document.KindKeywords && secs[i].End > secs[i].Start {
			kws = appendKeywords(kws, clean[secs[i].Start:secs[i].End])
		}
	}
	r.doc.Clean = clean
	r.doc.Sections = secs
	r.doc.AuthorKeywords = kws
	removed := utf8.RuneCountInString(r.doc.Raw) - utf8.RuneCountInString(clean) + r.inserted
	if removed < 0 {
		removed = 0
	}
	r.doc.RemovedChars = removed
}

// appendKeywords splits a keywords text at commas, semicolons, bullets and
// bars, adding the keywords not yet in kws.
func appendKeywords(kws []string, text string) []string {
	parts := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == '·' || r == '•' || r == '|' || r == '\n'
	})
	for _, p := range parts {
		p = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(p), "."))
		if p == "" {
			continue
		}
		dup := false
		for _, k := range kws {
			if strings.EqualFold(k, p) {
				dup = true
				break
			}
		}
		if !dup {
			kws = append(kws, p)
		}
	}
	return kws
}

// headerLike reports a first line that is a mail or news header ("From:
// a@b.org (A B)", "Subject: …"), holds an address, or introduces what
// follows ("Fellow-Citizens of the Senate and House of Representatives:"):
// not a title.
func headerLike(t string) bool {
	if strings.ContainsAny(t, "@") || strings.Contains(t, "://") || strings.HasSuffix(strings.TrimSpace(t), ":") {
		return true
	}
	f, _, ok := strings.Cut(t, " ")
	return ok && strings.HasSuffix(f, ":")
}
