package pipeline

import (
	"context"
	"slices"
	"unicode/utf8"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/compare/comparestage"
	"github.com/framelens/framelens/stages/entities/mentionstage"
	"github.com/framelens/framelens/stages/keyphrases/kpstage"
	"github.com/framelens/framelens/stages/ordered"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/vectorize"
)

// reducer accumulates the mergeable statistics of the documents in input
// order and turns them into the corpus-level tables at the end.
type reducer struct {
	eng *engine
	// ctx is the run's: an interrupt stops the corpus-level stages (finish
	// checks it between stages, ordered.Map between items).
	ctx    context.Context
	tokens int64
	states []*docState
	// blocks are the block states; blockOf[i] indexes the block of states[i].
	blocks  []*blockState
	blockOf []int

	// remaps turn each block's local form ids into run-wide ones
	// (formNames) as its side state is read.
	remaps    [][]int32
	formNames []string
	// handed holds what the built-in stages hand over for keyness
	// (Earlier), until it takes them: the vocabulary and the document–term
	// counts (tfidfstage.Vectors), the topic model (nil when none is
	// fitted; Topics), the key-phrase and entity counts per document
	// (Keyphrases, Mentions).
	handed comparestage.Earlier
	// W is the weighted document–term matrix, kept for the similarity
	// stage, which takes it (reduceEnv.Weights).
	W *vectorize.CSR
	// pruned holds, by document index, the warning of each document with
	// counted terms none of which is in the vocabulary (the tfidf stage's):
	// documents.warnings gets it.
	pruned map[int]string
	// partials are the analyses' partials of the whole corpus.
	partials []stage.Partial
}

// newReducer flattens the block states, in block order, into per-document
// slices and merges the blocks' mergeable statistics.
func newReducer(eng *engine, blocks []*blockState, stats *corpusStats) (*reducer, error) {
	sortedBlocks(blocks)
	r := &reducer{eng: eng, ctx: context.Background(), blocks: blocks, partials: stats.parts}
	formIDs := map[string]int32{} // only while the ids are made run-wide
	for bi, b := range blocks {
		// Block-local form ids → run-wide ids.
		remap := make([]int32, len(b.FormNames))
		for i, f := range b.FormNames {
			id, ok := formIDs[f]
			if !ok {
				id = int32(len(r.formNames))
				formIDs[f] = id
				r.formNames = append(r.formNames, f)
			}
			remap[i] = id
		}
		r.remaps = append(r.remaps, remap)
		for _, d := range b.Docs {
			r.addDoc(d)
			r.blockOf = append(r.blockOf, bi)
		}
	}
	return r, nil
}

func (r *reducer) addDoc(d *docState) {
	r.tokens += int64(d.Tokens)
	r.states = append(r.states, d)
}

// eachSide calls fn for every document, in order, with its side state of
// a kind (block-local ids made run-wide). Blocks are read from disk on
// every worker, a few at a time, and handed over in order.
func (r *reducer) eachSide(kind string, fn func(i int, d *docState, s docSide) error) error {
	return eachBlockDoc(r.ctx, r, func(bi int) ([]docSide, error) {
		sides, err := r.blocks[bi].sides(kind)
		if err != nil {
			return nil, err
		}
		remap := r.remaps[bi]
		// Ids read from disk are this call's own and are made run-wide in
		// place; in-memory state is copied, so that it stays block-local.
		inMemory := !r.blocks[bi].spilled
		for k := range sides {
			ids := sides[k].Forms
			out := ids
			if inMemory {
				out = make([]int32, len(ids))
			}
			for j, t := range ids {
				out[j] = remap[t]
			}
			sides[k].Forms = out
		}
		return sides, nil
	}, fn)
}

// eachBlockDoc calls fn for every document, in input order, with what load
// reads of its block (one value a document): blocks are loaded on the
// run's workers, a few at a time, and handed over in order.
func eachBlockDoc[T any](ctx context.Context, r *reducer, load func(bi int) ([]T, error), fn func(i int, d *docState, v T) error) error {
	type loaded struct {
		vs  []T
		err error
	}
	i := 0
	return ordered.Map(ctx, len(r.blocks), r.eng.cfg.Workers, func(bi int) loaded {
		vs, err := load(bi)
		return loaded{vs, err}
	}, func(bi int, l loaded) error {
		if l.err != nil {
			return l.err
		}
		for k, d := range r.blocks[bi].Docs {
			if err := fn(i, d, l.vs[k]); err != nil {
				return err
			}
			i++
		}
		return nil
	})
}

// startPart directs a streamed table written at the end of the run to the
// part file of document i's block, as if it had been written while the
// documents streamed: the files are then the same for a single, a resumed
// and a sharded run.
func (r *reducer) startPart(w *output.Writer, i int) error {
	b := r.states[i].Seq / r.eng.cfg.BlockDocs
	if i > 0 && r.states[i-1].Seq/r.eng.cfg.BlockDocs == b {
		return nil
	}
	return w.StartPart(b)
}

// finish computes and writes the corpus-level tables: the steps of
// reduceSteps, run concurrently on the run's workers (runSteps).
func (r *reducer) finish(ctx context.Context, ts *tableSet, man *manifest, progress func(string)) (*Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.ctx = ctx
	sum := r.summarise(man)
	steps := r.reduceSteps(ts, sum)
	err := runSteps(ctx, cancel, steps, r.eng.cfg.Workers, r.eng.log, progress,
		func(st *reduceStep, seconds float64, se *stepEnv) {
			man.StageSeconds[st.name] = seconds
			if st.warnings != nil {
				*st.warnings = append(*st.warnings, se.warnings...)
			}
		})
	if err != nil {
		return nil, err
	}
	man.ComparisonWarnings = sum.ComparisonWarnings
	man.AnalysisWarnings = sum.AnalysisWarnings
	return sum, nil
}

// reduceSteps are the corpus-level steps of a run, each one's time in
// run.json under its name. Their order is that of their log lines and
// warnings; each declares the steps whose results it reads.
func (r *reducer) reduceSteps(ts *tableSet, sum *Summary) []reduceStep {
	always := func() bool { return true }
	// First the tfidf stage (tfidfstage), which hands the vocabulary and
	// the matrices to the steps after it (reduceEnv.Vectors), then topics
	// (topicstage) and similarity (simstage), which read them.
	steps := r.stageSteps(ts, sum, reduceStart, false)
	add := func(st reduceStep) {
		steps = append(steps, st)
		// The built-in corpus stages that reduce after it (builtinStages).
		steps = append(steps, r.stageSteps(ts, sum, st.name, st.exclusive)...)
	}
	// The plan's sides, and which have an empty side; the keyness stage
	// (comparestage) follows it and compares the counts of the steps
	// above and of the built-in stages keyphrases and entity_mentions
	// (kpstage, mentionstage: placed after similarity when their document
	// stages run). It holds the most memory of all steps (and this one
	// logs to the engine's logger): each runs alone, after every step
	// before it.
	add(reduceStep{name: "comparisons", needs: declared(steps, "tfidf", "topics", kpstage.Name, mentionstage.Name), exclusive: true,
		on: always, run: func(*stepEnv) error { return r.checkSides() }})
	// After the vocabulary: a document whose terms pruning removed is
	// warned of in documents.warnings, as one without a counted term.
	// Then the frames stage (framestats.ScoresStage: frames, group_frames,
	// frame_comparisons), which reads nothing of the steps before it, and
	// the frame stages after it (builtinStages).
	add(reduceStep{name: "documents_table", needs: []string{"tfidf"}, on: always,
		run: func(*stepEnv) error { return r.writeDocuments(ts) }})
	// The registered analyses, last.
	steps = append(steps, r.stageSteps(ts, sum, "", false)...)
	return steps
}

// declared are those of names that name a step of steps.
func declared(steps []reduceStep, names ...string) []string {
	var out []string
	for _, n := range names {
		if slices.ContainsFunc(steps, func(st reduceStep) bool { return st.name == n }) {
			out = append(out, n)
		}
	}
	return out
}

// summarise counts the documents by group and language, and warns when
// the groups differ in language.
func (r *reducer) summarise(man *manifest) *Summary {
	sum := &Summary{Groups: map[string]int{}, Tokens: r.tokens}
	for _, d := range r.states {
		sum.Docs++
		sum.Groups[d.Group]++
		sum.addLang(d.Group, d.Row.Lang)
		if d.Failed {
			sum.Failed++
		}
	}
	man.Languages = sum.Languages
	if mixed := sum.mixedGroups(); mixed != "" {
		man.LanguageWarning = "groups differ in language (" + mixed + "): keyness and frame rates compared across languages contrast vocabularies, not framing"
		r.eng.log.Warn(man.LanguageWarning)
	}
	r.warnMailHeaders(man, sum)
	return sum
}

func (r *reducer) writeDocuments(ts *tableSet) error {
	extra, keys := metaColumns(r.states)
	w, err := ts.writer("documents", extra)
	if err != nil {
		return err
	}
	a, err := output.NewAppender[output.DocumentRow](w)
	if err != nil {
		return err
	}
	meta := make([]any, len(keys))
	var texts map[int]string
	for i, d := range r.states {
		if i == 0 || r.blockOf[i] != r.blockOf[i-1] {
			if texts, err = r.blocks[r.blockOf[i]].texts(); err != nil {
				return err
			}
		}
		row := d.Row
		clean := texts[d.Seq]
		out := output.DocumentRow{
			DocID: d.ID, Seq: int32(d.Seq), Group: d.Group, Title: row.Title, Authors: row.Authors,
			Lang: row.Lang, LangConfidence: row.LangConfidence, LangSource: row.LangSource,
			Source: row.Source, RawSHA256: row.RawSHA256,
			NChars: int32(utf8.RuneCountInString(clean)), RemovedChars: int32(row.RemovedChars),
			NSections: int32(row.Sections), NSentences: int32(row.Sentences), NTokens: int32(d.Tokens), NWords: int32(d.Words),
			AuthorKeywords: row.AuthorKeywords, Warnings: row.Warnings, Text: clean, Meta: meta,
		}
		if row.Year != 0 {
			out.Year = output.Some(int32(row.Year))
		}
		if w, ok := r.pruned[i]; ok {
			out.Warnings = append(slices.Clip(row.Warnings), w)
		}
		for j, k := range keys {
			meta[j] = row.Meta[k]
		}
		a.Append(&out)
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return ts.closeTable("documents")
}
