package compare

import (
	"strings"
	"testing"
)

func TestLanguageWarning(t *testing.T) {
	for _, c := range []struct {
		a, b map[string]int
		want string // "" for no warning, else a part of it
	}{
		{map[string]int{"zh": 5}, map[string]int{"en": 4, "de": 1}, "A: zh 5; B: en 4, de 1 documents"},
		{map[string]int{"en": 20}, map[string]int{"en": 18, "": 2}, ""},               // unidentified is analysed as English
		{map[string]int{"en": 9, "zh": 1}, map[string]int{"en": 10}, ""},              // 10 points apart: within the gap
		{map[string]int{"en": 8, "zh": 2}, map[string]int{"en": 10}, "A: en 8, zh 2"}, // 20 points apart
		{map[string]int{"en": 5, "zh": 5}, map[string]int{"zh": 6, "en": 6}, ""},      // the same mix on both sides
		{map[string]int{"zh": 3}, map[string]int{}, ""},                               // an empty side: nothing compared
	} {
		got := LanguageWarning(c.a, c.b)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("LanguageWarning(%v, %v) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}
