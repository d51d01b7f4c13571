package pipeline

import (
	"fmt"

	"github.com/framelens/framelens/stages/stage"
)

// corpusStats are the mergeable statistics of many blocks: a run keeps one
// running total instead of every block's, which would repeat each phrase
// and word once per block.
type corpusStats struct {
	// parts are the analyses' partials merged in block order.
	parts    []stage.Partial
	analyses []stage.Corpus
}

func newCorpusStats(eng *engine) *corpusStats {
	c := &corpusStats{analyses: eng.analyses, parts: newPartials(eng.analyses)}
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
	b.parts, b.Partials, b.absorbed = nil, nil, true
	b.formIDs = nil
	return nil
}
