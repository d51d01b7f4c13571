package entities

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/tokenize"
)

// sharedTokenizer loads prose's tagger once for all tests (0.3 s a load).
var sharedTokenizer = sync.OnceValues(func() (*tokenize.Tokenizer, error) { return tokenize.New(tokenize.Config{}) })

// process tokenises text as one body section and runs rec on it.
func process(t *testing.T, rec *Recognizer, text string) *document.Document {
	t.Helper()
	doc := &document.Document{ID: "t", Clean: text}
	tok, err := sharedTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	if err := tok.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	if err := rec.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Entities {
		if doc.Clean[e.Start:e.End] != e.Text {
			t.Errorf("entity %q: offsets [%d,%d) give %q", e.Text, e.Start, e.End, doc.Clean[e.Start:e.End])
		}
		if e.TokenStart >= e.TokenEnd || doc.Tokens[e.TokenStart].Start != e.Start {
			t.Errorf("entity %q: token range [%d,%d) does not start at %d", e.Text, e.TokenStart, e.TokenEnd, e.Start)
		}
	}
	return doc
}

func newRec(t *testing.T, cfg Config) *Recognizer {
	t.Helper()
	rec, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// find returns the entities whose text is text.
func find(doc *document.Document, text string) []document.Entity {
	var out []document.Entity
	for _, e := range doc.Entities {
		if e.Text == text {
			out = append(out, e)
		}
	}
	return out
}

func TestCanonicalNames(t *testing.T) {
	rec := newRec(t, Config{})
	doc := process(t, rec, "The U.S. and the US differ from the USA, America and the United States of America in name only. "+
		"The United States signed it. The PRC disagreed with the People's Republic of China.")
	want := map[string]string{
		"U.S.": "United States", "US": "United States", "USA": "United States", "America": "United States",
		"United States of America": "United States", "United States": "United States",
		"PRC": "China", "People's Republic of China": "China",
	}
	for text, canon := range want {
		got := find(doc, text)
		if len(got) == 0 {
			t.Errorf("%q not found; entities %v", text, doc.Entities)
			continue
		}
		if got[0].Canonical != canon || got[0].Label != LabelGPE {
			t.Errorf("%q: got %s %q, want GPE %q", text, got[0].Label, got[0].Canonical, canon)
		}
	}
}

func TestBilateralCompoundNamesBothCountries(t *testing.T) {
	rec := newRec(t, Config{})
	for _, c := range []string{"Sino-US", "Sino-American", "US-China", "China-US"} {
		doc := process(t, rec, c+" relations worsened in 2019.")
		got := find(doc, c)
		names := map[string]bool{}
		for _, e := range got {
			if e.Source != SourceRule || e.Label != LabelGPE {
				t.Errorf("%s: got %s from %s, want GPE from rule", c, e.Label, e.Source)
			}
			names[e.Canonical] = true
		}
		if len(got) != 2 || !names["China"] || !names["United States"] {
			t.Errorf("%s: got %v, want a China and a United States mention", c, got)
		}
		if d := find(doc, "2019"); len(d) != 1 || d[0].Label != LabelDate {
			t.Errorf("%s: year not a DATE: %v", c, doc.Entities)
		}
	}
}

func TestCitationsAreNotActors(t *testing.T) {
	rec := newRec(t, Config{})
	text := "Talent policy matters (Zweig, 2016). Gao (2019) and Cheng et al. (2020) agree, as do Smith and Jones (2018). " +
		"Canada acted as the OECD (2021; Lee et al., 2022) reported."
	doc := process(t, rec, text)
	for _, name := range []string{"Zweig", "Gao", "Cheng", "Smith", "Jones", "Lee", "2016", "2019", "2021"} {
		if got := find(doc, name); len(got) > 0 {
			t.Errorf("citation %q tagged: %v", name, got)
		}
	}
	if got := find(doc, "Canada"); len(got) != 1 {
		t.Errorf("Canada outside the citation lost: %v", doc.Entities)
	}
	keep := process(t, newRec(t, Config{KeepCitations: true}), text)
	if len(find(keep, "Zweig")) == 0 && len(find(keep, "Gao")) == 0 {
		t.Errorf("KeepCitations: citation names still dropped: %v", keep.Entities)
	}
}

func TestLayersCanBeSwitchedOff(t *testing.T) {
	text := "Cornell University cut ties with Renmin University of China under the China Initiative, Jonathan Brown said in Berlin."
	all := process(t, newRec(t, Config{}), text)
	sources := map[string]bool{}
	for _, e := range all.Entities {
		sources[e.Source] = true
	}
	for _, s := range []string{SourceModel, SourceRule, SourceGazetteer} {
		if !sources[s] {
			t.Errorf("no entity from %s in %v", s, all.Entities)
		}
	}
	for _, c := range []struct {
		cfg    Config
		absent string
	}{
		{Config{DisableModel: true}, SourceModel},
		{Config{DisableRules: true}, SourceRule},
		{Config{DisableGazetteer: true}, SourceGazetteer},
	} {
		doc := process(t, newRec(t, c.cfg), text)
		for _, e := range doc.Entities {
			if e.Source == c.absent {
				t.Errorf("%+v: entity %q from disabled layer %s", c.cfg, e.Text, e.Source)
			}
		}
		if len(doc.Entities) == 0 {
			t.Errorf("%+v: no entities at all", c.cfg)
		}
	}
	// Without gazetteer and rules the model still finds the person.
	m := process(t, newRec(t, Config{DisableRules: true, DisableGazetteer: true}), text)
	if got := find(m, "Jonathan Brown"); len(got) != 1 || got[0].Label != LabelPerson {
		t.Errorf("model alone: Jonathan Brown: %v", m.Entities)
	}
}

func TestUserRuleFiles(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.yaml")
	os.WriteFile(rules, []byte(`rules:
  - label: ORG
    canonical: Ministry of Magic
    phrases: [Ministry of Magic, MoM]
  - label: LAW
    canonical: Great Plan
    patterns:
      - [{lower: great}, {lower: plan}]
  - label: O
    phrases: [Canada]
`), 0o644)
	rec := newRec(t, Config{RuleFiles: []string{rules}})
	doc := process(t, rec, "The MoM adopted the great plan while Canada watched.")
	if got := find(doc, "MoM"); len(got) != 1 || got[0].Canonical != "Ministry of Magic" || got[0].Source != SourceRule {
		t.Errorf("MoM: %v", doc.Entities)
	}
	if got := find(doc, "great plan"); len(got) != 1 || got[0].Label != LabelLaw {
		t.Errorf("great plan: %v", doc.Entities)
	}
	if got := find(doc, "Canada"); len(got) != 0 {
		t.Errorf("blocked Canada still tagged: %v", got)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("rules:\n  - label: ORG\n    patterns:\n      - [{lower: x, op: \"!\"}]\n"), 0o644)
	if _, err := New(Config{RuleFiles: []string{bad}}); err == nil || !strings.Contains(err.Error(), "bad.yaml") ||
		!strings.Contains(err.Error(), "rules[0].patterns[0][0]): op:") {
		t.Errorf("bad rule file: err = %v, want one naming the file and the key", err)
	}
	os.WriteFile(bad, []byte("rules:\n  - label: ORG\n    patterns:\n      - [{lower: x}, {regex: '(a'}]\n"), 0o644)
	if _, err := New(Config{RuleFiles: []string{bad}}); err == nil || !strings.Contains(err.Error(), "rules[0].patterns[0][1]): regex:") {
		t.Errorf("bad regex: err = %v, want one naming the key", err)
	}
	os.WriteFile(bad, []byte("rules:\n  - label: ORG\n    phrasez: [x]\n"), 0o644)
	if _, err := New(Config{RuleFiles: []string{bad}}); err == nil {
		t.Error("unknown field accepted")
	}
}

func TestPoliciesAndDates(t *testing.T) {
	rec := newRec(t, Config{})
	doc := process(t, rec, "Under the “Belt and Road” initiative and the CHIPS and Science Act, "+
		"as in the late 19th century and the 1990s, the Sensitive Technology Research Policy launched by Canada on 16 November 2024 changed little.")
	for text, lab := range map[string]string{
		"Belt and Road” initiative": LabelLaw, "CHIPS and Science Act": LabelLaw,
		"Sensitive Technology Research Policy": LabelLaw, "late 19th century": LabelDate,
		"1990s": LabelDate, "16 November 2024": LabelDate, "Canada": LabelGPE,
	} {
		got := find(doc, text)
		if len(got) != 1 || got[0].Label != lab {
			t.Errorf("%q: got %v, want one %s", text, got, lab)
		}
	}
	if got := find(doc, "Belt and Road” initiative"); len(got) == 1 && got[0].Canonical != "Belt and Road Initiative" {
		t.Errorf("Belt and Road canonical %q", got[0].Canonical)
	}
}

func TestConcurrentProcessMatchesSequential(t *testing.T) {
	rec := newRec(t, Config{})
	texts := []string{
		"Cornell University severed ties with Renmin University of China.",
		"The G7 and the OECD promoted research security, said Angela Merkel in Berlin.",
		"Sino-US competition intensified after 2018 under the Thousand Talents Plan.",
	}
	want := make([][]document.Entity, len(texts))
	docs := make([]*document.Document, len(texts))
	for i, tx := range texts {
		docs[i] = process(t, rec, tx)
		want[i] = append([]document.Entity(nil), docs[i].Entities...)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				i := (g + k) % len(texts)
				d := *docs[i]
				d.Entities = nil
				if err := rec.Process(t.Context(), &d); err != nil {
					errs <- err.Error()
					return
				}
				if len(d.Entities) != len(want[i]) {
					errs <- "entity count differs"
					return
				}
				for j := range d.Entities {
					if d.Entities[j] != want[i][j] {
						errs <- "entity differs"
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestNoTokensNoEntities(t *testing.T) {
	rec := newRec(t, Config{})
	doc := &document.Document{ID: "x", Clean: "China and the United States.", Entities: []document.Entity{{Text: "stale"}}}
	if err := rec.Process(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Entities) != 0 {
		t.Errorf("untokenised text gave entities %v", doc.Entities)
	}
	doc.Tokens = []document.Token{{Start: 0, End: 5, Text: "China"}}
	doc.Sentences = []document.Sentence{{TokenStart: 0, TokenEnd: 3}}
	if err := rec.Process(t.Context(), doc); err == nil || !strings.Contains(err.Error(), "x") {
		t.Errorf("bad sentence range: err = %v", err)
	}
}
