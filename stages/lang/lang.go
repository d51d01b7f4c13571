// Package lang identifies the language of each document and says what each
// language gets from the later stages.
//
// Detection uses github.com/abadojack/whatlanggo (a trigram model of 84
// languages, pure Go, MIT): script first (Han is Chinese at once, Cyrillic
// and Latin go to the trigram profiles of their script, and spelling
// settles the pairs whose profiles are too close: Russian against the other
// Cyrillic alphabets, Dutch against Afrikaans). lingua-go is more
// accurate on short snippets but, measured on this machine, about 16 times
// slower, and its models add about 120 MB to the module; on documents over
// 200 characters whatlanggo is already right on the labelled sample of
// docs/EVAL.md ("Language identification"), so the cost was not worth it.
// Detection reads at most PrefixBytes of the analysed text: a document's
// language is settled by its first paragraphs, and the cost stays a small
// fixed share of tokenising the document (docs/PERFORMANCE.md).
//
// A language given by the manifest (column lang) or by Config.Lang is
// trusted and not detected. A text too short or too ambiguous to call
// (no two languages apart), or called another language than English
// without evidence of running text in it (runningText: tables of names
// and figures, binary data, code), gets Lang "" and is analysed as
// English, the default, with a warning.
package lang

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/tokenize"
)

// PrefixBytes is how much analysed text detection reads; the trigram
// model reads the first modelBytes of it.
const (
	PrefixBytes = 2048
	modelBytes  = 1024
)

// Where a document's language came from (Document.LangSource).
const (
	SourceManifest = "manifest"
	SourceConfig   = "config"
	SourceDetected = "detected"
)

// Config configures a Detector. The zero value detects the language of every
// document whose manifest gives none.
type Config struct {
	// Lang, when set (an ISO 639-1 code such as "en", "zh", "de"), is every
	// document's language: nothing is detected and the manifest's column is
	// ignored.
	Lang string `yaml:"lang"`
}

// Detector fills Document.Lang, LangConfidence and LangSource.
type Detector struct {
	cfg Config
}

// New checks the configured language.
func New(cfg Config) (*Detector, error) {
	if cfg.Lang != "" {
		code, ok := Normalize(cfg.Lang)
		if !ok {
			return nil, fmt.Errorf("lang: %q is not a language code; give an ISO 639-1 code such as en, zh, de, fr, es, pt, ru", cfg.Lang)
		}
		cfg.Lang = code
	}
	return &Detector{cfg: cfg}, nil
}

// Name implements the pipeline's stage interface.
func (d *Detector) Name() string { return "lang" }

// Process sets doc's language and, for a language other than English, adds
// the warning that says which stages leave it alone.
func (d *Detector) Process(ctx context.Context, doc *document.Document) error {
	switch {
	case d.cfg.Lang != "":
		doc.Lang, doc.LangConfidence, doc.LangSource = d.cfg.Lang, 1, SourceConfig
	case doc.Lang != "":
		code, ok := Normalize(doc.Lang)
		if !ok {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("language %q from the manifest is not a language code: the language was detected instead", doc.Lang))
			d.detect(doc)
			break
		}
		doc.Lang, doc.LangConfidence, doc.LangSource = code, 1, SourceManifest
	default:
		d.detect(doc)
	}
	if w := Warning(doc.Lang, doc.LangSource, doc.LangConfidence); w != "" {
		doc.Warnings = append(doc.Warnings, w)
	}
	return nil
}

func (d *Detector) detect(doc *document.Document) {
	r := Detect(analysedPrefix(doc, PrefixBytes))
	doc.Lang, doc.LangConfidence, doc.LangSource = r.Lang, r.Confidence, SourceDetected
}

// analysedPrefix is the first n bytes (cut at a rune boundary) of the
// document's analysed sections, or of Clean when it has no sections.
func analysedPrefix(doc *document.Document, n int) string {
	if len(doc.Sections) == 0 {
		return cut(doc.Clean, n)
	}
	var b strings.Builder
	for _, s := range doc.Sections {
		if !s.Kind.Analysed() || s.Start < 0 || s.End > len(doc.Clean) || s.End <= s.Start {
			continue
		}
		b.WriteString(cut(doc.Clean[s.Start:s.End], n-b.Len()))
		if b.Len() >= n {
			break
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func cut(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Result is a detected language.
type Result struct {
	// Lang is an ISO 639-1 code ("en", "zh"), or "" when the text is too
	// short or too ambiguous to tell.
	Lang string
	// Confidence is whatlanggo's, from 0 to 1.
	Confidence float64
}

// minLetters is the fewest letters a text needs for a call: below it
// trigram profiles are guesswork.
const minLetters = 50

// minConfidence is the least whatlanggo confidence taken as a call.
const minConfidence = 0.2

// Detect returns the language of text.
func Detect(text string) Result {
	letters, han, kana, hangul := 0, 0, 0, 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
			switch {
			case unicode.Is(unicode.Han, r):
				han++
			case unicode.In(r, unicode.Hiragana, unicode.Katakana):
				kana++
			case unicode.Is(unicode.Hangul, r):
				hangul++
			}
		}
	}
	// The script decides for Chinese, Japanese and Korean however short
	// the text: a character carries about as much as a Latin word, so
	// five characters outweigh twenty Latin letters.
	switch cjk := han + kana + hangul; {
	case cjk < 5 || 4*cjk < letters:
	case kana > 0:
		return Result{Lang: "ja", Confidence: 1}
	case hangul > han:
		return Result{Lang: "ko", Confidence: 1}
	default:
		return Result{Lang: "zh", Confidence: 1}
	}
	if englishByFunctionWords(text) {
		return Result{Lang: "en", Confidence: 1}
	}
	if letters < minLetters {
		return Result{}
	}
	r, spelled := trigramCall(text)
	if r.Lang != "" && r.Lang != "en" && !runningText(measureText(text, tokenize.StopWordTest(r.Lang)), spelled) {
		// Trigrams of names, figures or binary data: no call (analysed
		// as English, with a warning). English calls are left alone:
		// the document is analysed as English either way.
		return Result{}
	}
	return r
}

// trigramCall is whatlanggo's call on text, with the spelling rules for
// the pairs its profiles confuse; spelled says a spelling rule made the
// call.
func trigramCall(text string) (r Result, spelled bool) {
	info := whatlanggo.Detect(cut(text, modelBytes))
	switch info.Lang {
	case whatlanggo.Rus, whatlanggo.Bul, whatlanggo.Ukr, whatlanggo.Srp, whatlanggo.Mkd, whatlanggo.Bel:
		// The trigram profiles of these languages are close (Russian text
		// came out Bulgarian, or Russian with confidence 0.03); the
		// alphabets are not.
		if russianLetters(text) {
			return Result{Lang: "ru", Confidence: 1}, true
		}
	case whatlanggo.Afr, whatlanggo.Nld:
		// Dutch text came out Afrikaans, or not called; their spellings
		// differ where the profiles do not.
		if code := dutchOrAfrikaans(text); code != "" {
			return Result{Lang: code, Confidence: 1}, true
		}
	}
	// Confidence 0 means the two best languages tied; whatlanggo then
	// returns either, by map order: no call, so that runs are reproducible.
	// Below minConfidence the call is a guess (short English posts came out
	// German, Afrikaans, Norwegian): no call either.
	if info.Lang < 0 || info.Confidence < minConfidence {
		return Result{}, false
	}
	code := info.Lang.Iso6391()
	if code == "" {
		code = info.Lang.Iso6393()
	}
	return Result{Lang: code, Confidence: info.Confidence}, false
}

// A call other than English must rest on evidence of language, not on
// trigrams of whatever the text holds. whatlanggo calls any string of
// letters something: 20 Newsgroups tables of hockey scores ("Player Team
// GP G A Pts") came out French with confidence 1.00, uuencoded binaries
// ("M)B9R&KJZ…") Portuguese, Haitian, Tagalog, a C comment box Norwegian.
// Running text in any language is made of words, most of them in lower
// case where the script has case, and a good share of them the language's
// function words. Letters English does not write (ä, é, ß, Cyrillic…) and
// the spelling rules below are evidence of another language by themselves:
// a German list of names ("Freilichtbühne Katzweiler Förderkreis") is
// German. The bars are below what prose of the labelled sets shows
// (docs/EVAL.md) and above what tables and binary show.
const (
	// minWordShare is the least share of the text's non-space characters
	// that are letters of words: web prose 0.58 or more (median 0.93 to
	// 0.97), uuencoded binaries under 0.05.
	minWordShare = 0.5
	// minLowerShare is the least share of words in a script with case that
	// start in lower case: web prose of the labelled sets 0.30 or more
	// where this bar decides (median 0.64 in German, which capitalises
	// nouns, 0.84 to 0.90 in the others), tables of names and
	// abbreviations 0 to 0.30. Set on those sets (a first bar of 1/3,
	// without the exemptions, rejected 10 labelled German, Spanish and
	// Dutch documents): the margin to the closest table, 0.295, is thin.
	minLowerShare = 0.3
	// minStopShare is the least share of words that are function words of
	// the called language, for the languages framelens has a stop list of
	// (stages/tokenize): web prose 0.06 or more (median 0.35 to 0.47),
	// tables 0 to 0.13. At strongStopShare function words are evidence
	// enough without the lower-case bar (German lists of titles and
	// names, "Doris Dörrie Happy Ein Drama … Die Frau im Pelzmantel").
	minStopShare    = 0.05
	strongStopShare = 0.15
	// minCased is how many words with case the lower-case bar needs.
	minCased = 10
	// minForeign is how many letters of words outside ASCII make a call
	// stand without the lower-case and function-word bars.
	minForeign = 3
)

// textEvidence counts what a call rests on. A word is a whitespace-separated
// chunk that, its edge punctuation and symbols trimmed, is letters (and
// marks, format characters, inner apostrophes, hyphens and dots) only: "(the", "«mot»," are
// words, "M)B9R&KJZ", "1990s" and "x->next" are not.
type textEvidence struct {
	nonSpace, wordLetters int
	// foreign counts the letters of words outside ASCII; letters and
	// nonASCII count every letter of the text, and those outside ASCII.
	foreign, letters, nonASCII int
	words, cased, lower        int
	// stop counts function words; hasStop says whether the language has a
	// stop list to count them with.
	stop    int
	hasStop bool
}

func measureText(text string, stop func(string) bool) textEvidence {
	e := textEvidence{hasStop: stop != nil}
	trim := func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }
	for _, chunk := range strings.Fields(text) {
		for _, r := range chunk {
			e.nonSpace++
			if unicode.IsLetter(r) {
				e.letters++
				if r >= utf8.RuneSelf {
					e.nonASCII++
				}
			}
		}
		w := strings.TrimFunc(chunk, trim)
		letters, foreign, ok := 0, 0, true
		for _, r := range w {
			switch {
			case unicode.IsLetter(r):
				letters++
				if r >= utf8.RuneSelf {
					foreign++
				}
			case unicode.IsMark(r):
				// A vowel sign or accent is part of its letter (Indic
				// scripts write a third of their characters so).
				letters++
			case unicode.Is(unicode.Cf, r), r == '\'', r == '’', r == '-', r == '.', r == '·':
				// Format characters: soft hyphens (Belarusian web
				// text), zero-width joiners (Persian, Indic scripts).
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if !ok || letters == 0 {
			continue
		}
		e.words++
		e.wordLetters += letters
		e.foreign += foreign
		if first, _ := utf8.DecodeRuneInString(w); unicode.IsLower(first) {
			e.cased++
			e.lower++
		} else if unicode.IsUpper(first) || unicode.IsTitle(first) {
			e.cased++
		}
		if stop != nil {
			lower := strings.ToLower(w)
			// French l'homme, qu'il, Italian dell'anno: the elided
			// article or conjunction is the function word.
			head, _, elided := strings.Cut(strings.ReplaceAll(lower, "’", "'"), "'")
			if stop(lower) || elided && stop(head) {
				e.stop++
			}
		}
	}
	return e
}

// runningText reports whether e shows running text: enough letters in
// words, most of the text words, and letters English does not write, a
// spelling rule's call (spelled), or (where measurable) words in lower case
// and function words of the language.
func runningText(e textEvidence, spelled bool) bool {
	switch {
	case 2*e.nonASCII >= e.letters && e.letters > 0:
		// Most letters outside ASCII: the script is the evidence
		// (Thai, written without spaces between words, has no
		// whitespace-separated words to measure).
		return true
	case e.wordLetters < minLetters:
		return false
	case float64(e.wordLetters) < minWordShare*float64(e.nonSpace):
		return false
	case spelled || e.foreign >= minForeign:
		return true
	case e.hasStop && float64(e.stop) < minStopShare*float64(e.words):
		return false
	case e.hasStop && float64(e.stop) >= strongStopShare*float64(e.words):
		return true
	}
	return e.cased < minCased || float64(e.lower) >= minLowerShare*float64(e.cased)
}

// russianLetters reports whether Cyrillic text is spelled in the Russian
// alphabet: it has ы or э, which Ukrainian, Bulgarian, Serbian and
// Macedonian lack, and none of the letters of the other alphabets that have
// them (Belarusian і ў, Kazakh, Kyrgyz, Tatar, Mongolian ә ғ қ ң ө ұ ү һ җ),
// nor of Ukrainian, Serbian or Macedonian (ї є ґ ј љ њ ћ џ ѓ ќ ѕ).
func russianLetters(text string) bool {
	return strings.ContainsAny(text, "ыЫэЭ") && !strings.ContainsAny(strings.ToLower(text), "іїєґўјљњћџѓќѕәғқңөұүһҗ")
}

// dutchOrAfrikaans tells Dutch from Afrikaans by spelling: Afrikaans
// writes y where Dutch writes ij (hy/hij, tyd/tijd, by/bij), and has the
// article 'n and the negation nie where Dutch has een and niet (een and
// het are Afrikaans words too: the numeral, the auxiliary). It returns
// "" when neither outweighs the other three to one.
func dutchOrAfrikaans(text string) string {
	nl, af := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\'' && r != '’'
	}) {
		switch {
		case strings.Contains(w, "ij"), w == "niet", w == "werd", w == "wordt", w == "zich":
			nl++
		case w == "'n", w == "’n", w == "nie", w == "hy", w == "sy", w == "jy", w == "ek", w == "wees":
			af++
		}
	}
	switch {
	case nl > 0 && nl >= 3*af:
		return "nl"
	case af > 0 && af >= 3*nl:
		return "af"
	}
	return ""
}

// englishOnly are frequent English words that are not words of the other
// Latin-script languages whatlanggo knows well enough to confuse: no "in",
// "is", "was", "a", "on" (Dutch, German, Italian, Spanish…).
var englishOnly = wordSet(`the and of that with which this have from were their would been for are it not
you your they them will what should could there about we he she his her him can just do does did don any
some how why who up out one but if thanks please anybody anyone someone something know has had where when
then than these those other such only all would`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// englishByFunctionWords is the fast path for the common case: among the
// first 300 words, at least one in eight is an English-only function word
// (about a third in English prose, almost none in other languages). Anything
// else goes to the trigram model. Most corpora are mostly English, and the
// trigram model costs milliseconds a document.
func englishByFunctionWords(text string) bool {
	words, hits := 0, 0
	var buf [8]byte
	for i := 0; i < len(text) && words < 300; {
		c := text[i]
		if c < 0x80 && !isASCIILetter(c) {
			i++
			continue
		}
		j, ascii := i, true
		for j < len(text) && (text[j] >= 0x80 || isASCIILetter(text[j])) {
			ascii = ascii && text[j] < 0x80
			j++
		}
		words++
		if !ascii {
			// Any non-ASCII byte (a letter, or a curly quote): not an
			// English-only word.
			i = j
			continue
		}
		if n := j - i; n <= len(buf) {
			for k := 0; k < n; k++ {
				buf[k] = text[i+k] | 0x20
			}
			if englishOnly[string(buf[:n])] {
				hits++
			}
		}
		i = j
	}
	return words >= 6 && hits*8 >= words
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
