package keyphrases

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/framelens/framelens/corpus/document"
)

// Method names accepted by Config.Method.
const (
	MethodYAKE         = "yake"
	MethodTextRank     = "textrank"
	MethodSingleRank   = "singlerank"
	MethodPositionRank = "positionrank"
	MethodTFIDF        = "tfidf"
	MethodEnsemble     = "ensemble"
)

// DefaultMethod is the method that measured best on Inspec dev.
const DefaultMethod = MethodEnsemble

// Config configures an Extractor. The zero value is the default.
type Config struct {
	// Method is one of yake, textrank, singlerank, positionrank, tfidf,
	// ensemble; "" means DefaultMethod.
	Method string `yaml:"method"`
	// TopN is the number of key phrases kept per document (default 10).
	TopN int `yaml:"top_n"`
	// MaxWords is the longest candidate in words (default 5). Longer noun
	// phrases keep their last MaxWords words, the head noun included.
	MaxWords int `yaml:"max_words"`
	// OfPhrases also proposes "NP of NP" candidates ("quality of service").
	// Off by default: it lowered F1 on Inspec dev (see docs/eval-keyphrases.md).
	OfPhrases bool `yaml:"of_phrases"`
	// SubPhrases also proposes the parts of each noun phrase that end in a
	// noun ("ship control" inside "safe ship control").
	SubPhrases bool `yaml:"sub_phrases"`
	// Participles lets -ing and -ed forms modify a noun ("embedded Linux").
	Participles bool `yaml:"participles"`
	// KeepRedundant switches off redundancy removal (a phrase with the
	// same stem set as a better one, or contained in a better one).
	KeepRedundant bool `yaml:"keep_redundant"`
	// Window is the co-occurrence window of the graph methods in words
	// (default 10; textrank uses 2 when zero).
	Window int `yaml:"window"`
}

// Extractor finds the key phrases of documents. After New it holds
// read-only tables and a sync.Pool of scratch space, and is safe for
// concurrent use. The ensemble's weights were fitted with the default
// candidate options; changing MaxWords, OfPhrases, SubPhrases or
// Participles keeps them, untested.
type Extractor struct {
	cfg     Config
	stops   map[string]bool
	weights [numFeatures]float64 // of the ensemble, for abstract-length documents
	long    [numFeatures]float64 // of the ensemble, for documents longer than LongDocWords
	pool    sync.Pool            // of *analysis scratch space
}

// New checks cfg and fills its defaults.
func New(cfg Config) (*Extractor, error) {
	if cfg.Method == "" {
		cfg.Method = DefaultMethod
	}
	switch cfg.Method {
	case MethodYAKE, MethodTextRank, MethodSingleRank, MethodPositionRank, MethodTFIDF, MethodEnsemble:
	default:
		return nil, fmt.Errorf("keyphrases: unknown method %q (want yake, textrank, singlerank, positionrank, tfidf or ensemble)", cfg.Method)
	}
	if cfg.TopN < 0 || cfg.MaxWords < 0 || cfg.Window < 0 {
		return nil, fmt.Errorf("keyphrases: negative TopN, MaxWords or Window in config")
	}
	if cfg.TopN == 0 {
		cfg.TopN = 10
	}
	if cfg.MaxWords == 0 {
		cfg.MaxWords = 5
	}
	if cfg.Window == 0 {
		cfg.Window = 10
		if cfg.Method == MethodTextRank {
			cfg.Window = 2
		}
	}
	e := &Extractor{cfg: cfg, stops: stopWords(), weights: fittedWeights(), long: fittedLongWeights()}
	e.pool.New = func() any { return newAnalysis() }
	return e, nil
}

// Name implements the pipeline's stage interface.
func (e *Extractor) Name() string { return "keyphrases" }

// Config returns the configuration with defaults filled in.
func (e *Extractor) Config() Config { return e.cfg }

// NeedsCorpusStats reports whether Rank needs a PhraseDF, that is whether
// the pipeline must count document frequencies over the corpus first.
func (e *Extractor) NeedsCorpusStats() bool {
	return e.cfg.Method == MethodTFIDF || e.cfg.Method == MethodEnsemble
}

// Process extracts and ranks the key phrases of one document into
// doc.Keyphrases. Corpus-aware methods fall back to the document alone
// (every phrase gets document frequency 1); the pipeline should call
// Candidates and Rank with a PhraseDF for them instead.
func (e *Extractor) Process(ctx context.Context, doc *document.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c := e.Candidates(doc)
	doc.Keyphrases = e.Rank(c, nil)
	return nil
}

// Rank scores the candidates of one document with the configured method,
// removes redundant phrases and returns the best TopN. df may be nil for
// per-document methods; for tfidf and ensemble a nil df scores every
// phrase as if it occurred in this document only.
func (e *Extractor) Rank(c *DocCandidates, df *PhraseDF) []document.Keyphrase {
	if c == nil || len(c.Phrases) == 0 {
		return nil
	}
	scores := e.score(c, df)
	return e.keyphrases(c, scores, e.order(c, scores, e.cfg.TopN))
}

// RankSalient is Rank without corpus statistics and Salient from one
// scoring: the document's TopN key phrases and its salient phrases for
// GroupPhrases. (A ranking's first n phrases are the same whatever longer
// prefix is asked for, so one order serves both.)
func (e *Extractor) RankSalient(c *DocCandidates) ([]document.Keyphrase, []document.SalientPhrase) {
	if c == nil || len(c.Phrases) == 0 {
		return nil, nil
	}
	scores := e.score(c, nil)
	order := e.order(c, scores, max(e.cfg.TopN, SalientPerDoc))
	return e.keyphrases(c, scores, order[:min(len(order), e.cfg.TopN)]), salientOf(c, order[:min(len(order), SalientPerDoc)])
}

// keyphrases turns the candidates at order into ranked key phrases.
func (e *Extractor) keyphrases(c *DocCandidates, scores []float64, order []int) []document.Keyphrase {
	out := make([]document.Keyphrase, len(order))
	for r, i := range order {
		p := &c.Phrases[i]
		out[r] = document.Keyphrase{
			Rank: r + 1, Phrase: p.Phrase, Norm: p.Norm, Score: scores[i],
			Count: p.Count, Method: e.cfg.Method, FirstStart: p.FirstStart,
		}
	}
	return out
}

// order lifts the author keywords in scores (liftAuthors) and returns the
// indexes of the best topN candidates, redundant ones removed unless the
// configuration keeps them.
func (e *Extractor) order(c *DocCandidates, scores []float64, topN int) []int {
	liftAuthors(c, scores)
	var order []int
	if e.cfg.KeepRedundant {
		order = topOrder(c, scores, topN)
	} else {
		// Redundant phrases are dropped from the head of the ranking:
		// select a few times topN, and sort everything only if that runs
		// short.
		order = removeRedundant(c.Phrases, topOrder(c, scores, 4*topN), topN)
		if len(order) < topN && len(c.Phrases) > 4*topN {
			order = removeRedundant(c.Phrases, rankOrder(c, scores), topN)
		}
	}
	if len(order) > topN {
		order = order[:topN]
	}
	return order
}

// MinCorpusDocs is the smallest corpus whose document frequencies are
// used: below it, corpus-aware methods rank as if there were no corpus.
// Measured on Inspec dev with the corpus cut into pieces of k abstracts
// (docs/eval-keyphrases.md): up to k = 5 the document frequencies do not
// beat no corpus at all (F1@10 0.359–0.360 against 0.361), up to k = 20
// F1@5 stays lower (0.303–0.310 against 0.312), from k = 50 both are
// higher (0.318 / 0.370).
const MinCorpusDocs = 50

// liftAuthors raises the scores of the phrases of the document's author
// keywords (Candidate.Author) by one amount, just enough to put them above
// every other phrase: the authors' own key phrases lead, in the order of
// their scores, and the score still decreases with the rank.
func liftAuthors(c *DocCandidates, scores []float64) {
	minAuthor, maxOther := math.Inf(1), math.Inf(-1)
	for i := range c.Phrases {
		if c.Phrases[i].Author {
			minAuthor = math.Min(minAuthor, scores[i])
		} else {
			maxOther = math.Max(maxOther, scores[i])
		}
	}
	if math.IsInf(minAuthor, 1) || math.IsInf(maxOther, -1) || minAuthor > maxOther {
		return // none, or all of them, or already first
	}
	lift := maxOther - minAuthor + 1
	for i := range c.Phrases {
		if c.Phrases[i].Author {
			scores[i] += lift
		}
	}
}

// score returns one score per candidate, higher is better.
func (e *Extractor) score(c *DocCandidates, df *PhraseDF) []float64 {
	if df != nil && df.N < MinCorpusDocs {
		df = nil // too few documents for document frequencies to mean anything
	}
	n := len(c.Phrases)
	s := make([]float64, n)
	switch e.cfg.Method {
	case MethodYAKE:
		for i, p := range c.Phrases {
			s[i] = -p.YAKE // YAKE: lower is better
		}
	case MethodTextRank, MethodSingleRank, MethodPositionRank:
		for i, p := range c.Phrases {
			s[i] = p.Graph
		}
	case MethodTFIDF:
		for i, p := range c.Phrases {
			s[i] = tfidf(p, df)
		}
	case MethodEnsemble:
		s = e.ensemble(c, df)
	}
	return s
}
