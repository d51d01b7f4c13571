package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/clean"
)

// TestMailHeaderWarningOn20Newsgroups: a run over 20 Newsgroups posts
// (50 of each of two groups) with the default cleaning warns of their
// header blocks on every document and once for the run, in the log,
// run.json and the summary; with --clean usenet it does neither.
func TestMailHeaderWarningOn20Newsgroups(t *testing.T) {
	if testing.Short() {
		t.Skip("a run over 100 posts")
	}
	dir := sharedtest.Subset(t, "bench/20newsgroups-train", []string{"sci.med", "talk.politics.guns"}, 50)
	run := func(presets ...string) (string, *Summary) {
		out := t.TempDir()
		cfg := Config{Corpus: dir, Out: out, Seed: 1, Workers: 2, SkipStages: []string{"entities", "keyphrases", "topics"}}
		cfg.Clean.Presets = presets
		sum, err := Run(context.Background(), cfg, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return out, sum
	}
	out, sum := run()
	warned := 0
	for _, d := range rows(t, out, "documents") {
		ws, _ := d["warnings"].([]any)
		for _, w := range ws {
			if w == clean.HeaderWarning {
				warned++
			}
		}
	}
	man := readManifest(t, out)
	var text strings.Builder
	if err := sum.Write(&text); err != nil {
		t.Fatal(err)
	}
	if warned != 100 || !strings.HasPrefix(man.MailHeaderWarning, "100 of 100 documents") || !strings.Contains(man.MailHeaderWarning, "--clean usenet") ||
		!strings.Contains(text.String(), man.MailHeaderWarning) {
		t.Errorf("default cleaning: %d of 100 documents warned; run.json mail_header_warning %q; summary:\n%s", warned, man.MailHeaderWarning, text.String())
	}
	out, _ = run(clean.PresetUsenet)
	if man := readManifest(t, out); man.MailHeaderWarning != "" {
		t.Errorf("--clean usenet: run.json mail_header_warning %q, want none", man.MailHeaderWarning)
	}
	for _, d := range rows(t, out, "documents") {
		if ws, _ := d["warnings"].([]any); slices.Contains(ws, any(clean.HeaderWarning)) {
			t.Errorf("--clean usenet: %v warned of a mail header", d["doc_id"])
		}
	}
}

// TestMailHeaderWarningThreshold: the run warns when a tenth of its
// documents start with a mail header, not when fewer do.
func TestMailHeaderWarningThreshold(t *testing.T) {
	for _, tc := range []struct {
		warned, docs int
		want         bool
	}{{0, 100, false}, {9, 100, false}, {10, 100, true}, {1, 1, true}, {1, 11, false}} {
		r := &reducer{eng: &engine{log: slog.New(slog.DiscardHandler)}}
		for i := range tc.docs {
			d := &docState{Seq: i}
			if i < tc.warned {
				d.Row.Warnings = []string{"other", clean.HeaderWarning}
			}
			r.states = append(r.states, d)
		}
		man, sum := &manifest{}, &Summary{Docs: tc.docs}
		r.warnMailHeaders(man, sum)
		want := []string(nil)
		if tc.want {
			want = []string{man.MailHeaderWarning}
		}
		prefix := fmt.Sprintf("%d of %d documents start with", tc.warned, tc.docs)
		if got := man.MailHeaderWarning != ""; got != tc.want || (got && !strings.HasPrefix(man.MailHeaderWarning, prefix)) || !slices.Equal(sum.Warnings, want) {
			t.Errorf("%d of %d documents: run.json %q, summary %q; want a warning %v", tc.warned, tc.docs, man.MailHeaderWarning, sum.Warnings, tc.want)
		}
	}
}
