package corpus

import (
	"strings"
	"testing"

	"github.com/framelens/framelens/stages/clean"
)

func TestInspectSample(t *testing.T) {
	s, err := OpenSample()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := clean.New(clean.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := Inspect(&b, s, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`== sun2025  group="emotion_retention"`,
		`== zhang2024  group="security_restriction"`,
		`abstract     "Abstract"`,
		`footnotes    "FOOTNOTES"`,
		`[counter] "Abstract 9 | PDF Downloads 4"`,
		`[newsletter] "Subscribe to Our Newsletter"`,
		"author keywords: global science and technology governance; international talent mobility",
		"2 document(s) read, 0 unreadable",
		"input zhang2024.txt  53660 bytes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
