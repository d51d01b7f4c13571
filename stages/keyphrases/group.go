package keyphrases

import (
	"math"
	"sort"
	"strings"

	"github.com/framelens/framelens/corpus/document"
)

// GroupPhrases gathers, per group of documents (for example per actor or
// period), the key phrases of the group's documents, to rank the phrases
// that distinguish each group (Distinctive). Shards count apart with Add
// and combine with Merge.
type GroupPhrases struct {
	// Groups maps group → phrase key → counts (values, not pointers: a
	// large corpus holds millions of them).
	Groups map[string]map[string]PhraseCount
	// Docs counts the documents added per group.
	Docs map[string]int
	// Forms maps phrase key → surface form → count, to print the phrase as
	// it is most often written.
	Forms map[string]map[string]int
}

// PhraseCount is what one group's documents say of one phrase.
type PhraseCount struct {
	// Count is the occurrences and Docs the documents of the group whose
	// per-document ranking holds the phrase.
	Count, Docs int
	// Salience sums the phrase's salience in those documents (see
	// document.SalientPhrase).
	Salience float64
}

// GroupKeyphrase is one distinctive phrase of a group.
type GroupKeyphrase struct {
	Group  string
	Rank   int // 1 = most distinctive
	Phrase string
	Key    string // the phrase key (Snowball stems), as in Candidate.Key
	// Score is Prevalence × Distinctiveness.
	Score float64
	// Prevalence is the phrase's mean salience over the group's documents
	// (0 to 1): how many of them hold it, and how high.
	Prevalence float64
	// Distinctiveness (0 to 1) is how much the phrase and its words belong
	// to this group rather than the others (see Distinctive).
	Distinctiveness float64
	Count           int // occurrences in the group's documents that rank it
	DocFreq         int // documents of the group that rank it
}

// SalientPerDoc is how many phrases of each document's ranking count
// towards its group.
const SalientPerDoc = 50

// Salient ranks the candidates of one document without corpus statistics
// (as Process does, redundant phrases removed) and returns its best
// SalientPerDoc phrases with their salience, strings copied so that they
// do not hold the document's text.
func (e *Extractor) Salient(c *DocCandidates) []document.SalientPhrase {
	if c == nil || len(c.Phrases) == 0 {
		return nil
	}
	return salientOf(c, e.order(c, e.score(c, nil), SalientPerDoc))
}

// salientOf is the salient phrases of a document's ranking order. Single
// words other than acronyms are left out: a long document's ranking sets
// them aside (fittedLongWeights) while an abstract's keeps a few, so
// counting them would make a word look distinctive of the groups of short
// documents ("China" of the retention abstract, though the security paper
// says it 40 times). Single words are compared in the keyness table.
func salientOf(c *DocCandidates, order []int) []document.SalientPhrase {
	out := make([]document.SalientPhrase, 0, len(order))
	for _, i := range order {
		p := &c.Phrases[i]
		if p.Words == 1 && !p.Acronym {
			continue
		}
		out = append(out, document.SalientPhrase{
			Key: strings.Clone(p.Key), Phrase: strings.Clone(p.Phrase), Count: p.Count,
			Salience: 1 / math.Log2(float64(len(out)+2)),
		})
	}
	return out
}

// NewGroupPhrases returns an empty count.
func NewGroupPhrases() *GroupPhrases {
	g := &GroupPhrases{}
	g.init()
	return g
}

func (g *GroupPhrases) init() {
	if g.Groups == nil {
		g.Groups = map[string]map[string]PhraseCount{}
	}
	if g.Docs == nil {
		g.Docs = map[string]int{}
	}
	if g.Forms == nil {
		g.Forms = map[string]map[string]int{}
	}
}

// Add counts one document of group with its salient phrases (Salient).
// A document without phrases still counts as a document of its group.
func (g *GroupPhrases) Add(group string, ps []document.SalientPhrase) {
	g.init()
	g.Docs[group]++
	m := g.Groups[group]
	if m == nil {
		m = map[string]PhraseCount{}
		g.Groups[group] = m
	}
	for _, p := range ps {
		pc := m[p.Key]
		pc.Count += p.Count
		pc.Docs++
		pc.Salience += p.Salience
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
	for group, n := range o.Docs {
		g.Docs[group] += n
	}
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
			pc.Salience += oc.Salience
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

// smoothing is the pseudo-count added to every phrase and word count of
// every group when rates are compared (Jeffreys' prior): a word a group
// never uses still has a small rate there.
const smoothing = 0.5

// Distinctive returns the topN most distinctive phrases of every group,
// different ideas as in a document's ranking (redundant phrases
// removed). A phrase x of group c scores
//
//	Score(x, c) = Prevalence(x, c) · Distinctiveness(x, c)
//
// Prevalence is the mean salience of x over the group's documents: a
// phrase near the top of most of its documents comes first, one that
// is frequent but never key does not count. Distinctiveness rescales the
// geometric mean s̄, over the phrase itself and each of its words, of the
// group's share of the rate,
//
//	share(u, c) = r(u, c) / Σ_g r(u, g),  r(u, g) = (n(u, g) + ½) / (N(g) + ½·V)
//	Distinctiveness(x, c) = (s̄ − 1/G) / (1 − 1/G)
//
// with n(u, g) the occurrences of u in group g's salient phrases, N(g) all
// of them, V the distinct phrases (or words) of the corpus and G the
// groups: 1 for a phrase of this group only, 0 for one every group uses
// alike ("United Nations" in every country's speeches, which would
// otherwise lead every group by its prevalence). Phrases at 0 or below
// are left out, so a group may have fewer than topN; with one group
// Distinctiveness is 1. Counting words as well as whole phrases
// matters with few documents per group, where nearly every phrase occurs
// in one group only: "national competition" is then as distinctive as
// "cultural identity" by the phrase alone, but not by its words, which
// the other side uses all the time. Groups come out in name order.
func (g *GroupPhrases) Distinctive(topN int) []GroupKeyphrase {
	if topN <= 0 {
		topN = 10
	}
	groups := make([]string, 0, len(g.Groups))
	for name := range g.Groups {
		groups = append(groups, name)
	}
	sort.Strings(groups)
	if len(groups) == 0 {
		return nil
	}
	// Phrase and word counts per group, and their totals.
	phraseN := make([]float64, len(groups))
	wordN := make([]float64, len(groups))
	words := make([]map[string]float64, len(groups))
	phraseSet, wordSet := map[string]bool{}, map[string]bool{}
	for gi, name := range groups {
		words[gi] = map[string]float64{}
		for k, pc := range g.Groups[name] {
			phraseN[gi] += float64(pc.Count)
			phraseSet[k] = true
			for w := range strings.SplitSeq(k, " ") {
				words[gi][w] += float64(pc.Count)
				wordN[gi] += float64(pc.Count)
				wordSet[w] = true
			}
		}
	}
	// Denominators of the rates, and the sum of every group's rate of
	// each phrase and word: Σ_g (n + ½)/D_g = Σ_g n/D_g + ½·Σ_g 1/D_g.
	phraseD, wordD := make([]float64, len(groups)), make([]float64, len(groups))
	var phraseBase, wordBase float64
	for gi := range groups {
		phraseD[gi] = phraseN[gi] + smoothing*float64(len(phraseSet))
		wordD[gi] = wordN[gi] + smoothing*float64(len(wordSet))
		phraseBase += smoothing / phraseD[gi]
		wordBase += smoothing / wordD[gi]
	}
	phraseSum, wordSum := map[string]float64{}, map[string]float64{}
	for gi, name := range groups {
		for k, pc := range g.Groups[name] {
			phraseSum[k] += float64(pc.Count) / phraseD[gi]
		}
		for w, n := range words[gi] {
			wordSum[w] += n / wordD[gi]
		}
	}
	var out []GroupKeyphrase
	for gi, name := range groups {
		m := g.Groups[name]
		docs := g.Docs[name]
		if len(m) == 0 || docs == 0 {
			continue
		}
		rows := make([]GroupKeyphrase, 0, len(m))
		for k, pc := range m {
			logShare := math.Log((float64(pc.Count) + smoothing) / phraseD[gi] / (phraseSum[k] + phraseBase))
			parts := 1
			for w := range strings.SplitSeq(k, " ") {
				logShare += math.Log((words[gi][w] + smoothing) / wordD[gi] / (wordSum[w] + wordBase))
				parts++
			}
			d := 1.0 // one group: nothing to tell it from
			if len(groups) > 1 {
				base := 1 / float64(len(groups))
				d = (math.Exp(logShare/float64(parts)) - base) / (1 - base)
			}
			if d <= 0 {
				continue // used as much or more by the other groups
			}
			prev := pc.Salience / float64(docs)
			rows = append(rows, GroupKeyphrase{
				Group: name, Key: k, Count: pc.Count, DocFreq: pc.Docs,
				Prevalence: prev, Distinctiveness: d, Score: prev * d,
			})
		}
		sort.Slice(rows, func(i, j int) bool {
			if rows[i].Score != rows[j].Score {
				return rows[i].Score > rows[j].Score
			}
			return rows[i].Key < rows[j].Key
		})
		rows = distinctRows(rows, topN)
		for i := range rows {
			rows[i].Rank = i + 1
			rows[i].Phrase = g.form(rows[i].Key)
		}
		out = append(out, rows...)
	}
	return out
}

// distinctRows keeps the first topN rows that are not redundant with a
// better one (removeRedundant: the same stems, or a contiguous part).
func distinctRows(rows []GroupKeyphrase, topN int) []GroupKeyphrase {
	ps := make([]Candidate, len(rows))
	order := make([]int, len(rows))
	for i := range rows {
		ps[i].Key = rows[i].Key
		order[i] = i
	}
	kept := removeRedundant(ps, order, topN)
	out := make([]GroupKeyphrase, len(kept))
	for j, i := range kept {
		out[j] = rows[i]
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
