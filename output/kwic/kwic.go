// Package kwic answers concordance queries (key word in context) over a
// finished run's tokens table: every occurrence of a word, a wildcard or
// a phrase, with the words around it, its document, group and sentence.
//
// It reads the table the run wrote rather than the corpus, so it needs
// no model and sees exactly the tokens every other table counted. A query
// over a large run reads only what it needs: row group by row group, the
// pattern is first tested on the dictionary of the matched form (lower or
// lemma) — each distinct word once — and the other columns are decoded
// only for row groups with a match. The writer ends row groups between
// documents, so a context never spans two row groups.
package kwic

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/framelens/framelens/output"
)

// Forms a query can match on: columns of the tokens table.
const (
	FormLower = "lower"
	FormLemma = "lemma"
	FormText  = "text"
)

// ErrNoTokens: the run has no tokens table (it was skipped, or the folder
// is not a framelens output).
var ErrNoTokens = errors.New("no tokens table")

// Query is one concordance query. The zero value of each field but
// Pattern is a useful default.
type Query struct {
	// Pattern is one or more words separated by spaces (a phrase); each
	// may hold the wildcards * (any run of characters) and ? (one).
	Pattern string
	// Form is the token form matched: lower (default), lemma or text
	// (as written; the pattern is then case-sensitive).
	Form string
	// Groups keeps only documents of these groups (none: all).
	Groups []string
	// Window is the number of tokens shown each side (0 = 8).
	Window int
	// Limit stops after this many lines (0 = all).
	Limit int
}

// Line is one concordance line, and the row type of Table.
type Line struct {
	DocID      string `col:"doc_id"`
	Group      string `col:"group"`
	SentenceID int32  `col:"sentence_id"`
	TokenID    int32  `col:"token_id"` // the first token of the match
	Left       string `col:"left"`
	Match      string `col:"match"`
	Right      string `col:"right"`
}

// Table is the concordance as a table, one row per Line, for `framelens
// kwic --format parquet`. It is not a table of a run.
func Table() (*output.Table, error) {
	return output.RowTable[Line](output.Table{
		Name:        "kwic",
		Description: "A concordance (framelens kwic): every occurrence of a word, wildcard or phrase in a run's tokens table, with the words around it; in corpus order, then text order.",
		Key:         []string{"doc_id", "token_id"},
		Layout:      output.SingleFile,
	},
		output.Describe("doc_id", "Document (documents.doc_id)."),
		output.Describe("group", "The document's group."),
		output.Describe("sentence_id", "Sentence of the match's first token (sentences.sentence_id)."),
		output.Describe("token_id", "The match's first token (tokens.token_id)."),
		output.Describe("left", "Up to --window tokens before the match, in its document, as running text."),
		output.Describe("match", "The matched tokens as running text."),
		output.Describe("right", "Up to --window tokens after the match, in its document, as running text."),
	)
}

// Run answers q over the output folder out, calling emit for each line in
// the tables' order (documents in corpus order, tokens in text order).
// emit returning an error stops the query with it.
func Run(ctx context.Context, out string, q Query, emit func(Line) error) error {
	pat, err := compile(q)
	if err != nil {
		return err
	}
	parts, err := filepath.Glob(filepath.Join(out, "tokens", "part-*.parquet"))
	if err != nil {
		return err
	}
	if len(parts) == 0 {
		if _, err := os.Stat(filepath.Join(out, "tokens")); err != nil {
			return fmt.Errorf("kwic: %s: %w (run without --skip tokens, and with --format parquet or both)", out, ErrNoTokens)
		}
	}
	sort.Strings(parts)
	window := q.Window
	if window <= 0 {
		window = 8
	}
	n := 0
	st := newScanState(pat)
	for _, p := range parts {
		err := scanFile(ctx, p, pat, st, window, func(l Line) error {
			if q.Limit > 0 && n >= q.Limit {
				return errStop
			}
			n++
			return emit(l)
		})
		if errors.Is(err, errStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var errStop = errors.New("limit reached")

// pattern is a compiled query.
type pattern struct {
	words    []string // glob patterns, one per token of the phrase
	prefixes []string // each word's literal ASCII prefix (fast.go)
	form     string
	fold     bool
	groups   map[string]bool
}

func compile(q Query) (*pattern, error) {
	p := &pattern{form: q.Form}
	if p.form == "" {
		p.form = FormLower
	}
	switch p.form {
	case FormLower, FormLemma:
		p.fold = true
	case FormText:
	default:
		return nil, fmt.Errorf("kwic: unknown form %q (want lower, lemma or text)", q.Form)
	}
	for _, w := range strings.Fields(q.Pattern) {
		if p.fold {
			w = strings.ToLower(w)
		}
		if _, err := path.Match(w, ""); err != nil {
			return nil, fmt.Errorf("kwic: pattern %q: %w", w, err)
		}
		p.words = append(p.words, w)
		p.prefixes = append(p.prefixes, literalPrefix(w))
	}
	if len(p.words) == 0 {
		return nil, errors.New("kwic: empty pattern: give a word, a wildcard such as talent* or a phrase")
	}
	if len(q.Groups) > 0 {
		p.groups = map[string]bool{}
		for _, g := range q.Groups {
			p.groups[g] = true
		}
	}
	return p, nil
}

// matches tests every distinct value of a dictionary once against each
// word of the phrase.
func (p *pattern) matches(dict arrow.Array) [][]bool {
	vals := dict.(*array.String)
	out := make([][]bool, len(p.words))
	for k, w := range p.words {
		out[k] = make([]bool, vals.Len())
		for i := 0; i < vals.Len(); i++ {
			v := vals.Value(i)
			if p.fold {
				v = strings.ToLower(v)
			}
			out[k][i], _ = path.Match(w, v)
		}
	}
	return out
}

// scanFile answers the query over one part file, row group by row group.
func scanFile(ctx context.Context, name string, p *pattern, st *scanState, window int, emit func(Line) error) error {
	pf, err := file.OpenParquetFile(name, false)
	if err != nil {
		return fmt.Errorf("kwic: %s: %w", name, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{Parallel: false, BatchSize: 1 << 17}, memory.DefaultAllocator)
	if err != nil {
		return fmt.Errorf("kwic: %s: %w", name, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		return fmt.Errorf("kwic: %s: %w", name, err)
	}
	col := func(n string) (int, error) {
		idx := schema.FieldIndices(n)
		if len(idx) != 1 {
			return 0, fmt.Errorf("kwic: %s has no column %q: is it a framelens tokens table?", name, n)
		}
		return idx[0], nil
	}
	var ci [6]int
	for i, n := range []string{p.form, "group", "doc_id", "sentence_id", "token_id", "text"} {
		if ci[i], err = col(n); err != nil {
			return err
		}
	}
	fast := newFastScan(pf, p, st)
	for rg := 0; rg < pf.NumRowGroups(); rg++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := fast.rowGroup(rg, window, emit)
		if errors.Is(err, errUnsupported) {
			err = slowRowGroup(ctx, fr, rg, ci, p, window, emit)
		}
		if err != nil {
			if errors.Is(err, errStop) {
				return err
			}
			return fmt.Errorf("kwic: %s: row group %d: %w", name, rg, err)
		}
	}
	return nil
}

// slowRowGroup answers the query over one row group through pqarrow:
// for columns the fast path does not decode.
func slowRowGroup(ctx context.Context, fr *pqarrow.FileReader, rg int, ci [6]int, p *pattern, window int, emit func(Line) error) error {
	// First the matched form (and the group when filtering on it), to
	// find the matches.
	first := []int{ci[0]}
	if p.groups != nil {
		first = append(first, ci[1])
	}
	tb, err := fr.ReadRowGroups(ctx, first, []int{rg})
	if err != nil {
		return err
	}
	starts := p.find(tb)
	tb.Release()
	if len(starts) == 0 {
		return nil
	}
	tb, err = fr.ReadRowGroups(ctx, []int{ci[2], ci[3], ci[4], ci[5], ci[1]}, []int{rg})
	if err != nil {
		return err
	}
	defer tb.Release()
	return lines(tb, starts, len(p.words), window, emit)
}

// find returns the rows where the phrase starts in a row group holding the
// matched form (column 0) and, with a group filter, the group (column 1). A phrase that would
// run into the next document is checked by lines, which knows doc_id.
func (p *pattern) find(tb arrow.Table) []int {
	forms := newStrCol(tb.Column(0).Data().Chunks(), p.matches)
	var groups *strCol
	if p.groups != nil {
		groups = newStrCol(tb.Column(1).Data().Chunks(), nil)
	}
	var starts []int
	n := forms.n
	for i := 0; i+len(p.words) <= n; i++ {
		if !forms.hit(0, i) {
			continue
		}
		ok := true
		for w := 1; ok && w < len(p.words); w++ {
			ok = forms.hit(w, i+w)
		}
		if ok && (p.groups == nil || p.groups[groups.at(i)]) {
			starts = append(starts, i)
		}
	}
	return starts
}

// lines builds the concordance lines of the matches starting at rows
// starts of a row group holding doc_id, sentence_id, token_id, text and
// group.
func lines(tb arrow.Table, starts []int, width, window int, emit func(Line) error) error {
	docs := newStrCol(tb.Column(0).Data().Chunks(), nil)
	sents := newIntCol(tb.Column(1).Data().Chunks())
	toks := newIntCol(tb.Column(2).Data().Chunks())
	text := newStrCol(tb.Column(3).Data().Chunks(), nil)
	groups := newStrCol(tb.Column(4).Data().Chunks(), nil)
	n := docs.n
	for _, s := range starts {
		end := s + width
		doc := docs.at(s)
		if docs.at(end-1) != doc {
			continue // the phrase would run into the next document
		}
		lo := s
		for lo > 0 && s-lo < window && docs.at(lo-1) == doc {
			lo--
		}
		hi := end
		for hi < n && hi-end < window && docs.at(hi) == doc {
			hi++
		}
		l := Line{DocID: doc, Group: groups.at(s), SentenceID: sents.at(s), TokenID: toks.at(s),
			Left: text.join(lo, s), Match: text.join(s, end), Right: text.join(end, hi)}
		if err := emit(l); err != nil {
			return err
		}
	}
	return nil
}

// strCol reads row i of a chunked string column, dictionary-encoded or
// not, without copying the column. With a matcher, hit(w, i) says whether
// row i matches word w of the phrase, each distinct value tested once.
type strCol struct {
	chunks []arrow.Array
	offs   []int // first row of each chunk
	n      int
	hits   [][][]bool        // per chunk, per word, per dictionary entry
	memo   map[string][]bool // plain chunks: per value, per word
	match  func(arrow.Array) [][]bool
}

func newStrCol(chunks []arrow.Array, match func(arrow.Array) [][]bool) *strCol {
	c := &strCol{chunks: chunks, match: match}
	for _, ch := range chunks {
		c.offs = append(c.offs, c.n)
		c.n += ch.Len()
		if match == nil {
			continue
		}
		if d, ok := ch.(*array.Dictionary); ok {
			c.hits = append(c.hits, match(d.Dictionary()))
		} else {
			c.hits = append(c.hits, nil)
		}
	}
	return c
}

// locate returns the chunk of row i and the row within it.
func (c *strCol) locate(i int) (int, int) {
	k := len(c.offs) - 1
	for k > 0 && c.offs[k] > i {
		k--
	}
	return k, i - c.offs[k]
}

func (c *strCol) at(i int) string {
	k, j := c.locate(i)
	switch a := c.chunks[k].(type) {
	case *array.Dictionary:
		return a.Dictionary().(*array.String).Value(a.GetValueIndex(j))
	case *array.String:
		return a.Value(j)
	case *array.LargeString:
		return a.Value(j)
	}
	return ""
}

func (c *strCol) hit(w, i int) bool {
	k, j := c.locate(i)
	if d, ok := c.chunks[k].(*array.Dictionary); ok {
		return c.hits[k][w][d.GetValueIndex(j)]
	}
	v := c.at(i)
	m, ok := c.memo[v]
	if !ok {
		if c.memo == nil {
			c.memo = map[string][]bool{}
		}
		b := array.NewStringBuilder(memory.DefaultAllocator)
		b.Append(v)
		one := b.NewArray()
		hits := c.match(one)
		one.Release()
		b.Release()
		m = make([]bool, len(hits))
		for x := range hits {
			m[x] = hits[x][0]
		}
		c.memo[v] = m
	}
	return m[w]
}

// join writes rows lo to hi (exclusive) as running text.
func (c *strCol) join(lo, hi int) string {
	toks := make([]string, 0, hi-lo)
	for i := lo; i < hi; i++ {
		toks = append(toks, c.at(i))
	}
	return join(toks)
}

type intCol struct {
	chunks []*array.Int32
	offs   []int
}

func newIntCol(chunks []arrow.Array) *intCol {
	c := &intCol{}
	n := 0
	for _, ch := range chunks {
		c.chunks = append(c.chunks, ch.(*array.Int32))
		c.offs = append(c.offs, n)
		n += ch.Len()
	}
	return c
}

func (c *intCol) at(i int) int32 {
	k := len(c.offs) - 1
	for k > 0 && c.offs[k] > i {
		k--
	}
	return c.chunks[k].Value(i - c.offs[k])
}

// join writes tokens as running text: a space between words, none before
// closing punctuation or after opening punctuation.
func join(toks []string) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && !noSpaceBefore(t) && !noSpaceAfter(toks[i-1]) {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}

func noSpaceBefore(t string) bool {
	switch t {
	case ".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m", "”", "’":
		return true
	}
	return false
}

func noSpaceAfter(t string) bool {
	switch t {
	case "(", "[", "{", "“", "‘", "$":
		return true
	}
	return false
}
