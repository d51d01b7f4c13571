package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/lang"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/vectorize"
)

// docResult is a processed document on its way back to the writer.
type docResult struct {
	doc    *corpus.Document
	counts vectorize.DocCounts
	ngrams vectorize.DocCounts // 2- and 3-grams for keyness
	// forms are the counted form of every kept token, for coherence windows;
	// formRuns where its runs of adjacent kept tokens start, for n-grams.
	forms    []string
	formRuns []int32
	// kpWords is the text as key phrases' normalised words ("" between
	// runs), for counting every key phrase's occurrences; kpTop the
	// document's top key phrases (norms) when ranked as it streams.
	kpWords, kpTop []string
	// keptCands is the shortlist of cands kept for corpus-aware ranking.
	keptCands *keyphrases.DocCandidates
	// salient are the document's own top phrases, for group_keyphrases
	// (stage.MapInput.Salient).
	salient []keyphrases.SalientPhrase
	frames  *frames.DocSummary
	// frameEntries counts the matched lexicon entries per frame.
	frameEntries map[string]map[string]int
	// firstRunes maps the candidates' first byte offsets to code points,
	// for key phrases ranked after the text is gone.
	firstRunes map[int]int32
	// passages are the document's topic-model units when the model runs
	// over passages.
	passages []vectorize.DocCounts
	pwords   []int
	actors   []actor
	// partials are the document's partial of each analysis
	// (engine.analyses).
	partials []stage.Partial
	err      error // a *StageError: the document is reported, not analysed
	// skipped marks a document another shard, or a completed block of an
	// interrupted run, takes care of.
	skipped bool
}

// process runs every per-document stage on doc (the map side of a run).
func (e *engine) process(ctx context.Context, doc *corpus.Document) (res docResult) {
	// A panic on one document (a bug that input found) fails that
	// document, as a stage's error does, instead of the whole run.
	step := "corpus statistics"
	defer func() {
		if r := recover(); r != nil {
			res = docResult{doc: doc, err: &StageError{Stage: step, DocID: doc.ID,
				Err: fmt.Errorf("%w: %v (a bug in framelens: please report it with this document)", ErrStagePanic, r)}}
		}
	}()
	t := time.Now()
	// An interrupt stops a document between stages and steps too (the
	// stages check ctx in their own long loops).
	for i, st := range e.stages {
		if err := ctx.Err(); err != nil {
			return docResult{doc: doc, err: err}
		}
		if st.Name() == "entities" && !lang.SupportOf(doc.Lang).Entities {
			continue // an English model: the language's warning says so
		}
		step = st.Name()
		if err := st.Process(ctx, doc); err != nil {
			return docResult{doc: doc, err: &StageError{Stage: st.Name(), DocID: doc.ID, Err: err}}
		}
		t = e.timeStep(i, t)
	}
	step = "corpus statistics"
	n := len(e.stages)
	r := docResult{doc: doc}
	for k, s := range []func(*docResult) error{e.countTerms, e.keyphraseCandidates, e.frameSummary} {
		if err := ctx.Err(); err != nil {
			return docResult{doc: doc, err: err}
		}
		if err := s(&r); err != nil {
			return docResult{doc: doc, err: err}
		}
		t = e.timeStep(n+k, t)
	}
	for k, a := range e.analyses {
		if err := ctx.Err(); err != nil {
			return docResult{doc: doc, err: err}
		}
		step = a.Name()
		p, err := a.Map(ctx, stage.MapInput{Doc: doc, Forms: r.forms, Salient: r.salient})
		if err != nil {
			return docResult{doc: doc, err: &StageError{Stage: a.Name(), DocID: doc.ID, Err: err}}
		}
		r.partials = append(r.partials, p)
		t = e.timeStep(n+3+k, t)
	}
	if w := nothingAnalysed(doc, len(r.counts)); w != "" {
		doc.Warnings = append(doc.Warnings, w)
	}
	return r
}

// countTerms counts the document's terms, n-grams and passages, and keeps
// its forms and actors.
func (e *engine) countTerms(r *docResult) error {
	doc := r.doc
	r.forms, r.actors = e.vec.Forms(doc), actors(doc)
	if e.ngrams == nil {
		r.counts = e.vec.Count(doc)
	} else {
		r.formRuns = e.vec.RunStarts(doc)
		// The n-gram vectoriser is the term vectoriser counting up to
		// trigrams: one pass gives the terms (no space) and the n-grams.
		r.counts, r.ngrams = vectorize.DocCounts{}, vectorize.DocCounts{}
		for term, n := range e.ngrams.Count(doc) {
			if strings.IndexByte(term, ' ') >= 0 {
				r.ngrams[term] = n
			} else {
				r.counts[term] = n
			}
		}
	}
	if e.wantPassages(doc.Seq) {
		for _, p := range passages(doc) {
			sub := *doc
			sub.Tokens = doc.Tokens[p.Start:p.End]
			r.passages = append(r.passages, e.vec.Count(&sub))
			r.pwords = append(r.pwords, p.Words)
		}
	}
	return nil
}

// keyphraseCandidates ranks the document's key phrases when no corpus
// statistics are needed, and shortlists its candidates when they are.
func (e *engine) keyphraseCandidates(r *docResult) error {
	if e.kp == nil {
		return nil
	}
	doc := r.doc
	cands := e.kp.Candidates(doc)
	r.kpWords = keyphrases.NormWords(doc)
	if !e.kp.NeedsCorpusStats() {
		doc.Keyphrases, r.salient = e.kp.RankSalient(cands)
		for _, k := range doc.Keyphrases {
			r.kpTop = append(r.kpTop, strings.Clone(k.Norm))
		}
		return nil
	}
	r.salient = e.kp.Salient(cands)
	r.keptCands = e.shortlist(cands)
	ri := corpus.NewRuneIndex(doc.Clean)
	r.firstRunes = make(map[int]int32, len(r.keptCands.Phrases))
	for _, c := range r.keptCands.Phrases {
		r.firstRunes[c.FirstStart] = int32(ri.Rune(c.FirstStart))
	}
	return nil
}

// frameSummary summarises the document's frame hits: rates and matched
// lexicon entries (frame_entries and frame_suggestions map their own: they
// are stage.Corpus, see builtinStages).
func (e *engine) frameSummary(r *docResult) error {
	if e.fm == nil {
		return nil
	}
	doc := r.doc
	fail := func(err error) error { return &StageError{Stage: "frames", DocID: doc.ID, Err: err} }
	s, err := e.fm.Summarize(doc)
	if err != nil {
		return fail(err)
	}
	r.frames = s
	r.frameEntries = map[string]map[string]int{}
	for _, h := range doc.FrameHits {
		if h.Negated {
			continue
		}
		m := r.frameEntries[h.Frame]
		if m == nil {
			m = map[string]int{}
			r.frameEntries[h.Frame] = m
		}
		m[h.Entry]++
	}
	return nil
}

// docWords is the number of words of doc: its tokens that are not
// punctuation (documents.n_words).
func docWords(doc *corpus.Document) int {
	words := 0
	for _, t := range doc.Tokens {
		if !t.IsPunct {
			words++
		}
	}
	return words
}

// nothingAnalysed returns the warning of a document that has nothing to
// analyse, saying why, or "" when it has: no word (documents.n_words = 0),
// or words of which no term is counted (numbers, stop words), so that it
// has no tf-idf row and no topic weights of its own. terms is the number of
// terms counted in the document.
func nothingAnalysed(doc *corpus.Document, terms int) string {
	if words := docWords(doc); words > 0 {
		if terms > 0 {
			return ""
		}
		return fmt.Sprintf("no terms counted: its %d analysed words are numbers, stop words or too short to be terms; it has no tf-idf row and no topic weights of its own", words)
	}
	const prefix = "no words analysed: "
	if strings.TrimSpace(doc.Clean) == "" {
		return prefix + "the text is empty or whitespace only"
	}
	if len(doc.Tokens) > 0 {
		return prefix + "every token is punctuation or a symbol"
	}
	var kinds []string
	analysed := false
	for _, sec := range doc.Sections {
		if sec.Kind.Analysed() {
			analysed = true
		} else if k := string(sec.Kind); !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if !analysed && len(kinds) > 0 {
		return prefix + "it has only sections that are not analysed (" + strings.Join(kinds, ", ") + ")"
	}
	return prefix + "its analysed sections hold no token"
}
