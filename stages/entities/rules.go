package entities

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/framelens/framelens/corpus/document"
)

// RuleFile is the YAML form of an entity-rules file, in the spirit of
// spaCy's EntityRuler:
//
//	rules:
//	  - label: LAW
//	    canonical: Thousand Talents Plan
//	    phrases: ["Thousand Talents Plan", "Thousand Talents Program"]
//	  - label: GPE
//	    canonical: [China, United States]   # one mention per name
//	    phrases: [Sino-US, US-China]
//	  - label: DATE
//	    patterns:
//	      - [{lower_in: [early, mid, late], op: "?"}, {regex: '^(1[6-9]|20)\d0s$'}]
//	  - label: O                            # block: no entity here
//	    phrases: [COVID-19]
type RuleFile struct {
	Rules []Rule `yaml:"rules"`
}

// Rule maps phrases or token patterns to a label and canonical names.
type Rule struct {
	Label string `yaml:"label"`
	// Canonical names the actor; several names make one mention each. Empty
	// means the matched text itself.
	Canonical stringList `yaml:"canonical"`
	// Phrases are literal spellings, matched case-sensitively unless
	// IgnoreCase is set.
	Phrases    []string `yaml:"phrases"`
	IgnoreCase bool     `yaml:"ignore_case"`
	// Patterns are token patterns: one map per token.
	Patterns [][]TokenSpec `yaml:"patterns"`
}

// TokenSpec constrains one token of a pattern. All set fields must hold.
type TokenSpec struct {
	Text     string   `yaml:"text"`
	Lower    string   `yaml:"lower"`
	In       []string `yaml:"in"`
	LowerIn  []string `yaml:"lower_in"`
	NotLower []string `yaml:"not_lower_in"`
	Regex    string   `yaml:"regex"`
	POS      string   `yaml:"pos"` // Penn tag prefix: "NNP" matches NNP and NNPS
	IsTitle  bool     `yaml:"is_title"`
	IsUpper  bool     `yaml:"is_upper"`
	IsDigit  bool     `yaml:"is_digit"`
	// Op repeats the token: "" once, "?" optional, "+" one or more, "*" any.
	Op string `yaml:"op"`
}

type stringList []string

func (s *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = []string{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*s = l
	return nil
}

// compiled token spec.
type tokSpec struct {
	text, lower string
	in, lowerIn map[string]bool
	notLower    map[string]bool
	re          *regexp.Regexp
	reFirst     *[256]bool // possible first bytes of a match, when known
	// reClass is the category of a regex `^\p{Cat}` (a token starting
	// with a capital: `^\p{Lu}`), tested without the regexp, which was
	// most of the rules' time.
	reClass      *unicode.RangeTable
	pos          string
	title, upper bool
	digit        bool
	min, max     int // repetitions; max -1 = unbounded
}

type tokPattern struct {
	specs     []tokSpec
	label     string
	canonical []string
	rank      int
	general   bool // not indexed by its first token: runs on every span
}

func setOf(l []string, lower bool) map[string]bool {
	if len(l) == 0 {
		return nil
	}
	m := make(map[string]bool, len(l))
	for _, s := range l {
		if lower {
			s = strings.ToLower(s)
		}
		m[s] = true
	}
	return m
}

func compileSpec(ts TokenSpec) (tokSpec, error) {
	c := tokSpec{text: ts.Text, lower: strings.ToLower(ts.Lower), in: setOf(ts.In, false),
		lowerIn: setOf(ts.LowerIn, true), notLower: setOf(ts.NotLower, true), pos: ts.POS,
		title: ts.IsTitle, upper: ts.IsUpper, digit: ts.IsDigit, min: 1, max: 1}
	switch ts.Op {
	case "":
	case "?":
		c.min = 0
	case "+":
		c.max = -1
	case "*":
		c.min, c.max = 0, -1
	default:
		return c, fmt.Errorf("op: %q is not an op (want ?, + or *)", ts.Op)
	}
	if ts.Regex != "" {
		re, err := regexp.Compile(ts.Regex)
		if err != nil {
			return c, fmt.Errorf("regex: %w", err)
		}
		c.re = re
		if set, ok := firstBytes(ts.Regex); ok && strings.HasPrefix(ts.Regex, "^") {
			c.reFirst = &set
		}
		if m := classRE.FindStringSubmatch(ts.Regex); m != nil && unicode.Categories[m[1]] != nil {
			c.re, c.reClass = nil, unicode.Categories[m[1]]
		}
	}
	return c, nil
}

func (c *tokSpec) matches(t *document.Token) bool {
	if c.text != "" && t.Text != c.text {
		return false
	}
	if c.in != nil && !c.in[t.Text] {
		return false
	}
	// Cheap checks on the first character before any map or regexp.
	if c.title || c.upper || c.digit {
		r, size := utf8.DecodeRuneInString(t.Text)
		if size == 0 {
			return false
		}
		if c.title && (!unicode.IsUpper(r) || size < len(t.Text) && isAllCapsWord(t.Text)) {
			return false
		}
		if c.upper && !isAllCapsWord(t.Text) {
			return false
		}
		if c.digit && strings.IndexFunc(t.Text, func(x rune) bool { return !unicode.IsDigit(x) }) >= 0 {
			return false
		}
	}
	if c.re != nil && c.reFirst != nil && (t.Text == "" || !c.reFirst[t.Text[0]]) {
		return false
	}
	if c.pos != "" && !strings.HasPrefix(t.POS, c.pos) {
		return false
	}
	if c.lower != "" || c.lowerIn != nil || c.notLower != nil {
		l := t.Lower
		if l == "" {
			l = strings.ToLower(t.Text)
		}
		if c.lower != "" && l != c.lower || c.lowerIn != nil && !c.lowerIn[l] || c.notLower[l] {
			return false
		}
	}
	if c.re != nil && !c.re.MatchString(t.Text) {
		return false
	}
	if c.reClass != nil {
		r, _ := utf8.DecodeRuneInString(t.Text)
		return unicode.Is(c.reClass, r) // "" and invalid UTF-8 decode to U+FFFD, as in regexp
	}
	return true
}

// classRE matches a regex that only asks for a first character of a Unicode
// category.
var classRE = regexp.MustCompile(`^\^\\p\{([A-Za-z]{1,2})\}$`)

// A token pattern is an automaton: state k waits for specs[k] (state
// len(specs) accepts), and a repeated spec ("+", "*") has a second state,
// "specs[k] taken at least once, may take more". Its longest match from
// every start of a span comes from one right-to-left pass over the span
// that keeps, for each state, the furthest end reachable from the current
// position (-1: none). That is O(tokens × specs) for any pattern, where
// trying every way of splitting the tokens between the specs (backtracking)
// is exponential in the number of repeated specs. The furthest end over
// all paths is exactly what backtracking returned.
//
// runPattern calls emit(start, end) for every start in [lo, hi) with a
// non-empty match, from the last start to the first, and returns buf for
// reuse.
func runPattern(specs []tokSpec, toks []document.Token, lo, hi int, buf []int, emit func(start, end int)) []int {
	m := len(specs)
	// Rows: end[0..m] and loop[0..m-1], for position j (cur) and j+1 (next).
	w := 2*m + 1
	if cap(buf) < 2*w {
		buf = make([]int, 2*w)
	}
	buf = buf[:2*w]
	next, cur := buf[:w], buf[w:]
	for k := range next {
		next[k] = -1
	}
	// At hi no token can be taken: a state reaches hi when every spec from
	// it on is optional.
	next[m] = hi
	for k := m - 1; k >= 0; k-- {
		if specs[k].max < 0 {
			next[m+1+k] = next[k+1]
		}
		if specs[k].min == 0 {
			next[k] = next[k+1]
		} else {
			next[k] = -1
		}
	}
	for j := hi - 1; j >= lo; j-- {
		t := &toks[j]
		cur[m] = j
		for k := m - 1; k >= 0; k-- {
			c := &specs[k]
			// The spec is tested only when taking the token could lead to
			// an end: most tokens never reach the regular expressions.
			if c.max < 0 {
				nl := next[m+1+k]
				ok := nl >= 0 && c.matches(t)
				loop := cur[k+1]
				if ok && nl > loop {
					loop = nl
				}
				cur[m+1+k] = loop
				switch {
				case c.min == 0:
					cur[k] = loop
				case ok:
					cur[k] = nl
				default:
					cur[k] = -1
				}
				continue
			}
			v := -1
			if ne := next[k+1]; ne >= 0 && c.matches(t) {
				v = ne
			}
			if c.min == 0 && cur[k+1] > v {
				v = cur[k+1]
			}
			cur[k] = v
		}
		if cur[0] > j {
			emit(j, cur[0])
		}
		next, cur = cur, next
	}
	return buf
}

// matchStarts finds the longest match from each of starts (ascending, in
// [lo, hi)) by running the automaton forward from it until no state is
// left, and calls emit(start, end) for each non-empty one: the matches
// runPattern finds at those starts, in time of the matches' reach, not of
// the span. A pattern indexed by its first token can only start at the
// tokens that first spec takes, and in a sentence of a million tokens
// (a document without sentence ends) a right-to-left pass over the whole
// span for every pattern whose first word occurs anywhere in it costs
// tokens × patterns. When the runs together step over more tokens than
// the span holds (long repeated specs from dense starts), it stops and
// returns false, having emitted nothing: runPattern is then linear.
func matchStarts(specs []tokSpec, toks []document.Token, hi int, starts []int, scratch *[]int32, emit func(start, end int)) bool {
	if len(starts) == 0 {
		return true
	}
	m := len(specs)
	// States 0..m wait for specs[k] (m accepts); m+1+k is "specs[k] taken,
	// may take more" for a repeated spec.
	budget := hi - starts[0]
	type hit struct{ s, e int }
	var found []hit
	on := make([]bool, 2*m+1)
	cur, next := (*scratch)[:0], []int32(nil)
	// add puts state k and every state it reaches without a token into set.
	var add func(set []int32, k int) []int32
	add = func(set []int32, k int) []int32 {
		if on[k] {
			return set
		}
		on[k] = true
		set = append(set, int32(k))
		switch {
		case k > m:
			return add(set, k-m) // a repeated spec may stop: on to specs[k-m-1+1]
		case k < m && specs[k].min == 0:
			return add(set, k+1)
		}
		return set
	}
	for _, j := range starts {
		clear(on)
		cur = add(cur[:0], 0)
		end := -1
		for p := j; ; p++ {
			if on[m] {
				end = p
			}
			if p == hi || len(cur) == 0 {
				break
			}
			if budget--; budget < 0 {
				*scratch = cur
				return false
			}
			t := &toks[p]
			clear(on)
			next = next[:0]
			for _, k := range cur {
				switch {
				case int(k) == m:
				case int(k) > m:
					if specs[int(k)-m-1].matches(t) {
						next = add(next, int(k))
					}
				case specs[k].matches(t):
					if specs[k].max < 0 {
						next = add(next, m+1+int(k))
					} else {
						next = add(next, int(k)+1)
					}
				}
			}
			cur, next = next, cur
		}
		if end > j {
			found = append(found, hit{j, end})
		}
	}
	*scratch = cur
	for _, h := range found {
		emit(h.s, h.e)
	}
	return true
}

// ruleSet is the compiled rules layer.
type ruleSet struct {
	phrases  *phraseIndex
	patterns []tokPattern
	// byFirst indexes patterns whose first token is fixed by text/lower;
	// the others are tried at every token.
	byFirst map[string][]int
	general []int
}

func (rs *ruleSet) addFile(name string, data []byte, rank int) error {
	var f RuleFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("entity rules %s: %w", name, err)
	}
	for i, r := range f.Rules {
		where := fmt.Sprintf("entity rules %s: rule %d", name, i+1)
		if r.Label == "" {
			return fmt.Errorf("%s: no label", where)
		}
		if len(r.Phrases) == 0 && len(r.Patterns) == 0 {
			return fmt.Errorf("%s (%s): no phrases or patterns", where, r.Label)
		}
		for _, p := range r.Phrases {
			if !rs.phrases.add(phrase{text: p, foldCase: r.IgnoreCase, label: r.Label,
				canonical: r.Canonical, source: SourceRule, rank: rank}) {
				return fmt.Errorf("%s: phrase %q must start with a letter or digit", where, p)
			}
		}
		for j, pat := range r.Patterns {
			tp := tokPattern{label: r.Label, canonical: r.Canonical, rank: rank}
			required := 0
			for k, ts := range pat {
				c, err := compileSpec(ts)
				if err != nil {
					// Name the key, as a YAML path, so the user finds it.
					return fmt.Errorf("%s pattern %d (rules[%d].patterns[%d][%d]): %w", where, j+1, i, j, k, err)
				}
				required += c.min
				tp.specs = append(tp.specs, c)
			}
			if required == 0 {
				return fmt.Errorf("%s pattern %d: matches the empty sequence", where, j+1)
			}
			idx := len(rs.patterns)
			rs.patterns = append(rs.patterns, tp)
			first := tp.specs[0]
			switch {
			case first.min == 1 && first.text != "":
				rs.byFirst[strings.ToLower(first.text)] = append(rs.byFirst[strings.ToLower(first.text)], idx)
			case first.min == 1 && first.lower != "":
				rs.byFirst[first.lower] = append(rs.byFirst[first.lower], idx)
			case first.min == 1 && first.lowerIn != nil && len(first.lowerIn) <= 32:
				for w := range first.lowerIn {
					rs.byFirst[w] = append(rs.byFirst[w], idx)
				}
			default:
				rs.general = append(rs.general, idx)
				rs.patterns[idx].general = true
			}
		}
	}
	return nil
}

// ruleScratch is one worker's reusable memory for matchPatterns.
type ruleScratch struct {
	buf    []int
	need   []bool
	hits   []ruleHit
	starts [][]int
	states []int32
}

type ruleHit struct{ ts, te, order, pi int }

func (rs *ruleSet) matchPatterns(toks []document.Token, lo, hi int, out []candidate, sc *ruleScratch) []candidate {
	if len(rs.patterns) == 0 || lo >= hi {
		return out
	}
	// A pattern indexed by its first token runs only on spans holding that
	// token; the others run on every span.
	if cap(sc.need) < len(rs.patterns) {
		sc.need = make([]bool, len(rs.patterns))
	}
	need := sc.need[:len(rs.patterns)]
	clear(need)
	// starts lists, for each indexed pattern, the tokens its first spec
	// can take, ascending: its only possible starts.
	if cap(sc.starts) < len(rs.patterns) {
		sc.starts = make([][]int, len(rs.patterns))
	}
	starts := sc.starts[:len(rs.patterns)]
	for pi := range starts {
		starts[pi] = starts[pi][:0]
	}
	if len(rs.byFirst) > 0 {
		for i := lo; i < hi; i++ {
			l := toks[i].Lower
			if l == "" {
				l = strings.ToLower(toks[i].Text)
			}
			for _, pi := range rs.byFirst[l] {
				need[pi] = true
				starts[pi] = append(starts[pi], i)
			}
		}
	}
	for _, pi := range rs.general {
		need[pi] = true
	}
	// Candidates keep the order the earlier backtracking matcher made them
	// in (by start; at one start, indexed patterns, then the others, each in
	// file order): ties in precedence are resolved by that order.
	hits := sc.hits[:0]
	for pi := range rs.patterns {
		if !need[pi] {
			continue
		}
		order := pi
		if rs.patterns[pi].general {
			order += len(rs.patterns)
		}
		emit := func(s, e int) {
			hits = append(hits, ruleHit{ts: s, te: e, order: order, pi: pi})
		}
		if !rs.patterns[pi].general && matchStarts(rs.patterns[pi].specs, toks, hi, starts[pi], &sc.states, emit) {
			continue
		}
		sc.buf = runPattern(rs.patterns[pi].specs, toks, lo, hi, sc.buf, emit)
	}
	slices.SortFunc(hits, func(a, b ruleHit) int {
		if a.ts != b.ts {
			return a.ts - b.ts
		}
		return a.order - b.order
	})
	for _, h := range hits {
		p := &rs.patterns[h.pi]
		out = append(out, candidate{ts: h.ts, te: h.te, start: toks[h.ts].Start, end: toks[h.te-1].End,
			label: p.label, canonical: p.canonical, source: SourceRule, rank: p.rank})
	}
	sc.hits = hits
	return out
}
