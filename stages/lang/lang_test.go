package lang

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
)

type labelled struct{ lang, text string }

func readSample(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("testdata/sample.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		code, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("sample.tsv: line without a tab: %q", sc.Text())
		}
		out = append(out, labelled{code, text})
	}
	return out
}

// score returns the share of docs over 200 characters detected as labelled,
// and the misses.
func score(docs []labelled) (acc float64, n int, misses []string) {
	right := 0
	for _, d := range docs {
		if utf8.RuneCountInString(d.text) <= 200 {
			continue
		}
		n++
		if got := Detect(d.text).Lang; got == d.lang {
			right++
		} else {
			misses = append(misses, d.lang+"→"+got+": "+cut(d.text, 80))
		}
	}
	return float64(right) / float64(n), n, misses
}

// TestAccuracySample is the accuracy on the labelled sample of testdata
// (docs/EVAL.md): 9 languages, 5 paragraphs each.
func TestAccuracySample(t *testing.T) {
	acc, n, misses := score(readSample(t))
	t.Logf("sample: accuracy %.3f on %d documents over 200 characters; misses %v", acc, n, misses)
	if n != 45 || acc < 0.98 {
		t.Errorf("accuracy %.3f on %d documents, want ≥ 0.98 on 45: %v", acc, n, misses)
	}
}

// TestAccuracyShortPrefix: the run detects on a prefix; 120-character
// prefixes of the sample still come out right (the calls on text a reader
// would find short).
func TestAccuracyShortPrefix(t *testing.T) {
	right, n := 0, 0
	for _, d := range readSample(t) {
		p := string([]rune(d.text)[:120])
		n++
		if Detect(p).Lang == d.lang {
			right++
		}
	}
	t.Logf("120-character prefixes: %d/%d", right, n)
	if float64(right)/float64(n) < 0.9 {
		t.Errorf("120-character prefixes: %d/%d right", right, n)
	}
}

// TestAccuracyRealCorpora scores real text nobody labelled for this: every
// SIGHAN 2005 PKU test paragraph over 200 characters is Chinese, every
// State of the Union address and 20 Newsgroups post (headers dropped) over
// 200 characters English, save the posts a reader confirms are not.
func TestAccuracyRealCorpora(t *testing.T) {
	var docs []labelled
	pku := sharedtest.Path(t, "eval/segmentation/sighan2005/pku_test.utf8")
	b, err := os.ReadFile(pku)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		docs = append(docs, labelled{"zh", strings.TrimSpace(line)})
	}
	sotu, _ := filepath.Glob(filepath.Join(sharedtest.Path(t, "bench/sotu/txt"), "*.txt"))
	for _, p := range sotu {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, labelled{"en", cut(string(b), PrefixBytes)})
	}
	ng, _ := filepath.Glob(filepath.Join(sharedtest.Path(t, "bench/20newsgroups-train"), "*", "*"))
	sort.Strings(ng)
	for i, p := range ng {
		if i%10 != 0 {
			continue // every tenth post: 1,100 of 11,314
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(string(b), "\n\n")
		docs = append(docs, labelled{"en", cut(body, PrefixBytes)})
	}
	acc, n, misses := score(docs)
	t.Logf("real corpora: accuracy %.4f on %d documents over 200 characters; %d misses", acc, n, len(misses))
	for _, m := range misses {
		t.Log(strings.ReplaceAll(m, "\n", " "))
	}
	if acc < 0.98 {
		t.Errorf("accuracy %.4f < 0.98", acc)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "EN-us": "en", "zh-Hans": "zh", "zh_TW": "zh", "deu": "de",
		"German": "de", "Chinese": "zh", "por": "pt", "ru": "ru"} {
		if got, ok := Normalize(in); !ok || got != want {
			t.Errorf("Normalize(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "xx", "klingon", "english language"} {
		if got, ok := Normalize(in); ok {
			t.Errorf("Normalize(%q) = %q, want not ok", in, got)
		}
	}
}

func TestProcess(t *testing.T) {
	d, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	de := "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung von Fachkräften aus dem Ausland beschlossen."
	doc := &document.Document{Clean: de}
	if err := d.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	if doc.Lang != "de" || doc.LangSource != SourceDetected || doc.LangConfidence <= 0 {
		t.Errorf("got %q %q %v", doc.Lang, doc.LangSource, doc.LangConfidence)
	}
	if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "no named entities") {
		t.Errorf("warnings %q", doc.Warnings)
	}
	// The manifest's language is trusted; only the text of analysed
	// sections is read.
	doc = &document.Document{Clean: de, Lang: "en-GB"}
	d.Process(context.Background(), doc)
	if doc.Lang != "en" || doc.LangSource != SourceManifest || len(doc.Warnings) != 0 {
		t.Errorf("manifest: got %q %q %q", doc.Lang, doc.LangSource, doc.Warnings)
	}
	ref := "References\nSmith, J. (2020). Die Bundesregierung und das Gesetz. Berlin: Verlag für Politik und Gesellschaft."
	body := "This paper studies how governments recruit scientists from abroad and why the rules differ so much."
	doc = &document.Document{Clean: body + "\n" + ref, Sections: []document.Section{
		{Kind: document.KindBody, Start: 0, End: len(body)},
		{Kind: document.KindReferences, Start: len(body) + 1, End: len(body) + 1 + len(ref)}}}
	d.Process(context.Background(), doc)
	if doc.Lang != "en" {
		t.Errorf("sections: got %q", doc.Lang)
	}
	forced, _ := New(Config{Lang: "Chinese"})
	doc = &document.Document{Clean: body, Lang: "en"}
	forced.Process(context.Background(), doc)
	if doc.Lang != "zh" || doc.LangSource != SourceConfig {
		t.Errorf("config: got %q %q", doc.Lang, doc.LangSource)
	}
	if _, err := New(Config{Lang: "xx"}); err == nil {
		t.Error("New(xx): no error")
	}
	// Too little text to call: "" and a warning, analysed as English.
	doc = &document.Document{Clean: "OK, thanks!"}
	d.Process(context.Background(), doc)
	if doc.Lang != "" || len(doc.Warnings) != 1 {
		t.Errorf("short: got %q %q", doc.Lang, doc.Warnings)
	}
}

// BenchmarkDetect measures detection on a document's prefix, the cost a
// run pays per document (compare with BenchmarkTokenize in stages/tokenize).
func BenchmarkDetect(b *testing.B) {
	docs := readSample(b)
	var en, zh, de string
	for _, d := range docs {
		if d.lang == "de" {
			de += d.text + "\n"
		}
		if d.lang == "en" {
			en += d.text + "\n"
		}
		if d.lang == "zh" {
			zh += d.text
		}
	}
	for len(en) < PrefixBytes {
		en += en
	}
	en = cut(en, PrefixBytes)
	b.Run("en-2KB", func(b *testing.B) {
		b.SetBytes(int64(len(en)))
		for b.Loop() {
			Detect(en)
		}
	})
	de = cut(de, PrefixBytes)
	b.Run("de-2KB", func(b *testing.B) {
		b.SetBytes(int64(len(de)))
		for b.Loop() {
			Detect(de)
		}
	})
	b.Run("zh", func(b *testing.B) {
		b.SetBytes(int64(len(zh)))
		for b.Loop() {
			Detect(zh)
		}
	})
}

// TestShortEnglishPosts: 20 Newsgroups posts of 200 characters or fewer
// (headers dropped) are English or not called (analysed as English
// either way), almost never another language: a wrong call would take
// their entities and tags away. Every fifth post is read.
func TestShortEnglishPosts(t *testing.T) {
	ng, _ := filepath.Glob(filepath.Join(sharedtest.Path(t, "bench/20newsgroups-train"), "*", "*"))
	sort.Strings(ng)
	n, other := 0, 0
	var misses []string
	for i, p := range ng {
		if i%5 != 0 {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(string(b), "\n\n")
		if l := utf8.RuneCountInString(strings.TrimSpace(body)); l == 0 || l > 200 {
			continue
		}
		n++
		if got := Detect(body).Lang; got != "en" && got != "" {
			other++
			misses = append(misses, fmt.Sprintf("%s %.2f: %s", got, Detect(body).Confidence, strings.ReplaceAll(body, "\n", " ")))
		}
	}
	t.Logf("%d short posts, %d called another language than English: %q", n, other, misses)
	// 2 of 86: two for-sale listings without a sentence (a hard drive, a car).
	if float64(other) > 0.03*float64(n) {
		t.Errorf("%d of %d short English posts called another language", other, n)
	}
}

func TestShortTexts(t *testing.T) {
	for text, want := range map[string]string{
		"人才政策很重要。":                               "zh",
		"人才政策很重要。Talent policy matters.":         "zh",
		"Thanks, that is what I needed to know.": "en",
		"OK!":                                    "",
		"Danke schön!":                           "",
		"日本の人材政策は重要です。":                          "ja",
	} {
		if got := Detect(text).Lang; got != want {
			t.Errorf("Detect(%q) = %q, want %q", text, got, want)
		}
	}
}

// langIDLanguages are the languages of the web-text measurement: those
// framelens analyses with their own rules, and two neighbours of them the
// trigram model could confuse them with.
var langIDLanguages = []string{"en", "zh", "de", "fr", "es", "pt", "ru", "it", "nl"}

// TestAccuracyWebSentences scores real web text labelled by language:
// lingua-go's test sentences (cmd/language-testdata/sentences/<code>.txt,
// 1,000 sentences a language drawn from Leipzig University's Wortschatz
// web corpora; research use, not copied here). A document is consecutive
// sentences of one file joined until it passes 200 characters; sentences
// over 200 characters alone are scored too. The set is not in ../shared:
// FRAMELENS_LANGID_DIR names the folder, and the test skips without it.
func TestAccuracyWebSentences(t *testing.T) {
	dir := os.Getenv("FRAMELENS_LANGID_DIR")
	if dir == "" {
		t.Skip("FRAMELENS_LANGID_DIR is not set: the folder of lingua-go's language-testdata/sentences (docs/EVAL.md)")
	}
	var docs, long []labelled
	perLang := map[string][2]int{}
	for _, code := range langIDLanguages {
		b, err := os.ReadFile(filepath.Join(dir, code+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		var cur strings.Builder
		for _, s := range strings.Split(string(b), "\n") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			if utf8.RuneCountInString(s) > 200 {
				long = append(long, labelled{code, s})
			}
			if cur.Len() > 0 {
				cur.WriteByte(' ')
			}
			cur.WriteString(s)
			if utf8.RuneCountInString(cur.String()) > 200 {
				d := labelled{code, cur.String()}
				docs = append(docs, d)
				c := perLang[code]
				c[1]++
				if Detect(d.text).Lang == code {
					c[0]++
				}
				perLang[code] = c
				cur.Reset()
			}
		}
	}
	acc, n, misses := score(docs)
	t.Logf("joined sentences: accuracy %.4f on %d documents over 200 characters; %d misses", acc, n, len(misses))
	for _, code := range langIDLanguages {
		c := perLang[code]
		t.Logf("  %s: %d/%d", code, c[0], c[1])
	}
	for _, m := range misses {
		t.Log("  " + strings.ReplaceAll(m, "\n", " "))
	}
	// Single sentences hold crawl debris (12 Portuguese lines start with
	// HTTP headers): reported, held to a lower bar.
	accLong, nLong, missesLong := score(long)
	t.Logf("single sentences over 200 characters: accuracy %.4f on %d; misses %v", accLong, nLong, missesLong)
	if acc < 0.98 || accLong < 0.97 {
		t.Errorf("accuracy %.4f on joined sentences (want ≥ 0.98) and %.4f on single sentences (want ≥ 0.97)", acc, accLong)
	}
}

// TestScriptRules: the alphabet settles Russian against its neighbours,
// spelling Dutch against Afrikaans (sentences written for the test).
func TestScriptRules(t *testing.T) {
	for text, want := range map[string]bool{
		"Мы были в этом городе.":   true,  // Russian
		"Ми були в цьому місті.":   false, // Ukrainian: no ы/э, has і
		"Мы былі ў гэтым горадзе.": false, // Belarusian: і, ў
		"Бяхме в този град.":       false, // Bulgarian
	} {
		if got := russianLetters(text); got != want {
			t.Errorf("russianLetters(%q) = %v, want %v", text, got, want)
		}
	}
	for text, want := range map[string]string{
		"Hij zei dat hij er niet bij was, want hij werkte die tijd in de stad.":       "nl",
		"Hy het gesê dat hy nie daar was nie, want hy het 'n tyd in die stad gewerk.": "af",
		"De stad ligt aan de rivier.": "",
	} {
		if got := dutchOrAfrikaans(text); got != want {
			t.Errorf("dutchOrAfrikaans(%q) = %q, want %q", text, got, want)
		}
	}
}
