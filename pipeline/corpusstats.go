package pipeline

import (
	"fmt"
	"strings"

	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/vectorize"
)

// corpusStats are the mergeable statistics of many blocks: a run keeps one
// running total instead of every block's, which would repeat each phrase,
// n-gram and word once per block.
type corpusStats struct {
	DF       *vectorize.DFStats
	PhraseDF *keyphrases.PhraseDF
	// parts are the analyses' partials merged in block order.
	parts    []stage.Partial
	analyses []stage.Corpus
	// NGrams counts n-grams per group by run-wide id (ngramNames): each
	// n-gram's text once, not once per group that says it.
	NGrams     map[string]map[int32]int64
	ngramIDs   map[string]int32
	ngramNames []string
	// ngramFloor is the count below which n-grams were pruned to bound
	// memory (see addNGrams); 0 when none were.
	ngramFloor int64
	ngramSize  int
}

// maxNGrams bounds the (group, n-gram) pairs kept in memory. Past it, the
// rarest are pruned with a rising floor, as gensim's Phrases does with
// max_vocab_size: a corpus of any size then compares its frequent n-grams.
const maxNGrams = 2_000_000

func newCorpusStats(eng *engine) *corpusStats {
	c := &corpusStats{DF: vectorize.NewDFStats(), PhraseDF: keyphrases.NewPhraseDF(),
		NGrams: map[string]map[int32]int64{}, ngramIDs: map[string]int32{},
		analyses: eng.analyses, parts: newPartials(eng.analyses)}
	return c
}

// absorb adds a block's statistics and lets the block drop them.
func (c *corpusStats) absorb(b *blockState) error {
	if b.parts == nil && len(c.analyses) > 0 {
		ps, err := decodePartials(c.analyses, b.Partials, b.path)
		if err != nil {
			return err
		}
		b.parts = ps
	}
	if err := mergePartials(c.analyses, c.parts, b.parts); err != nil {
		return fmt.Errorf("block %d: %w", b.Block, err)
	}
	b.parts, b.Partials = nil, nil
	c.DF.Merge(b.DF)
	c.PhraseDF.Merge(b.PhraseDF)
	for g, m := range b.NGrams {
		dst := c.NGrams[g]
		if dst == nil {
			dst = map[int32]int64{}
			c.NGrams[g] = dst
		}
		for t, n := range m {
			id, ok := c.ngramIDs[t]
			if !ok {
				id = int32(len(c.ngramNames))
				c.ngramIDs[t] = id
				c.ngramNames = append(c.ngramNames, strings.Clone(t))
			}
			if _, ok := dst[id]; !ok {
				c.ngramSize++
			}
			dst[id] += n
		}
	}
	if c.ngramSize > maxNGrams {
		for c.ngramSize > maxNGrams {
			c.ngramFloor++
			for _, m := range c.NGrams {
				for t, n := range m {
					if n < c.ngramFloor {
						delete(m, t)
						c.ngramSize--
					}
				}
			}
		}
		c.compactNGrams()
	}
	b.DF, b.PhraseDF, b.NGrams = nil, nil, nil
	b.formIDs = nil
	return nil
}

// compactNGrams renumbers the n-grams some group still counts after
// pruning, so that the names of pruned ones go too.
func (c *corpusStats) compactNGrams() {
	remap := make([]int32, len(c.ngramNames))
	for i := range remap {
		remap[i] = -1
	}
	for _, m := range c.NGrams {
		for t := range m {
			remap[t] = 0
		}
	}
	var names []string
	for t, used := range remap {
		if used == 0 {
			remap[t] = int32(len(names))
			names = append(names, c.ngramNames[t])
		}
	}
	c.ngramNames = names
	c.ngramIDs = make(map[string]int32, len(names))
	for i, t := range names {
		c.ngramIDs[t] = int32(i)
	}
	for g, m := range c.NGrams {
		nm := make(map[int32]int64, len(m))
		for t, n := range m {
			nm[remap[t]] = n
		}
		c.NGrams[g] = nm
	}
}
