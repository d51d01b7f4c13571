package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/output/report"
	"github.com/framelens/framelens/stages/clean"
	"github.com/framelens/framelens/stages/entities"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/lang"
	"github.com/framelens/framelens/stages/tokenize"
	"github.com/framelens/framelens/stages/vectorize"
)

// Version is framelens's version, recorded in run.json and table metadata.
const Version = "0.1.0"

// Progress is a snapshot of a running pipeline, for progress displays.
type Progress struct {
	Stage   string // "documents" while streaming, then the corpus-level stage
	Docs    int
	Tokens  int64
	Elapsed time.Duration
	// BytesRead and BytesTotal measure the input read so far (BytesTotal 0
	// when unknown), for an estimate of the time left.
	BytesRead, BytesTotal int64
}

// Options are the run's collaborators, not part of its configuration.
type Options struct {
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// OnProgress is called from the writer goroutine after each document
	// and at each corpus-level stage; it must return quickly.
	OnProgress func(Progress)
	// Overwrite lets the output folder be a non-empty folder framelens did
	// not write: the tables go beside the files there, none of which is
	// ever removed or replaced (see output.OutDir).
	Overwrite bool
}

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
	// salient are the document's own top phrases, for group_keyphrases.
	salient []keyphrases.SalientPhrase
	frames  *frames.DocSummary
	// cooc is the document's frame/word co-occurrence counts, counted on
	// the worker and merged into the block's by the writer.
	cooc *frames.Cooc
	// frameEntries counts the matched lexicon entries per frame.
	frameEntries map[string]map[string]int
	// entries counts hits and matched forms per entry (frame_entries).
	entries *frames.EntryStats
	// firstRunes maps the candidates' first byte offsets to code points,
	// for key phrases ranked after the text is gone.
	firstRunes map[int]int32
	// passages are the document's topic-model units when the model runs
	// over passages.
	passages []vectorize.DocCounts
	pwords   []int
	actors   []actor
	err      error // a *StageError: the document is reported, not analysed
	// skipped marks a document another shard, or a completed block of an
	// interrupted run, takes care of.
	skipped bool
}

// engine holds the stages of one run.
type engine struct {
	cfg    Config
	log    *slog.Logger
	stages []DocStage
	vec    *vectorize.Vectorizer
	// ngrams counts the 2- and 3-grams compared by keyness when the
	// vocabulary itself is unigrams; nil otherwise.
	ngrams *vectorize.Vectorizer
	kp     *keyphrases.Extractor
	// kpShortlist ranks a document's candidates without corpus statistics
	// to keep the few that can make the final top phrases.
	kpShortlist *keyphrases.Extractor
	fm          *frames.Matcher
	frameNames  []string
	// busy accumulates each per-document step's time over all workers,
	// in the order of busyNames.
	busy      []atomic.Int64
	busyNames []string
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

func newEngine(cfg Config, log *slog.Logger) (*engine, error) {
	e := &engine{cfg: cfg, log: log}
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
		e.frameNames = e.fm.Lexicon().FrameNames()
	}
	if e.vec, err = vectorize.New(cfg.Vectorize); err != nil {
		return nil, err
	}
	if cfg.Vectorize.NGramMax <= 1 && !cfg.skip("keyness") {
		nc := cfg.Vectorize
		nc.NGramMax = 3
		if e.ngrams, err = vectorize.New(nc); err != nil {
			return nil, err
		}
	}
	for _, st := range e.stages {
		e.busyNames = append(e.busyNames, st.Name())
	}
	e.busyNames = append(e.busyNames, "count_terms", "keyphrase_candidates", "frame_summary")
	e.busy = make([]atomic.Int64, len(e.busyNames))
	return e, nil
}

// wantPassages says whether the topic model may run over passages, so
// that document seq's passages are worth counting and keeping: always for
// UnitPassage, and under UnitAuto only while the corpus is still small.
func (e *engine) wantPassages(seq int) bool {
	return !e.cfg.skip("topics") && modelsPassages(e.cfg, seq+1)
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

// actor is one entity of a document — a canonical name with its label —
// with its number of mentions and its spellings, most frequent first.
type actor struct {
	Canonical, Label string
	Mentions         int32
	Variants         []string
}

// actors gathers a document's entity mentions by (canonical, label), in
// that order; the strings are copies, not windows on the text.
func actors(doc *corpus.Document) []actor {
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
	out := make([]actor, 0, len(counts))
	for k, vs := range counts {
		a := actor{Canonical: strings.Clone(k.canon), Label: k.label, Variants: make([]string, 0, len(vs))}
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
	stopped := func() *docResult {
		if err := ctx.Err(); err != nil {
			return &docResult{doc: doc, err: err}
		}
		return nil
	}
	for i, st := range e.stages {
		if r := stopped(); r != nil {
			return *r
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
	r := docResult{doc: doc, forms: e.vec.Forms(doc), actors: actors(doc)}
	if e.ngrams != nil {
		r.formRuns = e.vec.RunStarts(doc)
	}
	if e.ngrams == nil {
		r.counts = e.vec.Count(doc)
	} else {
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
	t = e.timeStep(n, t)
	if r := stopped(); r != nil {
		return *r
	}
	if e.kp != nil {
		cands := e.kp.Candidates(doc)
		r.kpWords = keyphrases.NormWords(doc)
		if !e.kp.NeedsCorpusStats() {
			doc.Keyphrases, r.salient = e.kp.RankSalient(cands)
			for _, k := range doc.Keyphrases {
				r.kpTop = append(r.kpTop, strings.Clone(k.Norm))
			}
		} else {
			r.salient = e.kp.Salient(cands)
			r.keptCands = e.shortlist(cands)
			ri := corpus.NewRuneIndex(doc.Clean)
			r.firstRunes = make(map[int]int32, len(r.keptCands.Phrases))
			for _, c := range r.keptCands.Phrases {
				r.firstRunes[c.FirstStart] = int32(ri.Rune(c.FirstStart))
			}
		}
	}
	t = e.timeStep(n+1, t)
	if r := stopped(); r != nil {
		return *r
	}
	if e.fm != nil {
		s, err := e.fm.Summarize(doc)
		if err != nil {
			return docResult{doc: doc, err: &StageError{Stage: "frames", DocID: doc.ID, Err: err}}
		}
		r.frames = s
		r.cooc = frames.NewCooc(e.frameNames, true)
		if err := r.cooc.AddDoc(doc); err != nil {
			return docResult{doc: doc, err: &StageError{Stage: "frames", DocID: doc.ID, Err: err}}
		}
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
		r.entries = frames.NewEntryStats()
		r.entries.AddDoc(doc)
		e.timeStep(n+2, t)
	}
	if w := nothingAnalysed(doc, len(r.counts)); w != "" {
		doc.Warnings = append(doc.Warnings, w)
	}
	return r
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

// Run analyses the corpus of cfg and writes every table under cfg.Out.
// With cfg.Shard set it runs the map side of one shard only, writing the
// shard's part files and block states for Merge. With cfg.Resume it keeps
// the blocks a previous, interrupted run of the same config completed.
func Run(ctx context.Context, cfg Config, opts Options) (*Summary, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Resume {
		// Before the first pass of repeated_lines, the models and the
		// corpus: a resume that cannot keep the saved blocks fails at once,
		// leaving the folder as it was.
		if err := checkResume(cfg); err != nil {
			return nil, err
		}
	}
	od, err := openOut(cfg.Out, "run", opts.Overwrite, cfg.Corpus)
	if err != nil {
		return nil, err
	}
	defer od.Close()
	start := time.Now()
	if cfg.RepeatedLines {
		stats, err := countLines(ctx, cfg)
		if err != nil {
			return nil, err
		}
		cfg.Clean.RepeatedLines = stats
	}
	eng, err := newEngine(cfg, opts.Logger)
	if err != nil {
		return nil, err
	}
	m, err := mapCorpus(ctx, eng, od, opts, start)
	if err != nil {
		return nil, err
	}
	if cfg.Shard.Count > 1 {
		return m.finishShard()
	}
	return reduceRun(ctx, eng, od, m.blocks, m.stats, m.ts, m.man, opts, start)
}

// dropStaleParts removes, before a resumed run, the part files of blocks
// that were not completed: they are rewritten, and a part left over from a
// block the new run does not reach must not join the table.
func dropStaleParts(od *output.OutDir, saved map[int]string) error {
	paths, err := filepath.Glob(filepath.Join(od.Path(), "*.partial", "part-*"))
	if err != nil {
		return err
	}
	for _, p := range paths {
		rel, _ := filepath.Rel(od.Path(), p)
		if !od.Owns(rel) || !output.IsPartFile(filepath.Base(p)) {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(filepath.Base(p), "part-%05d", &n); err != nil {
			continue
		}
		if _, ok := saved[n]; !ok {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// closingMarker, a file in the state directory, says that the run's tables
// were being closed: every block was complete, and each streamed table's
// part files were in <name>.partial/ or, once the table was closed, in
// <name>/. It is written before the tables are closed and removed with the
// state directory once run.json (shard.json) is written.
const closingMarker = "closing"

// markClosing writes the closing marker in dir's state directory.
func markClosing(dir string) error {
	p := filepath.Join(dir, stateDir, closingMarker)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return output.WriteFileAtomic(p, 0o644, func(io.Writer) error { return nil })
}

// closeMarked closes the tables of a run (or shard) writing to out under
// the closing marker. A table that failed to close dropped its part files:
// the marker goes, so that --resume processes the blocks again.
func closeMarked(ts *tableSet, out string) error {
	if err := markClosing(out); err != nil {
		return err
	}
	if err := ts.close(); err != nil {
		os.Remove(filepath.Join(out, stateDir, closingMarker))
		return err
	}
	return nil
}

// recoverClosedTables makes a resumed run's streamed tables hold the part
// files of its completed blocks in <name>.partial/ again. A run killed
// after closing its tables (<name>.partial/ renamed to <name>/) but before
// writing run.json left every block state: the resumed run processes no
// block, and a fresh <name>.partial/ would become an empty table. When the
// closing marker says the tables were being closed, a closed table is
// moved back to <name>.partial/. A streamed table with neither (or a
// closed one without the marker, which may be an earlier run's) has lost
// the completed blocks' rows: the blocks are processed again.
func recoverClosedTables(od *output.OutDir, tables []string, saved map[int]string, log *slog.Logger) (map[int]string, error) {
	out := od.Path()
	marker := filepath.Join(out, stateDir, closingMarker)
	_, err := os.Stat(marker)
	closing := err == nil
	isDir := func(p string) bool {
		st, err := os.Stat(p)
		return err == nil && st.IsDir()
	}
	if len(saved) > 0 {
		for _, name := range tables {
			partial, final := filepath.Join(out, name+".partial"), filepath.Join(out, name)
			if isDir(partial) {
				continue
			}
			if closing && isDir(final) {
				if err := os.Rename(final, partial); err != nil {
					return nil, fmt.Errorf("--resume: %w", err)
				}
				continue
			}
			log.Warn("resuming: the part files of the completed blocks are missing; processing every block again", "table", name)
			if err := od.RemoveDir(stateDir, isStateFile); err != nil {
				return nil, err
			}
			return map[int]string{}, nil
		}
	}
	if err := os.Remove(marker); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return saved, nil
}

// openOut opens and locks the output folder of a run or merge. It
// refuses a folder that is, holds or lies inside one of the inputs (the
// corpus, a merge's shards), and claims the names every run writes
// besides its tables.
func openOut(out, command string, overwrite bool, inputs ...string) (*output.OutDir, error) {
	legacy := []string{"run.json", "shard.json", stateDir}
	for _, t := range output.NewCatalog().Tables() {
		legacy = append(legacy, t.Paths(output.FormatBoth)...)
		if t.Layout == output.Parts {
			legacy = append(legacy, t.Name+".partial")
		}
	}
	var protect []string
	for _, in := range inputs {
		if in != corpus.StdinPath { // standard input is no folder to protect
			protect = append(protect, in)
		}
	}
	od, err := output.OpenOutDir(out, output.DirOptions{Overwrite: overwrite, Protect: protect, Command: command, Legacy: legacy})
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"run.json", "shard.json", stateDir} {
		if err := od.Claim(name); err != nil {
			od.Close()
			return nil, err
		}
	}
	// A table name taken by another file would stop the run when that
	// table is written, perhaps hours later: say so now.
	for _, name := range legacy {
		if _, err := os.Lstat(od.Join(name)); err == nil && !od.Owns(name) {
			od.Close()
			return nil, fmt.Errorf("%s: %w, and framelens writes a table there; move it, or choose another --out", od.Join(name), output.ErrNotOwned)
		}
	}
	return od, nil
}

// isStateFile reports whether name is one framelens gives the files of
// its state folder: block states and their side files, the header and
// the closing marker, and their temporary files.
func isStateFile(name string) bool {
	name = strings.TrimSuffix(name, ".tmp")
	if name == stateHeaderFile || name == closingMarker {
		return true
	}
	kind, rest, ok := strings.Cut(name, "-")
	if !ok || kind == "" || !strings.HasSuffix(rest, ".gob.gz") {
		return false
	}
	for _, r := range kind {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	n := strings.TrimSuffix(rest, ".gob.gz")
	return len(n) >= 5 && strings.Trim(n, "0123456789") == ""
}

// openCorpus opens the configured corpus (the built-in sample when none).
func openCorpus(cfg Config) (*corpus.Stream, error) {
	if cfg.Corpus == "" {
		return corpus.OpenSample()
	}
	return corpus.Open(cfg.Corpus, cfg.Reader)
}

// countLines is the first pass of Config.RepeatedLines.
func countLines(ctx context.Context, cfg Config) (*clean.LineStats, error) {
	stream, err := openCorpus(cfg)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	stats := clean.NewLineStats()
	for n := 0; cfg.Limit <= 0 || n < cfg.Limit; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc, err := stream.Next()
		// A document's error first: one that wraps io.EOF must not read
		// as the end of the corpus.
		var de *corpus.DocError
		if errors.As(err, &de) {
			n--
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		stats.Add(doc)
	}
	return stats, nil
}

// mapRun is the state of the map side of a run.
type mapRun struct {
	eng    *engine
	opts   Options
	ts     *tableSet
	man    *manifest
	blocks []*blockState
	stats  *corpusStats
	start  time.Time
	seen   int // documents of the stream, this run's or not (shard.json)
}

func (m *mapRun) progress(stage string, docs int, tokens int64, stream *corpus.Stream) {
	if m.opts.OnProgress != nil {
		read, total := stream.Progress()
		m.opts.OnProgress(Progress{Stage: stage, Docs: docs, Tokens: tokens, Elapsed: time.Since(m.start), BytesRead: read, BytesTotal: total})
	}
}

// mapCorpus streams the corpus through the per-document stages, writes the
// streamed tables block by block and returns the block states.
func mapCorpus(ctx context.Context, eng *engine, od *output.OutDir, opts Options, start time.Time) (*mapRun, error) {
	cfg, log := eng.cfg, opts.Logger
	format, err := output.ParseFormat(cfg.Format)
	if err != nil {
		return nil, err
	}
	stream, err := openCorpus(cfg)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	if err := checkColumns(cfg, stream, false); err != nil {
		return nil, err
	}

	// A run is complete only when run.json (shard.json) exists: remove the
	// old one first.
	for _, name := range []string{"run.json", "shard.json"} {
		if err := od.Remove(name); err != nil {
			return nil, err
		}
	}
	// A report of the previous run's tables must not outlive them.
	if od.Owns(report.FileName) {
		if err := od.Remove(report.FileName); err != nil {
			return nil, err
		}
	}
	saved := map[int]string{}
	if cfg.Resume {
		if saved, err = savedBlocks(cfg.Out); err != nil {
			return nil, err
		}
		log.Info("resuming", "completed_blocks", len(saved))
		if saved, err = recoverClosedTables(od, streamedTables(cfg.skip), saved, log); err != nil {
			return nil, err
		}
		if err := dropStaleParts(od, saved); err != nil {
			return nil, err
		}
	} else if err := od.RemoveDir(stateDir, isStateFile); err != nil {
		return nil, err
	}
	// The blocks this run saves are of this config (checkResume checked
	// the kept ones).
	if err := writeStateHeader(cfg.Out, cfg); err != nil {
		return nil, err
	}
	meta := map[string]string{
		"framelens.schema_version": fmt.Sprint(output.SchemaVersion),
		"framelens.version":        Version,
		"framelens.config_hash":    cfg.Hash(),
		"framelens.run_id":         cfg.RunID(),
	}
	ts, err := newTableSet(od, output.Options{Format: format, Metadata: meta, Resume: cfg.Resume}, cfg.skip)
	if err != nil {
		return nil, err
	}
	m := &mapRun{eng: eng, opts: opts, ts: ts, man: newManifest(cfg, start), start: start, stats: newCorpusStats(eng)}
	ok := false
	defer func() {
		if !ok {
			ts.abortKeepParts()
		}
	}()

	// skip says whether this run leaves a document to another shard or to a
	// block a previous run completed.
	skip := func(seq int) bool {
		b := seq / cfg.BlockDocs
		if cfg.Shard.Count > 1 && b%cfg.Shard.Count != cfg.Shard.Index {
			return true
		}
		_, done := saved[b]
		return done
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Reader → workers → writer → block saver, with bounded queues so
	// memory depends on the number of workers, not on the size of the
	// corpus. The queues are deep enough for the workers to go on while the
	// writer finishes a block's part files.
	jobs := make(chan *corpus.Document, 4*cfg.Workers)
	results := make(chan docResult, 4*cfg.Workers)
	var readErr error
	var readErrs []string
	go func() {
		defer close(jobs)
		for n := 0; cfg.Limit <= 0 || n < cfg.Limit; n++ {
			doc, err := stream.Next()
			// A document's error first: one that wraps io.EOF must not
			// read as the end of the corpus.
			var de *corpus.DocError
			if errors.As(err, &de) {
				log.Warn("skipping document", "error", err)
				readErrs = append(readErrs, err.Error())
				n-- // Limit counts documents, not failures
				continue
			}
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				readErr = err
				cancel()
				return
			}
			select {
			case jobs <- doc:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < cfg.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for doc := range jobs {
				if skip(doc.Seq) {
					results <- docResult{doc: &corpus.Document{Seq: doc.Seq}, skipped: true}
					continue
				}
				results <- eng.process(ctx, doc)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// Put documents back in input order, cut them into blocks, write.
	pending := map[int]docResult{}
	next := 0
	var cur *blockState
	var writeErr error
	var docs int
	var tokens int64
	// A block whose part files are complete goes to the saver, which saves
	// its state (the completion marker), lets its texts and side state go
	// and adds its statistics to the running totals, in block order, while
	// the writer goes on with the next block.
	toSave := make(chan *blockState, 1)
	saverDone := make(chan error, 1)
	go func(blocks <-chan *blockState) {
		var err error
		for b := range blocks {
			if err != nil {
				continue // drain
			}
			if err = b.save(cfg.Out); err == nil {
				b.dropTexts()
				b.spill()
				err = m.stats.absorb(b)
			}
			if err != nil {
				cancel()
				continue
			}
			m.blocks = append(m.blocks, b)
		}
		saverDone <- err
	}(toSave)
	saverWait := func() error {
		if toSave == nil {
			return nil
		}
		close(toSave)
		toSave = nil
		return <-saverDone
	}
	defer saverWait()
	endBlock := func() error {
		if cur == nil {
			return nil
		}
		b := cur
		cur = nil
		if err := ts.endPart(); err != nil {
			return err
		}
		toSave <- b
		return nil
	}
	for r := range results {
		if writeErr == nil && ctx.Err() != nil {
			writeErr = ctx.Err() // interrupted: save no half-processed block
		}
		if writeErr != nil {
			continue // drain
		}
		pending[r.doc.Seq] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			block := r.doc.Seq / cfg.BlockDocs
			if cur != nil && cur.Block != block {
				if writeErr = endBlock(); writeErr != nil {
					break
				}
			}
			if r.skipped {
				continue
			}
			if cur == nil {
				cur = newBlockState(block, eng)
				if writeErr = ts.startPart(block); writeErr != nil {
					break
				}
			}
			if r.err != nil {
				log.Warn("document failed", "error", r.err)
				r.doc.Warnings = append(r.doc.Warnings, r.err.Error())
			}
			if writeErr = ts.writeDoc(r); writeErr != nil {
				break
			}
			cur.add(r, eng)
			docs++
			tokens += int64(len(r.doc.Tokens))
			m.progress("documents", docs, tokens, stream)
		}
		if writeErr != nil {
			cancel()
		}
	}
	if writeErr == nil && ctx.Err() == nil {
		writeErr = endBlock()
	}
	m.seen = next
	saveErr := saverWait()
	if readErr != nil {
		return nil, readErr
	}
	if saveErr != nil {
		return nil, saveErr
	}
	if writeErr != nil {
		return nil, writeErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkColumns(cfg, stream, true); err != nil {
		return nil, err
	}
	m.man.columns, _, _ = stream.Columns()
	// Blocks completed by an earlier run of a resumed one.
	for b, path := range saved {
		if cfg.Shard.Count > 1 && b%cfg.Shard.Count != cfg.Shard.Index {
			continue
		}
		st, err := loadBlock(path)
		if err != nil {
			return nil, err
		}
		st.dropTexts()
		if st.ConfigHash != cfg.Hash() {
			return nil, fmt.Errorf("--resume: %s was made with another config (hash %s, this run %s); run without --resume", path, st.ConfigHash, cfg.Hash())
		}
		m.blocks = append(m.blocks, st)
	}
	// A resumed run sums the statistics again in block order, so that it
	// prunes n-grams exactly as an uninterrupted run (whose blocks complete
	// in order) does.
	sortedBlocks(m.blocks)
	if len(saved) > 0 {
		m.stats = newCorpusStats(eng)
		for _, b := range m.blocks {
			if b.DF == nil { // absorbed while streaming: its statistics are on disk
				st, err := loadBlock(b.path)
				if err != nil {
					return nil, err
				}
				b.DF, b.PhraseDF, b.GroupKP, b.Cooc, b.NGrams, b.Entries = st.DF, st.PhraseDF, st.GroupKP, st.Cooc, st.NGrams, st.Entries
			}
			if err := m.stats.absorb(b); err != nil {
				return nil, err
			}
		}
	}
	m.man.StageSeconds["documents"] = time.Since(start).Seconds()
	m.man.DocStageSeconds = eng.stageTimes()
	m.man.Tokens = tokens
	m.man.Inputs = stream.Inputs()
	m.man.DocumentErrors = readErrs
	ok = true
	return m, nil
}

// reduceRun computes the corpus-level tables from the block states and
// writes run.json last.
func reduceRun(ctx context.Context, eng *engine, od *output.OutDir, blocks []*blockState, stats *corpusStats, ts *tableSet, man *manifest, opts Options, start time.Time) (*Summary, error) {
	cfg := eng.cfg
	for _, b := range blocks {
		man.DocumentErrors = append(man.DocumentErrors, b.Errors...)
	}
	sort.Strings(man.DocumentErrors)
	red, err := newReducer(eng, blocks, stats)
	if err != nil {
		return nil, err
	}
	progress := func(stage string) {
		if opts.OnProgress != nil {
			opts.OnProgress(Progress{Stage: stage, Docs: len(red.states), Tokens: red.tokens, Elapsed: time.Since(start)})
		}
	}
	sum, err := red.finish(ctx, ts, man, progress)
	if err != nil {
		ts.abortKeepParts()
		return nil, err
	}
	if err := closeMarked(ts, cfg.Out); err != nil {
		return nil, err
	}
	if man.Rows, err = ts.countRows(); err != nil {
		return nil, err
	}
	if err := ts.removeStale(); err != nil {
		return nil, err
	}
	man.Seconds = time.Since(start).Seconds()
	if err := man.write(filepath.Join(cfg.Out, "run.json")); err != nil {
		return nil, err
	}
	// The block states are only needed to resume or merge an unfinished run.
	if err := od.RemoveDir(stateDir, isStateFile); err != nil {
		return nil, err
	}
	sum.Out = cfg.Out
	sum.Errors = man.DocumentErrors
	opts.Logger.Info("run complete", "out", cfg.Out, "documents", len(red.states), "tokens", red.tokens, "seconds", man.Seconds)
	return sum, usable(cfg, sum, man.columns)
}
