// Package stage declares the two kinds of stage a framelens run is made of,
// and nothing else: the pipeline schedules them, a stage's package does the
// work.
//
//   - A Doc stage is a map from a document to the same document with more
//     annotations (tokens, entities, frame hits). One value serves every
//     worker, so it is safe for concurrent use.
//   - A Corpus stage (an analysis) is a reduction over mergeable partial
//     statistics: Map turns one processed document into a Partial on a
//     worker; partials merge, in input order, into one per block and then
//     into one for the corpus; Reduce turns that into the stage's tables.
//
// Partials are saved with their block (encoding/gob), so that --resume,
// --shard with `framelens merge`, and a distributed runner handle every
// analysis alike, without code of the analysis's own.
//
// A Corpus stage that needs each document's detail in Reduce, not only a
// statistic merged over documents (a table with a row per document and
// entity, counts per document for a test over documents), also implements
// Recorder: its one record per document is saved beside the block in a
// file of the stage's own, and Env.EachRecord reads the records back in
// input order, a few blocks at a time, so that no step holds every
// document's detail at once.
package stage

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/output"
)

// Doc is a per-document stage. Implementations load their models once, in
// their constructor, and are safe for concurrent use.
type Doc interface {
	Name() string
	Process(ctx context.Context, doc *document.Document) error
}

// Partial is a mergeable statistic of some documents. It must encode with
// encoding/gob (exported fields) and decode into the stage's NewPartial().
type Partial interface {
	// Merge adds other, a partial of documents that come after the
	// receiver's, into the receiver. The pipeline merges in input order, so
	// a Merge that depends on order (pruning, first-seen ids) is still
	// deterministic.
	Merge(other Partial) error
}

// Corpus is a corpus-level stage: map → partial → merge → reduce → tables.
type Corpus interface {
	// Name names the stage in logs, run.json's stage times and
	// skip_stages; it is also its config section's key.
	Name() string
	// Tables declares the tables Reduce writes (schema as data).
	Tables() []*output.Table
	// Config is the stage's resolved config, recorded in run.json.
	Config() any
	// NewPartial returns an empty partial.
	NewPartial() Partial
	// Map returns the partial of one processed document. It runs on the
	// workers, concurrently for different documents.
	Map(ctx context.Context, in MapInput) (Partial, error)
	// Reduce writes the stage's tables from the partial of the whole corpus.
	Reduce(ctx context.Context, p Partial, env Env) error
}

// Recorder is a Corpus stage that keeps a record of every document for its
// Reduce (Env.EachRecord). It is optional.
type Recorder interface {
	// NewRecord returns an empty record to decode a saved one into: a
	// pointer, of the type Record returns.
	NewRecord() any
	// Record returns the document's record, or nil for none. It runs on
	// the workers beside Map, concurrently for different documents; the
	// record must encode with encoding/gob (exported fields) and hold no
	// window on the document's text (copy strings it keeps), since it
	// outlives the document until its block is saved.
	Record(ctx context.Context, in MapInput) (any, error)
}

// DocRecord is one document as Env.EachRecord reads it back.
type DocRecord struct {
	// Index is the document's row in the documents table (input order).
	Index int
	ID    string
	Group string
	// Failed documents were not analysed and have no record.
	Failed bool
	// Record is what Recorder.Record returned (nil: none), as saved and
	// decoded into a NewRecord, or as returned while the block is in
	// memory. It is the callback's own.
	Record any
}

// MapInput is one processed document, with what the pipeline has already
// derived from it.
type MapInput struct {
	Doc *document.Document
	// Words are the document's words: its tokens that are not
	// punctuation (documents.n_words).
	Words int
	// Forms are the counted form of every kept token, in order (the terms
	// of the tf-idf vocabulary: stop words, punctuation and numbers
	// dropped): vectorize.Vectorizer.Forms.
	Forms []string
	// Terms are the document's term counts (vectorize.Vectorizer.Count:
	// the terms of the tf-idf vocabulary, without the n-grams of NGrams).
	Terms map[string]int
	// Salient are the document's own top key phrases, ranked without
	// corpus statistics, when the keyphrases stage runs: the pipeline ranks
	// them with the document's candidates (keyphrases.Extractor.Salient),
	// and group_keyphrases counts them; ranking them again in its Map
	// would extract every candidate twice.
	Salient []document.SalientPhrase
	// NGrams are the document's 2- and 3-grams of term forms with their
	// counts, when keyness compares n-grams (a vocabulary of single terms),
	// else nil: the pipeline counts them in the pass that counts its terms.
	NGrams map[string]int
	// Phrases is the document's key-phrase material when the keyphrases
	// stage runs, else nil: the pipeline extracts the candidates once, for
	// the streamed table, Salient and the keyphrases stage alike.
	Phrases *PhraseInput
}

// PhraseInput is one document's key-phrase material (MapInput.Phrases).
type PhraseInput struct {
	// Words is the text as key phrases' normalised words, "" between runs
	// (keyphrases.NormWords): every occurrence of a phrase is counted
	// from it.
	Words []string
	// Top are the norms of the document's top key phrases when they were
	// ranked as it streamed (the ranking needs no corpus statistics).
	Top []string
	// Shortlist, when the ranking needs corpus statistics, holds the
	// candidates that can still make the top phrases, a
	// *keyphrases.DocCandidates (any: this package does not link the
	// extractor), and FirstRunes their first byte offsets as code points.
	Shortlist  any
	FirstRunes map[int]int32
}

// Comparison is one comparison of the run's plan: the groups of side A and
// of side B (B empty: every other group, "rest").
type Comparison struct {
	Label string
	A, B  []string
	// Reference says side B is the reference corpus (compare.reference),
	// not the corpus's other groups.
	Reference bool
}

// DocForms is one analysed document as a reduction reads it back.
type DocForms struct {
	// Index is the document's row in the documents table (input order).
	Index int
	ID    string
	Group string
	// Forms as in MapInput; the slice is reused for the next document.
	Forms []string
	// Runs are the positions in Forms where a run of adjacent kept tokens
	// starts (n-grams never cross one), when MapInput.NGrams are counted.
	Runs []int32
}

// Env is what a Reduce gets from the run.
type Env interface {
	// Groups are the groups of the corpus, sorted.
	Groups() []string
	// Comparisons are the run's comparisons, in the plan's order.
	Comparisons() []Comparison
	// EachDoc calls fn for every analysed document, in input order, with
	// its forms read back from the block states: for a second pass that a
	// partial cannot hold (e.g. windows around words chosen by Reduce).
	EachDoc(ctx context.Context, fn func(DocForms) error) error
	// EachRecord calls fn for every document of the run, failed ones
	// included, in input order, with the record the stage kept of it
	// (Recorder). The records are read back block by block on the run's
	// workers; a stage that is no Recorder gets an error.
	EachRecord(ctx context.Context, fn func(DocRecord) error) error
	// DocIDs are the ids of every document of the run, in input order,
	// failed ones included.
	DocIDs() []string
	// Writer opens the writer of one of the stage's tables.
	Writer(table string) (*output.Writer, error)
	// Seed is the run's seed; Workers the cores it may use.
	Seed() int64
	Workers() int
	Logger() *slog.Logger
	// Warn records a warning for run.json and the summary.
	Warn(msg string)
}

// PartialAs returns p as stage name's partial type T: what Merge gets
// from the pipeline and Reduce gets of the whole corpus is always the
// stage's own NewPartial type, so a mismatch is a wiring error, named.
func PartialAs[T Partial](name string, p Partial) (T, error) {
	t, ok := p.(T)
	if !ok {
		return t, fmt.Errorf("%s: a %T is not its partial", name, p)
	}
	return t, nil
}

// DocCount is the partial of a stage whose rows come from another stage's
// results: it counts the documents mapped (gob encodes no struct without
// a field).
type DocCount struct{ Docs int }

func (p *DocCount) Merge(o Partial) error {
	q, err := PartialAs[*DocCount]("a document count", o)
	if err != nil {
		return err
	}
	p.Docs += q.Docs
	return nil
}

// Registration names a corpus-level stage and builds it from its config
// section. A registration is a value in a list (pipeline.Analyses, or
// pipeline.Options.Analyses for a library user), not an init-time side
// effect.
type Registration struct {
	Name string
	// New builds the stage; decode fills a pointer to the stage's config
	// struct from the section named Name (left as is when the config has no
	// such section) and refuses unknown keys. New validates the config up
	// front: a bad value is an error before the corpus is read.
	New func(decode func(cfg any) error) (Corpus, error)
}
