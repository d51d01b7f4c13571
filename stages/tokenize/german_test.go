package tokenize

import "testing"

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
