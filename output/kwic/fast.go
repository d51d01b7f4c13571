package kwic

import (
	"bytes"
	"path"
	"strings"

	"github.com/apache/arrow/go/v17/parquet/file"
)

// scanState is what a query keeps between row groups and files: the
// match of every distinct value seen, and the decoding buffers.
type scanState struct {
	memo             map[string][]bool // value -> does it match word w
	form, group, doc bytesCol
	text             plainCol
	sent, tok        []int32
	hits             [][]bool // per word, per entry of form.vals
	none             []bool   // no word matches
	starts           []int
	// slow answers every row group through pqarrow (tests compare the
	// two paths).
	slow bool
}

func newScanState(p *pattern) *scanState {
	return &scanState{memo: map[string][]bool{}, hits: make([][]bool, len(p.words))}
}

// match says, for each word of the phrase, whether it matches v; each
// distinct value is tested once per query. A value that starts with none
// of the words' literal prefixes matches none (most of a dictionary, for
// talent* or "climate change"), decided without the memo's lookup.
func (st *scanState) match(p *pattern, v []byte) []bool {
	if st.none == nil {
		st.none = make([]bool, len(p.words))
	}
	if p.rejects(v) {
		return st.none
	}
	if m, ok := st.memo[string(v)]; ok {
		return m
	}
	s := string(v)
	t := s
	if p.fold {
		t = strings.ToLower(s)
	}
	m := make([]bool, len(p.words))
	for k, w := range p.words {
		m[k], _ = path.Match(w, t)
	}
	st.memo[s] = m
	return m
}

// fastScan answers a query over the row groups of one file from their
// pages (pages.go).
type fastScan struct {
	pf     *file.Reader
	p      *pattern
	st     *scanState
	cols   [6]int // leaf columns: form, group, doc_id, sentence_id, token_id, text
	ok     bool
	levels func(int) (int16, int16)
}

func newFastScan(pf *file.Reader, p *pattern, st *scanState) *fastScan {
	sc := pf.MetaData().Schema
	f := &fastScan{pf: pf, p: p, st: st, ok: true}
	for i, n := range []string{p.form, "group", "doc_id", "sentence_id", "token_id", "text"} {
		if f.cols[i] = sc.ColumnIndexByName(n); f.cols[i] < 0 {
			f.ok = false
		}
	}
	f.levels = func(c int) (int16, int16) {
		d := sc.Column(c)
		return d.MaxDefinitionLevel(), d.MaxRepetitionLevel()
	}
	return f
}

// rowGroup answers the query over row group rg: the matched form first,
// and the other columns only when it has a match. It emits nothing before
// every column it needs is decoded, so that errUnsupported can hand the
// row group to pqarrow.
func (f *fastScan) rowGroup(rg, window int, emit func(Line) error) error {
	if !f.ok || f.st.slow {
		return errUnsupported
	}
	rgr := f.pf.RowGroup(rg)
	st, p := f.st, f.p
	if err := readBytes(rgr, f.levels, f.cols[0], &st.form); err != nil {
		return err
	}
	nv := len(st.form.vals)
	for w := range st.hits {
		if cap(st.hits[w]) < nv {
			st.hits[w] = make([]bool, nv)
		}
		st.hits[w] = st.hits[w][:nv]
	}
	any := make([]bool, len(p.words))
	for i, v := range st.form.vals {
		for w, m := range st.match(p, v) {
			st.hits[w][i] = m
			any[w] = any[w] || m
		}
	}
	for _, a := range any {
		if !a {
			return nil // a word of the phrase is not in this row group
		}
	}
	width := len(p.words)
	idx := st.form.idx
	st.starts = st.starts[:0]
	for i := 0; i+width <= len(idx); i++ {
		if !st.hits[0][idx[i]] {
			continue
		}
		ok := true
		for w := 1; ok && w < width; w++ {
			ok = st.hits[w][idx[i+w]]
		}
		if ok {
			st.starts = append(st.starts, i)
		}
	}
	if len(st.starts) == 0 {
		return nil
	}
	if err := readBytes(rgr, f.levels, f.cols[1], &st.group); err != nil {
		return err
	}
	if p.groups != nil {
		kept := st.starts[:0]
		for _, s := range st.starts {
			if p.groups[string(st.group.at(s))] {
				kept = append(kept, s)
			}
		}
		if st.starts = kept; len(kept) == 0 {
			return nil
		}
	}
	var err error
	if err = readBytes(rgr, f.levels, f.cols[2], &st.doc); err != nil {
		return err
	}
	if st.sent, err = readInt32(rgr, f.levels, f.cols[3], st.sent); err != nil {
		return err
	}
	if st.tok, err = readInt32(rgr, f.levels, f.cols[4], st.tok); err != nil {
		return err
	}
	if err = readPlain(rgr, f.levels, f.cols[5], &st.text); err != nil {
		return err
	}
	n := len(idx)
	docAt := st.doc.at
	for _, s := range st.starts {
		end := s + width
		doc := docAt(s)
		if !bytes.Equal(docAt(end-1), doc) {
			continue // the phrase would run into the next document
		}
		lo := s
		for lo > 0 && s-lo < window && bytes.Equal(docAt(lo-1), doc) {
			lo--
		}
		hi := end
		for hi < n && hi-end < window && bytes.Equal(docAt(hi), doc) {
			hi++
		}
		l := Line{DocID: string(doc), Group: string(st.group.at(s)), SentenceID: st.sent[s], TokenID: st.tok[s],
			Left: st.joinText(lo, s), Match: st.joinText(s, end), Right: st.joinText(end, hi)}
		if err := emit(l); err != nil {
			return err
		}
	}
	return nil
}

// joinText writes the tokens of rows lo to hi (exclusive) as running text.
func (st *scanState) joinText(lo, hi int) string {
	toks := make([]string, 0, hi-lo)
	for i := lo; i < hi; i++ {
		toks = append(toks, string(st.text.at(i)))
	}
	return join(toks)
}

// literalPrefix is the part of a glob pattern before its first wildcard
// or escape, when it is ASCII ("" otherwise: no quick rejection).
func literalPrefix(w string) string {
	i := strings.IndexAny(w, `*?[\`)
	if i < 0 {
		i = len(w)
	}
	for j := 0; j < i; j++ {
		if w[j] >= 0x80 {
			return ""
		}
	}
	return w[:i]
}

// rejects says whether v certainly matches no word of the phrase: it
// lacks every word's literal prefix. Only ASCII bytes are compared (folded
// when the match is: lower-casing keeps an ASCII prefix's length); a
// non-ASCII byte where a prefix is compared leaves the decision to the
// full test.
func (p *pattern) rejects(v []byte) bool {
	for _, pre := range p.prefixes {
		if pre == "" {
			return false
		}
		if len(v) < len(pre) {
			for _, b := range v {
				if b >= 0x80 {
					return false
				}
			}
			continue
		}
		for j := 0; j < len(pre); j++ {
			b := v[j]
			if b >= 0x80 {
				return false
			}
			if p.fold && 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			if b != pre[j] {
				goto next
			}
		}
		return false // v starts with this word's prefix
	next:
	}
	return true
}
