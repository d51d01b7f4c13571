package tokenize

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
	"github.com/longbridgeapp/opencc"

	"github.com/framelens/framelens/corpus/document"
)

// Chinese segments Chinese text into sentences and words.
//
// Words come from github.com/go-ego/gse (pure Go, Apache-2.0/MIT): jieba's
// dictionary of Simplified words with their frequencies and part-of-speech
// tags, shortest-path (maximum probability) segmentation over the
// dictionary, without jieba's hidden Markov model for words the dictionary
// lacks (it costs precision on news text). Measured on the SIGHAN 2005 PKU
// test set beside jieba itself: docs/EVAL.md ("Chinese word segmentation").
//
// Traditional characters: a sentence is converted to Simplified ones
// (github.com/longbridgeapp/opencc, a Go port of OpenCC's t2s tables,
// Apache-2.0) and cut there, and the words are read back from the text as
// written: the conversion keeps every character in place. gse's own
// Traditional dictionary is smaller (認為 came out 認 為), and loading it
// beside the Simplified one cost 0.006 F1 on Simplified text: with the
// conversion, PKU scores F1 0.833 in either script. A word's lemma and stem
// are its Simplified form, so that 經濟 and 经济 are one term in tf-idf,
// topics and keyness, a frame lexicon written in Simplified characters
// matches Traditional text by lemma, and the stop list (Simplified) takes
// 這 and 們.
//
// Tags: gse's ICTCLAS-style tags are mapped to the Penn tags the later
// stages read (pennOfGse), so that key phrases find noun phrases (JJ/NN
// runs) in Chinese as in English. Lemma and stem are the word itself (in
// Simplified characters): Chinese does not inflect. Stop words are gse's
// embedded stop_tokens list (jieba-derived function words and punctuation).
type Chinese struct {
	seg  gse.Segmenter
	stop map[string]bool
	t2s  *opencc.OpenCC
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
		if err := c.seg.LoadDictEmbed("zh_s"); err != nil {
			chineseErr = fmt.Errorf("tokenize: loading gse's Chinese dictionary: %w", err)
			return
		}
		c.seg.LoadModel()
		if err := c.seg.LoadStopEmbed(); err != nil {
			chineseErr = fmt.Errorf("tokenize: loading gse's Chinese stop words: %w", err)
			return
		}
		c.stop = c.seg.StopWordMap
		t2s, err := opencc.New("t2s")
		if err != nil {
			chineseErr = fmt.Errorf("tokenize: loading OpenCC's Traditional-to-Simplified tables: %w", err)
			return
		}
		c.t2s = t2s
		chinese = c
	})
	return chinese, chineseErr
}

// Cut returns the words of text with gse's tags: gse's own shortest-path
// segmentation over the dictionary, without the HMM for unknown words
// (on PKU the HMM joins more than it finds; docs/EVAL.md).
func (c *Chinese) Cut(text string) []gse.SegPos { return c.seg.Pos(text) }

// Simplified returns word in Simplified characters (word itself when it
// has none to change or cannot be converted).
func (c *Chinese) Simplified(word string) string {
	if isASCII(word) {
		return word
	}
	s, err := c.t2s.Convert(word)
	if err != nil {
		return word
	}
	return s
}

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
			// Trailing space is trimmed rune by rune: the last byte of
			// ％ (EF BC 85) or 情 (E6 83 85) is not U+0085.
			for e > start {
				r, n := utf8.DecodeLastRuneInString(text[start:e])
				if !unicode.IsSpace(r) {
					break
				}
				e -= n
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
	var simplified map[string]string // each distinct word converted once
	for n, sp := range sents {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		start, end := sec.Start+sp.Start, sec.Start+sp.End
		ts := len(doc.Tokens)
		sentIdx := len(doc.Sentences)
		// A sentence with Traditional characters is cut in Simplified ones
		// (gse's Traditional entries are fewer: 認為 came out 認 為) when
		// the conversion keeps every character in place, as OpenCC's
		// tables almost always do; toOrig maps the offsets back.
		orig := text[start:end]
		seg, toOrig, wordByWord := orig, []int(nil), false
		if conv := zh.Simplified(orig); conv != orig && utf8.ValidString(orig) {
			if m := runeOffsets(conv, orig); m != nil {
				seg, toOrig = conv, m
			} else {
				wordByWord = true // cut as written, each word converted
				if simplified == nil {
					simplified = map[string]string{}
				}
			}
		}
		// gse lower-cases ASCII letters: words are found in an ASCII
		// lower-cased copy (same byte offsets) and read from the text.
		low := asciiLower(seg)
		pos := 0
		pending := ""
		for _, sp := range zh.Cut(seg) {
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
			ss, se := pos+k, pos+k+len(w)
			pos = se
			if strings.TrimSpace(w) == "" {
				continue
			}
			ws, we := start+ss, start+se
			if toOrig != nil {
				ws, we = start+toOrig[ss], start+toOrig[se]
			}
			w = text[ws:we]
			lower := strings.ToLower(w)
			simp := lower
			switch {
			case toOrig != nil:
				simp = strings.ToLower(seg[ss:se])
			case wordByWord:
				var ok bool
				if simp, ok = simplified[lower]; !ok {
					simp = zh.Simplified(lower)
					simplified[lower] = simp
				}
			}
			tok := document.Token{Start: ws, End: we, Text: w, Lower: lower, Lemma: simp, Stem: simp,
				Sentence: sentIdx, IsPunct: isPunct(w)}
			// English words inside Chinese text are checked against the English list.
			tok.IsStop = zh.stop[w] || zh.stop[simp] || isASCII(lower) && t.stop.has(lower)
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

// runeOffsets maps each rune-start byte offset of conv (and len(conv)) to
// the byte offset of the same rune in orig, or returns nil when the two do
// not have the same number of runes.
func runeOffsets(conv, orig string) []int {
	if utf8.RuneCountInString(conv) != utf8.RuneCountInString(orig) {
		return nil
	}
	m := make([]int, len(conv)+1)
	j := 0
	for i := range conv {
		m[i] = j
		_, n := utf8.DecodeRuneInString(orig[j:])
		j += n
	}
	m[len(conv)] = len(orig)
	return m
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
