// Package kpstage is the keyphrases stage's corpus side, a built-in
// stage.Corpus: the keyphrases table when its ranking needs corpus
// statistics, and, either way, each document's occurrences of the phrases
// of that table, which the keyness stage compares.
//
// The pipeline extracts a document's candidates once, on the worker
// (stage.MapInput.Phrases). When the ranking needs no corpus statistics,
// the document's top phrases are ranked there and written as the documents
// stream; otherwise the stage's partial counts the document frequencies of
// the shortlisted candidates (keyphrases.PhraseDF), its record keeps the
// shortlist, and Reduce ranks each document's with the corpus's counts and
// writes the table. Its record also keeps the document's normalised words,
// from which Reduce counts every occurrence of every phrase of the table
// (Env.EachRecord, a second pass) and hands the counts to the run (Env).
package kpstage

import (
	"context"
	"fmt"
	"strings"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/stage"
)

// Name names the stage and its table; group_keyphrases reduces after it.
const Name = "keyphrases"

// Stage is the keyphrases stage's corpus side. It runs whenever the
// keyphrases stage does, with its extractor; its table is output's.
type Stage struct {
	kp     *keyphrases.Extractor
	tables []*output.Table
}

// New returns the stage of the run's key-phrase extractor kp.
func New(kp *keyphrases.Extractor) *Stage {
	return &Stage{kp: kp, tables: []*output.Table{output.NewCatalog().MustTable(Name)}}
}

func (s *Stage) Name() string { return Name }

// Tables is output's own definition of the table, not a new one.
func (s *Stage) Tables() []*output.Table { return s.tables }

// Config is nil: the settings are the keyphrases section, recorded there.
func (s *Stage) Config() any { return nil }

// Partial is the document frequencies of the shortlisted candidates
// (counting every candidate of every document would hold millions of
// phrases that never rank).
type Partial struct{ DF *keyphrases.PhraseDF }

func (s *Stage) NewPartial() stage.Partial { return &Partial{DF: keyphrases.NewPhraseDF()} }

func (p *Partial) Merge(o stage.Partial) error {
	q, err := stage.PartialAs[*Partial](Name, o)
	if err != nil {
		return err
	}
	p.DF.Merge(q.DF)
	return nil
}

// Map counts the document's shortlisted candidates.
func (s *Stage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	p := &Partial{DF: keyphrases.NewPhraseDF()}
	if c := shortlist(in); c != nil {
		p.DF.Add(c)
	}
	return p, nil
}

// shortlist is the document's shortlist of candidates, nil when none.
func shortlist(in stage.MapInput) *keyphrases.DocCandidates {
	if in.Phrases == nil {
		return nil
	}
	c, _ := in.Phrases.Shortlist.(*keyphrases.DocCandidates)
	return c
}

// Record is what the stage keeps of a document.
type Record struct {
	// Words are the document's normalised words (PhraseInput.Words)
	// joined by wordSep: one string, not one per word, while the block
	// waits to be saved.
	Words string
	// Top, Cands and FirstRunes are PhraseInput's Top, Shortlist and
	// FirstRunes.
	Top        []string
	Cands      *keyphrases.DocCandidates
	FirstRunes map[int]int32
}

// wordSep joins a record's words; no word holds it.
const wordSep = "\x00"

func (s *Stage) NewRecord() any { return &Record{} }

// Record keeps the document's words and its top phrases or shortlist.
func (s *Stage) Record(_ context.Context, in stage.MapInput) (any, error) {
	ph := in.Phrases
	if ph == nil {
		return nil, nil
	}
	return &Record{Words: strings.Join(ph.Words, wordSep), Top: ph.Top, Cands: shortlist(in), FirstRunes: ph.FirstRunes}, nil
}

// span is where one word of Record.Words starts and ends (empty: a break
// between runs).
type span struct{ start, end int }

// spans appends the spans of the words Record joined to out.
func (r *Record) spans(out []span) []span {
	if r.Words == "" {
		return out
	}
	for i := 0; ; {
		n := strings.IndexByte(r.Words[i:], wordSep[0])
		if n < 0 {
			return append(out, span{i, len(r.Words)})
		}
		out = append(out, span{i, i + n})
		i += n + 1
	}
}

// Env is what Reduce needs of the run beyond stage.Env.
type Env interface {
	stage.Env
	// StartPart directs the keyphrases table's rows of document doc (its
	// index) to its block's part file, as if written as it streamed.
	StartPart(w *output.Writer, doc int) error
	// NewDocCounts registers every document of the run, in input order,
	// for per-document counts of a feature.
	NewDocCounts() *compare.DocCounts
	// Keyphrases hands over each document's occurrences of the phrases of
	// the keyphrases table.
	Keyphrases(perDoc *compare.DocCounts) error
}

// Reduce ranks and writes the documents' key phrases when that needs the
// corpus's statistics, then counts the phrases' occurrences per document.
func (s *Stage) Reduce(ctx context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*Partial](Name, sp)
	if err != nil {
		return err
	}
	e, ok := env.(Env)
	if !ok {
		return fmt.Errorf("%s: built in, it writes part files and hands its counts to the run, which %T does not do", Name, env)
	}
	// The phrases keyness compares: every phrase some document ranks
	// among its top key phrases (the keyphrases table).
	top := map[string]bool{}
	if !s.kp.NeedsCorpusStats() {
		// Ranked per document and written as documents streamed.
		err = env.EachRecord(ctx, func(d stage.DocRecord) error {
			if rec, _ := d.Record.(*Record); rec != nil {
				for _, n := range rec.Top {
					top[n] = true
				}
			}
			return nil
		})
	} else {
		err = s.rank(ctx, e, p.DF, top)
	}
	if err != nil {
		return err
	}
	perDoc, err := count(ctx, e, top)
	if err != nil {
		return err
	}
	return e.Keyphrases(perDoc)
}

// rank ranks each document's shortlist with the corpus's document
// frequencies df, writes the keyphrases table's rows and adds the phrases
// to top.
func (s *Stage) rank(ctx context.Context, e Env, df *keyphrases.PhraseDF, top map[string]bool) error {
	w, err := e.Writer(Name)
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.KeyphraseRow](w)
	if err != nil {
		return err
	}
	return e.EachRecord(ctx, func(d stage.DocRecord) error {
		rec, _ := d.Record.(*Record)
		if rec == nil || rec.Cands == nil {
			return nil
		}
		if err := e.StartPart(w, d.Index); err != nil {
			return err
		}
		ranked := s.kp.Rank(rec.Cands, df)
		for _, k := range ranked {
			top[k.Norm] = true
		}
		AppendRows(a, d.ID, d.Group, ranked, func(b int) int32 { return rec.FirstRunes[b] })
		return w.Flush()
	})
}

// count counts the occurrences of the phrases top in every analysed
// document's words: wherever the phrase's normalised words are consecutive
// words of one sentence, with no punctuation between
// (keyphrases.NormWords), whether or not the document ranks the phrase,
// and inside longer phrases too. Counting only where a document ranks a
// phrase among its top ones would say that a phrase one side names a
// hundred times is absent from it.
func count(ctx context.Context, e Env, top map[string]bool) (*compare.DocCounts, error) {
	// Phrases by their words joined as a record joins them.
	want := make(map[string]string, len(top))
	longest := 0
	for p := range top {
		words := strings.Split(p, " ")
		want[strings.Join(words, wordSep)] = p
		longest = max(longest, len(words))
	}
	dc := e.NewDocCounts()
	var words []span
	err := e.EachRecord(ctx, func(d stage.DocRecord) error {
		rec, _ := d.Record.(*Record)
		if rec == nil || d.Failed {
			return nil
		}
		// Consecutive words joined are a substring of rec.Words: no key
		// is built.
		words = rec.spans(words[:0])
		for j := range words {
			for n := 0; n < longest && j+n < len(words) && words[j+n].end > words[j+n].start; n++ {
				if p, ok := want[rec.Words[words[j].start:words[j+n].end]]; ok {
					dc.Add(d.Index, p, 1)
				}
			}
		}
		return nil
	})
	return dc, err
}

// AppendRows appends a document's key phrases to a, the keyphrases table's
// appender; first converts the byte offset of a first occurrence to code
// points.
func AppendRows(a *output.Appender[output.KeyphraseRow], id, grp string, kps []document.Keyphrase, first func(int) int32) {
	for _, k := range kps {
		a.Append(&output.KeyphraseRow{
			DocID:      id,
			Group:      grp,
			Rank:       int32(k.Rank),
			Phrase:     k.Phrase,
			Norm:       k.Norm,
			Score:      k.Score,
			Count:      int32(k.Count),
			Method:     k.Method,
			FirstStart: first(k.FirstStart),
		})
	}
}
