package clean

import (
	"hash/fnv"
	"net/url"
	"strings"
	"unicode"

	"github.com/framelens/framelens/corpus/document"
	"golang.org/x/text/unicode/norm"
)

// LineStats counts, per site, in how many documents each line occurs. Pages
// of one web site repeat their navigation, banners and footers; a line that
// recurs in many documents of one site is chrome however it is worded. The
// pipeline fills one LineStats per shard in a pre-pass over the corpus,
// merges them, and hands the result to the cleaner (Config.RepeatedLines).
//
// Lines are folded (NFKC, lower case, letters and digits only) and stored as
// 64-bit hashes, so memory grows with the number of distinct lines, not with
// their length. A LineStats is not safe for concurrent Add; read-only use
// (DocFreq) after the pre-pass is.
type LineStats struct {
	sites map[string]map[uint64]int32
	docs  map[string]int
}

// NewLineStats returns empty statistics.
func NewLineStats() *LineStats {
	return &LineStats{sites: map[string]map[uint64]int32{}, docs: map[string]int{}}
}

// maxStatLine bounds the lines counted: long paragraphs are prose.
const maxStatLine = 400

// SiteOf names the site a document comes from: its "site" Meta value, else
// the host of its "url" or "source_url" Meta value, else "" (one site for
// the whole corpus).
func SiteOf(doc *document.Document) string {
	if s, ok := doc.Meta["site"].(string); ok && s != "" {
		return s
	}
	for _, k := range []string{"url", "source_url"} {
		if s, ok := doc.Meta[k].(string); ok && s != "" {
			if u, err := url.Parse(s); err == nil && u.Host != "" {
				return strings.TrimPrefix(strings.ToLower(u.Host), "www.")
			}
		}
	}
	return ""
}

func lineHash(line string) (uint64, bool) {
	if len(line) > maxStatLine {
		return 0, false
	}
	var b strings.Builder
	space := false
	for _, r := range norm.NFKC.String(strings.ToLower(line)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	if b.Len() == 0 {
		return 0, false
	}
	h := fnv.New64a()
	h.Write([]byte(b.String()))
	return h.Sum64(), true
}

// Add counts the distinct lines of doc.Raw.
func (s *LineStats) Add(doc *document.Document) {
	site := SiteOf(doc)
	m := s.sites[site]
	if m == nil {
		m = map[uint64]int32{}
		s.sites[site] = m
	}
	s.docs[site]++
	seen := map[uint64]bool{}
	for _, l := range strings.Split(doc.Raw, "\n") {
		if h, ok := lineHash(l); ok && !seen[h] {
			seen[h] = true
			m[h]++
		}
	}
}

// Merge adds the counts of o to s.
func (s *LineStats) Merge(o *LineStats) {
	for site, om := range o.sites {
		m := s.sites[site]
		if m == nil {
			m = make(map[uint64]int32, len(om))
			s.sites[site] = m
		}
		for h, n := range om {
			m[h] += n
		}
	}
	for site, n := range o.docs {
		s.docs[site] += n
	}
}

// DocFreq returns the number of documents of site that contain line.
func (s *LineStats) DocFreq(site, line string) int {
	if s == nil {
		return 0
	}
	h, ok := lineHash(line)
	if !ok {
		return 0
	}
	return int(s.sites[site][h])
}

// Docs returns the number of documents of site counted.
func (s *LineStats) Docs(site string) int { return s.docs[site] }
