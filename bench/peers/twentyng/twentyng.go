// Package twentyng reads the 20 Newsgroups "bydate" training folders and
// strips posts as scikit-learn's fetch_20newsgroups(remove=("headers",
// "footers", "quotes")) does, so that Go and Python models see the same text.
//
// The rules are re-implemented from scikit-learn 1.2
// (sklearn/datasets/_twenty_newsgroups.py: strip_newsgroup_header,
// strip_newsgroup_footer, strip_newsgroup_quoting, applied in that order to
// the latin-1 decoded files).
package twentyng

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Post is one newsgroup message.
type Post struct {
	ID    string // group/file
	Group string
	Text  string // stripped
}

// StripHeader drops everything up to the first blank line
// (text.partition("\n\n")[2]); a post without one becomes empty.
func StripHeader(text string) string {
	_, after, ok := strings.Cut(text, "\n\n")
	if !ok {
		return ""
	}
	return after
}

// quoteRE is scikit-learn's _QUOTE_RE, searched in each line on its own.
var quoteRE = regexp.MustCompile(`(writes in|writes:|wrote:|says:|said:|^In article|^Quoted from|^\||^>)`)

// StripQuoting drops every line that looks like a quote or a quote
// attribution.
func StripQuoting(text string) string {
	lines := strings.Split(text, "\n")
	good := lines[:0:0]
	for _, l := range lines {
		if !quoteRE.MatchString(l) {
			good = append(good, l)
		}
	}
	return strings.Join(good, "\n")
}

// StripFooter drops the signature block: everything from the last line that
// is blank or only dashes. If that line is the first (or there is none) the
// text is returned unchanged.
func StripFooter(text string) string {
	lines := strings.Split(strings.TrimFunc(text, pyIsSpace), "\n")
	n := 0
	for n = len(lines) - 1; n >= 0; n-- {
		if strings.Trim(strings.TrimFunc(lines[n], pyIsSpace), "-") == "" {
			break
		}
	}
	if n > 0 {
		return strings.Join(lines[:n], "\n")
	}
	return text
}

// pyIsSpace is Python's str.isspace for one character (Latin-1 range plus
// Unicode spaces), which str.strip() uses.
func pyIsSpace(r rune) bool {
	switch {
	case r >= 0x09 && r <= 0x0d, r >= 0x1c && r <= 0x20, r == 0x85, r == 0xa0:
		return true
	case r < 0x100:
		return false
	}
	return r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 ||
		r == 0x202f || r == 0x205f || r == 0x3000
}

// Strip applies the three rules in scikit-learn's order.
func Strip(raw string) string {
	return StripQuoting(StripFooter(StripHeader(raw)))
}

// latin1 decodes bytes as ISO-8859-1, as scikit-learn reads the files.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// Load reads every post under dir (one folder per newsgroup), strips it and
// returns the posts shuffled by seed (folders and files are first sorted, so
// the order depends on the seed only).
func Load(dir string, seed uint64) ([]Post, error) {
	groups, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("20newsgroups: %w", err)
	}
	var posts []Post
	for _, g := range groups {
		if !g.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, g.Name()))
		if err != nil {
			return nil, fmt.Errorf("20newsgroups: %w", err)
		}
		names := make([]string, 0, len(files))
		for _, f := range files {
			if !f.IsDir() {
				names = append(names, f.Name())
			}
		}
		sort.Strings(names)
		for _, name := range names {
			p := filepath.Join(dir, g.Name(), name)
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("20newsgroups: %w", err)
			}
			posts = append(posts, Post{ID: g.Name() + "/" + name, Group: g.Name(), Text: Strip(latin1(b))})
		}
	}
	rng := rand.New(rand.NewPCG(seed, 20))
	rng.Shuffle(len(posts), func(i, j int) { posts[i], posts[j] = posts[j], posts[i] })
	return posts, nil
}
