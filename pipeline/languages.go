package pipeline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/framelens/framelens/stages/lang"
)

// writeLanguages prints the documents per language when any is not
// English, says what those documents do not get, and marks groups in
// different languages: keyness between them contrasts vocabularies, not
// framing, and an English frame lexicon finds nothing in other languages.
func (s *Summary) writeLanguages(b *strings.Builder) {
	other := 0
	codes := make([]string, 0, len(s.Languages))
	for c, n := range s.Languages {
		codes = append(codes, c)
		if c != "en" {
			other += n
		}
	}
	if other == 0 {
		return
	}
	sort.Slice(codes, func(i, j int) bool {
		if s.Languages[codes[i]] != s.Languages[codes[j]] {
			return s.Languages[codes[i]] > s.Languages[codes[j]]
		}
		return codes[i] < codes[j]
	})
	b.WriteString("\nDocuments per language:\n")
	for _, c := range codes {
		name := c
		if c == "" {
			name = "(not identified: analysed as English)"
		} else {
			name += " (" + lang.LanguageName(c) + ")"
		}
		fmt.Fprintf(b, "  %-24s %d\n", name, s.Languages[c])
	}
	fmt.Fprintf(b, "  %d documents are not (identified as) English: named entities, part-of-speech tags and lemmas are English-only and skip them; each says what it gets in documents.warnings\n", other)
	if mixed := s.mixedGroups(); mixed != "" {
		fmt.Fprintf(b, "  Groups differ in language (%s): keyness and frame rates compared across languages contrast vocabularies, not framing; compare groups within one language\n", mixed)
	}
}

// mixedGroups describes each group's main language when the groups do not
// all share one ("A: en, B: zh"), or "" when they do.
func (s *Summary) mixedGroups() string {
	if len(s.GroupLanguages) < 2 {
		return ""
	}
	groups := make([]string, 0, len(s.GroupLanguages))
	for g := range s.GroupLanguages {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	var parts []string
	langs := map[string]bool{}
	for _, g := range groups {
		var cs []string
		for c := range s.GroupLanguages[g] {
			cs = append(cs, c)
			if c == "" {
				c = "en" // analysed as English
			}
			langs[c] = true
		}
		sort.Strings(cs)
		name := g
		if name == "" {
			name = "(no group)"
		}
		parts = append(parts, name+": "+strings.Join(cs, "+"))
	}
	if len(langs) < 2 {
		return ""
	}
	return strings.Join(parts, ", ")
}
