package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/vectorize"
)

// withAnalysis sets an analysis's config section from YAML.
func withAnalysis(t *testing.T, cfg *Config, name, section string) {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(section), &n); err != nil {
		t.Fatal(err)
	}
	if cfg.Analyses == nil {
		cfg.Analyses = AnalysisSettings{}
	}
	cfg.Analyses[name] = *n.Content[0]
}

// recountCollocations recounts, by brute force from the tokens table, the
// windows of the node word around every collocate: for each word, the node's
// occurrences within window counted words of it. It checks every
// per-group row of the collocations table (observed, node_freq,
// collocate_freq, words) and its measures from its own columns, that
// a comparison's side made of one group has that group's counts, and that
// the node is never its own collocate, though it recurs within a window
// (an error when it never does: nothing would be checked). It returns the
// per-group rows of the node.
func recountCollocations(t *testing.T, out string, cfg Config, node string, window int) []map[string]any {
	t.Helper()
	group := map[string]string{}
	for _, r := range rows(t, out, "documents") {
		group[r["doc_id"].(string)] = r["group"].(string)
	}
	toks := map[string][]corpus.Token{}
	var order []string
	for _, r := range rows(t, out, "tokens") {
		d := r["doc_id"].(string)
		if toks[d] == nil {
			order = append(order, d)
		}
		toks[d] = append(toks[d], corpus.Token{Text: r["text"].(string), Lower: r["lower"].(string), Lemma: r["lemma"].(string),
			Stem: r["stem"].(string), Sentence: int(r["sentence_id"].(int64)), IsStop: r["is_stop"].(bool), IsPunct: r["is_punct"].(bool)})
	}
	vec, err := vectorize.New(cfg.withDefaults().Vectorize)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ group, word string }
	observed, freq := map[key]int64{}, map[key]int64{}
	words := map[string]int64{}
	recurs := 0 // the node within window words of another occurrence
	for _, d := range order {
		forms := vec.Forms(&corpus.Document{Tokens: toks[d]})
		g := group[d]
		words[g] += int64(len(forms))
		var at []int
		for i, f := range forms {
			freq[key{g, f}]++
			if f == node {
				at = append(at, i)
			}
		}
		for j, f := range forms {
			for _, i := range at {
				if i != j && abs(i-j) <= window {
					if f == node {
						recurs++ // not its own collocate
						continue
					}
					observed[key{g, f}]++
				}
			}
		}
	}
	if recurs == 0 {
		t.Errorf("%q never recurs within %d words of itself: the test cannot see it listed as its own collocate", node, window)
	}
	var got []map[string]any
	byGroup := map[key]map[string]any{}
	for _, r := range rows(t, out, "collocations") {
		if r["node"] != node {
			continue
		}
		g, c := r["group"].(string), r["collocate"].(string)
		if c == node {
			t.Errorf("comparison %q side %q group %s: %q is listed as its own collocate", r["comparison"], r["side"], g, node)
		}
		if r["comparison"] != "" {
			if o := byGroup[key{g, c}]; o != nil && o["observed"] != r["observed"] {
				t.Errorf("comparison %s side %s (%s) %s: observed %v, the group's row says %v", r["comparison"], r["side"], g, c, r["observed"], o["observed"])
			}
			continue
		}
		got = append(got, r)
		byGroup[key{g, c}] = r
		k := key{g, c}
		if r["observed"].(int64) != observed[k] || r["node_freq"].(int64) != freq[key{g, node}] ||
			r["collocate_freq"].(int64) != freq[k] || r["words"].(int64) != words[g] {
			t.Errorf("%s/%s: table observed %v node_freq %v collocate_freq %v words %v; recount %d %d %d %d",
				g, c, r["observed"], r["node_freq"], r["collocate_freq"], r["words"], observed[k], freq[key{g, node}], freq[k], words[g])
		}
		o, fp, fc, n := float64(observed[k]), float64(freq[key{g, node}]), float64(freq[k]), float64(words[g])
		e := fp * float64(2*window) * fc / n
		for col, want := range map[string]float64{"expected": e, "log_dice": 14 + math.Log2(2*o/(fp+fc)), "mi": math.Log2(o / e), "t_score": (o - e) / math.Sqrt(o)} {
			if v, ok := r[col].(float64); !ok || math.Abs(v-want) > 1e-9 {
				t.Errorf("%s/%s: %s = %v, want %v", g, c, col, r[col], want)
			}
		}
	}
	return got
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestCollocationsOfTalentInTheSample recounts the collocates of "talent"
// in the two papers from the tokens table.
func TestCollocationsOfTalentInTheSample(t *testing.T) {
	out := t.TempDir()
	cfg := Config{Out: out, Seed: 1, Workers: 2}
	withAnalysis(t, &cfg, "collocations", "nodes: [talent]\nwindow: 4\nmin_count: 1\ntop_collocates: 100000\n")
	if _, err := Run(context.Background(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	got := recountCollocations(t, out, cfg, "talent", 4)
	groups := map[string]int{}
	top := map[string]string{}
	for _, r := range got {
		g := r["group"].(string)
		if groups[g] == 0 {
			top[g] = r["collocate"].(string)
		}
		groups[g]++
	}
	if len(groups) != 2 {
		t.Fatalf("rows for groups %v, want both papers' groups", groups)
	}
	t.Logf("collocates of talent: %v rows by group; strongest by log-Dice %v", groups, top)
}

// TestCollocationsOfWarInSOTUByParty recounts the collocates of "war" in
// the State of the Union addresses since 1933, Democratic vs Republican.
func TestCollocationsOfWarInSOTUByParty(t *testing.T) {
	if testing.Short() {
		t.Skip("a run over 4 MB of speeches")
	}
	dir := sharedtest.Path(t, "bench/sotu")
	f, err := os.Open(filepath.Join(dir, "meta.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var man strings.Builder
	enc := json.NewEncoder(&man)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m struct {
			ID    string `json:"id"`
			Year  int    `json:"year"`
			Party string `json:"party"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		if m.Year >= 1933 && (m.Party == "Democratic" || m.Party == "Republican") {
			_ = enc.Encode(map[string]string{"id": m.ID, "path": filepath.Join(dir, "txt", m.ID+".txt"), "group": m.Party})
		}
	}
	manifest := filepath.Join(t.TempDir(), "sotu.jsonl")
	if err := os.WriteFile(manifest, []byte(man.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg := Config{Corpus: manifest, Out: out, Seed: 1, Workers: 2, SkipStages: []string{"entities", "keyphrases", "topics"}}
	cfg.Reader.AllowOutsidePaths = true
	withAnalysis(t, &cfg, "collocations", "nodes: [war]\nmin_count: 1\ntop_collocates: 100000\n")
	if _, err := Run(context.Background(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	got := recountCollocations(t, out, cfg, "war", 5)
	if len(got) < 100 {
		t.Fatalf("%d collocates of war, want hundreds", len(got))
	}
	// A reading a historian would expect: "world" is among the strongest
	// collocates of war for both parties (world war, cold war).
	for _, party := range []string{"Democratic", "Republican"} {
		rank := 0
		for _, r := range got {
			if r["group"] == party {
				rank++
				if r["collocate"] == "world" {
					break
				}
			}
		}
		if rank == 0 || rank > 20 {
			t.Errorf("%s: world is collocate %d of war by log-Dice, want in the top 20", party, rank)
		}
	}
}
