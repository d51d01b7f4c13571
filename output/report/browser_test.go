package report_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/output/report"
	"github.com/framelens/framelens/pipeline"
)

// chromium returns the path of a headless-capable Chromium, skipping the
// test when there is none, or failing it in CI (CI=true), which installs
// Debian's chromium (.ci/run).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no chromium on PATH: the browser test of the report needs Debian's chromium (apt-get install chromium)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + ", and CI must run it")
	}
	t.Skip(msg)
	return ""
}

// artefactDir is out/ at the module root, where CI keeps the screenshots.
func artefactDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test's folder")
		}
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// saveArtefact writes a screenshot into out/ as framelens writes there:
// claimed in the folder's ledger, so that a later `framelens run --out out`
// (make run) takes the folder for its own and leaves the file alone.
func saveArtefact(t *testing.T, path string, b []byte) {
	t.Helper()
	d, err := output.OpenOutDir(filepath.Dir(path), output.DirOptions{Overwrite: true, Command: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Claim(filepath.Base(path)); err != nil {
		t.Fatal(err)
	}
	if err := output.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// sotuSince writes a JSONL manifest of the State of the Union addresses
// from year on, grouped by party, and returns its path and the texts'
// folder (reader.root: the manifest names files outside its own folder).
func sotuSince(t *testing.T, year int) (string, string) {
	dir := sharedtest.Path(t, "bench/sotu")
	meta, err := os.Open(filepath.Join(dir, "meta.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer meta.Close()
	man := filepath.Join(t.TempDir(), "sotu.jsonl")
	var b strings.Builder
	sc := bufio.NewScanner(meta)
	for sc.Scan() {
		var r struct {
			ID    string `json:"id"`
			Year  int    `json:"year"`
			Party string `json:"party"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if r.Year < year {
			continue
		}
		row, _ := json.Marshal(map[string]any{"id": r.ID, "party": r.Party, "year": r.Year,
			"path": filepath.Join(dir, "txt", r.ID+".txt")})
		b.Write(append(row, '\n'))
	}
	if err := os.WriteFile(man, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return man, filepath.Join(dir, "txt")
}

// TestReportInBrowser renders the reports of the sample and of the State
// of the Union addresses since 1981 by party in headless Chromium and
// checks what a reader depends on: no console error, no request but the
// file itself, every section, plots with marks in them, a working term
// search. It keeps a full-page screenshot of each under out/.
func TestReportInBrowser(t *testing.T) {
	exe := chromium(t)
	shots := artefactDir(t)
	cases := []struct {
		name string
		cfg  func(t *testing.T) pipeline.Config
		// comparisons drawn
		want int
	}{
		{"sample", func(t *testing.T) pipeline.Config { return pipeline.Config{} }, 1},
		{"sotu", func(t *testing.T) pipeline.Config {
			man, root := sotuSince(t, 1981)
			cfg := pipeline.Config{Corpus: man, SkipStages: []string{"tokens"}}
			cfg.Reader.GroupColumn = "party"
			cfg.Reader.Root = root
			return cfg
		}, 1},
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))...)
	defer cancelAlloc()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg(t)
			cfg.Out = t.TempDir()
			cfg.Seed = 1
			start := time.Now()
			if _, err := pipeline.Run(context.Background(), cfg, pipeline.Options{}); err != nil {
				t.Fatal(err)
			}
			t.Logf("run: %.1fs", time.Since(start).Seconds())
			start = time.Now()
			path, err := report.WriteFile(context.Background(), cfg.Out, "", report.Options{})
			if err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("report: %d bytes in %.2fs", st.Size(), time.Since(start).Seconds())
			checkPage(t, allocCtx, path, filepath.Join(shots, "report-"+tc.name+".png"), tc.want, hasTable(t, cfg.Out, "collocations"))
		})
	}
}

// pageState is what the page reports about itself once loaded.
type pageState struct {
	Sections map[string]int `json:"sections"`
	Plots    []struct {
		ID     string  `json:"id"`
		Class  string  `json:"cls"`
		Marks  int     `json:"marks"`
		Width  float64 `json:"w"`
		Height float64 `json:"h"`
	} `json:"plots"`
	Highlights int `json:"highlights"`
	Collocates int `json:"collocates"`
}

// hasTable says whether the run in out lists table in run.json.
func hasTable(t *testing.T, out, table string) bool {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Tables map[string]json.RawMessage `json:"tables"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	_, ok := m.Tables[table]
	return ok
}

// checkPage checks the page at path, which draws comparisons comparisons,
// with a collocations section in each when collocations is true.
func checkPage(t *testing.T, allocCtx context.Context, path, shot string, comparisons int, collocations bool) {
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	url := "file://" + path
	var mu sync.Mutex
	var requests []string
	// Subscribe before navigating, so that nothing the page does is missed.
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request.URL != url {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	messages := chromedp.Console(ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](`(() => {
		const s = {};
		document.querySelectorAll("[data-section]").forEach(e => s[e.dataset.section] = (s[e.dataset.section] || 0) + 1);
		const plots = [...document.querySelectorAll("svg.plot")].map(p => {
			const b = p.getBoundingClientRect();
			return {id: p.id, cls: p.getAttribute("class"), marks: p.querySelectorAll("circle, line.ci").length, w: b.width, h: b.height};
		});
		return {sections: s, plots: plots, highlights: document.querySelectorAll("blockquote mark").length,
			collocates: document.querySelectorAll("table.colloc tbody tr").length};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	saveArtefact(t, shot, png)
	// The term search: the first labelled term of the first scatter is
	// found, and listed with its counts.
	found, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("svg.scatter .labels text").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("input.termsearch"), found)); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelector("table.found tbody").rows].map(r => r.cells[0].textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	// A marker message ends the console stream: every message before it
	// was the page's.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`console.log("framelens-test-end")`)); err != nil {
		t.Fatal(err)
	}
	for m, err := range messages {
		if err != nil {
			t.Fatal(err)
		}
		if m.Text == "framelens-test-end" {
			break
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			t.Errorf("console: %s (%s:%d)", m, m.URL, m.Line)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, r := range requests {
		t.Errorf("the page requested %s: the report must work offline", r)
	}
	for _, s := range []string{"corpus", "warnings"} {
		if state.Sections[s] != 1 {
			t.Errorf("section %s: %d on the page, want 1", s, state.Sections[s])
		}
	}
	for _, s := range []string{"comparison", "keyness", "frames", "topics", "evidence", "actors"} {
		if state.Sections[s] != comparisons {
			t.Errorf("section %s: %d on the page, want one per comparison drawn (%d)", s, state.Sections[s], comparisons)
		}
	}
	switch {
	case !collocations && state.Sections["collocations"] != 0:
		t.Errorf("a collocations section without a collocations table")
	case collocations && state.Sections["collocations"] != comparisons:
		t.Errorf("section collocations: %d on the page, want one per comparison drawn (%d)", state.Sections["collocations"], comparisons)
	case collocations && state.Collocates == 0:
		t.Errorf("a collocations table, and no collocate on the page")
	}
	if len(state.Plots) != 3*comparisons {
		t.Errorf("%d plots, want 3 per comparison (%d)", len(state.Plots), comparisons)
	}
	for _, p := range state.Plots {
		if p.Marks == 0 || p.Width < 200 || p.Height < 100 {
			t.Errorf("plot %s (%s) is empty or tiny: %d marks, %.0f×%.0f px", p.ID, p.Class, p.Marks, p.Width, p.Height)
		}
	}
	if state.Highlights == 0 {
		t.Errorf("no highlighted match in the evidence sentences")
	}
	if !containsStr(rows, found) {
		t.Errorf("searching the scatter for %q listed %q", found, rows)
	}
	t.Logf("%s: sections %v, %d plots, %d highlights, %d collocate rows; screenshot %s (%d bytes)", filepath.Base(path), state.Sections, len(state.Plots), state.Highlights, state.Collocates, shot, len(png))
}

func containsStr(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
