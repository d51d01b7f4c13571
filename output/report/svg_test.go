package report

import (
	"math"
	"strings"
	"testing"
)

// TestForestNullInterval: a row without an interval is a hollow point
// marked "no interval", never a bar of zero width; a row whose interval
// excludes 0 is drawn in its side's colour, one that includes 0 in grey.
func TestForestNullInterval(t *testing.T) {
	nan := math.NaN()
	svg := forest([]forestRow{
		{Label: "none", V: 0, Lo: nan, Hi: nan},
		{Label: "more_a", V: 2, Lo: 1, Hi: 3},
		{Label: "more_b", V: -2, Lo: -3, Hi: -1},
		{Label: "unsure", V: 1, Lo: -1, Hi: 2},
	}, "f", "axis", "A", "B")
	rows := strings.Split(svg, `<g class="row">`)[1:]
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	for i, want := range []struct{ ci, pt string }{{"", "pt none"}, {"ci a", "pt a"}, {"ci b", "pt b"}, {"ci ns", "pt ns"}} {
		if want.ci == "" && strings.Contains(rows[i], `class="ci`) {
			t.Errorf("row %d: a bar without an interval: %s", i, rows[i])
		}
		if want.ci != "" && !strings.Contains(rows[i], `class="`+want.ci+`"`) {
			t.Errorf("row %d: no %q bar: %s", i, want.ci, rows[i])
		}
		if !strings.Contains(rows[i], `class="`+want.pt+`"`) {
			t.Errorf("row %d: no %q point: %s", i, want.pt, rows[i])
		}
	}
	if !strings.Contains(rows[0], ">no interval<") {
		t.Errorf("the row without an interval does not say so: %s", rows[0])
	}
}

// TestHighlight: matches are marked at their code-point offsets (not
// bytes), the text around them escaped.
func TestHighlight(t *testing.T) {
	s := sentence{Text: "Über <talent> and talents.", Spans: [][2]int{{18, 25}, {6, 12}}}
	got := highlight(s, 400)
	want := "Über &lt;<mark>talent</mark>&gt; and <mark>talents</mark>."
	if got != want {
		t.Errorf("highlight = %q, want %q", got, want)
	}
}
