package lang

import (
	"fmt"
	"strings"

	"github.com/abadojack/whatlanggo"
)

// Support says what the stages do with a language's documents.
type Support struct {
	// Words is how words are found: "english" (Penn Treebank rules),
	// "latin" (the same rules without tags or lemmas), "chinese" (gse
	// dictionary segmentation).
	Words string
	// Tags, Lemmas and Entities are true when the language gets POS tags,
	// lemmas and named entities.
	Tags, Lemmas, Entities bool
	// Stemmer names the Snowball stemmer ("" for none: stem = lower case).
	Stemmer string
	// StopList names the stop list's source ("" for none).
	StopList string
}

// English reports whether code is analysed by the English-only stages:
// English itself, and "" (no call), which is analysed as English.
func English(code string) bool { return code == "en" || code == "" }

// SupportOf returns what documents in language code get. Every language
// gets sentences, tokens, key phrases, tf-idf, topics, frames (with a
// lexicon in that language) and keyness within the language.
func SupportOf(code string) Support {
	switch code {
	case "en", "":
		return Support{Words: "english", Tags: true, Lemmas: true, Entities: true, Stemmer: "english", StopList: "framelens English list"}
	case "zh":
		return Support{Words: "chinese", Tags: true, StopList: "gse stop_tokens (jieba-derived)"}
	case "es", "fr", "ru", "de", "pt", "sv", "no", "nb", "hu":
		return Support{Words: "latin", Stemmer: LanguageName(code), StopList: "Snowball " + LanguageName(code)}
	}
	return Support{Words: "latin"}
}

// LanguageName is the English name of code ("German"), or code itself.
func LanguageName(code string) string {
	if code == "zh" {
		return "Chinese"
	}
	if l, ok := fromISO1[code]; ok {
		return l.String()
	}
	return code
}

// Warning is the documents.warnings entry of a document in language code,
// "" for English. It says plainly what the document does not get.
func Warning(code, source string, confidence float64) string {
	if code == "en" {
		return ""
	}
	if code == "" {
		return "language not identified (too little text to tell): analysed as English"
	}
	s := SupportOf(code)
	how := source
	if source == SourceDetected {
		how = fmt.Sprintf("detected, confidence %.2f", confidence)
	}
	var skipped []string
	if !s.Entities {
		skipped = append(skipped, "named entities")
	}
	if !s.Tags {
		skipped = append(skipped, "part-of-speech tags")
	}
	if !s.Lemmas {
		skipped = append(skipped, "lemmas (lemma = lower-cased form)")
	}
	if s.Stemmer == "" && code != "zh" {
		skipped = append(skipped, "stems (stem = lower-cased form)")
	}
	if s.StopList == "" {
		skipped = append(skipped, "stop words")
	}
	return fmt.Sprintf("language %s (%s, %s) is not English: the English-only stages leave it alone: no %s", code, LanguageName(code), how, strings.Join(skipped, ", no "))
}

var fromISO1 = func() map[string]whatlanggo.Lang {
	m := map[string]whatlanggo.Lang{}
	for _, l := range allLangs() {
		if c := l.Iso6391(); c != "" {
			m[c] = l
		}
	}
	return m
}()

var fromISO3 = func() map[string]whatlanggo.Lang {
	m := map[string]whatlanggo.Lang{}
	for _, l := range allLangs() {
		m[l.Iso6393()] = l
		m[strings.ToLower(l.String())] = l
	}
	return m
}()

func allLangs() []whatlanggo.Lang {
	var out []whatlanggo.Lang
	for l := whatlanggo.Lang(0); l.Iso6393() != ""; l++ {
		out = append(out, l)
	}
	return out
}

// aliases are codes and names whatlanggo does not know for the languages
// framelens supports.
var aliases = map[string]string{
	"chinese": "zh", "zho": "zh", "chi": "zh", "cmn": "zh", "mandarin": "zh",
	"ger": "de", "fre": "fr", "nb": "no", "nn": "no", "nob": "no", "nno": "no", "norwegian": "no",
}

// Normalize turns a manifest's language ("en", "EN-us", "zh-Hans", "zh_TW",
// "deu", "German") into an ISO 639-1 code. ok is false for anything else.
func Normalize(s string) (code string, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	if a, ok := aliases[s]; ok {
		return a, true
	}
	if _, ok := fromISO1[s]; ok || s == "zh" || s == "no" {
		return s, true
	}
	if l, ok := fromISO3[s]; ok {
		if c := l.Iso6391(); c != "" {
			return c, true
		}
		return l.Iso6393(), true
	}
	return "", false
}
