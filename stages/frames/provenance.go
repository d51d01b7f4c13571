package frames

import (
	"fmt"
	"path/filepath"
	"strings"
)

// DerivedOverlap says, for a run of corpus (a path; "" = the built-in
// sample) over the documents ids, which of the lexicon's DerivedFrom items
// it scores: "" when none. A path item matches a corpus that is, holds or
// lies inside it (relative items are relative to the lexicon file's
// folder); "doc:<id>" matches a scored document id; "sample" matches the
// built-in sample. Scoring the text a lexicon was written from partly
// confirms itself, so a run says so.
func (l *Lexicon) DerivedOverlap(corpus string, ids []string) string {
	if len(l.DerivedFrom) == 0 {
		return ""
	}
	want := map[string]bool{}
	var hits []string
	for _, d := range l.DerivedFrom {
		switch {
		case d == "sample":
			if corpus == "" {
				hits = append(hits, "the built-in sample")
			}
		case strings.HasPrefix(d, "doc:"):
			want[strings.TrimPrefix(d, "doc:")] = true
		default:
			p := d
			if !filepath.IsAbs(p) && l.Source != "" {
				p = filepath.Join(filepath.Dir(l.Source), p)
			}
			if corpus != "" && pathsOverlap(p, corpus) {
				hits = append(hits, d)
			}
		}
	}
	var docs []string
	for _, id := range ids {
		if want[id] {
			docs = append(docs, id)
			delete(want, id) // each once
		}
	}
	if len(docs) > 0 {
		shown := docs
		if len(shown) > 5 {
			shown = shown[:5]
		}
		s := fmt.Sprintf("%d scored document(s) (%s", len(docs), strings.Join(shown, ", "))
		if len(docs) > len(shown) {
			s += ", …"
		}
		hits = append(hits, s+")")
	}
	if len(hits) == 0 {
		return ""
	}
	name := l.Name
	if name == "" {
		name = l.label()
	}
	return fmt.Sprintf("lexicon %s was derived from the text it scores (%s): its frame contrasts there partly confirm themselves; judge them on other text", name, strings.Join(hits, "; "))
}

// pathsOverlap reports whether a and b are the same path or one lies
// inside the other.
func pathsOverlap(a, b string) bool {
	abs := func(p string) string {
		if q, err := filepath.Abs(p); err == nil {
			p = q
		}
		if q, err := filepath.EvalSymlinks(p); err == nil {
			p = q
		}
		return filepath.Clean(p)
	}
	a, b = abs(a), abs(b)
	inside := func(x, dir string) bool {
		rel, err := filepath.Rel(dir, x)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	return inside(a, b) || inside(b, a)
}
