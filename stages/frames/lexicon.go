package frames

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Lexicon is a set of frames, each a list of entries. It is plain data: any
// loader fills it, and a Matcher compiles it once.
type Lexicon struct {
	// Name and License describe the lexicon (from the file's header keys).
	Name    string
	License string
	// Source is the file it was read from ("" for the embedded default).
	Source string
	Frames []Frame
	// References are the published works entries cite by key (Entry.Sources).
	References []Reference
	// DerivedFrom lists the corpora the entries were chosen by reading:
	// corpus paths, "doc:<id>" document ids, or "sample" for the built-in
	// sample. A run scoring one of them says so (Provenance): a frame
	// contrast on the text the lexicon was written from partly confirms
	// itself.
	DerivedFrom []string
}

// Reference is a published work a lexicon's entries come from.
type Reference struct {
	Key, Citation string
}

// Frame is one framing dimension.
type Frame struct {
	Name        string
	Description string
	// Note says how the entries were chosen.
	Note    string
	Entries []Entry
}

// Entry is one lexicon term: a word ("visa"), a prefix wildcard ("secur*"),
// or a phrase of several words whose words may themselves end in "*"
// ("export control*").
type Entry struct {
	// Pattern is the term as written (lower-cased, single-spaced).
	Pattern string
	// Weight multiplies the hit in weighted counts; 0 means 1.
	Weight float64
	// Lemma matches the entry's words against token lemmas instead of
	// lower-case forms ("restrict" then also matches "restricted").
	Lemma bool
	// Line is the 1-based line in the source file (0 when unknown).
	Line int
	// Exclude lists words a wildcard word of the entry must not match:
	// exact forms ("scarcely") or prefixes ("importan*"). Each must start
	// with the text of one of the entry's wildcard words.
	Exclude []string
	// Sources are the keys of the Lexicon.References the entry comes from.
	Sources []string
}

// weight returns the effective weight of e.
func (e Entry) weight() float64 {
	if e.Weight == 0 {
		return 1
	}
	return e.Weight
}

// FrameNames lists the frame names in lexicon order.
func (l *Lexicon) FrameNames() []string {
	out := make([]string, len(l.Frames))
	for i, f := range l.Frames {
		out[i] = f.Name
	}
	return out
}

// Frame returns the frame called name, or nil.
func (l *Lexicon) Frame(name string) *Frame {
	for i := range l.Frames {
		if l.Frames[i].Name == name {
			return &l.Frames[i]
		}
	}
	return nil
}

// NormalizePattern lower-cases a term, turns typographic apostrophes into
// ASCII ones and collapses runs of white space.
func NormalizePattern(s string) string {
	if normal(s) {
		return s // most tokens' lemmas: no copy
	}
	s = strings.ReplaceAll(strings.ToLower(s), "’", "'")
	return strings.Join(strings.Fields(s), " ")
}

// normal reports whether NormalizePattern would return s unchanged because
// it is ASCII without upper case or white space.
func normal(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' || c == ' ' || '\t' <= c && c <= '\r' {
			return false
		}
	}
	return true
}

// Validate checks names, patterns and weights.
func (l *Lexicon) Validate() error {
	if len(l.Frames) == 0 {
		return fmt.Errorf("lexicon %s: no frames", l.label())
	}
	seen := map[string]bool{}
	for _, f := range l.Frames {
		if f.Name == "" {
			return fmt.Errorf("lexicon %s: frame without a name", l.label())
		}
		if seen[f.Name] {
			return fmt.Errorf("lexicon %s: frame %q defined twice", l.label(), f.Name)
		}
		seen[f.Name] = true
		for _, e := range f.Entries {
			if err := checkPattern(e.Pattern); err != nil {
				return &ParseError{File: l.Source, Line: e.Line, Err: fmt.Errorf("frame %q: %w", f.Name, err)}
			}
			if err := checkExclude(e.Pattern, e.Exclude); err != nil {
				return &ParseError{File: l.Source, Line: e.Line, Err: fmt.Errorf("frame %q: %w", f.Name, err)}
			}
			for _, k := range e.Sources {
				if l.reference(k) == nil {
					return &ParseError{File: l.Source, Line: e.Line, Err: fmt.Errorf("frame %q entry %q: source %q is not a key of the lexicon's references", f.Name, e.Pattern, k)}
				}
			}
			if e.Weight < 0 {
				return &ParseError{File: l.Source, Line: e.Line, Err: fmt.Errorf("frame %q entry %q: negative weight %g", f.Name, e.Pattern, e.Weight)}
			}
		}
	}
	return nil
}

// reference returns the reference with key k, or nil.
func (l *Lexicon) reference(k string) *Reference {
	for i := range l.References {
		if l.References[i].Key == k {
			return &l.References[i]
		}
	}
	return nil
}

func (l *Lexicon) label() string {
	if l.Source != "" {
		return l.Source
	}
	if l.Name != "" {
		return l.Name
	}
	return "(unnamed)"
}

// checkPattern rejects empty entries, bare "*" and inner wildcards.
func checkPattern(p string) error {
	if strings.TrimSpace(p) == "" {
		return fmt.Errorf("empty entry")
	}
	for _, w := range strings.Fields(p) {
		if w == "*" {
			return fmt.Errorf("entry %q: a word cannot be a bare *", p)
		}
		if i := strings.IndexByte(w, '*'); i >= 0 && i != len(w)-1 {
			return fmt.Errorf("entry %q: * is only allowed at the end of a word", p)
		}
	}
	return nil
}

// checkExclude checks an entry's exclusions. A one-word exclusion
// ("importan*", "scarcely") is a word a wildcard word of the entry must
// not match: it must be narrower than one of them. A phrase exclusion
// ("security council") is a longer phrase that, where it matches at the
// entry's first word, vetoes the match: its words must match the entry's
// words as far as the entry goes. An exclusion that could never apply is
// an error: a typo.
func checkExclude(pattern string, exclude []string) error {
	if len(exclude) == 0 {
		return nil
	}
	words := strings.Fields(NormalizePattern(pattern))
	var prefixes []string
	for _, w := range words {
		if strings.HasSuffix(w, "*") {
			prefixes = append(prefixes, strings.TrimSuffix(w, "*"))
		}
	}
	for _, x := range exclude {
		x = NormalizePattern(x)
		if err := checkPattern(x); err != nil {
			return fmt.Errorf("entry %q: exclusion: %w", pattern, err)
		}
		if xw := strings.Fields(x); len(xw) > 1 {
			ok := len(xw) > len(words)
			for k := 0; ok && k < len(words); k++ {
				w := words[k]
				ok = xw[k] == w || strings.HasSuffix(w, "*") && strings.HasPrefix(strings.TrimSuffix(xw[k], "*"), strings.TrimSuffix(w, "*"))
			}
			if !ok {
				return fmt.Errorf("entry %q: phrase exclusion %q never applies: it must be longer than the entry and begin with words the entry matches", pattern, x)
			}
			continue
		}
		if len(prefixes) == 0 {
			return fmt.Errorf("entry %q: exclusion %q: a one-word exclusion applies to words an entry's * matches, and the entry has no wildcard word (to veto a longer phrase, list the phrase)", pattern, x)
		}
		stem := strings.TrimSuffix(x, "*")
		ok := false
		for _, p := range prefixes {
			// "importan*" under "import*"; the exclusion must be narrower
			// than the wildcard, or it would remove every match.
			if strings.HasPrefix(stem, p) && (len(stem) > len(p) || !strings.HasSuffix(x, "*")) {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("entry %q: exclusion %q never applies: it must be narrower than a wildcard word of the entry (%s*)", pattern, x, strings.Join(prefixes, "*, "))
		}
	}
	return nil
}

// ParseError is a problem at a line of a lexicon file.
type ParseError struct {
	File string
	Line int // 1-based; 0 when unknown
	Err  error
}

func (e *ParseError) Error() string {
	file := e.File
	if file == "" {
		file = "lexicon"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", file, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", file, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }
