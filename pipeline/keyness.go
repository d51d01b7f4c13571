package pipeline

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

// Feature kinds of the keyness table.
const (
	FeatureTerm      = "term"
	FeatureKeyphrase = "keyphrase"
	FeatureEntity    = "entity"
	FeatureTopic     = "topic"
)

// plan returns the run's comparisons over the groups seen.
func (r *reducer) plan(groups []string) ([]compare.Comparison, error) {
	cc := r.eng.cfg.Compare
	if len(cc.Comparisons) > 0 {
		out := make([]compare.Comparison, len(cc.Comparisons))
		for i, s := range cc.Comparisons {
			out[i] = compare.Comparison{Name: s.Name, A: s.A, B: s.B}
		}
		return out, nil
	}
	return compare.BuildPlan(cc.Plan, groups)
}

// featureCounts builds the per-group counts of every feature kind.
func (r *reducer) featureCounts(vocab *vectorize.Vocabulary, model *topics.Model) map[string]*compare.Counts {
	out := map[string]*compare.Counts{FeatureTerm: {}, FeatureEntity: {}}
	for i, d := range r.info {
		for term, n := range r.counts[i] {
			if vocab.ID(term) >= 0 {
				out[FeatureTerm].Add(d.Group, term, int64(n))
			}
		}
		if c := r.cands[i]; c != nil {
			if out[FeatureKeyphrase] == nil {
				out[FeatureKeyphrase] = &compare.Counts{}
			}
			for _, p := range c.Phrases {
				out[FeatureKeyphrase].Add(d.Group, p.Norm, int64(p.Count))
			}
		}
	}
	for g, m := range r.entityCounts {
		for name, n := range m {
			out[FeatureEntity].Add(g, name, n)
		}
	}
	if model != nil {
		// A topic's "count" in a document is the words the model gives it.
		out[FeatureTopic] = &compare.Counts{}
		labels := topicLabels(model)
		for i, d := range r.info {
			for t := 0; t < model.K; t++ {
				n := int64(math.Round(model.DocTopic[i*model.K+t] * float64(d.Words)))
				out[FeatureTopic].Add(d.Group, labels[t], n)
			}
		}
	}
	return out
}

// topicLabels names topics "3: visa, security, sanction".
func topicLabels(m *topics.Model) []string {
	top := m.TopTerms(3)
	out := make([]string, m.K)
	for t := range out {
		out[t] = fmt.Sprintf("%d: %s", t, strings.Join(top[t], ", "))
	}
	return out
}

func (r *reducer) writeKeyness(ts *tableSet, vocab *vectorize.Vocabulary, model *topics.Model, sum *Summary) error {
	groups := map[string]bool{}
	for _, d := range r.info {
		if !d.Failed {
			groups[d.Group] = true
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	if len(names) < 2 && len(r.eng.cfg.Compare.Comparisons) == 0 {
		r.eng.log.Info("keyness skipped: the corpus has fewer than two groups", "groups", names)
		return nil
	}
	plan, err := r.plan(names)
	if err != nil {
		return err
	}
	counts := r.featureCounts(vocab, model)
	w, err := ts.writer("keyness", nil)
	if err != nil {
		return err
	}
	c := output.ColsOf(w)
	cmpName, ga, gb, kind, feature := c.Str("comparison"), c.Str("group_a"), c.Str("group_b"), c.Str("feature_kind"), c.Str("feature")
	ca, cb, ra, rb := c.Int64("count_a"), c.Int64("count_b"), c.Float64("rate_a"), c.Float64("rate_b")
	lo, z, g2, p, padj, lr, side := c.Float64("log_odds"), c.Float64("z"), c.Float64("g2"), c.Float64("p"), c.Float64("p_adj"), c.Float64("log_ratio"), c.Str("side")
	kinds := []string{FeatureTerm, FeatureKeyphrase, FeatureEntity, FeatureTopic}
	for _, cmpn := range plan {
		a := strings.Join(cmpn.A, "+")
		b := "rest"
		if len(cmpn.B) > 0 {
			b = strings.Join(cmpn.B, "+")
		}
		for _, k := range kinds {
			fc := counts[k]
			if fc == nil {
				continue
			}
			rowsK, err := compare.Compare(fc, cmpn, r.eng.cfg.Compare.Keyness)
			if err != nil {
				return err
			}
			for _, row := range rowsK {
				cmpName(cmpn.Label())
				ga(a)
				gb(b)
				kind(k)
				feature(row.Feature)
				ca(row.CountA)
				cb(row.CountB)
				ra(row.RateA)
				rb(row.RateB)
				lo(row.LogOdds)
				z(row.Z)
				g2(row.G2)
				p(row.P)
				padj(row.PAdj)
				lr(row.LogRatio)
				if row.Z >= 0 {
					side(a)
				} else {
					side(b)
				}
			}
			if k == FeatureTerm {
				sum.Distinctive = append(sum.Distinctive, distinctive(cmpn.Label(), a, b, rowsK, 5)...)
			}
			if err := w.Flush(); err != nil {
				return err
			}
		}
	}
	return ts.closeTable("keyness")
}

// distinctive picks the n highest-z terms of each side.
func distinctive(label, a, b string, rows []compare.Keyness, n int) []SideTerms {
	sorted := append([]compare.Keyness(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Z > sorted[j].Z })
	var ta, tb []string
	for i := 0; i < len(sorted) && len(ta) < n; i++ {
		if sorted[i].Z > 0 {
			ta = append(ta, sorted[i].Feature)
		}
	}
	for i := len(sorted) - 1; i >= 0 && len(tb) < n; i-- {
		if sorted[i].Z < 0 {
			tb = append(tb, sorted[i].Feature)
		}
	}
	return []SideTerms{{Comparison: label, Group: a, Terms: ta}, {Comparison: label, Group: b, Terms: tb}}
}
