package tokenize

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/longbridgeapp/opencc"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// TestChineseSegmentationPKU scores Chinese word segmentation on the SIGHAN
// 2005 PKU test set (docs/EVAL.md). jieba 0.42.1 scores F1 0.8183 in its
// default mode (HMM on) and 0.8358 with HMM=False on the same file with the
// same scoring (bench/peers/jieba_pku.py); framelens 0.8330.
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

// TestChineseSegmentationPKUTraditional scores the PKU test set written in
// Traditional characters (OpenCC s2t; the gold words cut from the converted
// lines by their lengths): framelens converts it back and must score as on
// the original. (docs/EVAL.md's row used OpenCC's Python port for s2t:
// 0.8330, jieba 0.7530.)
func TestChineseSegmentationPKUTraditional(t *testing.T) {
	dir := sharedtest.Path(t, "eval/segmentation/sighan2005")
	s2t, err := opencc.New("s2t")
	if err != nil {
		t.Fatal(err)
	}
	test, err := readLines(dir + "/pku_test.utf8")
	if err != nil {
		t.Fatal(err)
	}
	gold, err := readLines(dir + "/pku_test_gold.utf8")
	if err != nil {
		t.Fatal(err)
	}
	var tt, tg strings.Builder
	changed := 0
	for i, line := range test {
		conv, err := s2t.Convert(line)
		if err != nil {
			t.Fatal(err)
		}
		if len([]rune(conv)) != len([]rune(line)) {
			t.Fatalf("line %d: s2t changed the length", i+1)
		}
		if conv != line {
			changed++
		}
		flat := []rune(strings.Join(strings.Fields(conv), ""))
		pos := 0
		for j, w := range strings.Fields(gold[i]) {
			if j > 0 {
				tg.WriteString("  ")
			}
			n := len([]rune(w))
			tg.WriteString(string(flat[pos : pos+n]))
			pos += n
		}
		tt.WriteString(conv + "\n")
		tg.WriteString("\n")
	}
	tmp := t.TempDir()
	if err := os.WriteFile(tmp+"/test", []byte(tt.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp+"/gold", []byte(tg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tk, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	trad, err := tk.EvalChineseSegmentation(context.Background(), tmp+"/test", tmp+"/gold")
	if err != nil {
		t.Fatal(err)
	}
	simp, err := tk.EvalChineseSegmentation(context.Background(), dir+"/pku_test.utf8", dir+"/pku_test_gold.utf8")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Traditional PKU (%d of %d lines changed): F1 %.4f; Simplified %.4f", changed, len(test), trad.F1(), simp.F1())
	if trad.F1() < simp.F1()-0.002 {
		t.Errorf("Traditional F1 %.4f, Simplified %.4f: Traditional text is segmented worse", trad.F1(), simp.F1())
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
		doc := &document.Document{ID: c.lang, Lang: c.lang, Clean: c.text}
		if err := tk.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		got := map[string]document.Token{}
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

// TestTraditionalChinese: a paragraph in Traditional characters (written
// for the test) gets the words, lemmas and stop words of its Simplified
// version, so that both count as the same terms.
func TestTraditionalChinese(t *testing.T) {
	const simp = "近年来，各国政府纷纷出台人才引进政策，为高层次人才提供住房补贴和科研经费。这些措施对经济发展产生了重要影响，但是专家们认为，吸引人才还要靠良好的学术环境。"
	const trad = "近年來，各國政府紛紛出台人才引進政策，為高層次人才提供住房補貼和科研經費。這些措施對經濟發展產生了重要影響，但是專家們認為，吸引人才還要靠良好的學術環境。"
	tk, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	lemmas := func(text string) (words []string, terms map[string]bool) {
		doc := &document.Document{ID: "zh", Lang: "zh", Clean: text}
		if err := tk.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		terms = map[string]bool{}
		for _, tok := range doc.Tokens {
			words = append(words, tok.Lemma)
			if !tok.IsStop && !tok.IsPunct {
				terms[tok.Lemma] = true
			}
		}
		return words, terms
	}
	sw, st := lemmas(simp)
	tw, tt := lemmas(trad)
	if strings.Join(sw, " ") != strings.Join(tw, " ") {
		t.Errorf("lemmas differ:\nSimplified  %v\nTraditional %v", sw, tw)
	}
	for _, w := range []string{"经济", "政策", "人才", "专家", "学术", "环境", "措施", "认为"} {
		if !st[w] || !tt[w] {
			t.Errorf("term %q: in Simplified %v, in Traditional %v", w, st[w], tt[w])
		}
	}
	for _, w := range []string{"这些", "为", "对", "但是"} {
		if st[w] || tt[w] {
			t.Errorf("%q is a stop word (Simplified term %v, Traditional term %v)", w, st[w], tt[w])
		}
	}
}

// TestSentencesKeepLastCharacter: a sentence at a line's end keeps its last
// character whole when that character's last byte is 0x85 or 0xA0 (the
// Latin-1 codes of NEL and NBSP).
func TestSentencesKeepLastCharacter(t *testing.T) {
	text := "降水概率20％\n我们的感情\n"
	got := AppendSentences(nil, text)
	if len(got) != 2 || text[got[0].Start:got[0].End] != "降水概率20％" || text[got[1].Start:got[1].End] != "我们的感情" {
		t.Errorf("sentences %v of %q", got, text)
	}
}
