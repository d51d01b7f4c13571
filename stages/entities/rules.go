package entities

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/framelens/framelens/corpus"
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
	text, lower  string
	in, lowerIn  map[string]bool
	notLower     map[string]bool
	re           *regexp.Regexp
	reFirst      *[256]bool // possible first bytes of a match, when known
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
		return c, fmt.Errorf("op %q (want ?, + or *)", ts.Op)
	}
	if ts.Regex != "" {
		re, err := regexp.Compile(ts.Regex)
		if err != nil {
			return c, err
		}
		c.re = re
		if set, ok := firstBytes(ts.Regex); ok && strings.HasPrefix(ts.Regex, "^") {
			c.reFirst = &set
		}
	}
	return c, nil
}

func (c *tokSpec) matches(t *corpus.Token) bool {
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
	return true
}

// longest returns the end of the longest match of specs[k:] at token i, or
// -1. Patterns are short, so plain backtracking is enough.
func longest(specs []tokSpec, k int, toks []corpus.Token, i, hi int) int {
	if k == len(specs) {
		return i
	}
	c := &specs[k]
	best := -1
	// Count how many tokens from i this spec could take.
	n := 0
	for i+n < hi && (c.max < 0 || n < c.max) && c.matches(&toks[i+n]) {
		n++
	}
	for take := n; take >= c.min; take-- {
		if e := longest(specs, k+1, toks, i+take, hi); e > best {
			best = e
		}
	}
	return best
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
			for _, ts := range pat {
				c, err := compileSpec(ts)
				if err != nil {
					return fmt.Errorf("%s pattern %d: %w", where, j+1, err)
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
			}
		}
	}
	return nil
}

func (rs *ruleSet) matchPatterns(toks []corpus.Token, lo, hi int, out []candidate) []candidate {
	if len(rs.patterns) == 0 {
		return out
	}
	try := func(pi, i int) {
		p := &rs.patterns[pi]
		if e := longest(p.specs, 0, toks, i, hi); e > i {
			out = append(out, candidate{ts: i, te: e, start: toks[i].Start, end: toks[e-1].End,
				label: p.label, canonical: p.canonical, source: SourceRule, rank: p.rank})
		}
	}
	for i := lo; i < hi; i++ {
		if len(rs.byFirst) > 0 {
			l := toks[i].Lower
			if l == "" {
				l = strings.ToLower(toks[i].Text)
			}
			for _, pi := range rs.byFirst[l] {
				try(pi, i)
			}
		}
		for _, pi := range rs.general {
			try(pi, i)
		}
	}
	return out
}
