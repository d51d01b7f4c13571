package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// DefaultAlpha0 is the default total mass α0 of the informative Dirichlet
// prior: the prior counts as 1,000 background tokens spread over features by
// their background shares. It barely moves features of large groups and
// shrinks the log-odds of rare features in small groups (docs/methods.md).
const DefaultAlpha0 = 1000

// Prior sources for Config.Prior.
const (
	PriorPooled    = "pooled"    // shares in A and B together (default)
	PriorReference = "reference" // shares in Config.Reference
)

// Config configures keyness. The zero value is usable.
type Config struct {
	// Alpha0 is the total prior mass α0; 0 = DefaultAlpha0.
	Alpha0 float64 `yaml:"alpha0"`
	// Prior is where the prior shares come from: "" or PriorPooled for the
	// pooled counts of both sides, PriorReference for Reference.
	Prior string `yaml:"prior"`
	// Reference is an external corpus (all its groups pooled). When set, a
	// comparison with an empty B compares A against it instead of the rest.
	Reference *Counts `yaml:"-"`
	// MinCount drops features whose count in A and B together is lower;
	// 0 = 1 (every feature that occurs).
	MinCount int64 `yaml:"min_count"`
}

// Keyness is one feature of one comparison. Positive Z, G2 and LogRatio
// mean the feature is over-used in A.
type Keyness struct {
	Comparison string
	Feature    string
	CountA     int64
	CountB     int64
	// RateA and RateB are per 1,000 feature occurrences of each side.
	RateA, RateB float64
	// Alpha is the feature's prior count α_w = α0 · π_w.
	Alpha float64
	// LogOdds is δ̂ (natural log) and Z = δ̂ / sqrt(Var(δ̂)) (Monroe et al.
	// 2008).
	LogOdds, Z float64
	// G2 is the log-likelihood statistic of the 2×2 table, signed + when the
	// rate in A is higher; P its χ²(1) upper-tail p-value and PAdj the
	// Benjamini–Hochberg adjusted P over the comparison's features.
	G2, P, PAdj float64
	// LogRatio is log2(rate A / rate B) (Hardie 2014), with a small
	// correction when a count is zero (see the LogRatio function).
	LogRatio float64
}

// Compare computes keyness for every feature occurring in A or B, ordered by
// Z descending, then feature.
func Compare(c *Counts, cmpn Comparison, cfg Config) ([]Keyness, error) {
	if len(cmpn.A) == 0 {
		return nil, fmt.Errorf("compare %s: side A has no groups", cmpn.Label())
	}
	known := c.Groups()
	for _, g := range append(slices.Clone(cmpn.A), cmpn.B...) {
		if _, ok := slices.BinarySearch(known, g); !ok {
			return nil, fmt.Errorf("compare %s: no counts for group %q", cmpn.Label(), g)
		}
		if slices.Contains(cmpn.A, g) && slices.Contains(cmpn.B, g) {
			return nil, fmt.Errorf("compare %s: group %q is on both sides", cmpn.Label(), g)
		}
	}
	ca, na := c.pooled(cmpn.A)
	// cb holds side B's counts — or, for "A vs rest", every group's, with
	// bOf subtracting A: one pass over the features instead of pooling all
	// the other groups for each comparison.
	var cb map[string]int64
	var nb int64
	bOf := func(f string) int64 { return cb[f] }
	switch {
	case len(cmpn.B) > 0:
		cb, nb = c.pooled(cmpn.B)
	case cfg.Reference != nil:
		cb, nb = cfg.Reference.pooled(nil)
	default:
		if len(known) == len(cmpn.A) {
			return nil, fmt.Errorf("compare %s: no other groups to compare with", cmpn.Label())
		}
		var all int64
		cb, all = c.pooledAll()
		nb = all - na
		bOf = func(f string) int64 { return cb[f] - ca[f] }
	}
	if na == 0 || nb == 0 {
		return nil, fmt.Errorf("compare %s: a side has no counts (A %d, B %d)", cmpn.Label(), na, nb)
	}
	alpha0 := cfg.Alpha0
	if alpha0 == 0 {
		alpha0 = DefaultAlpha0
	}
	minCount := max(cfg.MinCount, 1)

	// Prior shares π_w.
	var share func(f string) float64
	switch cfg.Prior {
	case "", PriorPooled:
		share = func(f string) float64 { return float64(ca[f]+bOf(f)) / float64(na+nb) }
	case PriorReference:
		if cfg.Reference == nil {
			return nil, fmt.Errorf("compare %s: prior %q needs a reference corpus", cmpn.Label(), cfg.Prior)
		}
		// Features absent from the reference would get α_w = 0 and an
		// infinite log-odds when absent from one side too: add 0.5 to every
		// reference count over the union vocabulary.
		rc, rn := cfg.Reference.pooled(nil)
		vocab := len(rc)
		for f := range ca {
			if _, ok := rc[f]; !ok {
				vocab++
			}
		}
		for f := range cb {
			if _, ok := rc[f]; !ok {
				if _, inA := ca[f]; !inA {
					vocab++
				}
			}
		}
		denom := float64(rn) + 0.5*float64(vocab)
		share = func(f string) float64 { return (float64(rc[f]) + 0.5) / denom }
	default:
		return nil, fmt.Errorf("compare %s: unknown prior %q (want %s or %s)", cmpn.Label(), cfg.Prior, PriorPooled, PriorReference)
	}

	label := cmpn.Label()
	var out []Keyness
	add := func(f string) {
		a, b := ca[f], bOf(f)
		if a+b < minCount {
			return
		}
		k := Keyness{Comparison: label, Feature: f, CountA: a, CountB: b,
			RateA: 1000 * float64(a) / float64(na), RateB: 1000 * float64(b) / float64(nb)}
		k.Alpha = alpha0 * share(f)
		k.LogOdds, k.Z = LogOddsZ(a, na, b, nb, k.Alpha, alpha0)
		k.G2, k.P = SignedG2(a, na, b, nb)
		k.LogRatio = LogRatio(a, na, b, nb)
		out = append(out, k)
	}
	// Features are visited in sorted order, so that rows with equal z keep
	// that order (a numeric tie-break in the sort below) and the output never
	// depends on map iteration.
	if len(cmpn.B) == 0 && cfg.Reference == nil {
		for _, f := range c.sortedFeatures() { // every feature is in A or the rest
			add(f)
		}
	} else {
		feats := make([]string, 0, len(ca)+len(cb))
		for f := range ca {
			feats = append(feats, f)
		}
		for f := range cb {
			if _, inA := ca[f]; !inA { // a feature A holds with count 0 is done
				feats = append(feats, f)
			}
		}
		slices.Sort(feats)
		for _, f := range feats {
			add(f)
		}
	}
	ps := make([]float64, len(out))
	for i := range out {
		ps[i] = out[i].P
	}
	for i, q := range BH(ps) {
		out[i].PAdj = q
	}
	// Sort an index, not the 120-byte rows.
	idx := make([]int32, len(out))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		if c := cmp.Compare(out[j].Z, out[i].Z); c != 0 {
			return c
		}
		return cmp.Compare(i, j) // feature order
	})
	sorted := make([]Keyness, len(out))
	for i, k := range idx {
		sorted[i] = out[k]
	}
	return sorted, nil
}

// CompareAll runs every comparison of a plan and concatenates the results.
func CompareAll(c *Counts, plan []Comparison, cfg Config) ([]Keyness, error) {
	var out []Keyness
	for _, p := range plan {
		k, err := Compare(c, p, cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, k...)
	}
	return out, nil
}

// LogOddsZ is the weighted log-odds ratio of a feature counted ya times in
// na tokens of A and yb times in nb of B, with prior count alpha out of a
// total prior mass alpha0 (Monroe, Colaresi & Quinn 2008, §3.5):
//
//	δ = ln((ya+α)/(na+α0−ya−α)) − ln((yb+α)/(nb+α0−yb−α))
//	Var(δ) ≈ 1/(ya+α) + 1/(yb+α),  z = δ / sqrt(Var(δ))
func LogOddsZ(ya, na, yb, nb int64, alpha, alpha0 float64) (delta, z float64) {
	a, b := float64(ya)+alpha, float64(yb)+alpha
	restA, restB := float64(na)+alpha0-a, float64(nb)+alpha0-b
	if a <= 0 || b <= 0 || restA <= 0 || restB <= 0 {
		return math.NaN(), math.NaN()
	}
	delta = math.Log(a/restA) - math.Log(b/restB)
	return delta, delta / math.Sqrt(1/a+1/b)
}

// SignedG2 is Dunning's log-likelihood G² over the full 2×2 table (feature
// vs other tokens, A vs B), signed + when the rate in A is higher, with its
// χ²(1) upper-tail p-value.
//
//	G² = 2 Σ O ln(O/E) over the four cells, E = row total · column total / N
func SignedG2(ya, na, yb, nb int64) (g2, p float64) {
	n := float64(na + nb)
	obs := [4]float64{float64(ya), float64(yb), float64(na - ya), float64(nb - yb)}
	row := [2]float64{float64(ya + yb), n - float64(ya+yb)}
	col := [2]float64{float64(na), float64(nb)}
	for i, o := range obs {
		if o > 0 {
			e := row[i/2] * col[i%2] / n
			g2 += o * math.Log(o/e)
		}
	}
	g2 *= 2
	if g2 < 0 { // rounding when O = E
		g2 = 0
	}
	// The survival function of χ² with one degree of freedom is
	// erfc(√(x/2)): the same value as distuv.ChiSquared{K: 1}.Survival
	// (tested), without its incomplete-gamma series.
	p = math.Erfc(math.Sqrt(g2 / 2))
	if float64(ya)*float64(nb) < float64(yb)*float64(na) {
		g2 = -g2
	}
	return g2, p
}

// LogRatio is log2 of the ratio of relative frequencies (Hardie 2014).
// When either count is zero, ε = 0.5/(na+nb), the relative frequency of
// half an occurrence in the pooled corpus, is added to both relative
// frequencies so that the value stays finite. (Substituting 0.5 for the
// zero count alone, as often done, flips the sign when the corpora differ
// much in size: 0 in 167 words against 8 in 5,742 would come out positive.)
func LogRatio(ya, na, yb, nb int64) float64 {
	ra, rb := float64(ya)/float64(na), float64(yb)/float64(nb)
	if ya == 0 || yb == 0 {
		eps := 0.5 / float64(na+nb)
		ra += eps
		rb += eps
	}
	return math.Log2(ra / rb)
}
