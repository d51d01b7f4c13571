package report

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Colours of side A and side B, everywhere in the report.
const (
	colourA = "#1b6ca8"
	colourB = "#d1495b"
)

func esc(s string) string { return html.EscapeString(s) }

// f formats a number for the page: few digits, no exponent for the usual
// range.
func f(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return "–"
	case a == 0:
		return "0"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

// cnt formats a count.
func cnt(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return thousands(int64(math.Round(v)))
}

// px formats a coordinate.
func px(v float64) string { return fmt.Sprintf("%.1f", v) }

// logTicks returns the powers of ten in [lo, hi] (log10 values).
func logTicks(lo, hi float64) []float64 {
	var t []float64
	for e := math.Ceil(lo); e <= hi; e++ {
		t = append(t, e)
	}
	return t
}

func tickLabel(e float64) string {
	v := math.Pow(10, e)
	if v >= 1 {
		return fmt.Sprintf("%.0f", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", v), "0"), ".")
}

// scatter draws the keyness scatter of c: each term at its rate in B (x)
// and in A (y), per 1,000 words, on log axes; a term absent from a side
// sits on that side's "0" line below the axis. The most distinctive terms
// of each side are labelled where a label fits.
func scatter(c *comparison, id string) string {
	const W, H, ml, mr, mt, mb = 560.0, 520.0, 56.0, 16.0, 16.0, 48.0
	if len(c.terms) == 0 {
		return ""
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, t := range c.terms {
		for _, r := range []float64{t.RateA, t.RateB} {
			if r > 0 {
				lo, hi = math.Min(lo, math.Log10(r)), math.Max(hi, math.Log10(r))
			}
		}
	}
	if math.IsInf(lo, 0) {
		return ""
	}
	lo, hi = math.Floor(lo*4)/4-0.1, math.Ceil(hi*4)/4+0.05
	zero := lo - 0.35 // where a zero rate is drawn
	span := hi - zero
	x := func(r float64) float64 {
		v := zero
		if r > 0 {
			v = math.Log10(r)
		}
		return ml + (v-zero)/span*(W-ml-mr)
	}
	y := func(r float64) float64 {
		v := zero
		if r > 0 {
			v = math.Log10(r)
		}
		return H - mb - (v-zero)/span*(H-mt-mb)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot scatter" id="%s" viewBox="0 0 %.0f %.0f" role="img" aria-label="keyness scatter of %s">`, id, W, H, esc(c.Name))
	// Grid and axes.
	b.WriteString(`<g class="grid">`)
	for _, e := range logTicks(lo, hi) {
		r := math.Pow(10, e)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`, px(x(r)), px(mt), px(x(r)), px(H-mb))
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`, px(ml), px(y(r)), px(W-mr), px(y(r)))
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="tick" text-anchor="middle">%s</text>`, px(x(r)), px(H-mb+14), tickLabel(e))
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="tick" text-anchor="end">%s</text>`, px(ml-4), px(y(r)+3), tickLabel(e))
	}
	fmt.Fprintf(&b, `<text x="%s" y="%s" class="tick" text-anchor="middle">0</text>`, px(x(0)), px(H-mb+14))
	fmt.Fprintf(&b, `<text x="%s" y="%s" class="tick" text-anchor="end">0</text>`, px(ml-4), px(y(0)+3))
	b.WriteString(`</g>`)
	fmt.Fprintf(&b, `<line class="diag" x1="%s" y1="%s" x2="%s" y2="%s"/>`, px(x(math.Pow(10, lo))), px(y(math.Pow(10, lo))), px(x(math.Pow(10, hi))), px(y(math.Pow(10, hi))))
	fmt.Fprintf(&b, `<text x="%s" y="%s" class="axis" text-anchor="middle">per 1,000 words in %s →</text>`, px((ml+W-mr)/2), px(H-10), esc(short(c.B, 40)))
	fmt.Fprintf(&b, `<text transform="translate(14 %s) rotate(-90)" class="axis" text-anchor="middle">per 1,000 words in %s →</text>`, px((mt+H-mb)/2), esc(short(c.A, 40)))
	// Points, least distinctive first so that the distinctive ones are on top.
	b.WriteString(`<g class="pts">`)
	for i := len(c.terms) - 1; i >= 0; i-- {
		t := c.terms[i]
		cls := "a"
		if t.Side == 'b' {
			cls = "b"
		}
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" class="%s" data-t="%s" data-v="%s|%s|%s|%s|%s"><title>%s</title></circle>`,
			px(x(t.RateB)), px(y(t.RateA)), cls, esc(t.Feature), cnt(t.CountA), cnt(t.CountB), f(t.RateA), f(t.RateB), f(t.Score),
			esc(fmt.Sprintf("%s — %s: %s (%s‰) · %s: %s (%s‰) · score %s", t.Feature, c.A, cnt(t.CountA), f(t.RateA), c.B, cnt(t.CountB), f(t.RateB), f(t.Score))))
	}
	b.WriteString(`</g>`)
	// Labels: the most distinctive terms of each side, greedily placed
	// where they overlap no label already placed.
	var boxes [][4]float64
	free := func(bx [4]float64) bool {
		if bx[0] < ml || bx[2] > W-mr || bx[1] < mt || bx[3] > H-mb {
			return false
		}
		for _, o := range boxes {
			if bx[0] < o[2] && o[0] < bx[2] && bx[1] < o[3] && o[1] < bx[3] {
				return false
			}
		}
		return true
	}
	labelled := map[byte]int{}
	b.WriteString(`<g class="labels">`)
	for _, t := range c.terms {
		if labelled[t.Side] >= 12 {
			continue
		}
		px0, py0 := x(t.RateB), y(t.RateA)
		w := 6.2*float64(len([]rune(t.Feature))) + 2
		for _, d := range [][2]float64{{5, -4}, {-5 - w, -4}, {5, 12}, {-5 - w, 12}} {
			bx := [4]float64{px0 + d[0], py0 + d[1] - 10, px0 + d[0] + w, py0 + d[1] + 2}
			if free(bx) {
				boxes = append(boxes, bx)
				cls := "a"
				if t.Side == 'b' {
					cls = "b"
				}
				fmt.Fprintf(&b, `<text x="%s" y="%s" class="%s">%s</text>`, px(bx[0]), px(py0+d[1]), cls, esc(t.Feature))
				labelled[t.Side]++
				break
			}
		}
	}
	b.WriteString(`</g></svg>`)
	return b.String()
}

// forest draws one row per item: a point at d.v with its interval [lo, hi]
// as a line, or, without an interval, a hollow point and "no interval".
// An interval that excludes 0 is drawn solid.
type forestRow struct {
	Label, Note  string
	V, Lo, Hi    float64
	Title        string
	MarkA, MarkB float64 // dumbbell: the two sides' values (NaN: none)
}

func forest(rows []forestRow, id, axis, left, right string) string {
	if len(rows) == 0 {
		return ""
	}
	const W, ml, mr, row, mt, mb = 660.0, 215.0, 80.0, 22.0, 24.0, 40.0
	H := mt + mb + row*float64(len(rows))
	lo, hi := 0.0, 0.0
	for _, r := range rows {
		for _, v := range []float64{r.V, r.Lo, r.Hi} {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	pad := (hi - lo) * 0.05
	lo, hi = lo-pad, hi+pad
	x := func(v float64) float64 { return ml + (v-lo)/(hi-lo)*(W-ml-mr) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot forest" id="%s" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, id, W, H, esc(axis))
	b.WriteString(`<g class="grid">`)
	for _, t := range niceTicks(lo, hi, 6) {
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/><text x="%s" y="%s" class="tick" text-anchor="middle">%s</text>`,
			px(x(t)), px(mt-6), px(x(t)), px(H-mb), px(x(t)), px(H-mb+14), tick(t))
	}
	b.WriteString(`</g>`)
	fmt.Fprintf(&b, `<line class="zero" x1="%s" y1="%s" x2="%s" y2="%s"/>`, px(x(0)), px(mt-6), px(x(0)), px(H-mb))
	fmt.Fprintf(&b, `<text x="%s" y="%s" class="axis" text-anchor="middle">%s</text>`, px((ml+W-mr)/2), px(H-8), esc(axis))
	fmt.Fprintf(&b, `<text x="%s" y="%s" class="tick b" text-anchor="end">← more in %s</text>`, px(x(0)-4), px(mt-10), esc(short(right, 30)))
	fmt.Fprintf(&b, `<text x="%s" y="%s" class="tick a">more in %s →</text>`, px(x(0)+4), px(mt-10), esc(short(left, 30)))
	for i, r := range rows {
		cy := mt + row*float64(i) + row/2
		fmt.Fprintf(&b, `<g class="row"><title>%s</title>`, esc(r.Title))
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="lab" text-anchor="end">%s</text>`, px(ml-8), px(cy+4), esc(short(r.Label, 32)))
		hasCI := !math.IsNaN(r.Lo) && !math.IsNaN(r.Hi)
		cls := "ns"
		if hasCI && (r.Lo > 0 || r.Hi < 0) {
			cls = "a"
			if r.V < 0 {
				cls = "b"
			}
		}
		if hasCI {
			fmt.Fprintf(&b, `<line class="ci %s" x1="%s" y1="%s" x2="%s" y2="%s"/>`, cls, px(x(r.Lo)), px(cy), px(x(r.Hi)), px(cy))
			fmt.Fprintf(&b, `<circle class="pt %s" cx="%s" cy="%s" r="4.5"/>`, cls, px(x(r.V)), px(cy))
		} else {
			fmt.Fprintf(&b, `<circle class="pt none" cx="%s" cy="%s" r="4.5"/>`, px(x(r.V)), px(cy))
		}
		note := r.Note
		if !hasCI && note == "" {
			note = "no interval"
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="note">%s</text>`, px(W-mr+6), px(cy+4), esc(short(note, 14)))
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// dumbbell draws each row's two sides' values (MarkA, MarkB) joined by a
// line, on a shared axis from 0.
func dumbbell(rows []forestRow, id, axis, left, right string) string {
	if len(rows) == 0 {
		return ""
	}
	const W, ml, mr, row, mt, mb = 660.0, 215.0, 80.0, 22.0, 24.0, 40.0
	H := mt + mb + row*float64(len(rows))
	hi := 0.0
	for _, r := range rows {
		hi = math.Max(hi, math.Max(r.MarkA, r.MarkB))
	}
	if hi <= 0 || math.IsNaN(hi) {
		hi = 1
	}
	hi *= 1.05
	x := func(v float64) float64 { return ml + v/hi*(W-ml-mr) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot dumbbell" id="%s" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, id, W, H, esc(axis))
	b.WriteString(`<g class="grid">`)
	for _, t := range niceTicks(0, hi, 6) {
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/><text x="%s" y="%s" class="tick" text-anchor="middle">%s</text>`,
			px(x(t)), px(mt-6), px(x(t)), px(H-mb), px(x(t)), px(H-mb+14), tick(t))
	}
	b.WriteString(`</g>`)
	fmt.Fprintf(&b, `<text x="%s" y="%s" class="axis" text-anchor="middle">%s</text>`, px((ml+W-mr)/2), px(H-8), esc(axis))
	fmt.Fprintf(&b, `<circle class="pt a" cx="%s" cy="%s" r="4.5"/><text x="%s" y="%s" class="tick">%s</text>`, px(ml), px(mt-12), px(ml+8), px(mt-8), esc(short(left, 30)))
	fmt.Fprintf(&b, `<circle class="pt b" cx="%s" cy="%s" r="4.5"/><text x="%s" y="%s" class="tick">%s</text>`, px(ml+230), px(mt-12), px(ml+238), px(mt-8), esc(short(right, 30)))
	for i, r := range rows {
		cy := mt + row*float64(i) + row/2
		fmt.Fprintf(&b, `<g class="row"><title>%s</title>`, esc(r.Title))
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="lab" text-anchor="end">%s</text>`, px(ml-8), px(cy+4), esc(short(r.Label, 32)))
		fmt.Fprintf(&b, `<line class="ci ns" x1="%s" y1="%s" x2="%s" y2="%s"/>`, px(x(r.MarkA)), px(cy), px(x(r.MarkB)), px(cy))
		fmt.Fprintf(&b, `<circle class="pt b" cx="%s" cy="%s" r="4.5"/><circle class="pt a" cx="%s" cy="%s" r="4.5"/>`, px(x(r.MarkB)), px(cy), px(x(r.MarkA)), px(cy))
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="note">%s</text>`, px(W-mr+6), px(cy+4), esc(short(r.Note, 14)))
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// tick formats an axis value without trailing zeros.
func tick(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// niceTicks returns about n round values spanning [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/float64(n))))
	for _, m := range []float64{1, 2, 5, 10} {
		if (hi-lo)/(step*m) <= float64(n) {
			step *= m
			break
		}
	}
	var t []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		t = append(t, v)
	}
	return t
}

// short cuts s to n runes with an ellipsis.
func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// highlight writes the sentence as HTML with its matches in <mark>,
// cutting a long sentence around its first match.
func highlight(s sentence, max int) string {
	r := []rune(s.Text)
	spans := append([][2]int(nil), s.Spans...)
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	from, to := 0, len(r)
	if len(r) > max {
		if len(spans) > 0 && spans[0][0] > max/3 {
			from = spans[0][0] - max/3
		}
		to = min(len(r), from+max)
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	pos := from
	for _, sp := range spans {
		a, e := max2(sp[0], pos), min(sp[1], to)
		if a >= e || a < 0 || e > len(r) {
			continue
		}
		b.WriteString(esc(string(r[pos:a])))
		b.WriteString("<mark>" + esc(string(r[a:e])) + "</mark>")
		pos = e
	}
	b.WriteString(esc(string(r[pos:to])))
	if to < len(r) {
		b.WriteString(" …")
	}
	return b.String()
}

func max2(a, b int) int {
	if a > b {
		return a
	}
	return b
}
