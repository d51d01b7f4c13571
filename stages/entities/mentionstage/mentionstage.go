// Package mentionstage is the entity_mentions stage, a built-in
// stage.Corpus: one row per document and entity (canonical name and label)
// with its number of mentions and its spellings.
//
// It keeps the document's actors as its record (stage.Recorder) and writes
// the table from them in Reduce (stage.Env.EachRecord), counting each
// entity's mentions per document as it goes; those counts are what the
// keyness stage compares on entities, and the run's mention total is the
// summary's. Both are handed to the run through Env. Its partial is the
// mention total, which Reduce checks the records against.
package mentionstage

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/stage"
)

// Name names the stage and its table.
const Name = "entity_mentions"

// Stage is the entity_mentions stage. It runs whenever the entities stage
// does; its settings are that stage's, and its table is output's.
type Stage struct {
	tables []*output.Table
}

// New returns the entity_mentions stage.
func New() *Stage {
	return &Stage{tables: []*output.Table{output.NewCatalog().MustTable(Name)}}
}

func (s *Stage) Name() string { return Name }

// Tables is output's own definition of the table, not a new one.
func (s *Stage) Tables() []*output.Table { return s.tables }

// Config is nil: the stage's settings are the entities stage's.
func (s *Stage) Config() any { return nil }

// Partial is the number of entity mentions of some documents.
type Partial struct{ Mentions int64 }

func (p *Partial) Merge(o stage.Partial) error {
	q, err := stage.PartialAs[*Partial](Name, o)
	if err != nil {
		return err
	}
	p.Mentions += q.Mentions
	return nil
}

func (s *Stage) NewPartial() stage.Partial { return &Partial{} }

// Map counts the document's mentions.
func (s *Stage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	return &Partial{Mentions: int64(len(in.Doc.Entities))}, nil
}

// Actor is one entity of a document — a canonical name with its label —
// with its number of mentions and its spellings, most frequent first.
type Actor struct {
	Canonical, Label string
	Mentions         int32
	Variants         []string
}

// Record is what the stage keeps of a document: its actors, by canonical
// name and label.
type Record struct{ Actors []Actor }

func (s *Stage) NewRecord() any { return &Record{} }

// Record returns the document's actors (nil: it has no entity).
func (s *Stage) Record(_ context.Context, in stage.MapInput) (any, error) {
	as := Actors(in.Doc)
	if as == nil {
		return nil, nil
	}
	return &Record{Actors: as}, nil
}

// Actors gathers a document's entity mentions by (canonical, label), in
// that order; the strings are copies, not windows on the text.
func Actors(doc *document.Document) []Actor {
	if len(doc.Entities) == 0 {
		return nil
	}
	type key struct{ canon, label string }
	counts := map[key]map[string]int{}
	for _, e := range doc.Entities {
		k := key{e.Canonical, e.Label}
		if counts[k] == nil {
			counts[k] = map[string]int{}
		}
		counts[k][e.Text]++
	}
	out := make([]Actor, 0, len(counts))
	for k, vs := range counts {
		a := Actor{Canonical: strings.Clone(k.canon), Label: k.label, Variants: make([]string, 0, len(vs))}
		for v, n := range vs {
			a.Mentions += int32(n)
			a.Variants = append(a.Variants, v)
		}
		sort.Slice(a.Variants, func(i, j int) bool {
			if vi, vj := vs[a.Variants[i]], vs[a.Variants[j]]; vi != vj {
				return vi > vj
			}
			return a.Variants[i] < a.Variants[j]
		})
		for i, v := range a.Variants {
			a.Variants[i] = strings.Clone(v)
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Canonical != out[j].Canonical {
			return out[i].Canonical < out[j].Canonical
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// Env is what Reduce needs of the run beyond stage.Env: where the
// per-document counts go that the keyness stage compares, and where the
// mention total goes that the summary shows.
type Env interface {
	stage.Env
	// NewDocCounts registers every document of the run, in input order,
	// for per-document counts of a feature.
	NewDocCounts() *compare.DocCounts
	// Mentions hands over each document's mentions of each entity
	// (canonical name) and the run's mention total.
	Mentions(perDoc *compare.DocCounts, total int64) error
}

// Reduce writes entity_mentions and hands over the counts.
func (s *Stage) Reduce(ctx context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*Partial](Name, sp)
	if err != nil {
		return err
	}
	e, ok := env.(Env)
	if !ok {
		return fmt.Errorf("%s: built in, it hands its counts to the run, which %T does not take", Name, env)
	}
	w, err := env.Writer(Name)
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.EntityMentionRow](w)
	if err != nil {
		return err
	}
	perDoc := e.NewDocCounts()
	var total int64
	err = env.EachRecord(ctx, func(d stage.DocRecord) error {
		rec, _ := d.Record.(*Record)
		if rec == nil || d.Failed {
			return nil
		}
		for _, ac := range rec.Actors {
			a.Append(&output.EntityMentionRow{DocID: d.ID, Group: d.Group, Canonical: ac.Canonical,
				Label: ac.Label, Mentions: ac.Mentions, Variants: ac.Variants})
			perDoc.Add(d.Index, ac.Canonical, int64(ac.Mentions))
			total += int64(ac.Mentions)
		}
		// Between documents, so that the table's rows are written in
		// batches, not held until the end (548,603 rows on the whole UN
		// corpus).
		return w.Flush()
	})
	if err != nil {
		return err
	}
	if total != p.Mentions {
		return fmt.Errorf("%s: the documents' records hold %d mentions, the corpus's count is %d: the saved records are not those of the blocks' states", Name, total, p.Mentions)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return e.Mentions(perDoc, total)
}
