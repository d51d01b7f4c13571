package clean

import (
	"strings"
	"testing"
)

// Bidirectional controls only steer display; they must not reach tokens.
func TestBidiControlsRemoved(t *testing.T) {
	raw := "Research \u202Esecurity\u202C and \u2067talent\u2069 \u200Fmatter\u200E, \u202Aa\u202B\u202Db\u202C\u2066c\u2068d\u061C."
	doc := cleanText(t, Config{}, raw)
	for _, r := range doc.Clean {
		switch {
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
			t.Fatalf("bidi control %U survives in %q", r, doc.Clean)
		}
	}
	if !strings.Contains(doc.Clean, "Research security and talent matter, abcd.") {
		t.Errorf("clean = %q", doc.Clean)
	}
}

// Sections are in the order of the text and do not overlap, also when a
// short text is rescued as body around a reference list (FuzzClean found
// the body section listed after the references; joined across the list, it
// overlapped it).
func TestRescuedBodySectionsInTextOrder(t *testing.T) {
	for raw, want := range map[string]string{
		"A\n\nReferenCe": "body:A|references:",
		"Short Title Line\n\nReferences\n[1] A. B. 2020.\n\nIntroduction\n\nConclusion": "body:Short Title Line|references:[1] A. B. 2020.|body:Introduction\n\nConclusion",
	} {
		doc := cleanText(t, Config{}, raw)
		var got []string
		for i, s := range doc.Sections {
			if s.Index != i {
				t.Errorf("%q: section %d has Index %d", raw, i, s.Index)
			}
			got = append(got, string(s.Kind)+":"+doc.Clean[s.Start:s.End])
		}
		if strings.Join(got, "|") != want {
			t.Errorf("%q: sections %q, want %q", raw, strings.Join(got, "|"), want)
		}
	}
}
