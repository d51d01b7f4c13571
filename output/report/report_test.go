package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/output/report"
	"github.com/framelens/framelens/pipeline"
)

// SizeBound is the documented bound of a report with the default options
// (docs/workbench.md): 8 comparisons drawn, whatever the number of groups,
// comparisons and documents.
const sizeBound = 2 << 20

func runSample(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	if _, err := pipeline.Run(context.Background(), pipeline.Config{Out: out, Seed: 1}, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	return out
}

func render(t *testing.T, out string, opts report.Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(context.Background(), out, &b, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// col is a column of a synthetic collocations table: a string, int64 or
// float64 column (a nil value is a null).
type col struct {
	name string
	typ  arrow.DataType
}

// addCollocations writes a collocations table with columns cols into the
// run in out, and lists it in run.json.
func addCollocations(t *testing.T, out string, cols []col, rows [][]any) {
	t.Helper()
	var fields []arrow.Field
	for _, c := range cols {
		fields = append(fields, arrow.Field{Name: c.name, Type: c.typ, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, r := range rows {
		for i, v := range r {
			switch fb := b.Field(i).(type) {
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Int64Builder:
				fb.Append(int64(v.(int)))
			case *array.Float64Builder:
				if v == nil {
					fb.AppendNull()
				} else {
					fb.Append(v.(float64))
				}
			}
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	err := output.WriteFileAtomic(filepath.Join(out, "collocations.parquet"), 0o644, func(w io.Writer) error {
		// Only Write: the Parquet writer would close a Closer itself.
		fw, err := pqarrow.NewFileWriter(schema, struct{ io.Writer }{w}, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
		if err != nil {
			return err
		}
		if err := fw.Write(rec); err != nil {
			return err
		}
		return fw.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	man := filepath.Join(out, "run.json")
	raw, err := os.ReadFile(man)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["tables"].(map[string]any)["collocations"] = []string{"collocations.parquet"}
	raw, _ = json.Marshal(m)
	if err := os.WriteFile(man, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	str64 = arrow.BinaryTypes.String
	i64   = arrow.PrimitiveTypes.Int64
	f64   = arrow.PrimitiveTypes.Float64
)

// collocationsSection returns the collocations section of page, and the
// collocates it lists, table by table, in order.
func collocationsSection(t *testing.T, page string) (string, []string) {
	t.Helper()
	i := strings.Index(page, `data-section="collocations"`)
	if i < 0 {
		t.Fatal("no collocations section with a collocations table")
	}
	sec := page[i:]
	sec = sec[:strings.Index(sec, `data-section="evidence"`)]
	var got []string
	for _, c := range regexp.MustCompile(`<tr title="[^"]*"><td>([^<]+)</td>`).FindAllStringSubmatch(sec, -1) {
		got = append(got, c[1])
	}
	return sec, got
}

// TestCollocationsSection: the section is there exactly when the run has
// a collocations table, with each side's collocates of a pivot under that
// side, best log-Dice first; a table of per-group rows only (and pivot
// for the node's column) is drawn from the groups of each side.
func TestCollocationsSection(t *testing.T) {
	out := t.TempDir()
	if _, err := pipeline.Run(context.Background(), pipeline.Config{Out: out, Seed: 1, SkipStages: []string{"collocations"}}, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	page := render(t, out, report.Options{})
	if strings.Contains(page, `data-section="collocations"`) {
		t.Fatal("a collocations section without a collocations table")
	}
	for _, s := range []string{"keyness", "frames", "topics", "evidence", "actors"} {
		if !strings.Contains(page, `data-section="`+s+`"`) {
			t.Errorf("no %s section", s)
		}
	}
	addCollocations(t, out, []col{{"group", str64}, {"pivot", str64}, {"collocate", str64}, {"observed", i64}, {"log_dice", f64}},
		[][]any{
			{"emotion_retention", "talent", "retain", 3, 11.2},
			{"emotion_retention", "talent", "belonging", 2, 12.5},
			{"security_restriction", "talent", "recruitment", 9, 10.1},
			{"security_restriction", "talent", "plans", 7, 12.9},
			{"other_group", "talent", "nothing", 7, 13.9},
		})
	sec, got := collocationsSection(t, render(t, out, report.Options{}))
	if !strings.Contains(sec, "<h4>talent</h4>") {
		t.Errorf("pivot talent missing: %s", sec)
	}
	// Side A's table first (belonging above retain: higher log-Dice), then
	// side B's; a group on neither side is left out.
	if want := "belonging retain plans recruitment"; strings.Join(got, " ") != want {
		t.Errorf("collocates %q, want %q", strings.Join(got, " "), want)
	}
	if strings.Contains(sec, ">Δ<") {
		t.Errorf("a Δ column without log_dice_diff: %s", sec)
	}
}

// TestCollocationsStageTable: the table as the collocations stage writes
// it (docs/tables.md): node, a comparison's rows in pairs with side a/b and
// the log-Dice difference, per-group rows with comparison and side "", and
// a side's row of a pair it never has (observed 0, log_dice null). The
// comparison's own rows are drawn, not the per-group ones; the never-seen
// pairs are left out; Δ is shown from each side's point of view; the other
// measures are in the row's title.
func TestCollocationsStageTable(t *testing.T) {
	out := runSample(t)
	const cmp = "emotion_retention vs security_restriction"
	cols := []col{{"comparison", str64}, {"side", str64}, {"group", str64}, {"node", str64}, {"collocate", str64},
		{"observed", i64}, {"expected", f64}, {"node_freq", i64}, {"collocate_freq", i64}, {"words", i64},
		{"log_dice", f64}, {"mi", f64}, {"t_score", f64}, {"log_likelihood", f64}, {"log_dice_diff", f64}}
	addCollocations(t, out, cols, [][]any{
		// Per-group rows: not drawn, since the comparison has its own.
		{"", "", "emotion_retention", "talent", "grouponly", 5, 0.5, 10, 20, 1000, 13.0, 3.3, 2.0, 20.0, nil},
		{cmp, "a", "emotion_retention", "talent", "retain", 3, 0.4, 10, 12, 1000, 11.5, 2.9, 1.5, 10.0, 1.25},
		{cmp, "b", "security_restriction", "talent", "retain", 1, 0.2, 30, 40, 9000, 10.25, 2.3, 0.8, 2.0, 1.25},
		{cmp, "a", "emotion_retention", "talent", "belonging", 2, 0.1, 10, 3, 1000, 12.0, 4.3, 1.3, 11.0, nil},
		{cmp, "b", "security_restriction", "talent", "belonging", 0, 0.0, 30, 0, 9000, nil, nil, nil, 0.0, nil},
		{cmp, "a", "emotion_retention", "talent", "visa", 0, 0.3, 10, 0, 1000, nil, nil, nil, 0.0, nil},
		{cmp, "b", "security_restriction", "talent", "visa", 8, 0.9, 30, 50, 9000, 12.5, 3.1, 2.5, 30.0, nil},
	})
	sec, got := collocationsSection(t, render(t, out, report.Options{}))
	if !strings.Contains(sec, "<h4>talent</h4>") {
		t.Errorf("node talent missing: %s", sec)
	}
	if want := "belonging retain visa retain"; strings.Join(got, " ") != want {
		t.Errorf("collocates %q, want %q", strings.Join(got, " "), want)
	}
	if !strings.Contains(sec, ">Δ<") {
		t.Errorf("no Δ column with log_dice_diff: %s", sec)
	}
	// retain: +1.25 on side A's table, −1.25 on B's.
	for _, want := range []string{`<td>retain</td><td class="n">3</td><td class="n">11.50</td><td class="n">1.25</td>`,
		`<td>retain</td><td class="n">1</td><td class="n">10.25</td><td class="n">-1.25</td>`,
		`talent … retain: observed 3, expected 0.4, log-Dice 11.50, MI 2.90, t-score 1.50, log-likelihood 10.00`} {
		if !strings.Contains(sec, want) {
			t.Errorf("missing %s in %s", want, sec)
		}
	}
}

// TestWriteFileLedger: the report in the run's folder is claimed in the
// folder's ledger, and the next run into the folder removes it with the
// tables it described; a folder that is not a finished run is refused.
func TestWriteFileLedger(t *testing.T) {
	out := runSample(t)
	path, err := report.WriteFile(context.Background(), out, "", report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(out, report.FileName) {
		t.Errorf("written to %s", path)
	}
	ledger, err := os.ReadFile(filepath.Join(out, output.LedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ledger), `"report.html"`) {
		t.Errorf("the ledger does not claim the report: %s", ledger)
	}
	if _, err := pipeline.Run(context.Background(), pipeline.Config{Out: out, Seed: 1}, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the previous run's report outlived its tables: %v", err)
	}
	if _, err := report.WriteFile(context.Background(), t.TempDir(), "", report.Options{}); !errors.Is(err, report.ErrNotRun) {
		t.Errorf("an empty folder: %v, want ErrNotRun", err)
	}
	// A report.html of the user's, beside the tables, is never replaced.
	out2 := t.TempDir()
	if err := os.WriteFile(filepath.Join(out2, report.FileName), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Run(context.Background(), pipeline.Config{Out: out2, Seed: 1}, pipeline.Options{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := report.WriteFile(context.Background(), out2, "", report.Options{}); !errors.Is(err, output.ErrNotOwned) {
		t.Errorf("over the user's report.html: %v, want ErrNotOwned", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out2, report.FileName)); string(b) != "mine" {
		t.Errorf("the user's report.html was replaced")
	}
}

// TestManyGroups: 200 groups of two documents each (sentences of the
// sample, dealt out in turn): the page stays under the documented bound,
// draws the default 8 comparisons of the largest sides, lists every
// group and comparison (paginated) and names the others.
func TestManyGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("a 400-document run")
	}
	stream, err := corpus.OpenSample()
	if err != nil {
		t.Fatal(err)
	}
	var sents []string
	for {
		doc, err := stream.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range strings.SplitAfter(doc.Raw, ". ") {
			if len(s) > 40 {
				sents = append(sents, strings.TrimSpace(s))
			}
		}
	}
	stream.Close()
	dir := t.TempDir()
	var b strings.Builder
	const groups, perGroup, perDoc = 200, 2, 6
	k := 0
	for g := 0; g < groups; g++ {
		for d := 0; d < perGroup; d++ {
			var text []string
			for s := 0; s < perDoc; s++ {
				text = append(text, sents[k%len(sents)])
				k += 7
			}
			row, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("g%03d-%d", g, d), "group": fmt.Sprintf("g%03d", g), "text": strings.Join(text, " ")})
			b.Write(append(row, '\n'))
		}
	}
	in := filepath.Join(dir, "many.jsonl")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cfg := pipeline.Config{Corpus: in, Out: out, Seed: 1, SkipStages: []string{"tokens", "keyphrases", "entities"}}
	if _, err := pipeline.Run(context.Background(), cfg, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	page := render(t, out, report.Options{})
	t.Logf("200 groups: %d bytes", len(page))
	if len(page) > sizeBound {
		t.Errorf("report of 200 groups: %d bytes, over the documented bound %d", len(page), sizeBound)
	}
	if n := strings.Count(page, `data-section="comparison"`); n != 8 {
		t.Errorf("%d comparisons drawn, want the default 8", n)
	}
	if n := strings.Count(page, `<td class="n">2</td>`); n < groups {
		t.Errorf("%d rows of 2 documents, want every one of the %d groups listed", n, groups)
	}
	if !strings.Contains(page, "8 of 200 drawn") {
		t.Errorf("the page does not say how many comparisons it draws")
	}
}
