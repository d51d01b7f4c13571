package tokenize

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// tokensOf tokenizes one text with the default configuration.
func tokensOf(t *testing.T, tk *Tokenizer, text string) []document.Token {
	t.Helper()
	doc := &document.Document{ID: "t", Clean: text}
	process(t, tk, doc)
	return doc.Tokens
}

// The words the issue saw lemmatised wrongly, in sentences, so that the
// tagger's tag picks the lemma as it does in a run.
func TestLemmasOfClosedClassWords(t *testing.T) {
	tk := newTokenizer(t, Config{})
	for _, c := range []struct {
		text string
		word int // index of the token
		want string
	}{
		{"The ministry also restricted visas.", 2, "also"},
		{"It was seen as a threat.", 3, "as"},
		{"China's universities expanded.", 1, "'s"},
		{"The minister's office said so.", 2, "'s"},
		{"She's leaving tomorrow.", 1, "be"},
		{"They're here and we can't stay.", 1, "be"},
		{"They're here and we can't stay.", 5, "can"},
		{"They're here and we can't stay.", 6, "not"},
		{"We won't go.", 1, "will"},
		{"The talks went well.", 3, "well"},
		{"We need more funding.", 2, "more"},
		{"The first round failed.", 1, "first"},
		{"He told us about it.", 2, "we"},
		{"Let us work together.", 1, "we"},
		{"Join us!", 1, "we"},
		{"The US imposed sanctions.", 1, "u.s."},
		{"This is a better plan.", 3, "good"},
		{"The countries stopped the talks.", 1, "country"},
		{"The countries stopped the talks.", 2, "stop"},
		{"The committee was studying the proposals.", 3, "study"},
		{"The United States and the United Nations met.", 2, "states"},
		{"The United States and the United Nations met.", 6, "nations"},
		{"The children were hoping for peace.", 1, "child"},
		{"The children were hoping for peace.", 2, "be"},
		{"The children were hoping for peace.", 3, "hope"},
		{"Spending rose by 5,000 dollars.", 3, "5000"},
	} {
		toks := tokensOf(t, tk, c.text)
		if c.word >= len(toks) {
			t.Errorf("%q: only %d tokens", c.text, len(toks))
			continue
		}
		if tok := toks[c.word]; tok.Lemma != c.want {
			t.Errorf("%q: %q (%s) has lemma %q, want %q", c.text, tok.Text, tok.POS, tok.Lemma, c.want)
		}
	}
}

// Lemmas without tags (tokenize.no_tags) come only from what does not
// depend on the part of speech.
func TestLemmasWithoutTags(t *testing.T) {
	l, err := NewLemmatizer()
	if err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]string{
		"also": "also", "as": "as", "well": "well", "first": "first", "more": "more",
		"went": "go", "children": "child", "countries": "country", "n't": "not", "'re": "be",
		"'s": "'s", "us": "we", "means": "means", "united": "united",
	} {
		if got := l.Lemma(w, ""); got != want {
			t.Errorf("Lemma(%q, \"\") = %q, want %q", w, got, want)
		}
	}
}

// On the built-in sample no lemma is a dictionary artefact: no "conjurer"
// (golem's lemma of "also"), no byte-order mark (its lemma of "first"), and
// "also", "as" and possessive "'s" keep their form (the possessive
// apostrophe of "researchers'" is "'s" too).
func TestSampleLemmas(t *testing.T) {
	tk := newTokenizer(t, Config{})
	sample := corpus.SampleFS()
	files, err := fs.Glob(sample, "*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample texts: %v", err)
	}
	seen := map[string]int{}
	for _, name := range files {
		b, err := fs.ReadFile(sample, name)
		if err != nil {
			t.Fatal(err)
		}
		doc := &document.Document{ID: name, Clean: string(b)}
		process(t, tk, doc)
		for _, tok := range doc.Tokens {
			if tok.Lemma == "conjurer" || strings.ContainsRune(tok.Lemma, '\ufeff') || !utf8.ValidString(tok.Lemma) {
				t.Errorf("%s: %q lemmatised to %q", name, tok.Text, tok.Lemma)
			}
			switch {
			case tok.Lower == "also" || tok.Lower == "as":
				if tok.Lemma != tok.Lower {
					t.Errorf("%s: %q (%s) lemmatised to %q", name, tok.Text, tok.POS, tok.Lemma)
				}
				seen[tok.Lower]++
			case tok.POS == "POS":
				if tok.Lemma != "'s" {
					t.Errorf("%s: possessive %q lemmatised to %q", name, tok.Text, tok.Lemma)
				}
				seen["'s"]++
			}
		}
	}
	for _, w := range []string{"also", "as", "'s"} {
		if seen[w] == 0 {
			t.Errorf("the sample has no %q: the test checks nothing for it", w)
		}
	}
}

// UD English EWT test: lemma accuracy over the gold words that are not
// punctuation, on the gold tokens, against spaCy en_core_web_sm 3.8's 0.968
// on the same words (bench/peers/lemmas.py); docs/EVAL.md has the figures.
func TestUDEWTLemmas(t *testing.T) {
	tk := newTokenizer(t, Config{})
	for _, c := range []struct {
		file            string
		minLemma, minPT float64
	}{
		{"en_ewt-ud-dev.conllu", 0.970, 0.865},
		{"en_ewt-ud-test.conllu", 0.970, 0.865},
	} {
		path := sharedtest.Path(t, filepath.Join("eval/ud_ewt", c.file))
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sents, err := ReadCoNLLU(f, path)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := EvalLemmas(tk, sents, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Recount by brute force: the scored words are those whose UPOS is
		// not PUNCT or SYM.
		words := 0
		for _, s := range sents {
			for _, w := range s.Words {
				if w.UPOS != "PUNCT" && w.UPOS != "SYM" {
					words++
				}
			}
		}
		if rep.Words != words || words < 20000 {
			t.Fatalf("%s: scored %d words, counted %d", c.file, rep.Words, words)
		}
		t.Logf("%s: lemma %.4f, Penn tag %.4f over %d words", c.file, rep.LemmaAccuracy(), rep.TagAccuracy(), rep.Words)
		if rep.LemmaAccuracy() < c.minLemma || rep.LemmaAccuracy() < 0.968 {
			var b strings.Builder
			rep.Write(&b)
			t.Errorf("%s: lemma accuracy %.4f, want at least %.3f and spaCy sm's 0.968\n%s", c.file, rep.LemmaAccuracy(), c.minLemma, b.String())
		}
		// As in a run: the sentence's text tokenized by framelens, the
		// words it tokenizes like the gold scored (the 0.942).
		if own := float64(rep.OwnLemmas) / float64(rep.OwnWords); rep.OwnWords < words*96/100 || own < c.minLemma {
			t.Errorf("%s: own tokenisation: %d of %d words alike, lemma accuracy %.4f on them", c.file, rep.OwnWords, words, own)
		}
		if rep.TagAccuracy() < c.minPT {
			t.Errorf("%s: Penn tag accuracy %.4f, want at least %.3f", c.file, rep.TagAccuracy(), c.minPT)
		}
	}
}

// TagLemmas on gold words gives what Process gives on the same sentence.
func TestTagLemmasMatchesProcess(t *testing.T) {
	tk := newTokenizer(t, Config{})
	doc := &document.Document{ID: "t", Clean: "The ministers' proposals weren't adopted, but they're still being studied by us."}
	if err := tk.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, tok := range doc.Tokens {
		words = append(words, tok.Text)
	}
	tags, lemmas, err := tk.TagLemmas(words)
	if err != nil {
		t.Fatal(err)
	}
	for k, tok := range doc.Tokens {
		if tags[k] != tok.POS || lemmas[k] != tok.Lemma {
			t.Errorf("%q: TagLemmas %s %q, Process %s %q", tok.Text, tags[k], lemmas[k], tok.POS, tok.Lemma)
		}
	}
}

// The words the issue found at the top of term rankings are stop words;
// content words the Glasgow list carries are not; names that look like
// stop words are not.
func TestDefaultStopList(t *testing.T) {
	stop := DefaultStopList()
	for _, w := range []string{"us", "also", "would", "must", "may", "upon", "shall", "one", "however",
		"ca", "wo", "'re", "n't", "n’t", "'s", "’s", "'ll", "'ve", "'d", "'m", "the", "therefore", "whilst"} {
		if !stop.has(w) {
			t.Errorf("%q is not a stop word", w)
		}
	}
	for _, w := range []string{"never", "two", "system", "well", "first", "fire", "interest", "security", "restriction"} {
		if stop.has(w) {
			t.Errorf("%q is a stop word", w)
		}
	}
	tk := newTokenizer(t, Config{})
	for _, c := range []struct {
		text string
		word int
		stop bool
	}{
		{"Talks resumed in May 2020.", 3, false},
		{"We may resume talks.", 1, true},
		{"May God bless you.", 0, true},
		{"The US imposed sanctions.", 1, false},
		{"Let us resume.", 1, true},
		{"They're sure we can't.", 1, true},
		{"They're sure we can't.", 4, true},
		{"They're sure we can't.", 5, true},
	} {
		toks := tokensOf(t, tk, c.text)
		if tok := toks[c.word]; tok.IsStop != c.stop {
			t.Errorf("%q: %q (%s) IsStop %v, want %v", c.text, tok.Text, tok.POS, tok.IsStop, c.stop)
		}
	}
}

func TestStopWordFiles(t *testing.T) {
	dir := t.TempDir()
	extra := filepath.Join(dir, "extra.txt")
	if err := os.WriteFile(extra, []byte("# transcripts\napplause\nLaughter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tk := newTokenizer(t, Config{ExtraStopWordsFile: extra})
	for _, tok := range tokensOf(t, tk, "(Applause.) The talent also left. (Laughter.)") {
		want := map[string]bool{"applause": true, "laughter": true, "the": true, "also": true}[tok.Lower]
		if !tok.IsPunct && tok.IsStop != want {
			t.Errorf("%q: IsStop %v with the default list extended", tok.Text, tok.IsStop)
		}
	}
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("the\nUnited States\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := New(Config{StopWordsFile: bad})
	if !errors.Is(err, ErrStopWords) || !strings.Contains(err.Error(), "bad.txt:2") {
		t.Errorf("a stop word with a space: error %v, want ErrStopWords naming bad.txt:2", err)
	}
}

// Suffix rules by tag, with the dictionary deciding: a mistagged word that
// is itself a word keeps its form, and no rule makes a different word of it
// ("least" is not "lea", "number" not "numb").
func TestLemmaRulesByTag(t *testing.T) {
	l, err := NewLemmatizer()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][3]string{
		{"business", "NNS", "business"}, {"glass", "NNS", "glass"}, {"focus", "VBZ", "focus"},
		{"analyses", "NNS", "analysis"}, {"taxes", "NNS", "tax"}, {"policy-makers", "NNS", "policy-maker"},
		{"least", "JJS", "least"}, {"number", "JJR", "number"}, {"interest", "JJS", "interest"},
		{"better", "RBR", "well"}, {"worst", "JJS", "bad"}, {"bigger", "JJR", "big"},
		{"hoped", "VBD", "hope"}, {"stopped", "VBN", "stop"}, {"went", "VBD", "go"},
		// golem lists spelling variants and misspellings as bases of their
		// own: the word the tagger's training text has wins
		{"developed", "VBN", "develop"}, {"developing", "VBG", "develop"}, {"fulfilled", "VBD", "fulfil"},
		{"trafficking", "VBG", "traffic"}, {"panicked", "VBD", "panic"},
		// a compound inflects in its last part
		{"light-houses", "NNS", "light-house"}, {"re-elected", "VBN", "re-elect"},
		// an unknown word tagged as a verb form keeps its form, a word
		// mistagged so keeps its own
		{"peacekeeping", "VBG", "peacekeeping"}, {"bloodshed", "VBN", "bloodshed"}, {"cling", "VBG", "cling"},
		{"unabated", "VBN", "unabated"}, {"reauthorized", "VBN", "reauthorize"}, {"belated", "VBD", "belated"},
		{"'s", "POS", "'s"}, {"'", "POS", "'s"}, {"'s", "VBZ", "be"}, {"'d", "MD", "would"}, {"ca", "MD", "can"},
		{"first", "JJ", "first"}, {"also", "RB", "also"}, {"as", "IN", "as"}, {"well", "RB", "well"},
	} {
		if got := l.Lemma(c[0], c[1]); got != c[2] {
			t.Errorf("Lemma(%q, %s) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

// On UN General Debate speeches (the first 100), whose "developing
// countries" golem's dictionary would make "develope" (it lists
// "developed" under develop and under the misspelling develope), every
// verb form's lemma is a word: a base of the dictionary or the form itself,
// never a rule's guess such as "peacekeepe", "bloodshe", "notwithstande"
// (words the dictionary does not know, tagged as participles).
func TestLemmasOfUNSpeeches(t *testing.T) {
	f, err := os.Open(sharedtest.Path(t, "bench/ungdc.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tk := newTokenizer(t, Config{})
	l, err := NewLemmatizer()
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	develop, verbs := 0, 0
	for n := 0; n < 100 && sc.Scan(); n++ {
		var sp struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &sp); err != nil {
			t.Fatal(err)
		}
		doc := &document.Document{ID: sp.ID, Clean: sp.Text}
		process(t, tk, doc)
		for _, tok := range doc.Tokens {
			if !strings.HasPrefix(tok.POS, "VB") || tok.Lemma == strings.ReplaceAll(tok.Lower, "’", "'") {
				continue
			}
			verbs++
			if tok.Lower == "developed" || tok.Lower == "developing" {
				develop++
				if tok.Lemma != "develop" {
					t.Errorf("%s: %q (%s) has lemma %q, want develop", sp.ID, tok.Text, tok.POS, tok.Lemma)
				}
			}
			if last := tok.Lemma[strings.LastIndexByte(tok.Lemma, '-')+1:]; !l.isBase(last) {
				t.Errorf("%s: %q (%s) has lemma %q, not a word", sp.ID, tok.Text, tok.POS, tok.Lemma)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if develop < 50 || verbs < 10000 {
		t.Errorf("%d verb forms of develop among %d lemmatised verb forms: the speeches are not those the test was written for", develop, verbs)
	}
}
