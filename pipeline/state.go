package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/framelens/framelens/stages/stage"
)

// A run is cut into blocks of consecutive documents (Config.BlockDocs).
// Each block's rows of the streamed tables go to one part file per table
// (part number = block number), and what the corpus-level stages need of
// the block — each document's row and token forms, and its corpus
// stages' partials and records — is saved as a block state once the part
// files are in place. A block with a saved state is complete: a resumed
// run skips it, a shard run produces a set of them, and merge reduces the
// block states of every shard as if one run had made them.

// stateDir is where block states live inside an output or shard directory.
const stateDir = ".framelens"

// docState is what the corpus-level stages keep of one document once its
// rows are written. Fields are exported for encoding/gob.
type docState struct {
	Seq    int
	ID     string
	Group  string
	Words  int
	Tokens int
	Failed bool

	Row docRow

	// side is what single reductions read in bulk: saved in files of its
	// own (unexported, so not in the block state) and let go once saved.
	side docSide
	// records are its records of the analyses that keep them, by index
	// in engine.analyses (nil: failed, or no analysis keeps one): saved
	// in a file per analysis (records.go) and let go once saved.
	records []any
}

// docRow is a document's row of the documents table.
type docRow struct {
	Title          string
	Authors        []string
	Year           int
	Lang           string
	LangConfidence float64
	LangSource     string
	Source         string
	RawSHA256      string
	Clean          string
	RemovedChars   int
	Sections       int
	Sentences      int
	AuthorKeywords []string
	Warnings       []string
	Meta           map[string]any
}

// stateFormat numbers the layout of saved block states: a state saved in
// another layout (by another framelens) is refused, not misread.
// 2: side state in files of its own (docSide).
// 3: group key phrases count documents and salience (GroupPhrases).
// 4: runs of forms (FormRuns), key-phrase words (KPWords, KPTop), and
// frame entry counts and forms per group (Entries).
// 5: the analyses' partials (Partials).
// 6: frame entries, co-occurrences and group key phrases are built-in
// stages' partials (Partials: frame_entries, frame_suggestions,
// group_keyphrases), not fields.
// 7: n-gram counts per group are the keyness stage's partial (Partials:
// keyness), not a field.
// 8: frame summaries and matched entries are the frames stage's partial
// (Partials: frames), not fields of each document (Frames, FrameEntries).
// 9: the corpus stages' records (stage.Recorder) in files of their own;
// actors are entity_mentions' records, not side state (actors files).
// 10: key-phrase words, top phrases and shortlists are the keyphrases
// stage's records (no cands files), its document frequencies its partial
// (Partials: keyphrases), not a field (PhraseDF).
// 11: term counts are the tfidf stage's records (no terms files), its
// document frequencies its partial (Partials: tfidf), not a field (DF).
// 12: the similarity stage's partial (Partials: similarity).
// 13: passages are the topics stage's records, not fields (Passages,
// PWords); its partial (Partials: topics).
const stateFormat = 13

// blockState is the saved state of one block.
type blockState struct {
	Format     int
	Block      int
	ConfigHash string
	Docs       []*docState
	FormNames  []string
	Errors     []string
	// Partials are the analyses' partials (stage.Corpus), gob-encoded by
	// analysis name: set while the state is saved and when it is loaded.
	Partials map[string][]byte

	formIDs map[string]int32
	// parts are the analyses' partials in memory, in the order of
	// analyses, until absorbed; absorbed says they were (corpusStats).
	parts    []stage.Partial
	analyses []stage.Corpus
	absorbed bool
	// path is where the state was saved; textsDropped says the documents'
	// texts were let go from memory after saving and are read back from
	// path when the documents table is written.
	path         string
	textsDropped bool
	// spilled says the documents' side state (see docSide) is on disk only.
	spilled bool
}

// Side-state kinds: each is saved beside the block state in a file of its
// own and read back only by the reductions that need it (Env.EachDoc), so
// that neither the document phase nor the corpus-level stages hold every
// document's token forms at once. (A corpus stage keeps its own
// per-document detail as records: records.go.)
const (
	sideForms = "forms" // Forms: topic coherence windows, n-grams
)

var sideKinds = []string{sideForms}

// docSide is the part of a document's state one kind of reduction reads.
type docSide struct {
	// Forms are the counted token forms, as indices into the block's
	// FormNames (a few bytes a form instead of a string), for topic
	// coherence windows.
	Forms []int32
	// FormRuns are the positions in Forms where a run of adjacent kept
	// tokens starts: n-grams never cross one (vectorize.RunStarts).
	FormRuns []int32
}

// only returns the part of s that a kind of reduction reads.
func (s docSide) only(string) docSide {
	return docSide{Forms: s.Forms, FormRuns: s.FormRuns}
}

// sides returns the side state of a kind of every document of the block,
// in the block's order: from memory, or from disk once spilled.
func (b *blockState) sides(kind string) ([]docSide, error) {
	if !b.spilled {
		return b.memSides(kind), nil
	}
	var out []docSide
	path := sidePath(b.path, kind)
	if err := readGob(path, &out); err != nil {
		return nil, err
	}
	if len(out) != len(b.Docs) {
		return nil, fmt.Errorf("%s: %d entries for %d documents", path, len(out), len(b.Docs))
	}
	return out, nil
}

// memSides returns the in-memory side state of a kind of every document
// of the block, in the block's order.
func (b *blockState) memSides(kind string) []docSide {
	out := make([]docSide, len(b.Docs))
	for i, d := range b.Docs {
		out[i] = d.side.only(kind)
	}
	return out
}

// spill lets the saved side state go from memory.
func (b *blockState) spill() {
	if b.path == "" {
		return
	}
	for _, d := range b.Docs {
		d.side, d.records = docSide{}, nil
	}
	b.spilled = true
}

// sidePath is the file of a kind of side state beside a block state.
func sidePath(statePath, kind string) string {
	dir, name := filepath.Split(statePath)
	return filepath.Join(dir, kind+"-"+strings.TrimPrefix(name, "block-"))
}

// dropTexts frees the documents' cleaned texts, which are on disk beside
// the saved state: memory then holds counts and summaries, not the corpus.
func (b *blockState) dropTexts() {
	if b.path == "" {
		return
	}
	for _, d := range b.Docs {
		d.Row.Clean = ""
	}
	b.textsDropped = true
}

// texts returns the cleaned texts of the block's documents, by Seq.
func (b *blockState) texts() (map[int]string, error) {
	out := make(map[int]string, len(b.Docs))
	if !b.textsDropped {
		for _, d := range b.Docs {
			out[d.Seq] = d.Row.Clean
		}
		return out, nil
	}
	var texts []string
	if err := readGob(textsPath(b.path), &texts); err != nil {
		return nil, err
	}
	if len(texts) != len(b.Docs) {
		return nil, fmt.Errorf("%s: %d texts for %d documents", textsPath(b.path), len(texts), len(b.Docs))
	}
	for i, d := range b.Docs {
		out[d.Seq] = texts[i]
	}
	return out, nil
}

// textsPath is the file beside a block state that holds its documents'
// texts, so that writing the documents table reads only them.
func textsPath(statePath string) string {
	dir, name := filepath.Split(statePath)
	return filepath.Join(dir, "texts-"+strings.TrimPrefix(name, "block-"))
}

func newBlockState(block int, eng *engine) *blockState {
	b := &blockState{Format: stateFormat, Block: block, ConfigHash: eng.cfg.Hash(),
		formIDs:  map[string]int32{},
		analyses: eng.analyses, parts: newPartials(eng.analyses)}
	return b
}

// add keeps what the reductions need of a processed document.
func (b *blockState) add(res docResult, eng *engine) error {
	doc := res.doc
	st := &docState{Seq: doc.Seq, ID: doc.ID, Group: doc.Group, Tokens: len(doc.Tokens), Failed: res.err != nil,
		Row: docRow{Title: doc.Title, Authors: doc.Authors, Year: doc.Year, Lang: doc.Lang, LangConfidence: doc.LangConfidence, LangSource: doc.LangSource, Source: doc.Source,
			RawSHA256: doc.RawSHA256, Clean: doc.Clean, RemovedChars: doc.RemovedChars, Sections: len(doc.Sections),
			Sentences: len(doc.Sentences), AuthorKeywords: doc.AuthorKeywords, Warnings: doc.Warnings, Meta: doc.Meta},
		Words: docWords(doc)}
	b.Docs = append(b.Docs, st)
	if res.err != nil {
		b.Errors = append(b.Errors, res.err.Error())
		return nil
	}
	if err := mergePartials(eng.analyses, b.parts, res.partials); err != nil {
		return fmt.Errorf("document %s: %w", doc.ID, err)
	}
	b.addText(st, res)
	if slices.ContainsFunc(res.records, func(r any) bool { return r != nil }) {
		st.records = res.records
	}
	return nil
}

// addText keeps what later reductions read of a document's text: its
// forms and where their runs start.
func (b *blockState) addText(st *docState, res docResult) {
	st.side.Forms = make([]int32, len(res.forms))
	for i, f := range res.forms {
		st.side.Forms[i] = b.intern(f)
	}
	st.side.FormRuns = res.formRuns
}

// intern returns the block-local id of a term or form.
func (b *blockState) intern(s string) int32 {
	id, ok := b.formIDs[s]
	if !ok {
		s = strings.Clone(s) // not a window on the document's text
		id = int32(len(b.FormNames))
		b.formIDs[s] = id
		b.FormNames = append(b.FormNames, s)
	}
	return id
}
