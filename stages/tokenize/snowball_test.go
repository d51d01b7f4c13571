package tokenize

import (
	"context"
	"testing"

	"github.com/framelens/framelens/corpus"
)

// Each pair worked by hand through the Snowball German algorithm's steps
// (R1 after "kat" in "kater"; "ergebnissen" loses "en" then the s of
// "niss"; "möglichkeiten" loses "en", then "keit" and "lich" in R2).
func TestGermanStem(t *testing.T) {
	for in, want := range map[string]string{
		"aufeinanderfolgenden": "aufeinanderfolg",
		"aufeinanderfolgender": "aufeinanderfolg",
		"kategorie":            "kategori",
		"kategorien":           "kategori",
		"kategorisch":          "kategor",
		"kätzchen":             "katzch",
		"kater":                "kat",
		"häuser":               "haus",
		"ergebnissen":          "ergebnis",
		"fachkräfte":           "fachkraft",
		"bundesregierung":      "bundesregier",
		"möglichkeiten":        "moglich",
		"straße":               "strass",
	} {
		if got := germanStem(in, false); got != want {
			t.Errorf("germanStem(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPortugueseText: the opening of Machado de Assis's Dom Casmurro (1899,
// public domain) as a Portuguese document: Snowball stems conflate the
// inflected forms, the stop list takes the function words, and a word's
// clitic stays on it (Cumprimentou-me is one token).
func TestPortugueseText(t *testing.T) {
	const text = "Uma noite destas, vindo da cidade para o Engenho Novo, encontrei no trem da Central um rapaz " +
		"aqui do bairro, que eu conheço de vista e de chapéu. Cumprimentou-me, sentou-se ao pé de mim, " +
		"falou da lua e dos ministros, e acabou recitando-me versos. A viagem era curta, e os versos " +
		"pode ser que não fossem inteiramente maus."
	tk, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	doc := &corpus.Document{ID: "casmurro", Lang: "pt", Clean: text}
	if err := tk.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]corpus.Token{}
	for _, tok := range doc.Tokens {
		got[tok.Text] = tok
	}
	for w, stem := range map[string]string{
		"cidade": "cidad", "ministros": "ministr", "versos": "vers", "viagem": "viag",
		"inteiramente": "inteir", "encontrei": "encontr", "acabou": "acab", "noite": "noit",
	} {
		if tok, ok := got[w]; !ok || tok.Stem != stem || tok.IsStop {
			t.Errorf("%q: stem %q stop %v (found %v), want stem %q", w, tok.Stem, tok.IsStop, ok, stem)
		}
	}
	for _, w := range []string{"Uma", "da", "para", "o", "no", "um", "que", "eu", "de", "ao", "dos", "era", "os", "não", "fossem"} {
		if !got[w].IsStop {
			t.Errorf("%q is not a stop word", w)
		}
	}
	if _, ok := got["Cumprimentou-me"]; !ok {
		t.Errorf("Cumprimentou-me split: %v", doc.Tokens)
	}
}
