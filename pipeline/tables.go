package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/keyphrases/kpstage"
)

// tableSet owns the writers of a run's tables. The per-document tables are
// opened at the start and written as documents arrive in order; the
// corpus-level ones are opened by the reducer at the end.
type tableSet struct {
	// mu guards open, order and done: the corpus-level tables are opened
	// and closed from concurrent reduce steps (each writes its own).
	mu    sync.Mutex
	dir   *output.OutDir
	opts  output.Options
	cat   *output.Catalog
	open  map[string]*output.Writer
	order []string
	done  map[string]bool // tables closed, whose rows run.json counts
	rows  docRows
}

// streamedTables are the tables written block by block as the documents
// stream (part files), without those of skipped stages.
func streamedTables(skip func(string) bool) []string {
	var out []string
	// Each table, and the stage without which it is not written.
	for _, tb := range []struct{ name, stage string }{
		{"sections", ""}, {"sentences", ""}, {"tokens", "tokens"}, {"entities", "entities"},
		{"keyphrases", "keyphrases"}, {"frame_sentences", "frames"},
	} {
		if tb.stage == "" || !skip(tb.stage) {
			out = append(out, tb.name)
		}
	}
	return out
}

func newTableSet(dir *output.OutDir, cat *output.Catalog, opts output.Options, skip func(string) bool) (*tableSet, error) {
	t := &tableSet{dir: dir, opts: opts, cat: cat, open: map[string]*output.Writer{}, done: map[string]bool{}}
	for _, name := range streamedTables(skip) {
		if _, err := t.writer(name, nil); err != nil {
			t.abort()
			return nil, err
		}
	}
	if err := t.bindDocRows(); err != nil {
		t.abort()
		return nil, err
	}
	return t, nil
}

// writer opens (once) the writer of a table.
func (t *tableSet) writer(name string, extra []output.Column) (*output.Writer, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if w, ok := t.open[name]; ok {
		return w, nil
	}
	opts := t.opts
	opts.ExtraColumns = extra
	w, err := output.NewWriter(t.dir, t.cat.MustTable(name), opts)
	if err != nil {
		return nil, err
	}
	t.open[name] = w
	t.order = append(t.order, name)
	return w, nil
}

// closeTable completes one table.
func (t *tableSet) closeTable(name string) error {
	t.mu.Lock()
	w, ok := t.open[name]
	if ok {
		delete(t.open, name)
		t.done[name] = true
	}
	t.mu.Unlock()
	if !ok {
		return nil
	}
	return w.Close() // outside the lock: other steps' tables go on
}

// opened returns the open writer of a table, nil when it is not open.
func (t *tableSet) opened(name string) *output.Writer {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.open[name]
}

func (t *tableSet) close() error {
	var errs []error
	for _, name := range t.order {
		if err := t.closeTable(name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (t *tableSet) abort() {
	for _, w := range t.open {
		w.Abort()
	}
	t.open = map[string]*output.Writer{}
}

// abortKeepParts stops every writer, keeping the completed part files of
// the streamed tables so that the run can be resumed.
func (t *tableSet) abortKeepParts() {
	for _, w := range t.open {
		if w.Table().Layout == output.Parts {
			w.Suspend()
		} else {
			w.Abort()
		}
	}
	t.open = map[string]*output.Writer{}
}

// startPart directs the streamed tables to part file n (block n).
func (t *tableSet) startPart(n int) error {
	for _, name := range t.order {
		if w, ok := t.open[name]; ok && w.Table().Layout == output.Parts {
			if err := w.StartPart(n); err != nil {
				return err
			}
		}
	}
	return nil
}

// endPart completes the current part files of the streamed tables.
func (t *tableSet) endPart() error {
	for _, name := range t.order {
		if w, ok := t.open[name]; ok && w.Table().Layout == output.Parts {
			if err := w.EndPart(); err != nil {
				return err
			}
		}
	}
	return nil
}

// countRows counts the rows of every table written, from the files.
func (t *tableSet) countRows() (map[string]int64, error) {
	out := map[string]int64{}
	for name := range t.done {
		n, err := output.CountRows(t.dir.Path(), t.cat.MustTable(name), t.opts.Format)
		if err != nil {
			return nil, err
		}
		out[name] = n
	}
	return out, nil
}

// removeStale removes the tables in the output directory that this run did
// not write. An earlier run's table would otherwise sit beside this run's,
// complete-looking, where a notebook reads it: a corpus of one group writes
// no keyness, comparisons or topic_prevalence; a corpus without a word no
// topics; a skipped stage no table; --format parquet no .arrow files. Only
// framelens's own files go: a table's file, or a part directory's part
// files and then the directory if nothing else is in it. Call it once the
// run's tables are closed.
func (t *tableSet) removeStale() error {
	for _, tb := range t.cat.Tables() {
		keep := map[string]bool{}
		if t.done[tb.Name] {
			for _, p := range tb.Paths(t.opts.Format) {
				keep[p] = true
			}
		}
		for _, rel := range tb.Paths(output.FormatBoth) {
			// Only what an earlier run of framelens wrote is stale.
			if keep[rel] || !t.dir.Owns(rel) {
				continue
			}
			p := filepath.Join(t.dir.Path(), rel)
			st, err := os.Lstat(p)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			if !st.IsDir() {
				if tb.Layout != output.Parts {
					if err := os.Remove(p); err != nil {
						return fmt.Errorf("removing %s, left by an earlier run: %w", p, err)
					}
				}
				continue
			}
			parts, err := filepath.Glob(filepath.Join(p, "part-*"))
			if err != nil {
				return err
			}
			for _, part := range parts {
				if !output.IsPartFile(filepath.Base(part)) {
					continue
				}
				if err := os.Remove(part); err != nil {
					return fmt.Errorf("removing %s, left by an earlier run: %w", part, err)
				}
			}
			if rest, err := os.ReadDir(p); err == nil && len(rest) == 0 {
				if err := os.Remove(p); err != nil {
					return fmt.Errorf("removing %s, left by an earlier run: %w", p, err)
				}
			}
		}
	}
	return nil
}

// docRows binds the per-document tables' row types to their writers, once
// per run; nil for a table the run does not write.
type docRows struct {
	sections       *output.Appender[output.SectionRow]
	sentences      *output.Appender[output.SentenceRow]
	tokens         *output.Appender[output.TokenRow]
	entities       *output.Appender[output.EntityRow]
	keyphrases     *output.Appender[output.KeyphraseRow]
	frameSentences *output.Appender[output.FrameSentenceRow]
}

// bindRows binds row type T to the open writer of table name (nil when
// the table is not written).
func bindRows[T any](t *tableSet, name string) (*output.Appender[T], error) {
	w, ok := t.open[name]
	if !ok {
		return nil, nil
	}
	return output.NewAppender[T](w)
}

// openRows opens table name's writer and binds its row type T.
func openRows[T any](t *tableSet, name string) (*output.Writer, *output.Appender[T], error) {
	w, err := t.writer(name, nil)
	if err != nil {
		return nil, nil, err
	}
	a, err := output.NewAppender[T](w)
	return w, a, err
}

func (t *tableSet) bindDocRows() error {
	var errs [6]error
	r := &t.rows
	r.sections, errs[0] = bindRows[output.SectionRow](t, "sections")
	r.sentences, errs[1] = bindRows[output.SentenceRow](t, "sentences")
	r.tokens, errs[2] = bindRows[output.TokenRow](t, "tokens")
	r.entities, errs[3] = bindRows[output.EntityRow](t, "entities")
	r.keyphrases, errs[4] = bindRows[output.KeyphraseRow](t, "keyphrases")
	r.frameSentences, errs[5] = bindRows[output.FrameSentenceRow](t, "frame_sentences")
	return errors.Join(errs[:]...)
}

// writeDoc appends one document's rows to the per-document tables.
func (t *tableSet) writeDoc(r docResult) error {
	doc := r.doc
	if r.err != nil {
		return nil
	}
	ri := corpus.NewRuneIndex(doc.Clean)
	rp := func(b int) int32 { return int32(ri.Rune(b)) }
	rows := &t.rows
	if rows.sections != nil {
		writeSections(rows.sections, doc, rp)
	}
	if rows.sentences != nil {
		writeSentences(rows.sentences, doc, rp)
	}
	if rows.tokens != nil {
		writeTokens(rows.tokens, doc, rp)
	}
	if rows.entities != nil {
		writeEntities(rows.entities, doc, rp)
	}
	if rows.keyphrases != nil {
		kpstage.AppendRows(rows.keyphrases, doc.ID, doc.Group, doc.Keyphrases, rp)
	}
	if rows.frameSentences != nil {
		writeFrameSentences(rows.frameSentences, doc, rp)
	}
	for _, w := range t.open {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func writeSections(a *output.Appender[output.SectionRow], doc *corpus.Document, rp func(int) int32) {
	for i, sec := range doc.Sections {
		a.Append(&output.SectionRow{
			DocID:        doc.ID,
			SectionID:    int32(i),
			Kind:         string(sec.Kind),
			Heading:      sec.Heading,
			HeadingStart: rp(sec.HeadingStart),
			HeadingEnd:   rp(sec.HeadingEnd),
			Start:        rp(sec.Start),
			End:          rp(sec.End),
			Analysed:     sec.Kind.Analysed(),
		})
	}
}

func writeSentences(a *output.Appender[output.SentenceRow], doc *corpus.Document, rp func(int) int32) {
	for i, st := range doc.Sentences {
		heading := ""
		if st.Section >= 0 && st.Section < len(doc.Sections) {
			heading = doc.Sections[st.Section].Heading
		}
		a.Append(&output.SentenceRow{
			DocID:      doc.ID,
			Group:      doc.Group,
			SentenceID: int32(i),
			SectionID:  int32(st.Section),
			Section:    heading,
			Start:      rp(st.Start),
			End:        rp(st.End),
			NTokens:    int32(st.TokenEnd - st.TokenStart),
			Text:       doc.Clean[st.Start:st.End],
		})
	}
}

func writeTokens(a *output.Appender[output.TokenRow], doc *corpus.Document, rp func(int) int32) {
	for i, tk := range doc.Tokens {
		a.Append(&output.TokenRow{
			DocID:      doc.ID,
			Group:      doc.Group,
			SentenceID: int32(tk.Sentence),
			TokenID:    int32(i),
			Start:      rp(tk.Start),
			End:        rp(tk.End),
			Text:       tk.Text,
			Lower:      tk.Lower,
			Lemma:      tk.Lemma,
			Stem:       tk.Stem,
			POS:        tk.POS,
			IsStop:     tk.IsStop,
			IsPunct:    tk.IsPunct,
		})
	}
}

func writeEntities(a *output.Appender[output.EntityRow], doc *corpus.Document, rp func(int) int32) {
	for i, en := range doc.Entities {
		a.Append(&output.EntityRow{
			DocID:      doc.ID,
			Group:      doc.Group,
			EntityID:   int32(i),
			SentenceID: int32(en.Sentence),
			Start:      rp(en.Start),
			End:        rp(en.End),
			TokenStart: int32(en.TokenStart),
			TokenEnd:   int32(en.TokenEnd),
			Text:       en.Text,
			Label:      en.Label,
			Canonical:  en.Canonical,
			Source:     en.Source,
		})
	}
}

func writeFrameSentences(a *output.Appender[output.FrameSentenceRow], doc *corpus.Document, rp func(int) int32) {
	for _, sh := range frames.HitsBySentence(doc) {
		st := doc.Sentences[sh.Sentence]
		// One row per frame of the sentence, frames in name order.
		byFrame := map[string][]corpus.FrameHit{}
		var names []string
		for _, h := range sh.Hits {
			if _, ok := byFrame[h.Frame]; !ok {
				names = append(names, h.Frame)
			}
			byFrame[h.Frame] = append(byFrame[h.Frame], h)
		}
		sort.Strings(names)
		for _, f := range names {
			row := output.FrameSentenceRow{
				DocID:      doc.ID,
				Group:      doc.Group,
				SentenceID: int32(sh.Sentence),
				Frame:      f,
				Start:      rp(st.Start),
				End:        rp(st.End),
				Text:       doc.Clean[st.Start:st.End],
			}
			for _, h := range byFrame[f] {
				row.Matched = append(row.Matched, doc.Clean[h.Start:h.End])
				row.Entries = append(row.Entries, h.Entry)
				row.MatchStarts = append(row.MatchStarts, rp(h.Start))
				row.MatchEnds = append(row.MatchEnds, rp(h.End))
				if h.Negated {
					row.NegatedHits++
				} else {
					row.Hits++
				}
			}
			a.Append(&row)
		}
	}
}

// metaColumns infers the documents table's extra columns from the
// documents' metadata: names sorted, type from the values (int64 and
// float64 mixed become float64; anything else mixed becomes string).
func metaColumns(docs []*docState) (cols []output.Column, keys []string) {
	types := map[string]string{}
	for _, d := range docs {
		for k, v := range d.Row.Meta {
			var typ string
			switch v.(type) {
			case nil:
				continue
			case int64:
				typ = "int64"
			case float64:
				typ = "float64"
			case bool:
				typ = "bool"
			default:
				typ = "string"
			}
			old, seen := types[k]
			switch {
			case !seen || old == typ:
				types[k] = typ
			case (old == "int64" && typ == "float64") || (old == "float64" && typ == "int64"):
				types[k] = "float64"
			default:
				types[k] = "string"
			}
		}
	}
	// A string column whose every value is an ISO date becomes a date.
	for k, typ := range types {
		if typ == "string" && allDates(docs, k) {
			types[k] = "date"
		}
	}
	names := make([]string, 0, len(types))
	for k := range types {
		names = append(names, k)
	}
	sort.Strings(names)
	fixed := output.NewCatalog().MustTable("documents")
	for _, n := range names {
		col := output.MetaColumn(n, types[n])
		if fixed.ColumnIndex(n) >= 0 {
			col.Name = "meta_" + n // never shadow a standard column
		}
		cols = append(cols, col)
		keys = append(keys, n)
	}
	return cols, keys
}

func allDates(docs []*docState, key string) bool {
	n := 0
	for _, d := range docs {
		v, ok := d.Row.Meta[key]
		if !ok || v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return false
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return false
		}
		n++
	}
	return n > 0
}
