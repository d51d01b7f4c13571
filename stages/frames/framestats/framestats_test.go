package framestats

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"io/fs"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/tokenize"
)

// testEnv records warnings and writes tables into a folder, as the
// pipeline's reduce environment does.
type testEnv struct {
	dir   *output.OutDir
	ids   []string
	warns []string
	ws    []*output.Writer
}

func (e *testEnv) Groups() []string                                          { return nil }
func (e *testEnv) Comparisons() []stage.Comparison                           { return nil }
func (e *testEnv) EachDoc(context.Context, func(stage.DocForms) error) error { return nil }
func (e *testEnv) EachRecord(context.Context, func(stage.DocRecord) error) error {
	return errors.New("no records")
}
func (e *testEnv) DocIDs() []string     { return e.ids }
func (e *testEnv) Seed() int64          { return 1 }
func (e *testEnv) Workers() int         { return 1 }
func (e *testEnv) Logger() *slog.Logger { return slog.Default() }
func (e *testEnv) Warn(m string)        { e.warns = append(e.warns, m) }
func (e *testEnv) Writer(table string) (*output.Writer, error) {
	w, err := output.NewWriter(e.dir, output.NewCatalog().MustTable(table), output.Options{})
	e.ws = append(e.ws, w)
	return w, err
}

// mapAll maps every document, passes each partial through gob (as a
// block state does) and merges them in input order.
func mapAll(t *testing.T, s stage.Corpus, docs []*document.Document) stage.Partial {
	t.Helper()
	total := s.NewPartial()
	for _, d := range docs {
		p, err := s.Map(context.Background(), stage.MapInput{Doc: d, Words: words(d)})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := gob.NewEncoder(&b).Encode(p); err != nil {
			t.Fatal(err)
		}
		q := s.NewPartial()
		if err := gob.NewDecoder(&b).Decode(q); err != nil {
			t.Fatal(err)
		}
		if err := total.Merge(q); err != nil {
			t.Fatal(err)
		}
	}
	return total
}

// words counts d's tokens that are not punctuation, as the pipeline's
// MapInput.Words.
func words(d *document.Document) int {
	n := 0
	for _, t := range d.Tokens {
		if !t.IsPunct {
			n++
		}
	}
	return n
}

// TestCorpusStagesOnSample runs frame_entries and frame_suggestions over
// the sample papers through the stage lifecycle (per-document partials,
// gob, merge in order) and checks that they count what one EntryStats and
// one Cooc fed every document count, and that frame_entries warns of the
// lexicon derived from a scored document before the dominant entries.
func TestCorpusStagesOnSample(t *testing.T) {
	m, err := frames.New(frames.Config{})
	if err != nil {
		t.Fatal(err)
	}
	lex := *m.Lexicon()
	lex.DerivedFrom = []string{"doc:zhang2024"}
	var docs []*document.Document
	direct, cooc := frames.NewEntryStats(), frames.NewCooc(lex.FrameNames(), true)
	for _, id := range []string{"sun2025", "zhang2024"} {
		d := samplePaper(t, id)
		if err := m.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
		direct.AddDoc(d)
		if err := cooc.AddDoc(d); err != nil {
			t.Fatal(err)
		}
	}

	corpusDir := t.TempDir()
	es := NewEntriesStage(&lex, corpusDir)
	ep := mapAll(t, es, docs).(*EntriesPartial)
	rows := direct.Rows(entryForms)
	if len(rows) == 0 {
		t.Fatal("no frame entry matched the sample")
	}
	if got := ep.Stats.Rows(entryForms); !reflect.DeepEqual(got, rows) {
		t.Errorf("entries through partials differ from direct counts:\n%+v\nwant\n%+v", got, rows)
	}
	ss := NewSuggestionsStage(&lex)
	sp := mapAll(t, ss, docs).(*SuggestionsPartial)
	if !reflect.DeepEqual(sp.Cooc, cooc) {
		t.Errorf("co-occurrences through partials differ from direct counts")
	}

	dir, err := output.OpenOutDir(t.TempDir(), output.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{dir: dir, ids: []string{"sun2025", "zhang2024"}}
	for _, s := range []stage.Corpus{es, ss} {
		p := map[stage.Corpus]stage.Partial{es: ep, ss: sp}[s]
		if err := s.Reduce(context.Background(), p, env); err != nil {
			t.Fatalf("%s: %v", s.Name(), err)
		}
	}
	for _, w := range env.ws {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{lex.DerivedOverlap(corpusDir, env.ids)}
	for _, d := range frames.Dominant(rows) {
		want = append(want, d.Warning(2))
	}
	if !strings.Contains(want[0], "zhang2024") || !reflect.DeepEqual(env.warns, want) {
		t.Errorf("warnings %q, want %q", env.warns, want)
	}
}

// samplePaper reads one sample paper's prose (lines of at least eight words
// ending like a sentence, up to the reference list) and tokenizes it, as
// the frames package's tests do: the test must not depend on the cleaner.
func samplePaper(t testing.TB, id string) *document.Document {
	t.Helper()
	raw, err := fs.ReadFile(corpus.SampleFS(), id+".txt")
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, line := range strings.Split(string(raw), "\n") {
		s := strings.TrimSpace(line)
		if strings.HasPrefix(s, "References") || strings.HasPrefix(s, "LIST OF USED SOURCES") {
			break
		}
		if len(strings.Fields(s)) < 8 || !strings.ContainsAny(s[len(s)-1:], ".?!:”\")") {
			continue
		}
		keep = append(keep, s)
	}
	doc := &document.Document{ID: id, Group: id, Clean: strings.Join(keep, "\n\n")}
	tk, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
