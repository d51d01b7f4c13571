package pipeline

import (
	"encoding/json"
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

// The config run.json records is resolved (defaults filled in), written
// with the YAML keys, and reads back through LoadConfig to the same
// config, with the same hash as the config it came from.
func TestRecordedConfigRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"zero", Config{}},
		{"seeded, explicit", Config{Seed: 7, Workers: 3, Format: "both", Limit: 10, SkipStages: []string{"entities"},
			Topics:     topics.Config{Model: topics.ModelLDA, K: 4, Exclusivity: -1, Seed: 99},
			Keyphrases: keyphrases.Config{Method: keyphrases.MethodTextRank},
			Vectorize:  vectorize.Config{NGramMax: 2, MaxDF: 0.9},
			Bootstrap:  frames.Bootstrap{B: -1, ExactDocs: -1},
			Compare: CompareConfig{Comparisons: []ComparisonSpec{{Name: "x", A: []string{"a"}}},
				Keyness: compare.Config{Prior: compare.PriorPooled, Alpha0: 50}, MaxFeatures: -1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := tc.cfg.Resolved()
			if err != nil {
				t.Fatal(err)
			}
			// Configs compare by their encoding: nil and empty lists are
			// one setting.
			same := func(a, b Config) bool {
				ea, err1 := encodeConfig(a)
				eb, err2 := encodeConfig(b)
				return err1 == nil && err2 == nil && string(ea) == string(eb)
			}
			again, err := want.Resolved()
			if err != nil || !same(again, want) {
				t.Errorf("Resolved is not idempotent:\n%+v\n%+v", want, again)
			}
			rec, err := tc.cfg.record()
			if err != nil {
				t.Fatal(err)
			}
			var keys map[string]any
			if err := json.Unmarshal(rec, &keys); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"format", "block_docs", "topics", "bootstrap", "compare"} {
				if _, ok := keys[k]; !ok {
					t.Errorf("run.json config lacks %q: %s", k, rec)
				}
			}
			// The keys of docs/config.md, not Go field names (NoTags, K).
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case map[string]any:
					for k, e := range x {
						if k != strings.ToLower(k) {
							t.Errorf("key %q in the recorded config is not a YAML key", k)
						}
						walk(e)
					}
				case []any:
					for _, e := range x {
						walk(e)
					}
				}
			}
			walk(keys)
			// As run.json: the config under "config" of a manifest.
			path := filepath.Join(t.TempDir(), "run.json")
			man, _ := json.Marshal(map[string]any{"framelens_version": Version, "config": rec, "rows": map[string]int{}})
			if err := os.WriteFile(path, man, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := LoadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			if gr, _ := got.Resolved(); !same(gr, want) {
				t.Errorf("read back:\n%+v\nwant\n%+v", gr, want)
			}
			if got.Hash() != tc.cfg.Hash() {
				t.Errorf("hash %s read back, %s recorded", got.Hash(), tc.cfg.Hash())
			}
			// What depends on another setting stays automatic.
			if got.Topics.MaxIter != 0 || got.Topics.Alpha != 0 || got.Keyphrases.Window != 0 || got.Compare.Plan != "" {
				t.Errorf("a setting that follows another was fixed: %+v %+v", got.Topics, got.Keyphrases)
			}
		})
	}
	// Workers and out change no byte: not in the hash.
	if (Config{Workers: 1, Out: "a"}).Hash() != (Config{Workers: 8, Topics: topics.Config{Workers: 3}}).Hash() {
		t.Error("the hash depends on workers or out")
	}
	if (Config{Seed: 1}).Hash() == (Config{Seed: 2}).Hash() {
		t.Error("the hash ignores the seed")
	}
}
