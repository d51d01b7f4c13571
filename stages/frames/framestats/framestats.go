package framestats

import (
	"context"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/stage"
)

// The corpus-level statistics of the frames stage, each a stage.Corpus:
// frame_entries (which lexicon entries carry each frame's hits) and
// frame_suggestions (words that co-occur with each frame, to extend its
// lexicon). They are built in, not registered analyses: they run whenever
// the frames stage does and take their settings from it (its lexicon), so
// they have no config section, and their tables are in output's catalog.
const (
	EntriesName     = "frame_entries"
	SuggestionsName = "frame_suggestions"
)

// entryForms is how many matched forms frame_entries lists per entry.
const entryForms = 5

// catalogTable is the definition of one of output's tables: a built-in
// stage declares it but does not define it anew. A stage looks it up once,
// when it is made: a catalog derives every table from its row type.
func catalogTable(name string) []*output.Table {
	return []*output.Table{output.NewCatalog().MustTable(name)}
}

// EntriesStage writes frame_entries and warns of entries that carry most of
// a frame's hits and of a lexicon derived from the corpus it scores.
type EntriesStage struct {
	lex *frames.Lexicon
	// corpus is the run's corpus path, for Lexicon.DerivedOverlap.
	corpus string
	tables []*output.Table
}

// NewEntriesStage returns the frame_entries stage of a run of lex over the
// corpus at path corpus.
func NewEntriesStage(lex *frames.Lexicon, corpus string) *EntriesStage {
	return &EntriesStage{lex: lex, corpus: corpus, tables: catalogTable(EntriesName)}
}

func (s *EntriesStage) Name() string            { return EntriesName }
func (s *EntriesStage) Tables() []*output.Table { return s.tables }

// Config is nil: the stage's settings are the frames stage's.
func (s *EntriesStage) Config() any { return nil }

// EntriesPartial is frame_entries' partial: hits and forms per group and
// entry.
type EntriesPartial struct{ Stats *frames.EntryStats }

func (s *EntriesStage) NewPartial() stage.Partial {
	return &EntriesPartial{Stats: frames.NewEntryStats()}
}

func (p *EntriesPartial) Merge(o stage.Partial) error {
	q, err := stage.PartialAs[*EntriesPartial](EntriesName, o)
	if err != nil {
		return err
	}
	p.Stats.Merge(q.Stats)
	return nil
}

func (s *EntriesStage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	p := &EntriesPartial{Stats: frames.NewEntryStats()}
	p.Stats.AddDoc(in.Doc)
	return p, nil
}

func (s *EntriesStage) Reduce(_ context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*EntriesPartial](EntriesName, sp)
	if err != nil {
		return err
	}
	if w := s.lex.DerivedOverlap(s.corpus, env.DocIDs()); w != "" {
		env.Warn(w)
	}
	sources := map[[2]string][]string{}
	for _, f := range s.lex.Frames {
		for _, e := range f.Entries {
			if len(e.Sources) > 0 {
				sources[[2]string{f.Name, e.Pattern}] = e.Sources
			}
		}
	}
	rows := p.Stats.Rows(entryForms)
	groups := len(p.Stats.Counts)
	for _, d := range frames.Dominant(rows) {
		env.Warn(d.Warning(groups))
	}
	w, err := env.Writer(EntriesName)
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.FrameEntryRow](w)
	if err != nil {
		return err
	}
	for _, row := range rows {
		fh := make([]int32, len(row.FormHits))
		for i, n := range row.FormHits {
			fh[i] = int32(min(n, 1<<31-1))
		}
		a.Append(&output.FrameEntryRow{
			Group:       row.Group,
			Frame:       row.Frame,
			Entry:       row.Entry,
			Hits:        row.Hits,
			NegatedHits: row.Negated,
			Docs:        row.Docs,
			FrameHits:   row.FrameHits,
			Share:       row.Share,
			Dominant:    row.Dominant,
			TopForms:    row.Forms,
			TopFormHits: fh,
			Sources:     sources[[2]string{row.Frame, row.Entry}],
		})
	}
	return w.Flush()
}

// SuggestionsStage writes frame_suggestions: words that co-occur with each
// frame's hits, by PPMI (Suggest).
type SuggestionsStage struct {
	lex    *frames.Lexicon
	names  []string // lex's frame names, for each document's partial
	tables []*output.Table
}

// NewSuggestionsStage returns the frame_suggestions stage of a run of lex.
func NewSuggestionsStage(lex *frames.Lexicon) *SuggestionsStage {
	return &SuggestionsStage{lex: lex, names: lex.FrameNames(), tables: catalogTable(SuggestionsName)}
}

func (s *SuggestionsStage) Name() string            { return SuggestionsName }
func (s *SuggestionsStage) Tables() []*output.Table { return s.tables }

// Config is nil: the stage's settings are the frames stage's.
func (s *SuggestionsStage) Config() any { return nil }

// SuggestionsPartial is frame_suggestions' partial: sentence
// co-occurrence counts of frames and lemmas.
type SuggestionsPartial struct{ Cooc *frames.Cooc }

func (s *SuggestionsStage) NewPartial() stage.Partial {
	return &SuggestionsPartial{Cooc: frames.NewCooc(s.names, true)}
}

func (p *SuggestionsPartial) Merge(o stage.Partial) error {
	q, err := stage.PartialAs[*SuggestionsPartial](SuggestionsName, o)
	if err != nil {
		return err
	}
	return p.Cooc.Merge(q.Cooc)
}

func (s *SuggestionsStage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	p := s.NewPartial().(*SuggestionsPartial)
	if err := p.Cooc.AddDoc(in.Doc); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *SuggestionsStage) Reduce(_ context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*SuggestionsPartial](SuggestionsName, sp)
	if err != nil {
		return err
	}
	sugg, err := frames.Suggest(p.Cooc, s.lex, frames.SuggestConfig{})
	if err != nil {
		return err
	}
	w, err := env.Writer(SuggestionsName)
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.FrameSuggestionRow](w)
	if err != nil {
		return err
	}
	rank := map[string]int32{}
	for _, g := range sugg {
		rank[g.Frame]++
		a.Append(&output.FrameSuggestionRow{
			Frame:         g.Frame,
			Rank:          rank[g.Frame],
			Term:          g.Term,
			PPMI:          g.PPMI,
			Joint:         g.Joint,
			TermSentences: g.TermSents,
		})
	}
	return w.Flush()
}
