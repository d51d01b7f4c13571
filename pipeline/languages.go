package pipeline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/framelens/framelens/stages/compare"
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

// mixedGroups lists each group's languages and their shares of its
// documents ("cn: zh 100%; us: en 100%") when the groups differ in
// language, or "" when they do not. Groups differ when some language's
// share of documents is more than compare.MaxLanguageShareGap (10 points)
// apart in two groups: the bar at which a comparison of the two is marked
// in comparisons.warnings, so the run warns exactly when some comparison
// of two groups would be. A few stray documents (a table of scores or a
// binary detected as French among hundreds of English posts) move a share
// by a point or two and do not make groups differ; a group half French
// does. A document not identified ("") counts as English, as it is
// analysed.
func (s *Summary) mixedGroups() string {
	if len(s.GroupLanguages) < 2 {
		return ""
	}
	groups := make([]string, 0, len(s.GroupLanguages))
	shares := map[string]map[string]float64{}
	for g, counts := range s.GroupLanguages {
		groups = append(groups, g)
		n := 0
		for _, c := range counts {
			n += c
		}
		shares[g] = map[string]float64{}
		for l, c := range counts {
			if l == "" {
				l = "en"
			}
			shares[g][l] += float64(c) / float64(max(n, 1))
		}
	}
	sort.Strings(groups)
	differ := false
	for _, g := range groups {
		for _, h := range groups {
			for l := range shares[g] {
				if shares[g][l]-shares[h][l] > compare.MaxLanguageShareGap {
					differ = true
				}
			}
		}
	}
	if !differ {
		return ""
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		name := g
		if name == "" {
			name = "(no group)"
		}
		parts[i] = name + ": " + shareList(shares[g])
	}
	return strings.Join(parts, "; ")
}

// shareList is "en 96%, fr 4%", largest share first; a share that rounds
// to 0 or 100 without being so is "<1%" or ">99%".
func shareList(shares map[string]float64) string {
	codes := make([]string, 0, len(shares))
	for l := range shares {
		codes = append(codes, l)
	}
	sort.Slice(codes, func(i, j int) bool {
		if shares[codes[i]] != shares[codes[j]] {
			return shares[codes[i]] > shares[codes[j]]
		}
		return codes[i] < codes[j]
	})
	parts := make([]string, len(codes))
	for i, l := range codes {
		pct := fmt.Sprintf("%.0f%%", 100*shares[l])
		switch p := 100 * shares[l]; {
		case p < 0.5:
			pct = "<1%"
		case p > 99.5 && p < 100:
			pct = ">99%"
		}
		parts[i] = l + " " + pct
	}
	return strings.Join(parts, ", ")
}
