// Package report writes the HTML report of a finished run: one file that
// works offline, with the corpus and its groups, the small-sample
// warnings, and for each comparison shown a keyness scatter, the frame
// differences with their intervals, topic prevalence, collocates of pivot
// words (when the run has a collocations table), evidence sentences and
// actors. Plots are SVG drawn here; a few lines of inline script search
// and paginate. It reads the run's Parquet tables, never the corpus.
package report

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/framelens/framelens/output"
)

// FileName is the report's name in the output folder.
const FileName = "report.html"

// UnknownComparisonError: Options.Comparisons names a comparison the run
// does not have.
type UnknownComparisonError struct {
	Name  string
	Known []string
}

func (e *UnknownComparisonError) Error() string {
	return fmt.Sprintf("report: no comparison %q in this run (it has: %s)", e.Name, strings.Join(e.Known, "; "))
}

//go:embed report.css
var css string

//go:embed report.js
var js string

// Write writes the report of the run in out to w.
func Write(ctx context.Context, out string, w io.Writer, opts Options) error {
	opts = opts.withDefaults()
	m, err := load(ctx, out, opts)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	m.render(&b, opts)
	_, err = w.Write(b.Bytes())
	return err
}

// WriteFile writes the report of the run in out to file, or, when file is
// "", to out/report.html, claimed in the folder's ledger like the tables
// (the folder is locked while it is written). It returns the path written.
func WriteFile(ctx context.Context, out, file string, opts Options) (string, error) {
	if _, err := readManifest(out); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := Write(ctx, out, &buf, opts); err != nil {
		return "", err
	}
	write := func(path string) error {
		return output.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
			_, err := w.Write(buf.Bytes())
			return err
		})
	}
	if file != "" {
		if abs, err := filepath.Abs(file); err == nil {
			if dir, _ := filepath.Abs(out); filepath.Dir(abs) == dir && filepath.Base(abs) != FileName {
				return "", fmt.Errorf("report: -o %s: inside the run's folder only %s is written (framelens owns what it writes there); give a path outside %s or leave -o out", file, FileName, out)
			}
			if dir, _ := filepath.Abs(out); filepath.Dir(abs) == dir {
				file = ""
			}
		}
	}
	if file != "" {
		return file, write(file)
	}
	od, err := output.OpenOutDir(out, output.DirOptions{Command: "report", Legacy: []string{"run.json"}})
	if err != nil {
		return "", err
	}
	if err := od.Claim(FileName); err != nil {
		od.Close()
		return "", err
	}
	path := od.Join(FileName)
	if err := write(path); err != nil {
		od.Close()
		return "", err
	}
	return path, od.Close()
}

// Remove removes an earlier run's report from out if framelens wrote it,
// so that a new run never leaves a report of other tables beside its own.
func Remove(od *output.OutDir) error {
	if !od.Owns(FileName) {
		return nil
	}
	if err := od.Remove(FileName); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func (m *model) render(b *bytes.Buffer, opts Options) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	title := "framelens report — " + m.man.Corpus
	p("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
	// No request leaves the page: a strict policy makes a stray reference
	// an error the browser test sees instead of a silent fetch.
	p(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`)
	p(`<meta name="viewport" content="width=device-width, initial-scale=1"><title>%s</title><style>%s</style></head><body>`, esc(title), css)
	p(`<header><h1>%s</h1><p class="meta">framelens %s · run %s · started %s · %d documents · %s words · %d groups · %d comparisons</p></header>`,
		esc(title), esc(m.man.Version), esc(m.man.RunID), esc(m.man.Started), m.docs, thousands(m.words), len(m.groups), len(m.all))
	p(`<nav><b>Contents</b> <a href="#corpus">Corpus and groups</a> · <a href="#warnings">Warnings</a>`)
	for i, c := range m.shown {
		p(` · <a href="#c%d">%s</a>`, i, esc(c.Name))
	}
	p(`</nav>`)
	m.renderCorpus(p)
	m.renderWarnings(p)
	for i, c := range m.shown {
		m.renderComparison(p, c, i, opts)
	}
	p(`<footer>Written by <code>framelens report</code> from the run's tables; every number is in the tables named beside it (docs/tables.md). Plots: SVG, no network.</footer>`)
	p("<script>%s</script></body></html>\n", js)
}

func (m *model) renderCorpus(p func(string, ...any)) {
	p(`<section id="corpus" data-section="corpus"><h2>Corpus and groups</h2>`)
	p(`<p>%s: %d documents, %s words (documents.n_words) in %d groups.</p>`, esc(m.man.Corpus), m.docs, thousands(m.words), len(m.groups))
	p(`<div class="twocol"><div><h3>Groups</h3><input type="search" class="filter" data-for="groups" placeholder="filter groups"><table id="groups" class="paged" data-size="15"><thead><tr><th>group</th><th class="n">documents</th><th class="n">words</th><th></th></tr></thead><tbody>`)
	maxDocs := 1
	for _, g := range m.groups {
		maxDocs = max(maxDocs, g.Docs)
	}
	for _, g := range m.groups {
		name := g.Name
		if name == "" {
			name = "(no group)"
		}
		warn := ""
		if g.Docs < 5 {
			warn = ` class="small" title="fewer than 5 documents: its differences describe these documents, not a group"`
		}
		p(`<tr%s><td>%s</td><td class="n">%d</td><td class="n">%s</td><td><span class="bar" style="width:%.0fpx"></span></td></tr>`,
			warn, esc(name), g.Docs, thousands(g.Words), 120*float64(g.Docs)/float64(maxDocs))
	}
	p(`</tbody></table></div>`)
	p(`<div><h3>Comparisons</h3><p class="hint">%d of %d drawn below (framelens report --comparison NAME picks others).</p><table id="comparisons" class="paged" data-size="15"><thead><tr><th>comparison</th><th class="n">docs A</th><th class="n">docs B</th><th class="n">JSD terms</th><th>test</th></tr></thead><tbody>`, len(m.shown), len(m.all))
	shown := map[*comparison]int{}
	for i, c := range m.shown {
		shown[c] = i + 1
	}
	for _, c := range m.all {
		name := esc(c.Name)
		if i := shown[c]; i > 0 {
			name = fmt.Sprintf(`<a href="#c%d">%s</a>`, i-1, name)
		}
		p(`<tr><td>%s</td><td class="n">%d</td><td class="n">%d</td><td class="n">%s</td><td>%s</td></tr>`, name, c.DocsA, c.DocsB, f(c.JSDTerms), esc(c.Test))
	}
	p(`</tbody></table></div></div></section>`)
}

func (m *model) renderWarnings(p func(string, ...any)) {
	p(`<section id="warnings" data-section="warnings"><h2>What limits the claims</h2>`)
	if len(m.man.ComparisonWarnings) == 0 {
		p(`<p>No comparison has a small-sample warning (comparisons.warnings).</p></section>`)
		return
	}
	p(`<p>From comparisons.warnings (run.json comparison_warnings): read these before the differences below.</p><ul class="warn paged" data-size="12">`)
	for _, w := range m.man.ComparisonWarnings {
		name, rest, ok := strings.Cut(w, ": ")
		if ok {
			p(`<li><b>%s</b>: %s</li>`, esc(name), esc(rest))
		} else {
			p(`<li>%s</li>`, esc(w))
		}
	}
	p(`</ul></section>`)
}

func (m *model) renderComparison(p func(string, ...any), c *comparison, i int, opts Options) {
	id := fmt.Sprintf("c%d", i)
	p(`<section id="%s" class="comparison" data-section="comparison"><h2>%s</h2>`, id, esc(c.Name))
	p(`<p class="sides"><span class="sa">A: %s</span> — %d documents, %s words · <span class="sb">B: %s</span> — %d documents, %s words · keyness test: %s · JSD terms %s, topics %s</p>`,
		esc(c.A), c.DocsA, thousands(c.WordsA), esc(c.B), c.DocsB, thousands(c.WordsB), esc(c.Test), f(c.JSDTerms), f(c.JSDTopic))
	if len(c.Warnings) > 0 {
		p(`<ul class="warn">`)
		for _, w := range c.Warnings {
			p(`<li>%s</li>`, esc(w))
		}
		p(`</ul>`)
	}
	score := "z (token-level)"
	if c.Test == "documents" {
		score = "doc_t (document-level)"
	}
	// Keyness scatter.
	p(`<div class="block" data-section="keyness"><h3>Distinctive terms</h3>`)
	if sv := scatter(c, id+"-scatter"); sv != "" {
		p(`<p class="hint">The %d most distinctive terms by %s (keyness, feature_kind term): rate in B across, in A up, log scales; a term one side never uses sits on its 0 line. Off the diagonal = used more by one side. Hover a point for its counts.</p>`, len(c.terms), esc(score))
		p(`<div class="twocol"><div>%s</div><div><input type="search" class="termsearch" data-for="%s-scatter" placeholder="find a term, e.g. %s"><table class="found"><thead><tr><th>term</th><th class="n">A</th><th class="n">B</th><th class="n">‰ A</th><th class="n">‰ B</th><th class="n">score</th></tr></thead><tbody></tbody></table>`,
			sv, id, esc(firstTerm(c)))
		p(`<div class="tops"><div><h4 class="sa">%s</h4><ol>`, esc(short(c.A, 40)))
		for _, t := range top(c.TopA, 12) {
			p(`<li>%s</li>`, esc(t))
		}
		p(`</ol></div><div><h4 class="sb">%s</h4><ol>`, esc(short(c.B, 40)))
		for _, t := range top(c.TopB, 12) {
			p(`<li>%s</li>`, esc(t))
		}
		p(`</ol></div></div></div></div>`)
	} else {
		p(`<p class="none">No term keyness for this comparison (keyness skipped, or no term counted).</p>`)
	}
	p(`</div>`)
	// Frames.
	p(`<div class="block" data-section="frames"><h3>Frame differences</h3>`)
	var rows []forestRow
	for _, fd := range c.frames {
		note := ""
		if math.IsNaN(fd.Lo) || math.IsNaN(fd.Hi) {
			note = "no interval"
		}
		rows = append(rows, forestRow{Label: fd.Frame, V: fd.Diff, Lo: fd.Lo, Hi: fd.Hi, Note: note,
			Title: fmt.Sprintf("%s: A %s vs B %s per 1,000 words; difference %s [%s, %s]; documents with a hit: A %s, B %s",
				fd.Frame, f(fd.RateA), f(fd.RateB), f(fd.Diff), f(fd.Lo), f(fd.Hi), cnt(fd.DocsA), cnt(fd.DocsB))})
	}
	if sv := forest(rows, id+"-frames", "rate difference A − B, hits per 1,000 words (bar: 95% interval)", c.A, c.B); sv != "" {
		p(`<p class="hint">From frame_comparisons: each frame's rate difference with its 95%% bootstrap interval. Solid: the interval excludes 0. Grey: it does not. Hollow with “no interval”: the bootstrap gives none (no hit, one document…): not a zero-width interval.</p>%s`, sv)
	} else {
		p(`<p class="none">No frame comparison (frames skipped).</p>`)
	}
	p(`</div>`)
	// Topics.
	p(`<div class="block" data-section="topics"><h3>Topic prevalence</h3>`)
	rows = rows[:0]
	for _, t := range c.topics {
		note := t.Note
		if note == "" && !math.IsNaN(t.Lo) {
			note = fmt.Sprintf("%s [%s, %s]", f(t.Diff), f(t.Lo), f(t.Hi))
			if t.Lo <= 0 && t.Hi >= 0 {
				note = "n.s."
			} else {
				note = "Δ " + f(t.Diff) + " *"
			}
		} else if note != "" {
			note = "no interval"
		}
		rows = append(rows, forestRow{Label: t.Label, MarkA: t.MeanA, MarkB: t.MeanB, Note: note,
			Title: fmt.Sprintf("%s: mean weight A %s, B %s; difference %s [%s, %s] %s", t.Label, f(t.MeanA), f(t.MeanB), f(t.Diff), f(t.Lo), f(t.Hi), t.Note)})
	}
	if sv := dumbbell(rows, id+"-topics", "mean document–topic weight (topic_prevalence)", c.A, c.B); sv != "" {
		p(`<p class="hint">Each topic's mean weight in A's and B's documents; * marks a difference whose 95%% interval excludes 0.</p>%s`, sv)
	} else {
		p(`<p class="none">No topic prevalence (topics skipped, or a side without a document in the vocabulary).</p>`)
	}
	p(`</div>`)
	// Collocates.
	if m.collocates {
		p(`<div class="block" data-section="collocations"><h3>Collocates of pivot words</h3>`)
		if len(c.colloc) == 0 {
			p(`<p class="none">No pivot word for this comparison in the collocations table.</p>`)
		} else {
			p(`<p class="hint">The words within the window of each pivot (node) word on each side (collocations), best log-Dice first; Δ is the side's log-Dice minus the other side's (blank: the other side never has the pair). Hover a row for its expected count, MI, t-score and log-likelihood.</p>`)
		}
		for _, pv := range c.colloc {
			diff := hasDiff(pv)
			p(`<div class="pivot"><h4>%s</h4><div class="twocol">`, esc(pv.Word))
			for _, side := range []struct {
				name, cls string
				list      []collocate
				sign      float64
			}{{c.A, "sa", pv.A, 1}, {c.B, "sb", pv.B, -1}} {
				p(`<div><table class="colloc"><thead><tr><th class="%s">%s</th><th class="n">n</th><th class="n">log-Dice</th>`, side.cls, esc(short(side.name, 30)))
				if diff {
					p(`<th class="n" title="this side's log-Dice minus the other side's">Δ</th>`)
				}
				p(`</tr></thead><tbody>`)
				for _, co := range side.list {
					p(`<tr title="%s"><td>%s</td><td class="n">%s</td><td class="n">%s</td>`, esc(collocateTitle(pv.Word, co)), esc(co.Word), cnt(co.Observed), f(co.LogDice))
					if diff {
						p(`<td class="n">%s</td>`, fOrBlank(side.sign*co.Diff))
					}
					p(`</tr>`)
				}
				p(`</tbody></table></div>`)
			}
			p(`</div></div>`)
		}
		p(`</div>`)
	}
	// Evidence.
	p(`<div class="block" data-section="evidence"><h3>Evidence sentences</h3><p class="hint">Per frame, the %d sentences of each side with the most matches (frame_sentences), matches highlighted; frames in order of the difference's size.</p>`, opts.Sentences)
	order := append([]frameDiff(nil), c.frames...)
	sortFrames(order)
	any := false
	for k, fd := range order {
		ev := c.evidence[fd.Frame]
		if len(ev['a'])+len(ev['b']) == 0 {
			continue
		}
		any = true
		open := ""
		if k < 3 {
			open = " open"
		}
		p(`<details%s><summary><b>%s</b> — A %s, B %s per 1,000 words</summary><div class="twocol">`, open, esc(fd.Frame), f(fd.RateA), f(fd.RateB))
		for _, side := range []byte{'a', 'b'} {
			cls, name := "sa", c.A
			if side == 'b' {
				cls, name = "sb", c.B
			}
			p(`<div><h4 class="%s">%s</h4>`, cls, esc(short(name, 40)))
			if len(ev[side]) == 0 {
				p(`<p class="none">no match</p>`)
			}
			for _, s := range ev[side] {
				p(`<blockquote>%s<cite>%s · %s · %d match(es)</cite></blockquote>`, highlight(s, 420), esc(s.DocID), esc(s.Group), s.Hits)
			}
			p(`</div>`)
		}
		p(`</div></details>`)
	}
	if !any {
		p(`<p class="none">No evidence sentence (frames skipped, or no match).</p>`)
	}
	p(`</div>`)
	// Actors.
	p(`<div class="block" data-section="actors"><h3>Actors</h3>`)
	if len(c.entities) > 0 {
		p(`<p class="hint">The named entities (canonical names) each side names more, by %s (keyness, feature_kind entity); documents and mentions on both sides.</p><div class="twocol">`, esc(score))
		for _, side := range []byte{'a', 'b'} {
			cls, name := "sa", c.A
			if side == 'b' {
				cls, name = "sb", c.B
			}
			p(`<div><table class="actors"><thead><tr><th class="%s">named more by %s</th><th class="n">docs A</th><th class="n">docs B</th><th class="n" title="mentions in A">n A</th><th class="n" title="mentions in B">n B</th><th class="n">score</th></tr></thead><tbody>`, cls, esc(short(name, 30)))
			n := 0
			for _, e := range c.entities {
				if e.Side != side || n == opts.Actors {
					continue
				}
				n++
				p(`<tr><td>%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td></tr>`,
					esc(e.Feature), cnt(e.DocsA), cnt(e.DocsB), cnt(e.CountA), cnt(e.CountB), f(e.Score))
			}
			if n == 0 {
				p(`<tr><td colspan="6" class="none">none</td></tr>`)
			}
			p(`</tbody></table></div>`)
		}
		p(`</div>`)
	}
	p(`<p class="hint">The actors in the most documents of each side (entity_mentions).</p><div class="twocol">`)
	for _, side := range []byte{'a', 'b'} {
		cls, name := "sa", c.A
		if side == 'b' {
			cls, name = "sb", c.B
		}
		p(`<div><table class="actors paged" data-size="8"><thead><tr><th class="%s">%s</th><th>type</th><th class="n">documents</th><th class="n">mentions</th></tr></thead><tbody>`, cls, esc(short(name, 30)))
		for _, a := range c.actors[side] {
			p(`<tr><td>%s</td><td>%s</td><td class="n">%d</td><td class="n">%d</td></tr>`, esc(a.Name), esc(a.Label), a.Docs, a.Mentions)
		}
		if len(c.actors[side]) == 0 {
			p(`<tr><td colspan="4" class="none">no entity (entities skipped, or none found)</td></tr>`)
		}
		p(`</tbody></table></div>`)
	}
	p(`</div></div></section>`)
}

func sortFrames(fs []frameDiff) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && math.Abs(fs[j].Diff) > math.Abs(fs[j-1].Diff); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

func top(s []string, n int) []string { return s[:min(len(s), n)] }

func firstTerm(c *comparison) string {
	if len(c.terms) > 0 {
		return c.terms[0].Feature
	}
	return "a word"
}

// thousands writes n with thin separators: 1,234,567.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && r != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasDiff: the pivot's rows carry the sides' log-Dice difference.
func hasDiff(pv pivot) bool {
	for _, l := range [][]collocate{pv.A, pv.B} {
		for _, co := range l {
			if !math.IsNaN(co.Diff) {
				return true
			}
		}
	}
	return false
}

// collocateTitle lists the measures the table has for one row.
func collocateTitle(node string, co collocate) string {
	parts := []string{fmt.Sprintf("%s … %s: observed %s", node, co.Word, cnt(co.Observed))}
	for _, m := range []struct {
		name string
		v    float64
	}{{"expected", co.Expected}, {"log-Dice", co.LogDice}, {"MI", co.MI}, {"t-score", co.T}, {"log-likelihood", co.LL}} {
		if !math.IsNaN(m.v) {
			parts = append(parts, m.name+" "+f(m.v))
		}
	}
	return strings.Join(parts, ", ")
}

// fOrBlank formats v, or nothing when it is NaN.
func fOrBlank(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return f(v)
}
