package entities

import "testing"

func TestFirstBytes(t *testing.T) {
	for _, c := range []struct {
		re      string
		ok      bool
		yes, no string
	}{
		{`^(1[5-9]|20)\d\d$`, true, "12", "a09"},
		{`^\d{1,2}(st|nd|rd|th)$`, true, "0123456789", "a"},
		{`^(early|mid|late)-\d0s$`, true, "eml", "ad1"},
		{`^x?\d`, false, "", ""},
		{`^(?i)abc`, false, "", ""},
	} {
		set, ok := firstBytes(c.re)
		if ok != c.ok {
			t.Errorf("%s: ok = %v", c.re, ok)
			continue
		}
		for _, b := range []byte(c.yes) {
			if !set[b] {
				t.Errorf("%s: %q missing", c.re, b)
			}
		}
		for _, b := range []byte(c.no) {
			if set[b] {
				t.Errorf("%s: %q wrongly possible", c.re, b)
			}
		}
	}
}
