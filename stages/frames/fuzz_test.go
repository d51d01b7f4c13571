package frames

// Fuzz targets for the lexicon parsers (`make fuzz` runs each for
// FUZZTIME). A lexicon file is the user's; whatever it holds, a parser
// returns a lexicon or an error, never panics, and a lexicon it returns
// is one Validate accepts.

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// watchdog crashes the fuzz worker when one input takes longer than d, so
// that the fuzzer keeps the input of a hang (it has no time limit of its
// own): `defer watchdog(d)()`.
func watchdog(d time.Duration) func() bool {
	return time.AfterFunc(d, func() { panic("one input took longer than " + d.String()) }).Stop
}

func fuzzLexicon(t *testing.T, lex *Lexicon, err error) {
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) && lex != nil {
			t.Fatalf("error %v with a lexicon", err)
		}
		return
	}
	if lex == nil {
		t.Fatal("no lexicon and no error")
	}
	if err := lex.Validate(); err != nil {
		t.Fatalf("parsed lexicon is invalid: %v", err)
	}
}

func FuzzParseLIWC(f *testing.F) {
	for _, s := range []string{
		"%\n1\tsecurity\n2\temotion (Emotion words)\n%\nvisa*\t1\nkind of\t2\nhome\t1\t2\nlike\t(02 134)125/464\t1\n",
		"\ufeff%\n1 a\n%\n%\n",
		"%\nx y\n%\n",
		"%\n1 a\n1 b\n%\n",
		"word 1\n",
		"%\n1 a\n%\nw 7\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog(10 * time.Second)()
		lex, err := ParseLIWC(bytes.NewReader(b), "f.dic")
		fuzzLexicon(t, lex, err)
	})
}

func FuzzParseWordStat(f *testing.F) {
	for _, s := range []string{
		"SECURITY\n    SECURITY (1)\n    VISA* (1)\nEMOTION\n\tHOME (2)\n\tSUB\n\t\tBELONG_ING (1)\n",
		"  INDENTED FIRST (1)\n",
		"A\n  B (x)\n",
		"A\nA\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog(10 * time.Second)()
		lex, err := ParseWordStat(bytes.NewReader(b), "f.cat")
		fuzzLexicon(t, lex, err)
	})
}

func FuzzParseLexicoder(f *testing.F) {
	for _, s := range []string{
		"+security\nvisa*\nresearch security\n+emotion\nhome\n",
		"term before\n",
		"+\n",
		"+a\n+a\n",
		"+a\n**\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog(10 * time.Second)()
		lex, err := ParseLexicoder(bytes.NewReader(b), "f.lc3")
		fuzzLexicon(t, lex, err)
	})
}

func FuzzParseYAML(f *testing.F) {
	// Small seeds only: the fuzzer minimises every new input it keeps,
	// and minimising the 14 KB default lexicon took the whole minute.
	for _, s := range []string{
		"frames:\n  - name: a\n    entries: [visa*, {pattern: home, weight: 2, lemma: true}]\n",
		"security:\n  - visa*\n  - research security\nemotion:\n  sub:\n    - home\n",
		"a: &x [w, w, w]\nb: *x\nc: [*x, *x]\n",
		"frames: {a: b}\n",
		"frames:\n  - name: a\n    entries: [\"\"]\n",
		"[[[[[[[[[[[[[[[[[[[[",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog(10 * time.Second)()
		lex, err := ParseYAML(b, "f.yaml")
		fuzzLexicon(t, lex, err)
	})
}
