package entities

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
)

// TestCoNLLTestbF1 is the evaluation reported in docs/eval-ner.md: the whole
// stage against prose's default extractor on CoNLL-2003 eng.testb.
func TestCoNLLTestbF1(t *testing.T) {
	path := sharedtest.Path(t, "eval/ner/conll2003/eng.testb")
	rec := newRec(t, Config{})
	ours, err := Evaluate(t.Context(), rec, path, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := EvaluateProse(t.Context(), path, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	ours.Write(&buf)
	theirs.Write(&buf)
	t.Log("\n" + buf.String())
	if ours.Overall.F1 < 0.85 {
		t.Errorf("framelens F1 on eng.testb = %.4f, want >= 0.85", ours.Overall.F1)
	}
	if ours.Overall.Gold != 4946 {
		t.Errorf("gold PER+LOC+ORG entities = %d, want 4946 (conlleval's count)", ours.Overall.Gold)
	}
	for _, l := range []string{"PER", "LOC", "ORG"} {
		if o, p := ours.Label(l).F1, theirs.Label(l).F1; o <= p {
			t.Errorf("%s: framelens F1 %.4f does not beat prose's %.4f", l, o, p)
		}
	}
}

const tinyConll = `-DOCSTART- -X- -X- O

EU NNP I-NP I-ORG
rejects VBZ I-VP O
German JJ I-NP I-MISC
call NN I-NP O
. . O O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER
met VBD I-VP O
Jan NNP I-NP I-PER
Smit NNP I-NP B-PER
in IN I-PP O
New NNP I-NP I-LOC
York NNP I-NP I-LOC
`

func TestEvalCoNLLSemantics(t *testing.T) {
	// The tagger gets ORG right, splits the two persons wrongly (one span),
	// labels New York as GPE (counted as LOC) and tags German as NORP
	// (dropped with MISC).
	tagger := func(_ context.Context, words [][]string, _ [][]string) ([][]string, error) {
		return [][]string{
			{"B-ORG", "O", "B-NORP", "O", "O"},
			{"B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "B-GPE", "I-GPE"},
		}, nil
	}
	rep, err := EvalCoNLL(t.Context(), strings.NewReader(tinyConll), tagger, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(l string, gold, pred, ok int) {
		s := rep.Label(l)
		if s.Gold != gold || s.Pred != pred || s.Correct != ok {
			t.Errorf("%s: gold/pred/ok = %d/%d/%d, want %d/%d/%d", l, s.Gold, s.Pred, s.Correct, gold, pred, ok)
		}
	}
	check("ORG", 1, 1, 1)
	check("PER", 3, 2, 1) // IOB1 B-PER splits "Jan" and "Smit"
	check("LOC", 1, 1, 1)
	if rep.Overall.Gold != 5 || rep.Overall.Correct != 3 || rep.Sentences != 2 || rep.Tokens != 13 {
		t.Errorf("overall %+v, %d sentences, %d tokens", rep.Overall, rep.Sentences, rep.Tokens)
	}
	if _, err := EvalCoNLL(t.Context(), strings.NewReader(tinyConll), tagger, EvalOptions{Map: "PER"}); err == nil {
		t.Error("bad label map accepted")
	}
	if _, err := EvalCoNLL(t.Context(), strings.NewReader("a\n"), tagger, EvalOptions{}); err == nil {
		t.Error("one-column line accepted")
	} else if pe, ok := err.(*ParseError); !ok || pe.Line != 1 {
		t.Errorf("err = %v, want ParseError at line 1", err)
	}
}

func TestTrainSaveLoad(t *testing.T) {
	// A toy training set the perceptron must fit exactly.
	var b strings.Builder
	for i := 0; i < 30; i++ {
		b.WriteString("Alice NNP O I-PER\nvisited VBD O O\nParis NNP O I-LOC\n. . O O\n\n")
		b.WriteString("Bob NNP O I-PER\njoined VBD O O\nAcme NNP O I-ORG\nCorp NNP O I-ORG\n. . O O\n\n")
	}
	m, err := Train(strings.NewReader(b.String()), TrainOptions{Epochs: 5, Bits: 16})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"B-PER", "O", "B-ORG", "I-ORG", "O"}
	got := m.TagSentence([]string{"Bob", "joined", "Acme", "Corp", "."})
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("trained model tags %v, want %v", got, want)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got2 := m2.TagSentence([]string{"Bob", "joined", "Acme", "Corp", "."}); strings.Join(got2, " ") != strings.Join(want, " ") {
		t.Errorf("loaded model tags %v", got2)
	}
	if _, err := LoadModel(strings.NewReader("not a model")); err == nil {
		t.Error("garbage accepted as a model")
	}
	dir := t.TempDir()
	os.WriteFile(dir+"/m.gz", buf.Bytes(), 0o644)
	rec, err := New(Config{ModelFile: dir + "/m.gz", DisableRules: true, DisableGazetteer: true})
	if err != nil {
		t.Fatal(err)
	}
	if rec.model.nTags() != 5 {
		t.Errorf("ModelFile not used: %d tags", rec.model.nTags())
	}
}

func TestShippedModelTagsNewsText(t *testing.T) {
	rec := newRec(t, Config{})
	got := rec.model.TagSentence(strings.Fields("German Chancellor Helmut Kohl met officials of the European Commission in Brussels ."))
	want := "B-MISC O B-PER I-PER O O O O B-ORG I-ORG O B-LOC O"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}
