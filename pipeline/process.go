package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/lang"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/vectorize"
)

// docResult is a processed document on its way back to the writer.
type docResult struct {
	doc    *corpus.Document
	counts vectorize.DocCounts
	ngrams vectorize.DocCounts // 2- and 3-grams: the keyness stage's map input
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
	salient []document.SalientPhrase
	// firstRunes maps the candidates' first byte offsets to code points,
	// for key phrases ranked after the text is gone.
	firstRunes map[int]int32
	// partials are the document's partial of each analysis
	// (engine.analyses), records its record of each that keeps one
	// (stage.Recorder; else nil).
	partials []stage.Partial
	records  []any
	err      error // a *StageError: the document is reported, not analysed
	// skipped marks a document another shard, or a completed block of an
	// interrupted run, takes care of.
	skipped bool
}

// shareLongDocuments lets the sentence-level stages (tokenize, entities,
// frames) split one long document over the run's workers (at most one per
// CPU): a document of millions of tokens is one job, and would otherwise
// keep one worker busy while the others wait. Output is unchanged.
func (e *engine) shareLongDocuments() {
	n := min(e.cfg.Workers, runtime.GOMAXPROCS(0))
	if n > 1 {
		e.longTokens = longDocTokens
	}
	for _, st := range e.stages {
		if s, ok := st.(interface{ SetWorkers(int) }); ok {
			s.SetWorkers(n)
		}
	}
}

// longDocTokens is the size from which a document's statistics and
// analyses' maps run side by side (process), as the stages split its
// sentences (shareLongDocuments).
const longDocTokens = 1 << 19

// long says whether doc is long enough for its steps to share the run's
// workers.
func (e *engine) long(doc *corpus.Document) bool {
	return e.longTokens > 0 && len(doc.Tokens) >= e.longTokens
}

// together runs fn(0) … fn(n-1) on goroutines of their own, unless ctx is
// done first, and returns their errors. A panic is returned as the index
// of the call that panicked (else -1) and its value, for the caller to
// raise where process's recover makes it the document's error.
func together(ctx context.Context, n int, fn func(k int) error) (errs []error, panicked int, value any) {
	errs = make([]error, n)
	panicked = -1
	var mu sync.Mutex
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		if err := ctx.Err(); err != nil {
			errs[k] = err
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					if panicked < 0 || k < panicked {
						panicked, value = k, r
					}
					mu.Unlock()
				}
			}()
			errs[k] = fn(k)
		}()
	}
	wg.Wait()
	return errs, panicked, value
}

// firstErr is the index of the first non-nil error.
func firstErr(errs []error) int {
	for k, err := range errs {
		if err != nil {
			return k
		}
	}
	return -1
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
	steps := []func(*docResult) error{e.countTerms, e.keyphraseCandidates}
	mapper := e.mapInTurn
	if e.long(doc) {
		mapper = e.mapTogether
	}
	if failed := mapper(ctx, &r, steps, n, t, &step); failed != nil {
		return *failed
	}
	if w := nothingAnalysed(doc, len(r.counts)); w != "" {
		doc.Warnings = append(doc.Warnings, w)
	}
	return r
}

// mapTogether runs the corpus steps, then the analyses' maps, of a long
// document side by side (they read the document and write their own fields
// of r). It returns the document's failure, or nil.
func (e *engine) mapTogether(ctx context.Context, r *docResult, steps []func(*docResult) error, n int, _ time.Time, step *string) *docResult {
	doc := r.doc
	// The steps, then the analyses' maps, read the document and
	// write their own fields of r: they run side by side.
	errs, pk, pv := together(ctx, len(steps), func(k int) error {
		t0 := time.Now()
		err := steps[k](r)
		e.timeStep(n+k, t0)
		return err
	})
	if pk >= 0 {
		panic(pv)
	}
	if k := firstErr(errs); k >= 0 {
		return &docResult{doc: doc, err: errs[k]}
	}
	r.startAnalyses(len(e.analyses))
	in := r.mapInput()
	errs, pk, pv = together(ctx, len(e.analyses), func(k int) (err error) {
		t0 := time.Now()
		err = r.mapAnalysis(ctx, k, e.analyses[k], in)
		e.timeStep(n+len(steps)+k, t0)
		return err
	})
	if pk >= 0 {
		*step = e.analyses[pk].Name()
		panic(pv)
	}
	if k := firstErr(errs); k >= 0 {
		if ctx.Err() != nil && errs[k] == ctx.Err() {
			return &docResult{doc: doc, err: errs[k]}
		}
		return &docResult{doc: doc, err: &StageError{Stage: e.analyses[k].Name(), DocID: doc.ID, Err: errs[k]}}
	}
	return nil
}

// mapInTurn runs the corpus steps, then the analyses' maps, one after the
// other, checking for an interrupt between them. It returns the document's
// failure, or nil.
func (e *engine) mapInTurn(ctx context.Context, r *docResult, steps []func(*docResult) error, n int, t time.Time, step *string) *docResult {
	doc := r.doc
	for k, s := range steps {
		if err := ctx.Err(); err != nil {
			return &docResult{doc: doc, err: err}
		}
		if err := s(r); err != nil {
			return &docResult{doc: doc, err: err}
		}
		t = e.timeStep(n+k, t)
	}
	r.startAnalyses(len(e.analyses))
	in := r.mapInput()
	for k, a := range e.analyses {
		if err := ctx.Err(); err != nil {
			return &docResult{doc: doc, err: err}
		}
		*step = a.Name()
		if err := r.mapAnalysis(ctx, k, a, in); err != nil {
			return &docResult{doc: doc, err: &StageError{Stage: a.Name(), DocID: doc.ID, Err: err}}
		}
		t = e.timeStep(n+len(steps)+k, t)
	}
	return nil
}

// startAnalyses makes room for the partials and records of n analyses.
func (r *docResult) startAnalyses(n int) {
	if n > 0 {
		r.partials, r.records = make([]stage.Partial, n), make([]any, n)
	}
}

// mapAnalysis sets the document's partial of analysis k, a, and its
// record when a keeps one (stage.Recorder).
func (r *docResult) mapAnalysis(ctx context.Context, k int, a stage.Corpus, in stage.MapInput) (err error) {
	if r.partials[k], err = a.Map(ctx, in); err != nil {
		return err
	}
	if rec, ok := a.(stage.Recorder); ok {
		r.records[k], err = rec.Record(ctx, in)
	}
	return err
}

// countTerms counts the document's terms and n-grams, and keeps its forms.
func (e *engine) countTerms(r *docResult) error {
	doc := r.doc
	r.forms = e.vec.Forms(doc)
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

// mapInput is what the analyses' maps read of the processed document.
func (r *docResult) mapInput() stage.MapInput {
	in := stage.MapInput{Doc: r.doc, Words: docWords(r.doc), Forms: r.forms, Terms: r.counts, Salient: r.salient, NGrams: r.ngrams}
	if r.kpWords != nil { // the keyphrases stage runs
		in.Phrases = &stage.PhraseInput{Words: r.kpWords, Top: r.kpTop, FirstRunes: r.firstRunes}
		if r.keptCands != nil {
			in.Phrases.Shortlist = r.keptCands
		}
	}
	return in
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
