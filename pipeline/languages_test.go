package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestMixedLanguageFolder runs a folder of Chinese (Simplified and
// Traditional), English and German texts written for this test
// (testdata/languages): each document's language is detected; the Chinese
// ones get Chinese words, key phrases and topic terms; the English-only
// stages leave the Chinese and German ones alone and say so.
func TestMixedLanguageFolder(t *testing.T) {
	out := t.TempDir()
	sum, err := Run(context.Background(), Config{Corpus: "testdata/languages", Out: out, Workers: 2, Seed: 1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]map[string]any{}
	for _, d := range rows(t, out, "documents") {
		docs[d["doc_id"].(string)] = d
	}
	want := map[string]string{"zh_talent": "zh", "zh_visa": "zh", "en_visas": "en", "en_funding": "en", "de_fachkraefte": "de"}
	for id, lang := range want {
		d := docs[id]
		if d == nil {
			t.Fatalf("no document %s", id)
		}
		if d["lang"] != lang || d["lang_source"] != "detected" || d["lang_confidence"].(float64) <= 0.5 {
			t.Errorf("%s: lang %v (%v, %v), want %s detected", id, d["lang"], d["lang_source"], d["lang_confidence"], lang)
		}
		var warned bool
		for _, w := range d["warnings"].([]any) {
			warned = warned || strings.Contains(w.(string), "is not English") && strings.Contains(w.(string), "no named entities")
		}
		if warned != (lang != "en") {
			t.Errorf("%s: language warning %v, want %v: %v", id, warned, lang != "en", d["warnings"])
		}
	}

	// English-only stages: entities only in English documents; POS tags in
	// English and Chinese (mapped from gse's), none in German.
	ents := map[string]int{}
	for _, e := range rows(t, out, "entities") {
		ents[e["doc_id"].(string)]++
	}
	if ents["zh_talent"]+ents["zh_visa"]+ents["de_fachkraefte"] != 0 || ents["en_visas"] == 0 {
		t.Errorf("entities per document %v: want some in en_visas and none in zh_*, de_*", ents)
	}
	words := map[string][]string{}
	tags := map[string]map[string]string{}
	for _, tk := range rows(t, out, "tokens") {
		id := tk["doc_id"].(string)
		words[id] = append(words[id], tk["text"].(string))
		if tags[id] == nil {
			tags[id] = map[string]string{}
		}
		tags[id][tk["text"].(string)], _ = tk["pos"].(string)
	}
	for id, ws := range map[string][]string{
		"zh_talent": {"人才", "引进", "政策", "科研经费", "评价", "体系", "住房补贴"},
		"zh_visa":   {"簽證", "出口", "管制", "研究", "人員", "國家", "安全"},
	} {
		for _, w := range ws {
			if !slices.Contains(words[id], w) {
				t.Errorf("%s: no token %q; tokens %v", id, w, words[id][:min(40, len(words[id]))])
			}
		}
	}
	if tags["zh_talent"]["人才"] != "NN" || tags["zh_talent"]["引进"] != "VB" || tags["de_fachkraefte"]["Gesetz"] != "" {
		t.Errorf("tags: 人才 %q, 引进 %q (want NN, VB); German Gesetz %q (want none)", tags["zh_talent"]["人才"], tags["zh_talent"]["引进"], tags["de_fachkraefte"]["Gesetz"])
	}

	// Key phrases of the Chinese texts are Chinese noun phrases.
	kp := map[string][]string{}
	for _, k := range rows(t, out, "keyphrases") {
		kp[k["doc_id"].(string)] = append(kp[k["doc_id"].(string)], k["phrase"].(string))
	}
	for id, ps := range map[string][]string{"zh_talent": {"人才政策", "评价体系"}, "zh_visa": {"出口管制", "國家安全"}} {
		for _, p := range ps {
			if !slices.Contains(kp[id], p) {
				t.Errorf("%s: key phrase %q missing from %v", id, p, kp[id])
			}
		}
	}
	// tf-idf: 人才 is zh_talent's top term; German stop words are not terms.
	type tw struct {
		term string
		w    float64
	}
	top := map[string][]tw{}
	for _, r := range rows(t, out, "tfidf") {
		id := r["doc_id"].(string)
		top[id] = append(top[id], tw{r["term"].(string), r["weight"].(float64)})
	}
	for id := range top {
		sort.Slice(top[id], func(i, j int) bool { return top[id][i].w > top[id][j].w })
	}
	if top["zh_talent"][0].term != "人才" {
		t.Errorf("zh_talent's top tf-idf term %q, want 人才: %v", top["zh_talent"][0].term, top["zh_talent"][:5])
	}
	for _, x := range top["de_fachkraefte"] {
		if x.term == "die" || x.term == "und" || x.term == "der" || x.term == "von" {
			t.Errorf("German stop word %q is a term", x.term)
		}
	}
	// Topics: a Chinese term leads some topic.
	terms := map[int64]string{}
	for _, r := range rows(t, out, "terms") {
		terms[r["term_id"].(int64)] = r["term"].(string)
	}
	zhTopic := false
	for _, r := range rows(t, out, "topics") {
		if r["rank"].(int64) <= 3 && strings.ContainsAny(terms[r["term_id"].(int64)], "人才科研簽證國家") {
			zhTopic = true
		}
	}
	if !zhTopic {
		t.Error("no topic has a Chinese term among its top 3")
	}

	var b bytes.Buffer
	sum.Write(&b)
	if !strings.Contains(b.String(), "zh (Chinese)") || !strings.Contains(b.String(), "3 documents are not") {
		t.Errorf("summary does not list the languages:\n%s", b.String())
	}
}

// TestChineseFrames scores frames from a lexicon with Chinese entries
// (testdata/lexicon_zh.yaml): the Chinese documents get hits on their own
// words, each hit's text in the evidence sentence.
func TestChineseFrames(t *testing.T) {
	out := t.TempDir()
	cfg := Config{Corpus: "testdata/languages", Out: out, Workers: 2, Seed: 1, SkipStages: []string{"topics", "keyphrases"}}
	cfg.Frames.LexiconPath = "testdata/lexicon_zh.yaml"
	if _, err := Run(context.Background(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	hits := map[[2]string]int64{}
	for _, r := range rows(t, out, "frames") {
		hits[[2]string{r["doc_id"].(string), r["frame"].(string)}] = r["hits"].(int64)
	}
	for _, k := range [][2]string{{"zh_talent", "capacity_resources"}, {"zh_visa", "security_restriction"}, {"en_visas", "security_restriction"}} {
		if hits[k] < 2 {
			t.Errorf("%s %s: %v hits, want several (all: %v)", k[0], k[1], hits[k], hits)
		}
	}
}

// TestLanguageGroupsAreMarked: groups in different languages are marked
// in the summary and run.json; groups sharing a language are not.
func TestLanguageGroupsAreMarked(t *testing.T) {
	s := &Summary{}
	s.addLang("us", "en")
	s.addLang("cn", "zh")
	s.addLang("cn", "zh")
	if got := s.mixedGroups(); got != "cn: zh 100%; us: en 100%" {
		t.Errorf("mixedGroups = %q", got)
	}
	var b strings.Builder
	s.writeLanguages(&b)
	if !strings.Contains(b.String(), "Groups differ in language (cn: zh 100%; us: en 100%)") {
		t.Errorf("summary:\n%s", b.String())
	}
	same := &Summary{}
	same.addLang("a", "en")
	same.addLang("b", "")
	same.addLang("b", "en")
	if got := same.mixedGroups(); got != "" {
		t.Errorf("English and unidentified groups marked as mixed: %q", got)
	}
}

// TestComparisonAcrossLanguagesIsMarked: a comparison of a Chinese group
// with an English one says so in comparisons.warnings and the summary; the
// comparison of the English groups with each other does not.
func TestComparisonAcrossLanguagesIsMarked(t *testing.T) {
	var b strings.Builder
	for _, d := range []struct{ id, group string }{
		{"zh_talent", "cn"}, {"zh_visa", "cn"}, {"en_visas", "us"}, {"en_funding", "uk"},
	} {
		text, err := os.ReadFile(filepath.Join("testdata/languages", d.id+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		line, _ := json.Marshal(map[string]string{"id": d.id, "group": d.group, "text": string(text)})
		b.Write(append(line, '\n'))
	}
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg := Config{Corpus: in, Out: out, Workers: 2, Seed: 1}
	cfg.Compare.Comparisons = []ComparisonSpec{{Name: "cn-us", A: []string{"cn"}, B: []string{"us"}}, {Name: "uk-us", A: []string{"uk"}, B: []string{"us"}}}
	sum, err := Run(context.Background(), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string]bool{}
	for _, r := range rows(t, out, "comparisons") {
		for _, w := range r["warnings"].([]any) {
			if strings.Contains(w.(string), "the sides differ in language (A: zh 2; B: en 1 documents)") {
				marked[r["comparison"].(string)] = true
			}
		}
	}
	if !marked["cn-us"] || marked["uk-us"] {
		t.Errorf("comparisons marked as across languages: %v, want cn-us only", marked)
	}
	var inSummary bool
	for _, w := range sum.ComparisonWarnings {
		inSummary = inSummary || strings.HasPrefix(w, "cn-us: the sides differ in language")
	}
	if !inSummary {
		t.Errorf("summary's comparison warnings %q lack cn-us's language warning", sum.ComparisonWarnings)
	}
}
