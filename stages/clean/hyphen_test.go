package clean

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
)

// hyphenatedText wraps the sample papers' paragraphs at 72 columns, as a
// PDF-to-text dump does, breaking a long lower-case word with a hyphen
// at most line ends ("infor-" / "mation"), repeated to about size bytes.
func hyphenatedText(tb testing.TB, size int) (text string, breaks int) {
	tb.Helper()
	var paras []string
	for _, n := range []string{"sun2025.txt", "zhang2024.txt"} {
		b, err := fs.ReadFile(corpus.SampleFS(), n)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range strings.Split(string(b), "\n\n") {
			if len(p) > 300 {
				paras = append(paras, strings.Join(strings.Fields(p), " "))
			}
		}
	}
	var sb strings.Builder
	for i := 0; sb.Len() < size; i++ {
		line := 0
		for _, w := range strings.Fields(paras[i%len(paras)]) {
			if line > 0 && line+1+len(w) > 72 {
				lower := true
				for _, r := range w {
					lower = lower && unicode.IsLower(r) && r < 128
				}
				if lower && len(w) >= 6 && line+4 <= 72 {
					cut := len(w) / 2
					sb.WriteString(" " + w[:cut] + "-\n")
					breaks++
					w = w[cut:]
				} else {
					sb.WriteByte('\n')
				}
				line = 0
			} else if line > 0 {
				sb.WriteByte(' ')
				line++
			}
			sb.WriteString(w)
			line += len(w)
		}
		sb.WriteString("\n\n")
	}
	return sb.String(), breaks
}

// BenchmarkHyphenRepair cleans a long hard-wrapped text with many words
// broken across line ends. The repair was quadratic (each break searched
// the whole text); time per byte should not grow with the size.
func BenchmarkHyphenRepair(b *testing.B) {
	c, _ := New(Config{})
	ctx := context.Background()
	for _, size := range []int{50_000, 500_000} {
		text, breaks := hyphenatedText(b, size)
		b.Run(fmt.Sprintf("KB=%d", size/1000), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportMetric(float64(breaks), "breaks")
			for i := 0; i < b.N; i++ {
				d := &document.Document{ID: "h", Raw: text}
				if err := c.Process(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// hyphenBreak reports whether line a ends a word broken by a hyphen that
// line b goes on with, as the repair decided it before spelledIndex.
func hyphenBreak(a, b string) bool {
	return len(a) >= 3 && brokenAt("", a, b)
}

// repairHyphensBySearch is the repair as it was before spelledIndex, kept
// as the reference: it searches the whole text at each break.
func repairHyphensBySearch(lines []cline, full string) []cline {
	var out []cline
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for i+1 < len(lines) && lines[i+1].para == l.para && hyphenBreak(l.text, lines[i+1].text) {
			next := lines[i+1].text
			head := lastWord(l.text[:len(l.text)-1])
			tail := firstWord(next)
			if strings.Contains(full, head+"-"+tail) {
				l.text += next
			} else {
				l.text = l.text[:len(l.text)-1] + next
			}
			i++
		}
		out = append(out, l)
	}
	return out
}

var repairCleaners = map[bool]*Cleaner{} // by DisableNFKC

// repairBoth prepares raw as the cleaner does, then repairs its lines with
// the index and with the reference search.
func repairBoth(t *testing.T, cfg Config, raw string) (got, want string) {
	t.Helper()
	cfg.DisableHyphenation = true // prepare leaves the repair to us
	c, ok := repairCleaners[cfg.DisableNFKC]
	if !ok {
		var err error
		if c, err = New(cfg); err != nil {
			t.Fatal(err)
		}
		repairCleaners[cfg.DisableNFKC] = c
	}
	r := &cleanRun{c: c, doc: &document.Document{Raw: raw}}
	r.prepare()
	full, _ := c.norm.apply(raw)
	ref := repairHyphensBySearch(append([]cline(nil), r.lines...), full)
	r.repairHyphens(full)
	join := func(ls []cline) string {
		var sb strings.Builder
		for _, l := range ls {
			fmt.Fprintf(&sb, "%d|%s\n", l.para, l.text)
		}
		return sb.String()
	}
	return join(r.lines), join(ref)
}

func TestHyphenRepairTrickyCases(t *testing.T) {
	for _, tc := range []struct {
		name, raw, want string // want: in the repaired lines, joined by |
		cfg             Config
	}{
		{name: "dropped", raw: "The inter-\nnational flow.", want: "The international flow."},
		{name: "kept, spelled elsewhere", raw: "A push-pull model: the push-\npull model.", want: "A push-pull model: the push-pull model."},
		{name: "substring of a longer compound", raw: "The winter-nationals. The inter-\nnation grew.",
			want: "The winter-nationals. The inter-nation grew."},
		{name: "only the break itself", raw: "The inter-\nnational flow; inter-\nnational.", want: "The international flow; international."},
		{name: "chain, kept then dropped", raw: "See Inter-na. Inter-\nna-\ntional ties.", want: "Inter-national ties."},
		{name: "chain, dropped then dropped", raw: "See na-tional. Inter-\nna-\ntional ties.", want: "International ties."},
		{name: "chain, head across the join", raw: "See interna-tional. The inter-\nna-\ntional ties.",
			want: "The interna-tional ties."},
		{name: "chain of short lines", raw: "ab-\nc-\nd-\ne end", want: "abcde end"},
		{name: "no join across paragraphs or before capitals", raw: "The inter-\n\nnational. The inter-\nNational.",
			want: "The inter-|national. The inter-|National."},
		{name: "unicode letters", raw: "Die über-\nzeugung, eine über-zeugung; инфор-\nмация.",
			want: "Die über-zeugung, eine über-zeugung; информация."},
		{name: "long head, same last 16 bytes", raw: "A cointernationalization-istic view. A bointernationalization-\nist view.",
			want: "A cointernationalization-istic view. A bointernationalizationist view."},
		{name: "long head, spelled", raw: "A bointernationalization-istic view. A bointernationalization-\nist view.",
			want: "A bointernationalization-istic view. A bointernationalization-ist view."},
		{name: "byte match after a multi-byte symbol", raw: "Caféinter-national. A ©inter-\nnational.",
			want: "Caféinter-national. A ©inter-national.", cfg: Config{DisableNFKC: true}},
	} {
		got, want := repairBoth(t, tc.cfg, tc.raw)
		if got != want {
			t.Errorf("%s: index and search differ:\n%s\nvs\n%s", tc.name, got, want)
		}
		var texts []string
		for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
			_, text, _ := strings.Cut(l, "|")
			texts = append(texts, text)
		}
		if !strings.Contains(strings.Join(texts, "|"), tc.want) {
			t.Errorf("%s: repaired lines %q lack %q", tc.name, texts, tc.want)
		}
	}
}

// Random texts from a few hyphen-prone pieces: the index gives what the
// search gave.
func TestHyphenRepairSameAsSearch(t *testing.T) {
	pieces := []string{"inter", "national", "na", "tion", "push", "pull", "a", "b", "x", "é", "über", "ß", "©", "ⓐ",
		"Inter", "National", "1", ",", "-", "-", "-", "-\n", "-\n", "-\n", " ", " ", "\n", "\n\n", "•"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 3000; n++ {
		var sb strings.Builder
		for k := rng.IntN(60); k >= 0; k-- {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		for _, cfg := range []Config{{}, {DisableNFKC: true}} {
			if got, want := repairBoth(t, cfg, sb.String()); got != want {
				t.Fatalf("%q: index and search differ:\n%s\nvs\n%s", sb.String(), got, want)
			}
		}
	}
	// And the long benchmark text.
	text, _ := hyphenatedText(t, 100_000)
	if got, want := repairBoth(t, Config{}, text); got != want {
		t.Fatal("benchmark text: index and search differ")
	}
}
