package pipeline

import (
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/clean"
	"github.com/framelens/framelens/stages/entities"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/frames/framestats"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/lang"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/tokenize"
	"github.com/framelens/framelens/stages/vectorize"
)

// engine holds the stages of one run.
type engine struct {
	cfg    Config
	log    *slog.Logger
	stages []stage.Doc
	vec    *vectorize.Vectorizer
	// ngrams counts the 2- and 3-grams compared by keyness when the
	// vocabulary itself is unigrams; nil otherwise.
	ngrams *vectorize.Vectorizer
	kp     *keyphrases.Extractor
	// kpShortlist ranks a document's candidates without corpus statistics
	// to keep the few that can make the final top phrases.
	kpShortlist *keyphrases.Extractor
	fm          *frames.Matcher
	// busy accumulates each per-document step's time over all workers,
	// in the order of busyNames.
	busy      []atomic.Int64
	busyNames []string
	// analyses are the corpus-level stages run through the generic
	// lifecycle (stage.Corpus): the built-in ones (builtinStages) then the
	// registered ones; place says where each built-in reduces. cat is the
	// catalog with the registered ones' tables.
	analyses []stage.Corpus
	place    map[string]stagePlace
	cat      *output.Catalog
	// longTokens is the size from which a document's steps share the
	// run's workers (shareLongDocuments); 0 never.
	longTokens int
}

// timeStep adds the time since t0 to step i and returns now.
func (e *engine) timeStep(i int, t0 time.Time) time.Time {
	now := time.Now()
	e.busy[i].Add(int64(now.Sub(t0)))
	return now
}

// StageTimes returns the busy seconds of each per-document step.
func (e *engine) stageTimes() map[string]float64 {
	out := make(map[string]float64, len(e.busyNames))
	for i, n := range e.busyNames {
		out[n] = time.Duration(e.busy[i].Load()).Seconds()
	}
	return out
}

func newEngine(cfg Config, log *slog.Logger, regs []stage.Registration) (*engine, error) {
	e := &engine{cfg: cfg, log: log}
	for _, r := range regs {
		if cfg.skip(r.Name) {
			continue
		}
		a, err := cfg.buildAnalysis(r)
		if err != nil {
			return nil, err
		}
		e.analyses = append(e.analyses, a)
	}
	cat, err := output.NewCatalog().With(analysisTables(e.analyses)...)
	if err != nil {
		return nil, err
	}
	e.cat = cat
	cleaner, err := clean.New(cfg.Clean)
	if err != nil {
		return nil, err
	}
	tok, err := tokenize.New(cfg.Tokenize)
	if err != nil {
		return nil, err
	}
	det, err := lang.New(cfg.Lang)
	if err != nil {
		return nil, err
	}
	e.stages = append(e.stages, cleaner, det, tok)
	if !cfg.skip("entities") {
		rec, err := entities.New(cfg.Entities)
		if err != nil {
			return nil, err
		}
		e.stages = append(e.stages, rec)
	}
	if !cfg.skip("keyphrases") {
		if e.kp, err = keyphrases.New(cfg.Keyphrases); err != nil {
			return nil, err
		}
		if e.kp.NeedsCorpusStats() {
			sc := cfg.Keyphrases
			// Never fewer than the phrases asked for: the final ranking
			// picks its top_n among the shortlist.
			sc.TopN = max(shortlist, e.kp.Config().TopN)
			sc.KeepRedundant = true
			if e.kpShortlist, err = keyphrases.New(sc); err != nil {
				return nil, err
			}
		}
	}
	if !cfg.skip("frames") {
		if e.fm, err = frames.New(cfg.Frames); err != nil {
			return nil, err
		}
		e.stages = append(e.stages, e.fm)
	}
	e.shareLongDocuments()
	if e.vec, err = vectorize.New(cfg.Vectorize); err != nil {
		return nil, err
	}
	if err := e.addBuiltins(); err != nil { // the tfidf stage's is e.vec
		return nil, err
	}
	if cfg.Vectorize.NGramMax <= 1 && !cfg.skip("keyness") {
		nc := cfg.Vectorize
		nc.NGramMax = 3
		if e.ngrams, err = vectorize.New(nc); err != nil {
			return nil, err
		}
	}
	e.initBusy()
	return e, nil
}

// initBusy names the per-document steps whose time busy accumulates: the
// document stages, the older statistics and the corpus stages' maps.
func (e *engine) initBusy() {
	for _, st := range e.stages {
		e.busyNames = append(e.busyNames, st.Name())
	}
	e.busyNames = append(e.busyNames, "count_terms", "keyphrase_candidates")
	for _, a := range e.analyses {
		name := a.Name()
		if name == framestats.ScoresName {
			// The frames document stage's name: its map is the frame
			// summary (doc_stage_seconds.frame_summary).
			name = "frame_summary"
		}
		e.busyNames = append(e.busyNames, name)
	}
	e.busy = make([]atomic.Int64, len(e.busyNames))
}

// shortlist is how many candidates per document are kept for ranking with
// corpus statistics. A long document has a thousand or more candidates
// (200 KB); keeping them all for every document of a large corpus would cost
// gigabytes, and the final top phrases come from the head of the
// per-document ranking.
const shortlist = 50

// shortlist keeps the candidates the per-document ranking puts in its top
// `shortlist`, in their original order. Their strings are copied: kept until
// the end of the run, windows on the document's text would keep it all.
func (e *engine) shortlist(c *keyphrases.DocCandidates) *keyphrases.DocCandidates {
	keep := map[string]bool{}
	n := e.kpShortlist.Config().TopN
	if len(c.Phrases) > n {
		for _, k := range e.kpShortlist.Rank(c, nil) {
			keep[k.Norm] = true
		}
	}
	out := &keyphrases.DocCandidates{DocID: c.DocID, Words: c.Words}
	for _, p := range c.Phrases {
		if len(c.Phrases) <= n || keep[p.Norm] {
			p.Key, p.Norm, p.Phrase = strings.Clone(p.Key), strings.Clone(p.Norm), strings.Clone(p.Phrase)
			out.Phrases = append(out.Phrases, p)
		}
	}
	return out
}
