package tokenize

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/framelens/framelens/corpus/document"
)

// Chinese segments Chinese text into sentences and words.
//
// Words come from github.com/go-ego/gse (pure Go, Apache-2.0/MIT): jieba's
// dictionary of Simplified and Traditional words with their frequencies
// and part-of-speech tags, shortest-path (maximum probability) segmentation
// over the dictionary, without jieba's hidden Markov model for words the
// dictionary lacks (it costs precision on news text). Measured on the SIGHAN 2005 PKU test
// set beside jieba itself: docs/EVAL.md ("Chinese word segmentation").
//
// Tags: gse's ICTCLAS-style tags are mapped to the Penn tags the later
// stages read (pennOfGse), so that key phrases find noun phrases (JJ/NN
// runs) in Chinese as in English. Lemma and stem are the word itself:
// Chinese does not inflect. Stop words are gse's embedded stop_tokens list
// (jieba-derived function words and punctuation).
type Chinese struct {
	seg  gse.Segmenter
	stop map[string]bool
}

var (
	chineseOnce sync.Once
	chinese     *Chinese
	chineseErr  error
)

// LoadChinese returns the Chinese segmenter, loading gse's dictionaries
// once per process (about a second and 100 MB): only runs that meet a
// Chinese document pay for it.
func LoadChinese() (*Chinese, error) {
	chineseOnce.Do(func() {
		c := &Chinese{}
		c.seg.SkipLog = true
		if err := c.seg.LoadDictEmbed("zh"); err != nil {
			chineseErr = fmt.Errorf("tokenize: loading gse's Chinese dictionary: %w", err)
			return
		}
		c.seg.LoadModel()
		if err := c.seg.LoadStopEmbed(); err != nil {
			chineseErr = fmt.Errorf("tokenize: loading gse's Chinese stop words: %w", err)
			return
		}
		c.stop = c.seg.StopWordMap
		chinese = c
	})
	return chinese, chineseErr
}

// Cut returns the words of text with gse's tags: gse's own shortest-path
// segmentation over the dictionary, without the HMM for unknown words
// (on PKU the HMM joins more than it finds: F1 0.794 with it, 0.827
// without; docs/EVAL.md).
func (c *Chinese) Cut(text string) []gse.SegPos { return c.seg.Pos(text) }

// Tag returns the Penn tag of a word with gse's tag pos.
func (c *Chinese) Tag(word, pos string) string {
	if pos != "" {
		return pennOfGse(pos, word)
	}
	r, _ := utf8.DecodeRuneInString(word)
	switch {
	case isPunct(word):
		return punctTag(word)
	case unicode.IsDigit(r) || strings.ContainsRune("零一二三四五六七八九十百千万亿两", r) && utf8.RuneCountInString(word) > 1 && allNumeral(word):
		return "CD"
	case r < 0x80 && unicode.IsLetter(r):
		return "FW"
	}
	// Words the dictionary lacks are mostly names and new terms.
	return "NN"
}

func allNumeral(w string) bool {
	for _, r := range w {
		if !strings.ContainsRune("零一二三四五六七八九十百千万亿两点〇", r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// pennOfGse maps gse's (ICTCLAS/jieba) tags to Penn Treebank tags.
func pennOfGse(pos, word string) string {
	switch pos {
	case "nr", "nrfg", "nrt", "ns", "nt", "nz", "j":
		return "NNP"
	case "n", "ng", "nl", "vn", "an", "t", "tg", "s", "i", "l", "g", "k", "x":
		if pos == "x" && isPunct(word) {
			return punctTag(word)
		}
		return "NN"
	case "v", "vd", "vg", "vi", "vq":
		return "VB"
	case "a", "ag", "ad", "b", "z", "h":
		if pos == "ad" {
			return "RB"
		}
		return "JJ"
	case "d", "dg":
		return "RB"
	case "m", "mq", "q", "qg":
		return "CD"
	case "p", "f":
		return "IN"
	case "c":
		return "CC"
	case "u", "ud", "ug", "uj", "ul", "uv", "uz", "y":
		return "RP"
	case "r", "rg", "rr", "rz":
		return "PRP"
	case "e", "o":
		return "UH"
	case "eng":
		return "FW"
	case "w":
		return punctTag(word)
	}
	return "NN"
}

func punctTag(w string) string {
	switch w {
	case "。", "！", "？", "!", "?", ".", "…", "……":
		return "."
	case "，", "、", ",", "；", ";":
		return ","
	case "：", ":":
		return ":"
	case "（", "(", "【", "[", "《", "〈", "「", "『":
		return "-LRB-"
	case "）", ")", "】", "]", "》", "〉", "」", "』":
		return "-RRB-"
	case "“", "‘":
		return "``"
	case "”", "’":
		return "''"
	}
	return "SYM"
}

// sentenceEnd says whether r ends a Chinese sentence.
func sentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '；', '…':
		return true
	}
	return false
}

// closer says whether r, after a sentence end, belongs to the sentence.
func closer(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '】', '》', '"', '\'', '…', '。', '！', '？', '!', '?':
		return true
	}
	return false
}

// AppendSentences appends the sentence spans of text: each ends after a
// run of 。！？；… and the closing quotes or brackets that follow it, or
// at a blank line or line end (headings, list items).
func AppendSentences(dst []Span, text string) []Span {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			e := end
			for e > start && unicode.IsSpace(rune(text[e-1])) {
				e--
			}
			if e > start {
				dst = append(dst, Span{Start: start, End: e})
			}
		}
		start = -1
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			flush(i)
		case start < 0 && unicode.IsSpace(r):
		case start < 0:
			start = i
		}
		i += n
		if sentenceEnd(r) && start >= 0 {
			for i < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[i:])
				if !closer(r2) {
					break
				}
				i += n2
			}
			flush(i)
		}
	}
	flush(len(text))
	return dst
}

// chineseSection tokenizes one analysed section of a Chinese document.
func (t *Tokenizer) chineseSection(ctx context.Context, zh *Chinese, doc *document.Document, si int, sec document.Section) error {
	text := doc.Clean
	sents := AppendSentences(nil, text[sec.Start:sec.End])
	for n, sp := range sents {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		start, end := sec.Start+sp.Start, sec.Start+sp.End
		ts := len(doc.Tokens)
		sentIdx := len(doc.Sentences)
		// gse lower-cases ASCII letters: words are found in an ASCII
		// lower-cased copy (same byte offsets) and read from the text.
		low := asciiLower(text[start:end])
		pos := 0
		pending := ""
		for _, sp := range zh.Cut(text[start:end]) {
			// gse can cut inside a character ("20％"): pieces are joined
			// until they spell whole characters again.
			w := sp.Text
			if w = pending + w; !utf8.ValidString(w) {
				pending = w
				continue
			}
			pending = ""
			k := strings.Index(low[pos:], asciiLower(w))
			if k < 0 {
				continue // never seen; the text is not lost, only this word
			}
			ws := start + pos + k
			pos += k + len(w)
			if strings.TrimSpace(w) == "" {
				continue
			}
			w = text[ws : start+pos]
			lower := strings.ToLower(w)
			tok := document.Token{Start: ws, End: start + pos, Text: w, Lower: lower, Lemma: lower, Stem: lower,
				Sentence: sentIdx, IsPunct: isPunct(w)}
			// English words inside Chinese text are checked against the English list.
			tok.IsStop = zh.stop[w] || isASCII(lower) && t.stop.has(lower)
			if !t.cfg.NoTags {
				tok.POS = zh.Tag(w, sp.Pos)
			}
			doc.Tokens = append(doc.Tokens, tok)
		}
		doc.Sentences = append(doc.Sentences, document.Sentence{
			Index: sentIdx, Section: si, Start: start, End: end,
			TokenStart: ts, TokenEnd: len(doc.Tokens),
		})
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiLower lower-cases ASCII letters only, keeping every byte offset.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
