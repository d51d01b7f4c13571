package entities

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// TestUNEREWTTestF1 is the web-text evaluation of docs/eval-ner.md:
// Universal NER English EWT test, PER/LOC/ORG, exact span and type.
// spaCy en_core_web_sm 3.8 scores 0.570 on the same tokens with the same
// scoring (bench/peers/ner_spacy.py), 0.592 when its leading "the" is
// dropped; framelens must beat both.
func TestUNEREWTTestF1(t *testing.T) {
	path := sharedtest.Path(t, "eval/ner/uner_ewt/en_ewt-ud-test.iob2")
	rep, err := Evaluate(t.Context(), newRec(t, Config{}), path, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rep.Write(&buf)
	t.Log("\n" + buf.String())
	if rep.Overall.Gold != 1088 || rep.Sentences != 2077 || rep.Tokens != 25097 {
		t.Errorf("read %d sentences, %d tokens, %d gold entities; want 2077, 25097, 1088 (the dataset's stats file)",
			rep.Sentences, rep.Tokens, rep.Overall.Gold)
	}
	// The gold counts, recomputed by the dataset's own stats file.
	b, err := os.ReadFile(strings.TrimSuffix(path, ".iob2") + ".stats")
	if err != nil {
		t.Fatal(err)
	}
	var stats struct {
		Labels map[string]int `json:"label_distribution"`
	}
	if err := json.Unmarshal(b, &stats); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"PER", "LOC", "ORG"} {
		if got := rep.Label(l).Gold; got != stats.Labels[l] || got == 0 {
			t.Errorf("%s: %d gold entities read, the stats file says %d", l, got, stats.Labels[l])
		}
	}
	if rep.Overall.F1 <= 0.592 {
		t.Errorf("UNER EWT test F1 = %.4f, want above spaCy sm's 0.592", rep.Overall.F1)
	}
}

const tinyIOB2 = `# newdoc id = d1
# sent_id = d1-0001
# text = What is this Miramar?
1	What	O	-	-
2	is	O	-	-
3	this	O	-	-
4	Miramar	B-LOC	-	x
5	?	O	-	-

# sent_id = d1-0002
# text = Ask Jane Doe at Acme Corp
1	Ask	O	-	-
2	Jane	B-PER	-	x
3	Doe	I-PER	-	x
4	at	O	-	-
5	Acme	B-ORG	-	x
6	Corp	I-ORG	-	x

# newdoc id = d2
# sent_id = d2-0001
# text = #
1	#	O	-	-
`

func TestReadIOB2(t *testing.T) {
	docs, err := readCoNLL(strings.NewReader(tinyIOB2))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || len(docs[0].Sentences) != 2 || len(docs[1].Sentences) != 1 {
		t.Fatalf("got %d documents, want 2 (of 2 and 1 sentences)", len(docs))
	}
	s := docs[0].Sentences[1]
	if strings.Join(s.Words, " ") != "Ask Jane Doe at Acme Corp" || strings.Join(s.Tags, " ") != "O B-PER I-PER O B-ORG I-ORG" {
		t.Errorf("sentence 2: %v %v", s.Words, s.Tags)
	}
	if got := docs[1].Sentences[0].Words; len(got) != 1 || got[0] != "#" {
		t.Errorf("a '#' token line was taken for a comment: %v", got)
	}
}

// TestEntitiesOnUnseenText checks, sentence by sentence, the mistakes seen
// on UN speeches, tweets and policy papers.
func TestEntitiesOnUnseenText(t *testing.T) {
	rec := newRec(t, Config{})
	cases := []struct {
		text string
		want map[string]string // entity text → label; "" = must not be an entity
	}{
		{"Moreover, Andorra supports the Charter. Hence we call on all Member States to act.",
			map[string]string{"Andorra": LabelGPE, "Charter": LabelLaw, "Moreover": "", "Hence": "", "Member States": ""}},
		{"Jordan, Chad and Belize joined. The Soviet Union and Yugoslavia are gone.",
			map[string]string{"Jordan": LabelGPE, "Chad": LabelGPE, "Belize": LabelGPE, "Soviet Union": LabelGPE, "Yugoslavia": LabelGPE}},
		{"Afghan and Arab delegations met Czechoslovak officials.",
			map[string]string{"Afghan": LabelNORP, "Arab": LabelNORP, "Czechoslovak": LabelNORP}},
		{"RT @nytimes: Obama speaks in Chicago tonight",
			map[string]string{"RT": "", "Chicago": LabelGPE}},
		{"We ratified the Convention on the Rights of the Child and the Treaty on the Non-Proliferation of Nuclear Weapons.",
			map[string]string{"Convention on the Rights of the Child": LabelLaw, "Treaty on the Non-Proliferation of Nuclear Weapons": LabelLaw}},
		{"The Council adopted resolution 1325 (2000) under Chapter VII.",
			map[string]string{"resolution 1325 (2000)": LabelLaw, "Chapter VII": LabelLaw}},
		{"The EU issued the Guidance Document on Countering Foreign Interference in Research and Innovation in 2022.",
			map[string]string{"Guidance Document on Countering Foreign Interference in Research and Innovation": LabelLaw}},
		{"The great Powers and the States of the region met in the United\nNations building.",
			map[string]string{"Powers": "", "States": "", "United\nNations": LabelOrg}},
		{"However, Yes, Thanks and Furthermore open sentences. Laughter.",
			map[string]string{"However": "", "Yes": "", "Thanks": "", "Furthermore": "", "Laughter": ""}},
	}
	for _, c := range cases {
		doc := process(t, rec, c.text)
		got := map[string]string{}
		for _, e := range doc.Entities {
			got[e.Text] = e.Label
			for _, w := range []string{"Moreover", "Hence", "However", "Yes", "Thanks", "Furthermore", "RT", "Laughter"} {
				if strings.HasPrefix(e.Text, w+" ") || e.Text == w {
					t.Errorf("%q: entity %q %s starts with the connective %q", c.text, e.Text, e.Label, w)
				}
			}
		}
		for text, label := range c.want {
			if got[text] != label {
				t.Errorf("%q: %q is %q, want %q (entities: %v)", c.text, text, got[text], label, got)
			}
		}
	}
}

// TestVoteLabels: one label per canonical name in a document, by
// majority of its mentions; curated mentions keep their label; lines in
// capitals neither vote nor are relabelled.
func TestVoteLabels(t *testing.T) {
	doc := &document.Document{
		Tokens: []document.Token{{Text: "Miramar"}, {Text: "is"}, {Text: "CHICAGO"}, {Text: "AT"}, {Text: "ATLANTA"}},
		Sentences: []document.Sentence{
			{TokenStart: 0, TokenEnd: 2}, {TokenStart: 0, TokenEnd: 2}, {TokenStart: 0, TokenEnd: 2},
			{TokenStart: 2, TokenEnd: 5},
		},
	}
	doc.Entities = []document.Entity{
		{Start: 0, End: 7, Sentence: 0, Canonical: "Miramar", Label: LabelPerson, Source: SourceModel},
		{Start: 10, End: 17, Sentence: 1, Canonical: "Miramar", Label: LabelGPE, Source: SourceModel},
		{Start: 20, End: 27, Sentence: 2, Canonical: "Miramar", Label: LabelGPE, Source: SourceModel},
		{Start: 30, End: 37, Sentence: 2, Canonical: "Chicago", Label: LabelOrg, Source: SourceModel},
		{Start: 40, End: 47, Sentence: 2, Canonical: "Chicago", Label: LabelOrg, Source: SourceModel},
		{Start: 50, End: 57, Sentence: 2, Canonical: "Chicago", Label: LabelGPE, Source: SourceGazetteer},
		{Start: 60, End: 67, Sentence: 3, Canonical: "Chicago", Label: LabelGPE, Source: SourceModel},
	}
	voteLabels(doc)
	want := []string{LabelGPE, LabelGPE, LabelGPE, LabelOrg, LabelOrg, LabelGPE, LabelGPE}
	for i, e := range doc.Entities {
		if e.Label != want[i] {
			t.Errorf("mention %d (%s): %s, want %s", i, e.Canonical, e.Label, want[i])
		}
	}
}

// TestGazetteerStates checks the gazetteer against the UN's count: 193
// Member States and 2 observer States, each once, and the demonyms named
// in the issue.
func TestGazetteerStates(t *testing.T) {
	b, err := dataFS.ReadFile("data/gazetteer/countries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	section := ""
	counts := map[string]int{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# United Nations Member States") {
			section = "members"
		} else if strings.HasPrefix(line, "# Non-member observer States") {
			section = "observers"
		} else if strings.HasPrefix(line, "# Territories") {
			section = ""
		}
		if strings.HasPrefix(line, "#") || line == "" || section == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if seen[f[1]] {
			t.Errorf("%s listed twice", f[1])
		}
		seen[f[1]] = true
		counts[section]++
	}
	if counts["members"] != 193 || counts["observers"] != 2 {
		t.Errorf("%d Member States and %d observers, want 193 and 2", counts["members"], counts["observers"])
	}
	rec := newRec(t, Config{DisableModel: true})
	for name, label := range map[string]string{
		"Andorra": LabelGPE, "Holy See": LabelGPE, "State of Palestine": LabelGPE, "Syrian Arab Republic": LabelGPE,
		"Soviet Union": LabelGPE, "Czechoslovakia": LabelGPE, "Zaire": LabelGPE, "Afghan": LabelNORP, "Arab": LabelNORP,
		"Andorran": LabelNORP, "Soviet": LabelNORP,
	} {
		if e, ok := rec.canon.lookup(name); !ok || e.label != label {
			t.Errorf("%q: %+v, want %s", name, e, label)
		}
	}
}

// TestUNSpeeches runs tokenize + entities on the first 300 UN General
// Debate speeches (the sample): "Andorra" is always GPE, no
// connective is or opens an entity, "Member States" and bare "States" or
// "Powers" are never entities, "Charter" is LAW, and no canonical name has
// two labels in one speech.
func TestUNSpeeches(t *testing.T) {
	if testing.Short() {
		t.Skip("300 speeches: not in -short")
	}
	f, err := os.Open(sharedtest.Path(t, "bench/ungdc.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := sharedTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	rec := newRec(t, Config{})
	connectives := map[string]bool{}
	for _, w := range strings.Fields("hence moreover however furthermore therefore thus indeed nevertheless nonetheless yes meanwhile consequently accordingly rt laughter applause whereas") {
		connectives[w] = true
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	docs, andorra, charter := 0, 0, 0
	for docs < 300 && sc.Scan() {
		var row struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("ungdc.jsonl.gz: %v", err)
		}
		docs++
		doc := &document.Document{ID: row.ID, Clean: row.Text}
		if err := tok.Process(t.Context(), doc); err != nil {
			t.Fatal(err)
		}
		if err := rec.Process(t.Context(), doc); err != nil {
			t.Fatal(err)
		}
		labels := map[string]string{}
		for _, e := range doc.Entities {
			first := strings.ToLower(strings.Fields(e.Text)[0])
			switch {
			case e.Text == "Andorra":
				andorra++
				if e.Label != LabelGPE {
					t.Errorf("%s: Andorra is %s", doc.ID, e.Label)
				}
			case e.Text == "Charter":
				charter++
				if e.Label != LabelLaw {
					t.Errorf("%s: Charter is %s", doc.ID, e.Label)
				}
			case connectives[first] || connectives[strings.ToLower(e.Text)]:
				t.Errorf("%s: connective entity %q %s", doc.ID, e.Text, e.Label)
			case e.Text == "Member States" || e.Text == "States" || e.Text == "Powers":
				t.Errorf("%s: %q is %s", doc.ID, e.Text, e.Label)
			}
			if l, ok := labels[e.Canonical]; ok && l != e.Label && e.Label != LabelDate && l != LabelDate {
				t.Errorf("%s: %q is both %s and %s", doc.ID, e.Canonical, l, e.Label)
			}
			labels[e.Canonical] = e.Label
		}
	}
	if docs != 300 || andorra < 100 || charter < 100 {
		t.Errorf("%d speeches, %d Andorra, %d Charter mentions: want 300 speeches and the sample's hundreds of mentions", docs, andorra, charter)
	}
	t.Logf("%d speeches: %d Andorra (GPE), %d Charter (LAW)", docs, andorra, charter)
}
