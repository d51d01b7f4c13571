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

// addCollocations writes a collocations table into the run in out, as the
// collocations stage will (one row per group, pivot and collocate), and
// lists it in run.json.
func addCollocations(t *testing.T, out string, rows [][]any) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "group", Type: arrow.BinaryTypes.String},
		{Name: "pivot", Type: arrow.BinaryTypes.String},
		{Name: "collocate", Type: arrow.BinaryTypes.String},
		{Name: "observed", Type: arrow.PrimitiveTypes.Int64},
		{Name: "log_dice", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, r := range rows {
		for i := 0; i < 3; i++ {
			b.Field(i).(*array.StringBuilder).Append(r[i].(string))
		}
		b.Field(3).(*array.Int64Builder).Append(int64(r[3].(int)))
		b.Field(4).(*array.Float64Builder).Append(r[4].(float64))
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

// TestCollocationsSection: the section is there exactly when the run has
// a collocations table, with each side's collocates of a pivot under that
// side, best log-Dice first.
func TestCollocationsSection(t *testing.T) {
	out := runSample(t)
	page := render(t, out, report.Options{})
	if strings.Contains(page, `data-section="collocations"`) {
		t.Fatal("a collocations section without a collocations table")
	}
	for _, s := range []string{"keyness", "frames", "topics", "evidence", "actors"} {
		if !strings.Contains(page, `data-section="`+s+`"`) {
			t.Errorf("no %s section", s)
		}
	}
	addCollocations(t, out, [][]any{
		{"emotion_retention", "talent", "retain", 3, 11.2},
		{"emotion_retention", "talent", "belonging", 2, 12.5},
		{"security_restriction", "talent", "recruitment", 9, 10.1},
		{"security_restriction", "talent", "plans", 7, 12.9},
		{"other_group", "talent", "nothing", 7, 13.9},
	})
	page = render(t, out, report.Options{})
	i := strings.Index(page, `data-section="collocations"`)
	if i < 0 {
		t.Fatal("no collocations section with a collocations table")
	}
	sec := page[i:]
	sec = sec[:strings.Index(sec, `data-section="evidence"`)]
	if !strings.Contains(sec, "<h4>talent</h4>") {
		t.Errorf("pivot talent missing: %s", sec)
	}
	// Side A's table first (belonging above retain: higher log-Dice), then
	// side B's; a group on neither side is left out.
	cells := regexp.MustCompile(`<tr><td>([^<]+)</td>`).FindAllStringSubmatch(sec, -1)
	var got []string
	for _, c := range cells {
		got = append(got, c[1])
	}
	if want := "belonging retain plans recruitment"; strings.Join(got, " ") != want {
		t.Errorf("collocates %q, want %q", strings.Join(got, " "), want)
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
