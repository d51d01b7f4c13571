package entities

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/document"
)

// backtrack is the matcher runPattern replaced: the furthest end of any
// way of splitting toks[i:] between specs[k:], found by trying them all.
// Exponential in the repeated specs; the reference for small cases.
func backtrack(specs []tokSpec, k int, toks []document.Token, i, hi int) int {
	if k == len(specs) {
		return i
	}
	c := &specs[k]
	best := -1
	n := 0
	for i+n < hi && (c.max < 0 || n < c.max) && c.matches(&toks[i+n]) {
		n++
	}
	for take := n; take >= c.min; take-- {
		if e := backtrack(specs, k+1, toks, i+take, hi); e > best {
			best = e
		}
	}
	return best
}

// TestPatternAutomatonAgreesWithBacktracking compares the automaton with
// exhaustive backtracking on random patterns over a three-letter alphabet,
// every op, at every start of random token runs.
func TestPatternAutomatonAgreesWithBacktracking(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 1))
	words := []string{"a", "b", "c"}
	ops := []string{"", "?", "+", "*"}
	for trial := 0; trial < 3000; trial++ {
		var specs []tokSpec
		for n := 1 + rng.IntN(5); n > 0; n-- {
			ts := TokenSpec{Op: ops[rng.IntN(len(ops))]}
			switch rng.IntN(3) {
			case 0:
				ts.Lower = words[rng.IntN(3)]
			case 1:
				ts.LowerIn = []string{words[rng.IntN(3)], words[rng.IntN(3)]}
			default:
				ts.NotLower = []string{words[rng.IntN(3)]}
			}
			c, err := compileSpec(ts)
			if err != nil {
				t.Fatal(err)
			}
			specs = append(specs, c)
		}
		toks := make([]document.Token, 1+rng.IntN(12))
		for i := range toks {
			toks[i].Text = words[rng.IntN(3)]
		}
		lo, hi := rng.IntN(len(toks)), len(toks)
		got := map[int]int{}
		runPattern(specs, toks, lo, hi, nil, func(s, e int) { got[s] = e })
		for i := lo; i < hi; i++ {
			want := backtrack(specs, 0, toks, i, hi)
			if want <= i {
				want = 0 // no match, or only the empty one: no candidate
			}
			if got[i] != want {
				t.Fatalf("trial %d: pattern %s on %v [%d,%d) at %d: automaton end %d, backtracking %d",
					trial, describe(specs), toks, lo, hi, i, got[i], want)
			}
		}
	}
}

// TestMatchStartsAgreesWithAutomaton: the forward runs from given starts
// find the automaton's matches at those starts, or give up (when they
// would step over more tokens than the span holds) having emitted nothing.
func TestMatchStartsAgreesWithAutomaton(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 3))
	words := []string{"a", "b", "c"}
	ops := []string{"", "?", "+", "*"}
	var scratch []int32
	gaveUp, ran := 0, 0
	for trial := 0; trial < 5000; trial++ {
		var specs []tokSpec
		for n := 1 + rng.IntN(5); n > 0; n-- {
			ts := TokenSpec{Op: ops[rng.IntN(len(ops))]}
			switch rng.IntN(3) {
			case 0:
				ts.Lower = words[rng.IntN(3)]
			case 1:
				ts.LowerIn = []string{words[rng.IntN(3)], words[rng.IntN(3)]}
			default:
				ts.NotLower = []string{words[rng.IntN(3)]}
			}
			c, err := compileSpec(ts)
			if err != nil {
				t.Fatal(err)
			}
			specs = append(specs, c)
		}
		toks := make([]document.Token, 1+rng.IntN(30))
		for i := range toks {
			toks[i].Text = words[rng.IntN(3)]
		}
		lo, hi := rng.IntN(len(toks)), len(toks)
		want := map[int]int{}
		runPattern(specs, toks, lo, hi, nil, func(s, e int) { want[s] = e })
		var starts []int
		for i := lo; i < hi; i++ {
			if rng.IntN(4) == 0 {
				starts = append(starts, i)
			}
		}
		got := map[int]int{}
		if !matchStarts(specs, toks, hi, starts, &scratch, func(s, e int) { got[s] = e }) {
			gaveUp++
			if len(got) > 0 {
				t.Fatalf("trial %d: gave up after emitting %v", trial, got)
			}
			continue
		}
		ran++
		for _, s := range starts {
			if got[s] != want[s] {
				t.Fatalf("trial %d: pattern %s on %v [%d,%d) at %d: forward end %d, automaton %d",
					trial, describe(specs), toks, lo, hi, s, got[s], want[s])
			}
			delete(got, s)
		}
		if len(got) > 0 {
			t.Fatalf("trial %d: matches at starts not asked for: %v", trial, got)
		}
	}
	if gaveUp == 0 || ran < 1000 {
		t.Errorf("forward runs finished %d times and gave up %d times", ran, gaveUp)
	}
}

func describe(specs []tokSpec) string {
	var b strings.Builder
	for _, c := range specs {
		fmt.Fprintf(&b, "{%q %v %v %d..%d}", c.lower, c.lowerIn, c.notLower, c.min, c.max)
	}
	return b.String()
}

// The rule of the report: several "+" tokens in a row, then one that never
// matches. Backtracking tries every split of the run between the "+"
// tokens (n^5 for five of them, at each start); the automaton makes one
// pass. A 20,000-token sentence would not finish with backtracking.
const pathologicalRule = `rules:
  - label: ORG
    patterns:
      - [{is_title: true, op: "+"}, {is_title: true, op: "+"}, {is_title: true, op: "+"}, {is_title: true, op: "+"}, {is_title: true, op: "+"}, {lower: zzzz-never}]
`

func pathologicalDoc(n int) *document.Document {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("Alpha ")
	}
	b.WriteString("end.")
	text := b.String()
	doc := &document.Document{ID: "p", Clean: text}
	doc.Sections = []document.Section{{Kind: document.KindBody, Start: 0, End: len(text)}}
	for i := 0; i < n; i++ {
		doc.Tokens = append(doc.Tokens, document.Token{Text: "Alpha", Start: 6 * i, End: 6*i + 5, POS: "NNP"})
	}
	doc.Tokens = append(doc.Tokens, document.Token{Text: "end", Start: 6 * n, End: 6*n + 3, POS: "NN"}, document.Token{Text: ".", Start: 6*n + 3, End: 6*n + 4, POS: "."})
	doc.Sentences = []document.Sentence{{Start: 0, End: len(text), TokenStart: 0, TokenEnd: len(doc.Tokens)}}
	return doc
}

func TestPathologicalRuleIsLinear(t *testing.T) {
	f := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(f, []byte(pathologicalRule), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := newRec(t, Config{RuleFiles: []string{f}, DisableModel: true, DisableGazetteer: true})
	doc := pathologicalDoc(20000)
	if err := rec.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Entities {
		if e.Label == "ORG" {
			t.Fatalf("the rule needs a token that is not there, yet matched %q", e.Text)
		}
	}
}

// BenchmarkPathologicalRule: go test -run '^$' -bench PathologicalRule ./stages/entities
func BenchmarkPathologicalRule(b *testing.B) {
	f := filepath.Join(b.TempDir(), "rules.yaml")
	if err := os.WriteFile(f, []byte(pathologicalRule), 0o644); err != nil {
		b.Fatal(err)
	}
	rec, err := New(Config{RuleFiles: []string{f}, DisableModel: true, DisableGazetteer: true})
	if err != nil {
		b.Fatal(err)
	}
	doc := pathologicalDoc(100000)
	for b.Loop() {
		if err := rec.Process(b.Context(), doc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc.Tokens))*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}
