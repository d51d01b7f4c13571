package frames

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func entries(f *Frame) []string {
	var out []string
	for _, e := range f.Entries {
		out = append(out, e.Pattern)
	}
	return out
}

func TestLoadNativeYAML(t *testing.T) {
	p := writeFile(t, "lex.yaml", `name: test
license: CC0-1.0
frames:
  - name: security
    description: Security talk.
    entries:
      - Secur*
      - "research   security"
      - {term: visa, weight: 2}
      - {term: restrict, lemma: true}
      - visa
`)
	lex, err := LoadLexicon(p)
	if err != nil {
		t.Fatal(err)
	}
	f := lex.Frame("security")
	if f == nil || f.Description != "Security talk." || lex.License != "CC0-1.0" {
		t.Fatalf("frame or header not read: %+v", lex)
	}
	got := strings.Join(entries(f), "|")
	if got != "secur*|research security|visa|restrict" {
		t.Errorf("entries = %s (want normalised, duplicate visa dropped)", got)
	}
	if f.Entries[2].Weight != 2 || !f.Entries[3].Lemma || f.Entries[3].Line != 10 {
		t.Errorf("weight/lemma/line not kept: %+v", f.Entries)
	}
}

func TestLoadQuantedaYAML(t *testing.T) {
	p := writeFile(t, "dict.yml", `economy:
  - deficit
  - "tax*"
society:
  family:
    - family
    - "sense of belonging"
  faith: [church]
`)
	lex, err := LoadLexicon(p)
	if err != nil {
		t.Fatal(err)
	}
	names := strings.Join(lex.FrameNames(), ",")
	if names != "economy,society.family,society.faith" {
		t.Fatalf("frames = %s", names)
	}
	if got := strings.Join(entries(lex.Frame("society.family")), "|"); got != "family|sense of belonging" {
		t.Errorf("entries = %s", got)
	}
	// A category that happens to be called "frames" is still quanteda.
	lex, err = LoadLexicon(writeFile(t, "f.yaml", "frames: [frame, framing]\nother: [x]\n"))
	if err != nil || strings.Join(entries(lex.Frame("frames")), "|") != "frame|framing" {
		t.Errorf("quanteda category named frames: %v %+v", err, lex)
	}
}

func TestLoadLIWC(t *testing.T) {
	p := writeFile(t, "mini.dic", `%
1	secure
2	feel (Feelings)
3	unused
%
visa*	1
home	2
kind of	2
belong*	1	2
like	02 (02 134)126
`)
	lex, err := LoadLexicon(p)
	if err != nil {
		t.Fatal(err)
	}
	if names := strings.Join(lex.FrameNames(), ","); names != "secure,feel" {
		t.Fatalf("frames = %s (unused category dropped)", names)
	}
	if got := strings.Join(entries(lex.Frame("secure")), "|"); got != "visa*|belong*" {
		t.Errorf("secure = %s", got)
	}
	if got := strings.Join(entries(lex.Frame("feel")), "|"); got != "home|kind of|belong*|like" {
		t.Errorf("feel = %s", got)
	}
	if lex.Frame("feel").Description != "Feelings" {
		t.Errorf("description = %q", lex.Frame("feel").Description)
	}
}

func TestLoadWordStat(t *testing.T) {
	p := writeFile(t, "mini.cat", `SECURITY
    RESTRICTION
        VISA* (1)
        EXPORT_CONTROL* (2)
    SECURITY (1)
EMOTION
	BELONG* (1)
`)
	lex, err := LoadLexicon(p)
	if err != nil {
		t.Fatal(err)
	}
	if names := strings.Join(lex.FrameNames(), ","); names != "SECURITY.RESTRICTION,SECURITY,EMOTION" {
		t.Fatalf("frames = %s", names)
	}
	r := lex.Frame("SECURITY.RESTRICTION")
	if got := strings.Join(entries(r), "|"); got != "visa*|export control*" || r.Entries[1].Weight != 2 {
		t.Errorf("entries = %s %+v", got, r.Entries)
	}
}

func TestLoadLexicoder(t *testing.T) {
	p := writeFile(t, "mini.lc3", `+security
visa*
research security
+emotion
belong*
`)
	lex, err := LoadLexicon(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(entries(lex.Frame("security")), "|"); got != "visa*|research security" {
		t.Errorf("security = %s", got)
	}
	if len(lex.Frame("emotion").Entries) != 1 {
		t.Errorf("emotion = %+v", lex.Frame("emotion"))
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"bad.dic", "%\n1\tsec\n%\nvisa\t7\n", ":4: word \"visa\": category id 7 is not in the table"},
		{"bad.dic", "visa 1\n", ":1: want a % line"},
		{"bad.cat", "SEC\n    VISA (1)\n  BAD WORD (x)\n", ":3:"},
		{"bad.cat", "VISA (1)\n", ":1: word \"VISA\" is not indented"},
		{"bad.lc3", "visa\n+sec\n", ":1: term \"visa\" before the first +category"},
		{"bad.yaml", "frames:\n  - name: a\n    entries:\n      - \"se*c\"\n", ":4: frame \"a\": entry \"se*c\": * is only allowed at the end"},
		{"bad.yaml", "frames:\n  - name: a\n    entries:\n      - {term: x, weight: heavy}\n", ":4: weight: want a number"},
		{"bad.yaml", "frames:\n  - name: a\n    colour: red\n    entries: [x]\n", ":3: unknown frame key \"colour\""},
		{"bad.yml", "a:\n  - ok\n  - \"*\"\n", ":3: category \"a\": entry \"*\""},
		{"bad.yaml", "frames:\n  - name: a\n    entries:\n      - {term: \"import*\", exclude: [imbalance]}\n", ":4: frame \"a\": entry \"import*\": exclusion \"imbalance\" never applies"},
		{"bad.yaml", "frames:\n  - name: a\n    entries:\n      - {term: \"import*\", exclude: [\"import*\"]}\n", ":4: frame \"a\": entry \"import*\": exclusion \"import*\" never applies"},
		{"bad.yaml", "frames:\n  - name: a\n    entries:\n      - {term: security, exclude: [\"national security\"]}\n", ":4: frame \"a\": entry \"security\": phrase exclusion \"national security\" never applies"},
		{"bad.yaml", "frames:\n  - name: a\n    entries:\n      - {term: trade, exclude: [trader]}\n", ":4: frame \"a\": entry \"trade\": exclusion \"trader\": a one-word exclusion applies to words an entry's * matches"},
		{"bad.yaml", "references:\n  pfc: Boydstun et al. 2014\nframes:\n  - name: a\n    entries:\n      - {term: trade, source: [pfx]}\n", ":6: frame \"a\" entry \"trade\": source \"pfx\" is not a key"},
	}
	for _, c := range cases {
		p := writeFile(t, c.name, c.text)
		_, err := LoadLexicon(p)
		if err == nil {
			t.Errorf("%s %q: no error", c.name, c.text)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != p {
			t.Errorf("%s: error %v is not a ParseError naming the file", c.name, err)
		}
		if !strings.Contains(err.Error(), p+c.want) {
			t.Errorf("%s: error %q does not contain %q", c.name, err, c.want)
		}
	}
	if _, err := LoadLexicon(writeFile(t, "x.txt", "a")); err == nil || !strings.Contains(err.Error(), "unknown extension") {
		t.Errorf("unknown extension: %v", err)
	}
}

func TestDefaultLexicon(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if len(lex.Frames) < 6 {
		t.Fatalf("default lexicon has %d frames, want >= 6", len(lex.Frames))
	}
	for _, need := range []string{"security_restriction", "emotion_retention"} {
		if lex.Frame(need) == nil {
			t.Errorf("default lexicon lacks %s", need)
		}
	}
	for _, f := range lex.Frames {
		if len(f.Entries) < 40 {
			t.Errorf("frame %s has %d entries, want >= 40", f.Name, len(f.Entries))
		}
		if f.Description == "" || f.Note == "" {
			t.Errorf("frame %s lacks a description or note", f.Name)
		}
	}
	// Every entry cites a published source; the mission frames cite more
	// than the Policy Frames Codebook.
	for _, f := range lex.Frames {
		for _, e := range f.Entries {
			if len(e.Sources) == 0 {
				t.Errorf("%s entry %q cites no source", f.Name, e.Pattern)
			}
		}
	}
	for _, name := range []string{"security_restriction", "emotion_retention"} {
		cited := map[string]bool{}
		for _, e := range lex.Frame(name).Entries {
			for _, k := range e.Sources {
				cited[k] = true
			}
		}
		if len(cited) < 8 {
			t.Errorf("%s cites %d sources, want >= 8", name, len(cited))
		}
	}
	if len(lex.DerivedFrom) == 0 || lex.DerivedOverlap("", nil) == "" {
		t.Error("the default lexicon does not say it was first collected from the sample")
	}
	if !strings.Contains(string(defaultLexiconYAML[:600]), "CC0") || lex.License != "CC0-1.0" {
		t.Error("default lexicon header does not state its licence")
	}
}

func TestExclusions(t *testing.T) {
	m := testMatcher(t, `frames:
  - name: econ
    entries:
      - {term: "import*", exclude: ["importan*", importunity]}
      - {term: "trade polic*", exclude: [policing]}
  - name: sec
    entries:
      - {term: security, exclude: ["security council*"]}
`, Config{})
	doc := tokenized(t, "Imports are important, and the importance of importing goods grew. "+
		"His importunity was noted. Trade policies matter; trade policing does not. "+
		"The Security Council met on security.")
	m.Process(context.Background(), doc)
	if got, want := hitString(doc), "econ:Imports econ:importing econ:Trade policies sec:security"; got != want {
		t.Errorf("hits = %s, want %s", got, want)
	}
}
