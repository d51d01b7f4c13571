package tokenize

import (
	"context"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// TestChineseSegmentationPKU scores Chinese word segmentation on the SIGHAN
// 2005 PKU test set (docs/EVAL.md). jieba 0.42.1 scores F1 0.8183 in its
// default mode (HMM on) and 0.8358 with HMM=False on the same file with the
// same scoring (bench/peers/jieba_pku.py); framelens 0.8271.
func TestChineseSegmentationPKU(t *testing.T) {
	dir := sharedtest.Path(t, "eval/segmentation/sighan2005")
	tk, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := tk.EvalChineseSegmentation(context.Background(), dir+"/pku_test.utf8", dir+"/pku_test_gold.utf8")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PKU test: P %.4f R %.4f F1 %.4f (%d lines)", rep.Precision(), rep.Recall(), rep.F1(), rep.Lines)
	if rep.F1() < 0.8183 {
		t.Errorf("F1 %.4f below jieba's default 0.8183", rep.F1())
	}
}

// TestEuropeanTokens: German, French, Russian and Portuguese documents get their
// language's stems and stop words, no tags and no English lemmas.
func TestEuropeanTokens(t *testing.T) {
	tk, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang, text string
		stems      map[string]string
		stops      []string
	}{
		{"de", "Die Bundesregierung hat die Möglichkeiten der Fachkräfte verbessert.",
			map[string]string{"Bundesregierung": "bundesregier", "Möglichkeiten": "moglich", "Fachkräfte": "fachkraft"}, []string{"Die", "hat", "der"}},
		{"fr", "Les chercheurs étrangers sont attirés par les laboratoires publics.",
			map[string]string{"chercheurs": "chercheur", "laboratoires": "laboratoir"}, []string{"Les", "sont", "par"}},
		{"ru", "Правительство объявило о новой программе поддержки молодых учёных.",
			map[string]string{"программе": "программ", "молодых": "молод"}, []string{"о"}},
		{"pt", "O governo lançou um programa para atrair cientistas.", map[string]string{"cientistas": "cientist", "programa": "program"}, []string{"O", "um", "para"}},
	} {
		doc := &corpus.Document{ID: c.lang, Lang: c.lang, Clean: c.text}
		if err := tk.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		got := map[string]corpus.Token{}
		for _, tok := range doc.Tokens {
			got[tok.Text] = tok
			if tok.POS != "" || tok.Lemma != tok.Lower {
				t.Errorf("%s %q: tag %q, lemma %q: want no tag and the lower-cased form", c.lang, tok.Text, tok.POS, tok.Lemma)
			}
		}
		for w, stem := range c.stems {
			if got[w].Stem != stem || got[w].IsStop {
				t.Errorf("%s %q: stem %q stop %v, want %q", c.lang, w, got[w].Stem, got[w].IsStop, stem)
			}
		}
		for _, w := range c.stops {
			if !got[w].IsStop {
				t.Errorf("%s %q is not a stop word", c.lang, w)
			}
		}
	}
}
