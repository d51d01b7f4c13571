package comparestage

import (
	"context"
	"fmt"
	"strings"

	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/stage"
)

// minNGramCount is the least number of occurrences in the corpus of an
// n-gram that keyness compares.
const minNGramCount = 5

// maxNGrams bounds the (group, n-gram) pairs kept in memory. Past it, the
// rarest are pruned with a rising floor, as gensim's Phrases does with
// max_vocab_size: a corpus of any size then compares its frequent n-grams.
const maxNGrams = 2_000_000

// NGrams is the stage's partial: the 2- and 3-grams of the documents'
// term forms counted per group.
//
// A block's partial counts its documents' n-grams by text (Groups, what a
// block state saves). The corpus's is the running total of the blocks' in
// block order, each n-gram's text once (run): past maxNGrams (group,
// n-gram) pairs, the rarest are pruned after a block is added, so that an
// interrupted, resumed or sharded run prunes exactly as an uninterrupted
// one, whose blocks complete in order.
type NGrams struct {
	Groups map[string]map[string]int64

	run *ngramTotal
}

// docNGrams is one document's n-grams (Map), merged into a block's.
type docNGrams struct {
	group  string
	counts map[string]int // nil: n-grams are not counted
}

func (d *docNGrams) Merge(o stage.Partial) error {
	return fmt.Errorf("%s: a document's n-grams are merged into a block's, not a %T into them", Name, o)
}

// Merge adds a document's n-grams to a block's, or a block's to the
// corpus's running total.
func (p *NGrams) Merge(o stage.Partial) error {
	switch q := o.(type) {
	case *docNGrams:
		if q.counts == nil {
			return nil
		}
		if p.Groups == nil {
			p.Groups = map[string]map[string]int64{}
		}
		g := p.Groups[q.group]
		if g == nil {
			g = map[string]int64{}
			p.Groups[q.group] = g
		}
		for t, n := range q.counts {
			g[t] += int64(n)
		}
	case *NGrams:
		if q.run != nil {
			return fmt.Errorf("%s: a corpus's n-gram total cannot be merged into another", Name)
		}
		if p.run == nil {
			p.run = &ngramTotal{groups: map[string]map[int32]int64{}, ids: map[string]int32{}}
		}
		p.run.add(q.Groups)
	default:
		return fmt.Errorf("%s: cannot merge a %T", Name, o)
	}
	return nil
}

// total returns the corpus's running total: the blocks' merged, or, for
// a partial that is one block's, its own.
func (p *NGrams) total() *ngramTotal {
	if p.run == nil && p.Groups != nil {
		q := &NGrams{}
		_ = q.Merge(p) // a block's into an empty total: cannot fail
		return q.run
	}
	return p.run
}

// ngramTotal counts n-grams per group by run-wide id (names): each
// n-gram's text once, not once per group that says it.
type ngramTotal struct {
	groups map[string]map[int32]int64
	ids    map[string]int32
	names  []string
	// floor is the count below which n-grams were pruned to bound memory;
	// 0 when none were. size counts the (group, n-gram) pairs.
	floor int64
	size  int
}

// add adds a block's counts and prunes past maxNGrams.
func (c *ngramTotal) add(groups map[string]map[string]int64) {
	for g, m := range groups {
		dst := c.groups[g]
		if dst == nil {
			dst = map[int32]int64{}
			c.groups[g] = dst
		}
		for t, n := range m {
			id, ok := c.ids[t]
			if !ok {
				id = int32(len(c.names))
				c.ids[t] = id
				c.names = append(c.names, strings.Clone(t))
			}
			if _, ok := dst[id]; !ok {
				c.size++
			}
			dst[id] += n
		}
	}
	if c.size > maxNGrams {
		for c.size > maxNGrams {
			c.floor++
			for _, m := range c.groups {
				for t, n := range m {
					if n < c.floor {
						delete(m, t)
						c.size--
					}
				}
			}
		}
		c.compact()
	}
}

// compact renumbers the n-grams some group still counts after pruning, so
// that the names of pruned ones go too.
func (c *ngramTotal) compact() {
	remap := make([]int32, len(c.names))
	for i := range remap {
		remap[i] = -1
	}
	for _, m := range c.groups {
		for t := range m {
			remap[t] = 0
		}
	}
	var names []string
	for t, used := range remap {
		if used == 0 {
			remap[t] = int32(len(names))
			names = append(names, c.names[t])
		}
	}
	c.names = names
	c.ids = make(map[string]int32, len(names))
	for i, t := range names {
		c.ids[t] = int32(i)
	}
	for g, m := range c.groups {
		nm := make(map[int32]int64, len(m))
		for t, n := range m {
			nm[remap[t]] = n
		}
		c.groups[g] = nm
	}
}

// countNGrams counts, in each document, the 2- and 3-grams seen at least
// minNGramCount times in the corpus, from the documents' runs of term
// forms: the n-grams vectorize counts, recounted per document. It empties
// c, the corpus's counts, once it has picked them.
func countNGrams(ctx context.Context, c *ngramTotal, env stage.Env, docs []Doc) (*compare.DocCounts, error) {
	total := make([]int64, len(c.names))
	for _, m := range c.groups {
		for t, n := range m {
			total[t] += n
		}
	}
	// N-grams by their words' ids (ids of the words of wanted n-grams
	// only: any other form is -1 and cannot start or continue one).
	type key [3]int32
	wordID := map[string]int32{}
	want := map[key]string{}
	for t, name := range c.names {
		if total[t] < minNGramCount {
			continue
		}
		words := strings.Split(name, " ")
		if len(words) > 3 {
			continue
		}
		k := key{-1, -1, -1}
		for i, w := range words {
			id, seen := wordID[w]
			if !seen {
				id = int32(len(wordID))
				wordID[w] = id
			}
			k[i] = id
		}
		want[k] = name
	}
	*c = ngramTotal{} // the counts of every n-gram are not needed any more
	dc := NewDocCounts(docs, nil)
	var ids []int32
	err := env.EachDoc(ctx, func(d stage.DocForms) error {
		ids = ids[:0]
		for _, f := range d.Forms {
			id, ok := wordID[f]
			if !ok {
				id = -1
			}
			ids = append(ids, id)
		}
		for ri, start := range d.Runs {
			end := int32(len(ids))
			if ri+1 < len(d.Runs) {
				end = d.Runs[ri+1]
			}
			for j := start; j < end; j++ {
				if ids[j] < 0 {
					continue
				}
				for n := int32(2); n <= 3 && j+n <= end; n++ {
					k := key{ids[j], ids[j+1], -1}
					if n == 3 {
						k[2] = ids[j+2]
					}
					if k[1] < 0 || k[2] < 0 && n == 3 {
						break
					}
					if name, ok := want[k]; ok {
						dc.Add(d.Index, name, 1)
					}
				}
			}
		}
		return nil
	})
	return dc, err
}
