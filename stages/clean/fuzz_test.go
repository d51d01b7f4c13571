package clean

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
)

// watchdog crashes the fuzz worker when one input takes longer than d, so
// that the fuzzer keeps the input of a hang (it has no time limit of its
// own): `defer watchdog(d)()`.
func watchdog(d time.Duration) func() bool {
	return time.AfterFunc(d, func() { panic("one input took longer than " + d.String()) }).Stop
}

// FuzzClean runs the cleaner on any text and checks its invariants:
// Clean is valid UTF-8 without bidi controls, and the sections lie inside
// Clean, in order, without overlap.
func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"Title\n\nAbstract\nWe study talent.\n\n1 Introduction\nInter-\nnational scholars\u00AD move.\n\nReferences\n[1] A. B. 2020.",
		"Keywords: a; b; c\n\n\u202Eevil\u202C \u2066iso\u2069 \ufb01 \u2014dash\u2014 \u201Cquote\u201D",
		"Page 1 of 3\nDownload PDF\nCopyright 2020\n\n\n\n",
		"\r\n\r\n\t \u00A0\u200B",
		strings.Repeat("word-\n", 50),
	} {
		f.Add(s)
	}
	c, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		defer watchdog(10 * time.Second)()
		if !utf8.ValidString(raw) {
			raw = strings.ToValidUTF8(raw, "\uFFFD")
		}
		doc := &document.Document{ID: "f", Raw: raw}
		if err := c.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(doc.Clean) {
			t.Fatal("Clean is not valid UTF-8")
		}
		if strings.ContainsAny(doc.Clean, "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F") {
			t.Fatalf("a bidi control survives in %q", doc.Clean)
		}
		end := 0
		for i, s := range doc.Sections {
			first := s.Start
			if s.HeadingEnd > 0 {
				first = s.HeadingStart
			}
			if s.Index != i || first < end || s.Start < end || s.End < s.Start || s.End > len(doc.Clean) {
				t.Fatalf("section %+v out of order, overlapping or outside Clean (%d bytes): %+v", s, len(doc.Clean), doc.Sections)
			}
			end = s.End
		}
	})
}
