package compare

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// MaxLanguageShareGap is how far apart (in share of documents) the sides'
// languages may be before a comparison is marked as across languages.
const MaxLanguageShareGap = 0.1

// LanguageWarning returns the warning of a comparison whose sides differ in
// language, or "" when they do not: a, b count each side's documents by
// language code ("" is analysed as English and counts as "en"). Sides
// differ when any language's share of documents differs by more than
// MaxLanguageShareGap: keyness then ranks one language's words against
// another's, and a frame lexicon in one language finds nothing in the
// other, so the differences are of vocabulary, not of framing.
func LanguageWarning(a, b map[string]int) string {
	fa, na := languageShares(a)
	fb, nb := languageShares(b)
	if na == 0 || nb == 0 {
		return ""
	}
	gap := 0.0
	for l := range fa {
		gap = math.Max(gap, math.Abs(fa[l]-fb[l]))
	}
	for l := range fb {
		gap = math.Max(gap, math.Abs(fa[l]-fb[l]))
	}
	if gap <= MaxLanguageShareGap {
		return ""
	}
	return fmt.Sprintf("the sides differ in language (A: %s; B: %s documents): keyness and frame differences across languages contrast vocabularies, not framing; compare groups of one language", languageCounts(a), languageCounts(b))
}

func languageShares(m map[string]int) (map[string]float64, int) {
	n := 0
	for _, c := range m {
		n += c
	}
	f := map[string]float64{}
	for l, c := range m {
		if l == "" {
			l = "en"
		}
		f[l] += float64(c) / float64(max(n, 1))
	}
	return f, n
}

// languageCounts is "en 12, zh 3", most documents first.
func languageCounts(m map[string]int) string {
	merged := map[string]int{}
	for l, c := range m {
		if l == "" {
			l = "en"
		}
		merged[l] += c
	}
	codes := make([]string, 0, len(merged))
	for l := range merged {
		codes = append(codes, l)
	}
	sort.Slice(codes, func(i, j int) bool {
		if merged[codes[i]] != merged[codes[j]] {
			return merged[codes[i]] > merged[codes[j]]
		}
		return codes[i] < codes[j]
	})
	parts := make([]string, len(codes))
	for i, l := range codes {
		parts[i] = fmt.Sprintf("%s %d", l, merged[l])
	}
	return strings.Join(parts, ", ")
}
