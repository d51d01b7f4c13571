package pipeline

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// Documents without a term in the vocabulary — no words (whitespace,
// punctuation, a reference list) or only numbers and stop words — get a
// placeholder 1/K on every topic in doc_topics. They are left out of
// topic_prevalence (means and docs_a/docs_b), comparisons.jsd_topics and
// the topic features of keyness: counted, they pulled every side's mean
// towards the uniform distribution (and a side of such documents only had
// a "prevalence" of 1/K everywhere).
func TestDocumentsWithoutTermsAreLeftOutOfTopicComparisons(t *testing.T) {
	docs := []edgeDoc{
		{id: "x1", group: "x", text: secText},
		{id: "x2", group: "x", text: "Export controls and decoupling limit scientific exchange with Beijing; visa delays follow security reviews."},
		{id: "x3", group: "x", text: "Sanctions on universities tightened research security and visa screening for scholars."},
		{id: "y1", group: "y", text: belText},
		{id: "y2", group: "y", text: "Family, belonging and identity bring scientists home; living conditions and community matter more than salary."},
		{id: "y3", group: "y", text: "   \n  "},
		{id: "y4", group: "y", text: "!!! ??? ..."},
		{id: "y5", group: "y", text: "References\n\n[1] Smith, J. (2019). Visa policy and research security. Journal of Migration, 3(2), 1-10.\n"},
		{id: "z1", group: "z", text: "1 2 3 4 5 6 7 8 9 10 2019 2020 3.14 1,000,000 42"},
		{id: "z2", group: "z", text: "--- *** ---"},
	}
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	writeJSONL(t, in, docs)
	for _, unit := range []string{UnitPassage, UnitDocument} {
		t.Run(unit, func(t *testing.T) {
			out := t.TempDir()
			if _, err := Run(context.Background(), Config{Corpus: in, Out: out, Workers: 2, Seed: 5, TopicUnit: unit}, Options{}); err != nil {
				t.Fatal(err)
			}
			hasTerms := map[string]bool{}
			for _, r := range rows(t, out, "tfidf") {
				hasTerms[r["doc_id"].(string)] = true
			}
			if !hasTerms["x1"] || !hasTerms["y1"] || hasTerms["y3"] || hasTerms["z1"] {
				t.Fatalf("documents with terms: %v", hasTerms)
			}
			// Mean weight per group and topic over the documents with terms.
			type gt struct {
				group string
				topic int64
			}
			sum, n := map[gt]float64{}, map[string]map[string]bool{}
			for _, r := range rows(t, out, "doc_topics") {
				id, g := r["doc_id"].(string), r["group"].(string)
				if !hasTerms[id] {
					continue
				}
				sum[gt{g, r["topic"].(int64)}] += r["weight"].(float64)
				if n[g] == nil {
					n[g] = map[string]bool{}
				}
				n[g][id] = true
			}
			prev := rows(t, out, "topic_prevalence")
			if len(prev) == 0 {
				t.Fatal("topic_prevalence is empty")
			}
			for _, r := range prev {
				ga, gb := r["group_a"].(string), r["group_b"].(string)
				if ga == "z" || gb == "z" {
					t.Errorf("topic_prevalence compares group z, whose documents have no term: %v", r)
					continue
				}
				topic := r["topic"].(int64)
				// Side B is "rest": the other groups with terms (z has none).
				for _, side := range []struct {
					groups     []string
					docs, mean string
				}{{[]string{ga}, "docs_a", "mean_a"}, {[]string{"x", "y"}, "docs_b", "mean_b"}} {
					var s float64
					var k int
					for _, g := range side.groups {
						if g == ga && side.docs == "docs_b" {
							continue
						}
						s += sum[gt{g, topic}]
						k += len(n[g])
					}
					if got := r[side.docs].(int64); got != int64(k) {
						t.Errorf("%s %s = %d, want %d documents with terms", r["comparison"], side.docs, got, k)
					}
					if got := r[side.mean].(float64); math.Abs(got-s/float64(k)) > 1e-9 {
						t.Errorf("%s topic %d %s = %v, want %v (the mean over documents with terms)", r["comparison"], topic, side.mean, got, s/float64(k))
					}
				}
			}
			for _, r := range rows(t, out, "comparisons") {
				if r["group_a"] == "z" && r["jsd_topics"] != nil {
					t.Errorf("%s: jsd_topics = %v for a side without a document with terms, want null", r["comparison"], r["jsd_topics"])
				}
				if r["group_a"] != "z" && r["jsd_topics"] == nil {
					t.Errorf("%s: jsd_topics is null", r["comparison"])
				}
			}
			for _, r := range rows(t, out, "keyness") {
				if r["feature_kind"] == "topic" && r["group_a"] == "z" && r["count_a"].(int64) != 0 {
					t.Errorf("keyness: group z, without a term, has %d words of topic %s", r["count_a"], r["feature"])
				}
			}
		})
	}
}

// Over passages, a document's topic weights are the word-weighted mean of
// those of its passages with a counted term. A passage of words without a
// term (numbers, stop words: here a table of figures after the text) has a
// placeholder 1/K from the model; averaged in, it pulled the document
// towards the uniform distribution, so that a text with a table of figures
// and the same text without it had different topics. A document whose
// passages all lack a term is a document without a term: the placeholder
// 1/K, the no-terms warning, no place in topic_prevalence.
func TestPassagesWithoutTermsDoNotDiluteTheirDocument(t *testing.T) {
	// Five sentences of about 90 words: one passage (the first four hold
	// fewer than passageWords).
	security := "Visa reviews tightened research security for visiting scholars, and universities screened every laboratory partnership with foreign institutes this year. " +
		"Export controls restricted sensitive technology transfer, so physicists waited months for clearance before joining international projects abroad again. " +
		"Sanctions against named institutes froze joint grants, and compliance offices audited older collaborations for undisclosed funding from overseas sources. " +
		"Security officials warned that espionage risks justified the screening, while critics said suspicion damaged open science and recruitment badly. " +
		"Several departments paused hiring of foreign postdoctoral researchers until new vetting rules were published by the ministry."
	belonging := "Family ties and cultural belonging drew many returning scientists home, where community life mattered more than salary or titles. " +
		"Returnees described identity, language and friendship as reasons to stay, and several spoke of parents needing care nearby. " +
		"Housing support, schooling for children and a familiar cuisine made the decision easier for young couples with families. " +
		"Survey answers show belonging and emotional attachment outweighed career incentives, especially for scientists who had studied abroad early. " +
		"Many said homesickness and loneliness abroad grew stronger each year, while old friends and festivals kept calling them back."
	funding := "Provincial talent programmes offered generous start-up funding, laboratory space and research assistants to attract ambitious young investigators. " +
		"Recruitment offices advertised competitive salaries, tax relief and fast promotion tracks for candidates holding prestigious foreign doctorates. " +
		"Universities competed for grant money by hiring productive researchers whose publication records raised institutional rankings considerably. " +
		"Critics noted that contracts tied bonuses to paper counts, which rewarded quantity over careful science and long projects. " +
		"Budget officers expected every recruited professor to win national grants within three years or repay part of the package."
	// A paragraph of 65 words, numbers and stop words only: after a text,
	// a passage of its own (more than passageWords/2 words) without a term.
	figures := "\n\nIn 2019 there were 12 of 45, in 2020 there were 17 of 88, and in 2021 there were 91 of 120, up from 4 of 6 in 2018 and 33 of 64 in 2017. " +
		"Of these, 9 of 15 were in 2019, 27 of 52 in 2020 and 11 of 40 in 2021, against 2 of 13 in 2016 and 5 of 81 before."
	docs := []edgeDoc{
		{id: "sec_table", group: "x", text: security + figures},
		{id: "sec", group: "y", text: security},
		{id: "bel_table", group: "x", text: belonging + figures},
		{id: "bel", group: "y", text: belonging},
		{id: "fund", group: "x", text: funding},
		{id: "fund2", group: "y", text: funding + " " + belonging},
		{id: "sec_fund", group: "x", text: security + " " + funding},
		{id: "bel_sec", group: "y", text: belonging + " " + security},
		{id: "tables", group: "z", text: figures + figures + figures},
	}
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	writeJSONL(t, in, docs)
	out := t.TempDir()
	if _, err := Run(context.Background(), Config{Corpus: in, Out: out, Workers: 2, Seed: 3, TopicUnit: UnitPassage}, Options{}); err != nil {
		t.Fatal(err)
	}
	weights := map[string][]float64{}
	for _, r := range rows(t, out, "doc_topics") {
		id := r["doc_id"].(string)
		weights[id] = append(weights[id], r["weight"].(float64))
	}
	k := len(weights["sec"])
	if k < 3 {
		t.Fatalf("%d topics; want at least 3 for the weights to say something", k)
	}
	for _, pair := range [][2]string{{"sec_table", "sec"}, {"bel_table", "bel"}} {
		with, without := weights[pair[0]], weights[pair[1]]
		spread := 0.0
		for _, w := range without {
			spread = max(spread, math.Abs(w-1/float64(k)))
		}
		for i := range with {
			if math.Abs(with[i]-without[i]) > 1e-9 {
				t.Errorf("%s topic %d = %.6f, %s %.6f: the passage of figures changed the document's topics (%s: %.4f, %s: %.4f)",
					pair[0], i, with[i], pair[1], without[i], pair[0], with, pair[1], without)
				break
			}
		}
		if spread < 0.1 {
			t.Errorf("%s is nearly uniform (%.4f): the test says nothing", pair[1], without)
		}
	}
	for i, w := range weights["tables"] {
		if w != 1/float64(k) {
			t.Errorf("tables, without a term, has weight %v on topic %d, want the placeholder 1/%d", w, i, k)
		}
	}
	for _, r := range rows(t, out, "documents") {
		ws, _ := r["warnings"].([]any)
		noTerms := len(ws) == 1 && strings.HasPrefix(ws[0].(string), "no terms counted")
		if id := r["doc_id"].(string); noTerms != (id == "tables") {
			t.Errorf("%s: warnings %q", id, ws)
		}
	}
	for _, r := range rows(t, out, "topic_prevalence") {
		if r["group_a"] == "z" || r["group_b"] == "z" {
			t.Errorf("topic_prevalence compares group z, whose document has no term: %v", r)
		}
	}
}
