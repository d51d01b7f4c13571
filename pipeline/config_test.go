package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

// A config mistake stops the run before the corpus is read (not even the
// first pass of repeated_lines) or anything written, with an error naming
// the setting and the value. Before, an unknown compare.plan, topics.model,
// keyness prior or bootstrap level failed (or panicked) only after every
// document was read, and a misspelt topic_unit ran as auto.
func TestConfigMistakesAreRefusedBeforeReading(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.jsonl") // cannot be opened
	for _, tc := range []struct {
		name string
		cfg  Config
		want []string
	}{
		{
			name: "plan",
			cfg:  Config{Compare: CompareConfig{Plan: "all-pairs"}},
			want: []string{`compare.plan: unknown plan "all-pairs"`, compare.PlanAllPairs},
		},
		{
			name: "plan, comparisons declared",
			cfg:  Config{Compare: CompareConfig{Plan: "pairs", Comparisons: []ComparisonSpec{{A: []string{"x"}}}}},
			want: []string{`compare.plan: unknown plan "pairs"`},
		},
		{
			name: "topic_unit",
			cfg:  Config{TopicUnit: "passages"},
			want: []string{`topic_unit: unknown unit "passages"`, UnitPassage},
		},
		{
			name: "empty side a",
			cfg: Config{Compare: CompareConfig{Comparisons: []ComparisonSpec{
				{A: []string{"x"}, B: []string{"y"}},
				{Name: "nothing vs y", B: []string{"y"}},
			}}},
			want: []string{`compare.comparisons[1] "nothing vs y": side a has no group`},
		},
		{
			name: "group twice on side a",
			cfg: Config{Compare: CompareConfig{Comparisons: []ComparisonSpec{
				{A: []string{"x", "y", "x"}},
			}}},
			want: []string{`compare.comparisons[0] "x+y+x vs rest": group "x" is twice on side a`},
		},
		{
			name: "group twice on side b",
			cfg: Config{Compare: CompareConfig{Comparisons: []ComparisonSpec{
				{A: []string{"x"}, B: []string{"y", "z", "y"}},
			}}},
			want: []string{`compare.comparisons[0] "x vs y+z+y": group "y" is twice on side b`},
		},
		{
			// With keyness skipped this ran, and frame_comparisons counted
			// the group's documents on both sides.
			name: "group on both sides, keyness skipped",
			cfg: Config{SkipStages: []string{"keyness"}, Compare: CompareConfig{Comparisons: []ComparisonSpec{
				{Name: "pair", A: []string{"emotion_retention"}, B: []string{"security_restriction"}},
				{Name: "retention vs all", A: []string{"emotion_retention"}, B: []string{"security_restriction", "emotion_retention"}},
			}}},
			want: []string{`compare.comparisons[1] "retention vs all": group "emotion_retention" is on both side a and side b`},
		},
		{
			name: "group on both sides, unnamed",
			cfg: Config{Compare: CompareConfig{Comparisons: []ComparisonSpec{
				{A: []string{"x", "y"}, B: []string{"y"}},
			}}},
			want: []string{`compare.comparisons[0] "x+y vs y": group "y" is on both side a and side b`},
		},
		{
			name: "two comparisons with one label",
			cfg: Config{Compare: CompareConfig{Comparisons: []ComparisonSpec{
				{Name: "retention", A: []string{"x"}},
				{Name: "retention", A: []string{"y"}},
			}}},
			want: []string{`compare.comparisons[1] "retention": the same label as compare.comparisons[0]`},
		},
		{
			name: "format",
			cfg:  Config{Format: "csv"},
			want: []string{`format: unknown output format "csv"`},
		},
		{
			name: "vectorize form",
			cfg:  Config{Vectorize: vectorize.Config{Form: "lemmas"}},
			want: []string{`vectorize: unknown form "lemmas"`, vectorize.FormLemma},
		},
		{
			name: "vectorize scheme",
			cfg:  Config{Vectorize: vectorize.Config{Scheme: "tfidf"}},
			want: []string{`vectorize: unknown scheme "tfidf"`, vectorize.SchemeBM25},
		},
		{
			name: "vectorize max_df",
			cfg:  Config{Vectorize: vectorize.Config{MaxDF: 90}},
			want: []string{"vectorize: max_df 90"},
		},
		{
			name: "keyphrases method",
			cfg:  Config{Keyphrases: keyphrases.Config{Method: "rake"}},
			want: []string{`keyphrases: unknown method "rake"`, keyphrases.MethodYAKE},
		},
		{
			name: "topics model, topics skipped",
			cfg:  Config{SkipStages: []string{"topics"}, Topics: topics.Config{Model: "ldaa"}},
			want: []string{`topics: unknown model "ldaa"`, topics.ModelLDA},
		},
		{
			name: "topics number",
			cfg:  Config{Topics: topics.Config{K: -5}},
			want: []string{"topics: -5 topics"},
		},
		{
			name: "bootstrap level in percent",
			cfg:  Config{Bootstrap: frames.Bootstrap{Level: 95}},
			want: []string{"bootstrap: level 95 is not a fraction in (0, 1)"},
		},
		{
			name: "bootstrap level negative",
			cfg:  Config{Bootstrap: frames.Bootstrap{Level: -0.9}},
			want: []string{"bootstrap: level -0.9"},
		},
		{
			name: "keyness prior",
			cfg:  Config{Compare: CompareConfig{Keyness: compare.Config{Prior: "uniform"}}},
			want: []string{`compare.keyness: unknown prior "uniform"`, compare.PriorPooled},
		},
		{
			name: "keyness prior reference without a reference",
			cfg:  Config{Compare: CompareConfig{Keyness: compare.Config{Prior: compare.PriorReference}}},
			want: []string{`compare.keyness: prior "reference" needs compare.reference`},
		},
		{
			name: "reference corpus without terms.parquet",
			cfg:  Config{Compare: CompareConfig{Reference: "/nonexistent/earlier-run"}},
			want: []string{"compare.reference", "/nonexistent/earlier-run/terms.parquet", "give the output directory of a framelens run"},
		},
		{
			name: "keyness alpha0",
			cfg:  Config{Compare: CompareConfig{Keyness: compare.Config{Alpha0: -10}}},
			want: []string{"compare.keyness: alpha0 -10 is negative"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			cfg := tc.cfg
			cfg.Corpus, cfg.RepeatedLines = missing, true
			cfg.Out, cfg.Workers = out, 2
			progress := 0
			_, err := Run(context.Background(), cfg, Options{OnProgress: func(Progress) { progress++ }})
			if err == nil {
				t.Fatal("the config was accepted")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if progress > 0 {
				t.Errorf("%d progress reports before failing, want none", progress)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

func TestParseComparison(t *testing.T) {
	for _, tc := range []struct {
		in   string
		a, b []string
		bad  bool
	}{
		{in: "Democratic:Republican", a: []string{"Democratic"}, b: []string{"Republican"}},
		{in: "Whig:rest", a: []string{"Whig"}},
		{in: "Whig", a: []string{"Whig"}},
		{in: "Democratic+Whig:Republican+Federalist", a: []string{"Democratic", "Whig"}, b: []string{"Republican", "Federalist"}},
		{in: ":Republican", bad: true},
		{in: "", bad: true},
	} {
		spec, err := ParseComparison(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: no error", tc.in)
			}
			continue
		}
		if err != nil || strings.Join(spec.A, ",") != strings.Join(tc.a, ",") || strings.Join(spec.B, ",") != strings.Join(tc.b, ",") {
			t.Errorf("%q: %+v, %v; want A %v, B %v", tc.in, spec, err, tc.a, tc.b)
		}
	}
}
