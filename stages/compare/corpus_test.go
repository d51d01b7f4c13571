package compare

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/tokenize"
)

// samplePaper returns the prose of one sample paper, tokenised: lines of at
// least eight words ending like a sentence, up to the reference list (page
// chrome, headings, keyword and affiliation lines and the bibliography are
// dropped; the pipeline's cleaner does this properly).
func samplePaper(t *testing.T, id string) *document.Document {
	t.Helper()
	raw, err := fs.ReadFile(corpus.SampleFS(), id+".txt")
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, line := range strings.Split(string(raw), "\n") {
		s := strings.TrimSpace(line)
		if strings.HasPrefix(s, "References") || strings.HasPrefix(s, "LIST OF USED SOURCES") {
			break
		}
		if len(strings.Fields(s)) < 8 || !strings.ContainsAny(s[len(s)-1:], ".?!:”\")") {
			continue
		}
		keep = append(keep, s)
	}
	doc := &document.Document{ID: id, Group: id, Clean: strings.Join(keep, "\n\n")}
	tk, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSampleKeyness: unigram keyness (lower-case forms) of the retention
// paper (sun2025, side A of the default pair) against the security paper (zhang2024).
func TestSampleKeyness(t *testing.T) {
	var c Counts
	for _, p := range []string{"sun2025", "zhang2024"} {
		doc := samplePaper(t, p)
		for _, tok := range doc.Tokens {
			if !tok.IsPunct {
				c.Add(doc.Group, tok.Lower, 1)
			}
		}
	}
	cmpn, err := DefaultPair(c.Groups())
	if err != nil {
		t.Fatal(err)
	}
	ks, err := Compare(&c, cmpn, Config{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Keyness{}
	for _, k := range ks {
		by[k.Feature] = k
	}
	for i := 0; i < 8; i++ {
		k := ks[len(ks)-1-i]
		t.Logf("zhang2024 side: %-14s %3d/%-4d z %6.2f  G2 %7.2f  LR %5.2f", k.Feature, k.CountA, k.CountB, k.Z, k.G2, k.LogRatio)
	}
	for i := 0; i < 8; i++ {
		k := ks[i]
		t.Logf("sun2025 side: %-14s %3d/%-4d z %6.2f  G2 %7.2f  LR %5.2f", k.Feature, k.CountA, k.CountB, k.Z, k.G2, k.LogRatio)
	}
	for _, w := range []string{"security", "visa", "sanctions", "restrictions"} {
		k, ok := by[w]
		if !ok || !(k.Z < 0 && k.G2 < 0 && k.LogRatio < 0) || k.CountA != 0 {
			t.Errorf("%s should be key on the security side (zhang2024): %+v", w, k)
		}
	}
	for _, w := range []string{"identity", "belonging", "emotional", "emotion-driven"} {
		k, ok := by[w]
		if !ok || !(k.Z > 0 && k.G2 > 0 && k.LogRatio > 0) || k.CountB != 0 {
			t.Errorf("%s should be key on the retention side (sun2025): %+v", w, k)
		}
	}
	// With 167 words against 6,000 single words carry little evidence, but
	// "identity" (3 uses, none in zhang2024) stands out under G².
	if k := by["identity"]; k.P > 0.01 {
		t.Errorf("identity: p = %g, want < 0.01", k.P)
	}
	if k := by["security"]; k.P > 0.5 {
		t.Logf("security: p = %g", k.P)
	}
}

// sotu reads the State of the Union addresses since 1933 with a cheap
// tokenisation (lower-cased runs of letters and apostrophes), not
// stages/tokenize: prose would take most of the test budget on 4 MB.
func sotu(t *testing.T) (party, era *Counts) {
	t.Helper()
	dir := sharedtest.Path(t, "bench/sotu")
	f, err := os.Open(filepath.Join(dir, "meta.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	party, era = &Counts{}, &Counts{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m struct {
			ID    string `json:"id"`
			Year  int    `json:"year"`
			Party string `json:"party"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		if m.Year < 1933 {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, "txt", m.ID+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		e := "1933-1960"
		switch {
		case m.Year >= 1991:
			e = "1991-"
		case m.Year >= 1961:
			e = "1961-1990"
		}
		words := strings.FieldsFunc(strings.ToLower(string(text)), func(r rune) bool {
			return !unicode.IsLetter(r) && r != '\''
		})
		for _, w := range words {
			w = strings.Trim(w, "'")
			if w == "" {
				continue
			}
			if m.Party == "Democratic" || m.Party == "Republican" {
				party.Add(m.Party, w, 1)
			}
			era.Add(e, w, 1)
		}
	}
	return party, era
}

func TestSOTUKeyness(t *testing.T) {
	party, era := sotu(t)
	plan, err := BuildPlan("", party.Groups())
	if err != nil || len(plan) != 1 || plan[0].Label() != "Democratic vs Republican" {
		t.Fatalf("party plan = %+v, %v", plan, err)
	}
	ks, err := Compare(party, plan[0], Config{MinCount: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("party: %d features, A %d tokens, B %d", len(ks), party.Total("Democratic"), party.Total("Republican"))
	show := func(label string, ks []Keyness, n int) {
		var top, bottom []string
		for i := 0; i < n && i < len(ks); i++ {
			top = append(top, fmt.Sprintf("%s(%.1f)", ks[i].Feature, ks[i].Z))
			k := ks[len(ks)-1-i]
			bottom = append(bottom, fmt.Sprintf("%s(%.1f)", k.Feature, k.Z))
		}
		t.Logf("%s\n  A side: %s\n  B side: %s", label, strings.Join(top, " "), strings.Join(bottom, " "))
	}
	show("Democratic vs Republican", ks, 12)
	checkConsistent(t, ks)

	plan, err = BuildPlan(PlanEachVsRest, era.Groups())
	if err != nil || len(plan) != 3 {
		t.Fatalf("era plan = %+v %v", plan, err)
	}
	all, err := CompareAll(era, plan, Config{MinCount: 5})
	if err != nil {
		t.Fatal(err)
	}
	byCmp := map[string][]Keyness{}
	for _, k := range all {
		byCmp[k.Comparison] = append(byCmp[k.Comparison], k)
	}
	for _, p := range plan {
		show(p.Label(), byCmp[p.Label()], 12)
		checkConsistent(t, byCmp[p.Label()])
	}
	z := func(cmp, w string) float64 {
		for _, k := range byCmp[cmp] {
			if k.Feature == w {
				return k.Z
			}
		}
		return math.NaN()
	}
	// Words of their time: the Cold War's "communist", the internet age.
	for _, w := range []string{"internet", "terrorists"} {
		if v := z("1991- vs rest", w); !(v > 0) {
			t.Errorf("%s in 1991- vs rest: z = %g, want > 0", w, v)
		}
	}
	for _, w := range []string{"soviet", "vietnam"} {
		if v := z("1961-1990 vs rest", w); !(v > 5) {
			t.Errorf("%s in 1961-1990 vs rest: z = %g, want > 5", w, v)
		}
	}
	if v := z("1991- vs rest", "communist"); !(v < 0) {
		t.Errorf("communist in 1991- vs rest: z = %g, want < 0", v)
	}

	pairs, err := CompareAll(era, AllPairs(era.Groups()), Config{MinCount: 5})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, k := range pairs {
		seen[k.Comparison] = true
	}
	if len(seen) != 3 || !seen["1933-1960 vs 1961-1990"] || !seen["1961-1990 vs 1991-"] {
		t.Errorf("all-pairs comparisons = %v", seen)
	}
	for _, p := range plan {
		d, err := CountsJSD(era, p)
		if err != nil || !(d > 0 && d < 0.2) {
			t.Errorf("JSD %s = %g %v, want small but > 0", p.Label(), d, err)
		}
	}
}

// checkConsistent checks what must hold for every row of a comparison.
func checkConsistent(t *testing.T, ks []Keyness) {
	t.Helper()
	if len(ks) == 0 {
		t.Fatal("no keyness rows")
	}
	for i, k := range ks {
		if i > 0 && (ks[i-1].Z < k.Z || ks[i-1].Z == k.Z && ks[i-1].Feature > k.Feature) {
			t.Fatalf("rows not ordered at %d", i)
		}
		if k.PAdj < k.P-1e-15 || k.PAdj > 1 || k.P < 0 || k.P > 1 {
			t.Fatalf("p-values of %s: p %g adjusted %g", k.Feature, k.P, k.PAdj)
		}
		// The three statistics agree on the side when a feature is not
		// borderline.
		if math.Abs(k.Z) > 2 && (k.G2 > 0) != (k.Z > 0) {
			t.Fatalf("%s: z %g and G2 %g disagree", k.Feature, k.Z, k.G2)
		}
		if math.Abs(k.Z) > 2 && k.CountA > 0 && k.CountB > 0 && (k.LogRatio > 0) != (k.Z > 0) {
			t.Fatalf("%s: z %g and log ratio %g disagree", k.Feature, k.Z, k.LogRatio)
		}
	}
}
