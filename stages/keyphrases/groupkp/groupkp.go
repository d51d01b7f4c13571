package groupkp

import (
	"context"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/stage"
)

// GroupName names the group_keyphrases stage and its table.
const GroupName = "group_keyphrases"

// TopN is how many distinctive phrases group_keyphrases lists per
// group.
const TopN = 20

// GroupStage writes group_keyphrases, the phrases that distinguish each
// group (GroupPhrases.Distinctive), as a stage.Corpus. It is built in, not
// a registered analysis: it runs whenever the keyphrases stage does, its
// settings are that stage's, and its table is in output's catalog.
type GroupStage struct {
	tables []*output.Table
}

// NewGroupStage returns the group_keyphrases stage. It looks its table up
// in output's catalog once: a catalog derives every table from its row
// type.
func NewGroupStage() *GroupStage {
	return &GroupStage{tables: []*output.Table{output.NewCatalog().MustTable(GroupName)}}
}

func (s *GroupStage) Name() string { return GroupName }

// Tables is output's own definition of the table, not a new one.
func (s *GroupStage) Tables() []*output.Table { return s.tables }

// Config is nil: the stage's settings are the keyphrases stage's.
func (s *GroupStage) Config() any { return nil }

// GroupPartial is group_keyphrases' partial: each group's documents and
// their salient phrases.
type GroupPartial struct{ Phrases *keyphrases.GroupPhrases }

func (s *GroupStage) NewPartial() stage.Partial {
	return &GroupPartial{Phrases: keyphrases.NewGroupPhrases()}
}

func (p *GroupPartial) Merge(o stage.Partial) error {
	q, err := stage.PartialAs[*GroupPartial](GroupName, o)
	if err != nil {
		return err
	}
	p.Phrases.Merge(q.Phrases)
	return nil
}

// Map counts the document, with the salient phrases the pipeline ranked
// with its candidates (MapInput.Salient), towards its group.
func (s *GroupStage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	p := &GroupPartial{Phrases: keyphrases.NewGroupPhrases()}
	p.Phrases.Add(in.Doc.Group, in.Salient)
	return p, nil
}

func (s *GroupStage) Reduce(_ context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*GroupPartial](GroupName, sp)
	if err != nil {
		return err
	}
	w, err := env.Writer(GroupName)
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.GroupKeyphraseRow](w)
	if err != nil {
		return err
	}
	for _, g := range p.Phrases.Distinctive(TopN) {
		a.Append(&output.GroupKeyphraseRow{
			Group:           g.Group,
			Rank:            int32(g.Rank),
			Phrase:          g.Phrase,
			Score:           g.Score,
			Prevalence:      g.Prevalence,
			Distinctiveness: g.Distinctiveness,
			Count:           int32(g.Count),
			DocFreq:         int32(g.DocFreq),
		})
	}
	return w.Flush()
}
