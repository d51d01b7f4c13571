// Package comparestage is the keyness stage, a built-in stage.Corpus: it
// compares the two sides of every comparison of the run's plan on every
// feature kind (keyness), the topic weights of each comparison's sides
// (topic_prevalence), and sums each comparison up (comparisons). The
// statistics are package compare's; this package is their lifecycle.
//
// Its partial is the corpus's 2- and 3-gram counts per group (NGrams), from
// which Reduce picks the n-grams keyness compares and counts them again per
// document in a second pass (stage.Env.EachDoc). Everything else it
// compares is the result of a reduction that runs before it — the
// vocabulary and document–term counts (tfidf), the topic model (topics),
// the key-phrase and entity counts per document (keyphrases,
// entity_mentions) — and comes through Env.Earlier, which the pipeline's
// reduce environment implements; the stage declares that it reduces after
// those.
package comparestage

import (
	"context"
	"fmt"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

// Name names the stage (skip_stages: keyness skips it and its tables).
const Name = "keyness"

// Tables the stage writes, in the order it writes them.
var tableNames = []string{"keyness", "topic_prevalence", "comparisons"}

// Feature kinds of the keyness table.
const (
	FeatureTerm      = "term"
	FeatureNGram     = "ngram"
	FeatureKeyphrase = "keyphrase"
	FeatureEntity    = "entity"
	FeatureTopic     = "topic"
)

// Settings are the stage's settings: the compare and bootstrap sections of
// the run's config.
type Settings struct {
	// Plan, Comparisons and Reference (a directory) are compare.plan,
	// compare.comparisons and compare.reference.
	Plan        string
	Comparisons []compare.Comparison
	Reference   string
	Keyness     compare.Config
	// MaxFeatures and MaxRows are compare.max_features and max_rows.
	MaxFeatures, MaxRows int
	Bootstrap            compare.Bootstrap
}

// Stage is the keyness stage.
type Stage struct{ set Settings }

// New returns the keyness stage of a run with settings set.
func New(set Settings) *Stage { return &Stage{set: set} }

func (s *Stage) Name() string { return Name }

// Tables are output's own: the stage declares them, it does not define
// them anew.
func (s *Stage) Tables() []*output.Table {
	cat := output.NewCatalog()
	out := make([]*output.Table, len(tableNames))
	for i, n := range tableNames {
		out[i] = cat.MustTable(n)
	}
	return out
}

// Config is nil: the settings are the config's compare section, recorded
// there.
func (s *Stage) Config() any { return nil }

func (s *Stage) NewPartial() stage.Partial { return &NGrams{} }

// Map returns the document's n-grams (MapInput.NGrams: none when the
// vocabulary counts n-grams itself, as terms), for its group.
func (s *Stage) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	return &docNGrams{group: in.Doc.Group, counts: in.NGrams}, nil
}

// Doc is one document of the run as the comparisons count it.
type Doc struct {
	ID, Group string
	// Words are its words (documents.n_words).
	Words int
	// Failed documents are in no group.
	Failed bool
}

// Earlier are the results of the reductions before the stage that it
// compares.
type Earlier struct {
	// Docs are every document of the run, in input order.
	Docs []Doc
	// Vocab and Counts are the vocabulary and the document–term counts
	// (tfidf), one row per document of Docs.
	Vocab  *vectorize.Vocabulary
	Counts *vectorize.CSR
	// Model is the topic model (nil when none was fitted) and TopicLabels
	// its topics' labels (topics.label).
	Model       *topics.Model
	TopicLabels []string
	// Keyphrases counts, per document, the occurrences of the phrases of
	// the keyphrases table (nil when the keyphrases stage did not run);
	// Entities the mentions of entity_mentions (nil when entities did not
	// run).
	Keyphrases, Entities *compare.DocCounts
	// GroupLanguages counts documents per group and language.
	GroupLanguages map[string]map[string]int
}

// Env is what Reduce needs of the run beyond stage.Env: the results of the
// reductions before it, and the run's summary, which shows each
// comparison's most distinctive terms and its warnings.
type Env interface {
	stage.Env
	// Earlier hands over the earlier reductions' results, once.
	Earlier() (*Earlier, error)
	// Distinctive adds the most distinctive terms of a comparison's side
	// to the summary.
	Distinctive(comparison, side string, terms []string)
	// ComparisonWarning adds "comparison: warning" to the summary's
	// comparison warnings.
	ComparisonWarning(w string)
}

// Reduce writes keyness, topic_prevalence and comparisons.
func (s *Stage) Reduce(ctx context.Context, sp stage.Partial, env stage.Env) error {
	p, err := stage.PartialAs[*NGrams](Name, sp)
	if err != nil {
		return err
	}
	e, ok := env.(Env)
	if !ok {
		return fmt.Errorf("%s: built in, it reads the run's earlier reductions, which %T does not give", Name, env)
	}
	in, err := e.Earlier()
	if err != nil {
		return err
	}
	r := &reduction{ctx: ctx, set: s.set, env: e, in: in}
	if s.set.Reference != "" {
		if r.reference, err = ReadReference(s.set.Reference); err != nil {
			return err
		}
	}
	plan, _, err := s.set.Sides(in.Docs)
	if len(plan) == 0 || err != nil {
		return err
	}
	return r.run(p, plan)
}
