package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/frames"
)

// tableSet owns the writers of a run's tables. The per-document tables are
// opened at the start and written as documents arrive in order; the
// corpus-level ones are opened by the reducer at the end.
type tableSet struct {
	dir   *output.OutDir
	opts  output.Options
	cat   *output.Catalog
	open  map[string]*output.Writer
	order []string
	done  map[string]bool // tables closed, whose rows run.json counts
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
	return t, nil
}

// writer opens (once) the writer of a table.
func (t *tableSet) writer(name string, extra []output.Column) (*output.Writer, error) {
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
	w, ok := t.open[name]
	if !ok {
		return nil
	}
	delete(t.open, name)
	t.done[name] = true
	return w.Close()
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

// writeDoc appends one document's rows to the per-document tables.
func (t *tableSet) writeDoc(r docResult) error {
	doc := r.doc
	if r.err != nil {
		return nil
	}
	ri := corpus.NewRuneIndex(doc.Clean)
	rp := func(b int) int32 { return int32(ri.Rune(b)) }
	t.writeSections(doc, rp)
	t.writeSentences(doc, rp)
	if _, ok := t.open["tokens"]; ok {
		t.writeTokens(doc, rp)
	}
	if _, ok := t.open["entities"]; ok {
		t.writeEntities(doc, rp)
	}
	t.writeKeyphrases(doc, rp)
	if _, ok := t.open["frame_sentences"]; ok {
		t.writeFrameSentences(doc, rp)
	}
	for _, w := range t.open {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func (t *tableSet) writeSections(doc *corpus.Document, rp func(int) int32) {
	c := output.ColsOf(t.open["sections"])
	docID, id, kind, heading := c.Str("doc_id"), c.Int32("section_id"), c.Str("kind"), c.Str("heading")
	hs, he, s, e, an := c.Int32("heading_start"), c.Int32("heading_end"), c.Int32("start"), c.Int32("end"), c.Bool("analysed")
	for i, sec := range doc.Sections {
		docID(doc.ID)
		id(int32(i))
		kind(string(sec.Kind))
		heading(sec.Heading)
		hs(rp(sec.HeadingStart))
		he(rp(sec.HeadingEnd))
		s(rp(sec.Start))
		e(rp(sec.End))
		an(sec.Kind.Analysed())
	}
}

func (t *tableSet) writeSentences(doc *corpus.Document, rp func(int) int32) {
	c := output.ColsOf(t.open["sentences"])
	docID, group, id, secID, sec := c.Str("doc_id"), c.Str("group"), c.Int32("sentence_id"), c.Int32("section_id"), c.Str("section")
	s, e, n, text := c.Int32("start"), c.Int32("end"), c.Int32("n_tokens"), c.Str("text")
	for i, st := range doc.Sentences {
		docID(doc.ID)
		group(doc.Group)
		id(int32(i))
		secID(int32(st.Section))
		heading := ""
		if st.Section >= 0 && st.Section < len(doc.Sections) {
			heading = doc.Sections[st.Section].Heading
		}
		sec(heading)
		s(rp(st.Start))
		e(rp(st.End))
		n(int32(st.TokenEnd - st.TokenStart))
		text(doc.Clean[st.Start:st.End])
	}
}

func (t *tableSet) writeTokens(doc *corpus.Document, rp func(int) int32) {
	c := output.ColsOf(t.open["tokens"])
	docID, group, sent, id := c.Str("doc_id"), c.Str("group"), c.Int32("sentence_id"), c.Int32("token_id")
	s, e, text, lower, lemma, stem, pos := c.Int32("start"), c.Int32("end"), c.Str("text"), c.Str("lower"), c.Str("lemma"), c.Str("stem"), c.Str("pos")
	stop, punct := c.Bool("is_stop"), c.Bool("is_punct")
	for i, tk := range doc.Tokens {
		docID(doc.ID)
		group(doc.Group)
		sent(int32(tk.Sentence))
		id(int32(i))
		s(rp(tk.Start))
		e(rp(tk.End))
		text(tk.Text)
		lower(tk.Lower)
		lemma(tk.Lemma)
		stem(tk.Stem)
		pos(tk.POS)
		stop(tk.IsStop)
		punct(tk.IsPunct)
	}
}

func (t *tableSet) writeEntities(doc *corpus.Document, rp func(int) int32) {
	c := output.ColsOf(t.open["entities"])
	docID, group, id, sent := c.Str("doc_id"), c.Str("group"), c.Int32("entity_id"), c.Int32("sentence_id")
	s, e, ts, te := c.Int32("start"), c.Int32("end"), c.Int32("token_start"), c.Int32("token_end")
	text, label, canon, src := c.Str("text"), c.Str("label"), c.Str("canonical"), c.Str("source")
	for i, en := range doc.Entities {
		docID(doc.ID)
		group(doc.Group)
		id(int32(i))
		sent(int32(en.Sentence))
		s(rp(en.Start))
		e(rp(en.End))
		ts(int32(en.TokenStart))
		te(int32(en.TokenEnd))
		text(en.Text)
		label(en.Label)
		canon(en.Canonical)
		src(en.Source)
	}
}

func (t *tableSet) writeKeyphrases(doc *corpus.Document, rp func(int) int32) {
	if w, ok := t.open["keyphrases"]; ok {
		appendKeyphrases(w, doc.ID, doc.Group, doc.Keyphrases, rp)
	}
}

// appendKeyphrases appends a document's key phrases; first converts the
// byte offset of a first occurrence to code points.
func appendKeyphrases(w *output.Writer, id, grp string, kps []corpus.Keyphrase, first func(int) int32) {
	c := output.ColsOf(w)
	docID, group, rank, phrase, norm := c.Str("doc_id"), c.Str("group"), c.Int32("rank"), c.Str("phrase"), c.Str("norm")
	score, count, method, firstStart := c.Float64("score"), c.Int32("count"), c.Str("method"), c.Int32("first_start")
	for _, k := range kps {
		docID(id)
		group(grp)
		rank(int32(k.Rank))
		phrase(k.Phrase)
		norm(k.Norm)
		score(k.Score)
		count(int32(k.Count))
		method(k.Method)
		firstStart(first(k.FirstStart))
	}
}

func (t *tableSet) writeFrameSentences(doc *corpus.Document, rp func(int) int32) {
	c := output.ColsOf(t.open["frame_sentences"])
	docID, group, sent, frame := c.Str("doc_id"), c.Str("group"), c.Int32("sentence_id"), c.Str("frame")
	hits, neg, matched, entries := c.Int32("hits"), c.Int32("negated_hits"), c.Strings("matched"), c.Strings("entries")
	ms, me, s, e, text := c.Int32s("match_starts"), c.Int32s("match_ends"), c.Int32("start"), c.Int32("end"), c.Str("text")
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
			var m, en []string
			var starts, ends []int32
			var nh, nn int32
			for _, h := range byFrame[f] {
				m = append(m, doc.Clean[h.Start:h.End])
				en = append(en, h.Entry)
				starts = append(starts, rp(h.Start))
				ends = append(ends, rp(h.End))
				if h.Negated {
					nn++
				} else {
					nh++
				}
			}
			docID(doc.ID)
			group(doc.Group)
			sent(int32(sh.Sentence))
			frame(f)
			hits(nh)
			neg(nn)
			matched(m)
			entries(en)
			ms(starts)
			me(ends)
			s(rp(st.Start))
			e(rp(st.End))
			text(doc.Clean[st.Start:st.End])
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
