package keyphrases

import (
	"math"
	"sort"
)

// GroupPhrases counts candidate phrases per group of documents (for
// example per actor or period) for class-based TF-IDF. Shards count apart
// with Add and combine with Merge.
type GroupPhrases struct {
	// Groups maps group → phrase key → counts (values, not pointers: a
	// large corpus holds millions of them).
	Groups map[string]map[string]PhraseCount
	// Forms maps phrase key → surface form → count, to print the phrase as
	// it is most often written.
	Forms map[string]map[string]int
}

// PhraseCount is the occurrences and documents of one phrase in one group.
type PhraseCount struct {
	Count, Docs int
}

// GroupKeyphrase is one distinctive phrase of a group.
type GroupKeyphrase struct {
	Group   string
	Rank    int // 1 = most distinctive
	Phrase  string
	Key     string // the phrase key (Snowball stems), as in Candidate.Key
	Score   float64
	Count   int // occurrences in the group
	DocFreq int // documents of the group containing it
}

// NewGroupPhrases returns an empty count.
func NewGroupPhrases() *GroupPhrases {
	return &GroupPhrases{Groups: map[string]map[string]PhraseCount{}, Forms: map[string]map[string]int{}}
}

func (g *GroupPhrases) init() {
	if g.Groups == nil {
		g.Groups = map[string]map[string]PhraseCount{}
	}
	if g.Forms == nil {
		g.Forms = map[string]map[string]int{}
	}
}

// Add counts the candidates of one document of group.
func (g *GroupPhrases) Add(group string, c *DocCandidates) {
	g.init()
	m := g.Groups[group]
	if m == nil {
		m = map[string]PhraseCount{}
		g.Groups[group] = m
	}
	for _, p := range c.Phrases {
		pc := m[p.Key]
		pc.Count += p.Count
		pc.Docs++
		m[p.Key] = pc
		f := g.Forms[p.Key]
		if f == nil {
			f = map[string]int{}
			g.Forms[p.Key] = f
		}
		f[p.Phrase] += p.Count
	}
}

// Merge adds the counts of o into g.
func (g *GroupPhrases) Merge(o *GroupPhrases) {
	if o == nil {
		return
	}
	g.init()
	for group, om := range o.Groups {
		m := g.Groups[group]
		if m == nil {
			m = map[string]PhraseCount{}
			g.Groups[group] = m
		}
		for k, oc := range om {
			pc := m[k]
			pc.Count += oc.Count
			pc.Docs += oc.Docs
			m[k] = pc
		}
	}
	for k, of := range o.Forms {
		f := g.Forms[k]
		if f == nil {
			f = map[string]int{}
			g.Forms[k] = f
		}
		for s, n := range of {
			f[s] += n
		}
	}
}

// Distinctive returns the topN most distinctive phrases of every group by
// class-based TF-IDF (Grootendorst 2022, BERTopic):
//
//	W(x, c) = tf(x, c) / Σ_y tf(y, c) · ln(1 + A / f(x))
//
// where tf(x, c) counts phrase x in group c, f(x) counts it in all groups
// and A is the average number of phrase occurrences per group. Groups come
// out in name order, phrases by descending score.
func (g *GroupPhrases) Distinctive(topN int) []GroupKeyphrase {
	if topN <= 0 {
		topN = 10
	}
	total := map[string]int{}
	var all int
	groups := make([]string, 0, len(g.Groups))
	for name, m := range g.Groups {
		groups = append(groups, name)
		for k, pc := range m {
			total[k] += pc.Count
			all += pc.Count
		}
	}
	sort.Strings(groups)
	if len(groups) == 0 || all == 0 {
		return nil
	}
	avg := float64(all) / float64(len(groups))
	var out []GroupKeyphrase
	for _, name := range groups {
		m := g.Groups[name]
		size := 0
		for _, pc := range m {
			size += pc.Count
		}
		if size == 0 {
			continue
		}
		rows := make([]GroupKeyphrase, 0, len(m))
		for k, pc := range m {
			rows = append(rows, GroupKeyphrase{
				Group: name, Phrase: g.form(k), Key: k, Count: pc.Count, DocFreq: pc.Docs,
				Score: float64(pc.Count) / float64(size) * math.Log(1+avg/float64(total[k])),
			})
		}
		sort.Slice(rows, func(i, j int) bool {
			if rows[i].Score != rows[j].Score {
				return rows[i].Score > rows[j].Score
			}
			return rows[i].Key < rows[j].Key
		})
		if len(rows) > topN {
			rows = rows[:topN]
		}
		for i := range rows {
			rows[i].Rank = i + 1
		}
		out = append(out, rows...)
	}
	return out
}

// form is the most frequent surface form of a key (alphabetical on ties).
func (g *GroupPhrases) form(key string) string {
	best, bestN := key, 0
	for s, n := range g.Forms[key] {
		if n > bestN || (n == bestN && s < best) {
			best, bestN = s, n
		}
	}
	return best
}
