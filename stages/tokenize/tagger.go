package tokenize

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/jdkato/prose/v2"
	"github.com/mingrammer/commonregex"
)

// Tagger assigns Penn Treebank tags with prose's averaged-perceptron model
// (a port of TextBlob's tagger), loaded once from the weights prose embeds.
//
// prose's own tagger is unexported and builds a map of feature strings per
// token; this re-implementation predicts with the same weights and the same
// features, but looks features up through interned word and suffix ids and
// sums weights from a compact row table, several times faster. It is
// read-only after NewTagger and safe for concurrent use.
type Tagger struct {
	classes []string
	nClass  int
	// dict holds words whose tag prose fixes without prediction.
	dict map[string]string

	// interning of feature values
	wordID map[string]int32 // context words (normalised)
	sufID  map[string]int32 // suffixes of up to 3 bytes
	tagID  map[string]int32 // tags as context
	// classTag[c] is the tag id of class c (-1 if it never occurs as context).
	classTag []int32

	// feature rows by template; -1 = no weights
	bias                                   int32
	iSuffix, prev1Suffix, next1Suffix      []int32 // by suffix id
	iPref1                                 [256]int32
	prev1Tag, prev2Tag                     []int32 // by tag id
	tagPair                                []int32 // [p1*nTags+p2]
	iWord, prev1Word, prev2Word, next1Word []int32 // by word id
	next2Word                              []int32
	tagWord                                map[uint64]int32 // tag id<<32 | word id

	rowStart  []int32 // CSR: weights of row r are [rowStart[r], rowStart[r+1])
	rowClass  []uint8
	rowWeight []float64

	start1, start2, end1, end2 int32 // word ids of the padding words
	sufStart1, sufStart2       int32 // suffix ids of the padding words
	sufEnd1, sufEnd2           int32
	startTag1, startTag2       int32 // tag ids of "-START-", "-START2-"
}

// TagWord is the tagger's view of one token, computed once per word form.
type TagWord struct {
	// Fixed is the tag set by rule or by the tag dictionary, "" when the
	// tag is predicted.
	Fixed string
	// FixedID is the context tag id of Fixed (-1 if unknown).
	FixedID int32
	norm    int32 // word id of the normalised form
	normSuf int32 // suffix id of the normalised form
	suf     int32 // suffix id of the token's own last 3 bytes
	pref    byte
}

var (
	noneRE = regexp.MustCompile(`^(?:0|\*[\w?]\*|\*\-\d{1,3}|\*[A-Z]+\*\-\d{1,3}|\*)$`)
	keepRE = regexp.MustCompile(`^\-[A-Z]{3}\-$`)
)

// feature templates, named as in prose's featurize
var templates = []string{
	"i tag+i-2 tag ", "i-1 tag+i word ", "i-1 tag ", "i-2 tag ", "i suffix ",
	"i pref1 ", "i word ", "i-1 word ", "i-1 suffix ", "i-2 word ",
	"i+1 word ", "i+1 suffix ", "i+2 word ",
}

// proseTagger is the decoded model, shared by every Tokenizer of the
// process. Decoding prose's weights takes about 0.2 s and 60 MB of
// garbage, which a test or a library caller building several pipelines paid
// on each Run; the Tagger is immutable once built, so one copy is safe to
// share, and the sync.Once is the only state.
var proseTagger struct {
	once sync.Once
	t    *Tagger
	err  error
}

// NewTagger returns prose's embedded model, decoded on the first call of
// the process.
func NewTagger() (*Tagger, error) {
	proseTagger.once.Do(func() { proseTagger.t, proseTagger.err = decodeTagger() })
	return proseTagger.t, proseTagger.err
}

// decodeTagger decodes prose's embedded model.
func decodeTagger() (*Tagger, error) {
	var (
		classes []string
		dict    map[string]string
		weights map[string]map[string]float64
	)
	for _, a := range []struct {
		name string
		v    any
	}{{"classes.gob", &classes}, {"tags.gob", &dict}, {"weights.gob", &weights}} {
		b, err := prose.Asset("model/AveragedPerceptron/" + a.name)
		if err != nil {
			return nil, fmt.Errorf("tokenize: prose tagger asset %s: %w", a.name, err)
		}
		if err := gob.NewDecoder(bytes.NewReader(b)).Decode(a.v); err != nil {
			return nil, fmt.Errorf("tokenize: decoding prose tagger asset %s: %w", a.name, err)
		}
	}
	if len(classes) > 255 {
		return nil, fmt.Errorf("tokenize: prose tagger has %d classes, at most 255 supported", len(classes))
	}
	t := &Tagger{
		classes: classes, nClass: len(classes), dict: dict,
		wordID: map[string]int32{}, sufID: map[string]int32{}, tagID: map[string]int32{},
		tagWord: map[uint64]int32{}, bias: -1,
	}
	classIdx := make(map[string]uint8, len(classes))
	for i, c := range classes {
		classIdx[c] = uint8(i)
	}
	for i := range t.iPref1 {
		t.iPref1[i] = -1
	}
	for _, tag := range []string{"-START-", "-START2-"} {
		t.internTag(tag)
	}
	for _, c := range classes {
		t.internTag(c)
	}
	for _, tag := range dict {
		t.internTag(tag)
	}
	for _, tag := range []string{"-", "SYM", "NN", "-NONE-"} {
		t.internTag(tag)
	}
	for _, w := range []string{"-START-", "-START2-", "-END-", "-END2-"} {
		t.internWord(w)
	}

	type feat struct {
		tmpl      int // index into templates, -1 = bias
		a, b      string
		row       int32
		classWeig map[string]float64
	}
	var feats []feat
	for key, cw := range weights {
		f := feat{tmpl: -2, classWeig: cw}
		if key == "bias" {
			f.tmpl = -1
		} else {
			for ti, p := range templates {
				if strings.HasPrefix(key, p) {
					f.tmpl, f.a = ti, key[len(p):]
					break
				}
			}
		}
		switch f.tmpl {
		case -2:
			continue // a feature prose never generates
		case 0, 1: // "<tag> <tag>", "<tag> <word>"
			i := strings.IndexByte(f.a, ' ')
			if i < 0 {
				continue
			}
			f.a, f.b = f.a[:i], f.a[i+1:]
			t.internTag(f.a)
			if f.tmpl == 0 {
				t.internTag(f.b)
			} else {
				t.internWord(f.b)
			}
		case 2, 3:
			t.internTag(f.a)
		case 4, 8, 11:
			t.internSuf(f.a)
		case 6, 7, 9, 10, 12:
			t.internWord(f.a)
		}
		feats = append(feats, f)
	}
	nTag, nWord, nSuf := len(t.tagID), len(t.wordID), len(t.sufID)
	mk := func(n int) []int32 {
		s := make([]int32, n)
		for i := range s {
			s[i] = -1
		}
		return s
	}
	t.iSuffix, t.prev1Suffix, t.next1Suffix = mk(nSuf), mk(nSuf), mk(nSuf)
	t.prev1Tag, t.prev2Tag, t.tagPair = mk(nTag), mk(nTag), mk(nTag*nTag)
	t.iWord, t.prev1Word, t.prev2Word, t.next1Word, t.next2Word = mk(nWord), mk(nWord), mk(nWord), mk(nWord), mk(nWord)

	t.rowStart = append(t.rowStart, 0)
	for _, f := range feats {
		row := int32(len(t.rowStart) - 1)
		for c, w := range f.classWeig {
			ci, ok := classIdx[c]
			if !ok {
				return nil, fmt.Errorf("tokenize: prose tagger weight for unknown class %q", c)
			}
			t.rowClass = append(t.rowClass, ci)
			t.rowWeight = append(t.rowWeight, w)
		}
		t.rowStart = append(t.rowStart, int32(len(t.rowClass)))
		switch f.tmpl {
		case -1:
			t.bias = row
		case 0:
			t.tagPair[int(t.tagID[f.a])*nTag+int(t.tagID[f.b])] = row
		case 1:
			t.tagWord[uint64(t.tagID[f.a])<<32|uint64(t.wordID[f.b])] = row
		case 2:
			t.prev1Tag[t.tagID[f.a]] = row
		case 3:
			t.prev2Tag[t.tagID[f.a]] = row
		case 4:
			t.iSuffix[t.sufID[f.a]] = row
		case 5:
			// prose writes the first byte b as string(rune(b))
			for b := 0; b < 256; b++ {
				if string(rune(b)) == f.a {
					t.iPref1[b] = row
				}
			}
		case 6:
			t.iWord[t.wordID[f.a]] = row
		case 7:
			t.prev1Word[t.wordID[f.a]] = row
		case 8:
			t.prev1Suffix[t.sufID[f.a]] = row
		case 9:
			t.prev2Word[t.wordID[f.a]] = row
		case 10:
			t.next1Word[t.wordID[f.a]] = row
		case 11:
			t.next1Suffix[t.sufID[f.a]] = row
		case 12:
			t.next2Word[t.wordID[f.a]] = row
		}
	}
	t.classTag = make([]int32, len(classes))
	for i, c := range classes {
		t.classTag[i] = t.tagID[c]
	}
	t.start1, t.start2 = t.wordID["-START-"], t.wordID["-START2-"]
	t.end1, t.end2 = t.wordID["-END-"], t.wordID["-END2-"]
	t.startTag1, t.startTag2 = t.tagID["-START-"], t.tagID["-START2-"]
	t.sufStart1, t.sufStart2 = t.lookupSuf(suffix3("-START-")), t.lookupSuf(suffix3("-START2-"))
	t.sufEnd1, t.sufEnd2 = t.lookupSuf(suffix3("-END-")), t.lookupSuf(suffix3("-END2-"))
	return t, nil
}

func (t *Tagger) internTag(s string) int32 {
	if id, ok := t.tagID[s]; ok {
		return id
	}
	id := int32(len(t.tagID))
	t.tagID[s] = id
	return id
}

func (t *Tagger) internWord(s string) int32 {
	if id, ok := t.wordID[s]; ok {
		return id
	}
	id := int32(len(t.wordID))
	t.wordID[s] = id
	return id
}

func (t *Tagger) internSuf(s string) int32 {
	if id, ok := t.sufID[s]; ok {
		return id
	}
	id := int32(len(t.sufID))
	t.sufID[s] = id
	return id
}

func (t *Tagger) lookupWord(s string) int32 {
	if id, ok := t.wordID[s]; ok {
		return id
	}
	return -1
}

func (t *Tagger) lookupSuf(s string) int32 {
	if id, ok := t.sufID[s]; ok {
		return id
	}
	return -1
}

func (t *Tagger) lookupTag(s string) int32 {
	if id, ok := t.tagID[s]; ok {
		return id
	}
	return -1
}

func suffix3(s string) string { return s[len(s)-min(len(s), 3):] }

// Word computes the tagger's view of a token text, written as prose's
// tokenizer writes it (straight quotes). It is pure, so callers may cache it
// per word form.
func (t *Tagger) Word(w string) TagWord {
	tw := TagWord{FixedID: -1, norm: -1, normSuf: -1, suf: -1}
	if w == "" {
		tw.Fixed = "-NONE-"
		tw.FixedID = t.lookupTag(tw.Fixed)
		return tw
	}
	switch {
	case w == "-":
		tw.Fixed = "-"
	case emoticons[w]:
		tw.Fixed = "SYM"
	case strings.IndexByte(w, '.') >= 0 && commonregex.LinkRegex.MatchString(w),
		strings.IndexByte(w, '@') >= 0 && commonregex.EmailRegex.MatchString(w),
		w[0] == '@':
		tw.Fixed = "NN"
	case (w[0] == '0' || w[0] == '*') && noneRE.MatchString(w):
		tw.Fixed = "-NONE-"
	case w[0] == '-' && keepRE.MatchString(w):
		tw.Fixed = w
	default:
		tw.Fixed = t.dict[w]
	}
	if tw.Fixed != "" {
		tw.FixedID = t.lookupTag(tw.Fixed)
	}
	norm := normalize(w)
	tw.norm = t.lookupWord(norm)
	tw.normSuf = t.lookupSuf(suffix3(norm))
	tw.suf = t.lookupSuf(suffix3(w))
	tw.pref = w[0]
	return tw
}

// Knows reports whether the model has the lower-cased word w as a context
// word: whether its training text has it.
func (t *Tagger) Knows(w string) bool {
	return w != "" && t.lookupWord(normalize(w)) >= 0
}

// normalize is prose's normalisation of context words.
func normalize(w string) string {
	if strings.IndexByte(w, '-') > 0 {
		return "!HYPHEN"
	}
	if len(w) == 4 {
		if _, err := strconv.Atoi(w); err == nil {
			return "!YEAR"
		}
	}
	if w[0] >= '0' && w[0] <= '9' {
		return "!DIGITS"
	}
	return strings.ToLower(w)
}

// TagSentence writes the tags of one sentence's words into tags (len(words)
// long). The context starts afresh at each sentence.
func (t *Tagger) TagSentence(words []TagWord, tags []string) {
	var scores [256]float64
	var touched [256]bool
	nTag := len(t.tagID)
	word := func(i int) (id, suf int32) {
		switch {
		case i == -2:
			return t.start1, t.sufStart1
		case i == -1:
			return t.start2, t.sufStart2
		case i == len(words):
			return t.end1, t.sufEnd1
		case i == len(words)+1:
			return t.end2, t.sufEnd2
		}
		return words[i].norm, words[i].normSuf
	}
	p1, p2 := t.startTag1, t.startTag2
	for i := range words {
		w := &words[i]
		var tagID int32
		if w.Fixed != "" {
			tags[i], tagID = w.Fixed, w.FixedID
		} else {
			for c := 0; c < t.nClass; c++ {
				scores[c], touched[c] = 0, false
			}
			add := func(row int32) {
				if row < 0 {
					return
				}
				for k := t.rowStart[row]; k < t.rowStart[row+1]; k++ {
					c := t.rowClass[k]
					scores[c] += t.rowWeight[k]
					touched[c] = true
				}
			}
			add(t.bias)
			if w.suf >= 0 {
				add(t.iSuffix[w.suf])
			}
			add(t.iPref1[w.pref])
			if p1 >= 0 {
				add(t.prev1Tag[p1])
			}
			if p2 >= 0 {
				add(t.prev2Tag[p2])
			}
			if p1 >= 0 && p2 >= 0 {
				add(t.tagPair[int(p1)*nTag+int(p2)])
			}
			if w.norm >= 0 {
				add(t.iWord[w.norm])
				if p1 >= 0 {
					if row, ok := t.tagWord[uint64(p1)<<32|uint64(w.norm)]; ok {
						add(row)
					}
				}
			}
			if id, suf := word(i - 1); id >= 0 || suf >= 0 {
				if id >= 0 {
					add(t.prev1Word[id])
				}
				if suf >= 0 {
					add(t.prev1Suffix[suf])
				}
			}
			if id, _ := word(i - 2); id >= 0 {
				add(t.prev2Word[id])
			}
			if id, suf := word(i + 1); id >= 0 || suf >= 0 {
				if id >= 0 {
					add(t.next1Word[id])
				}
				if suf >= 0 {
					add(t.next1Suffix[suf])
				}
			}
			if id, _ := word(i + 2); id >= 0 {
				add(t.next2Word[id])
			}
			best := -1
			for c := 0; c < t.nClass; c++ {
				if touched[c] && (best < 0 || scores[c] > scores[best]) {
					best = c
				}
			}
			if best < 0 {
				tags[i], tagID = "", -1
			} else {
				tags[i], tagID = t.classes[best], t.classTag[best]
			}
		}
		p2, p1 = p1, tagID
	}
}

// Tag tags one sentence given as token texts in prose's spelling.
func (t *Tagger) Tag(words []string) []string {
	tw := make([]TagWord, len(words))
	for i, w := range words {
		tw[i] = t.Word(w)
	}
	tags := make([]string, len(words))
	t.TagSentence(tw, tags)
	return tags
}

// emoticons is prose's list (MIT licence, github.com/jdkato/prose), which
// its tagger tags SYM.
var emoticons = setOf(
	"(-8", "(-;", "(-_-)", "(._.)", "(:", "(=", "(o:", "(¬_¬)", "(ಠ_ಠ)",
	"(╯°□°）╯︵┻━┻", "-__-", "8-)", "8-D", "8D", ":(", ":((", ":(((", ":()",
	":)))", ":-)", ":-))", ":-)))", ":-*", ":-/", ":-X", ":-]", ":-o", ":-p",
	":-x", ":-|", ":-}", ":0", ":3", ":P", ":]", ":`(", ":`)", ":`-(", ":o",
	":o)", "=(", "=)", "=D", "=|", "@_@", "O.o", "O_o", "V_V", "XDD", "[-:",
	"^___^", "o_0", "o_O", "o_o", "v_v", "xD", "xDD", "¯\\(ツ)/¯",
)
