package tokenize

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
)

// defaultStopList is the default English stop list: English function
// words, which say little about what a text is about and, being frequent,
// crowd the top of every term ranking. It is the union of
//
//   - the Snowball English stop list (M. Porter, snowballstem.org,
//     algorithms/english/stop.txt) with the words NLTK's copy of it adds
//     (can, will, just, now, don, s, t), as kljensen/snowball exposes it;
//   - the modal verbs it lacks (may, might, must, shall);
//   - the closed-class words of the Glasgow IR list (van Rijsbergen 1979;
//     scikit-learn's ENGLISH_STOP_WORDS) that Snowball lacks: pronouns (us,
//     one, anyone, everything, …), prepositions (upon, among, within,
//     without, via, per, …), conjunctions (although, though, whether,
//     whereas, …) and connective adverbs (also, however, therefore, thus,
//     hence, moreover, indeed, yet, …);
//   - closed-class words of the same kinds that neither list holds (unless,
//     despite, whilst, unto, till, alongside, whichever, whomever, ones,
//     oneself, anybody, everybody, somebody, furthermore, nonetheless,
//     quite);
//   - the pieces the tokenizer splits contractions into (n't, 's, 'm, 're,
//     've, 'll, 'd and the stems ca, wo, sha of can't, won't, shan't).
//
// The Glasgow list's content words (bill, fire, system, amount, interest),
// numerals (two … hundred, first, third), verbs (become, seem, get, give,
// find, made, show, take) and adverbs of frequency and degree (never,
// always, often, sometimes, almost, less, least, well) are left out: they
// can carry a text's meaning ("never again", "two-state solution",
// "well-being"), and a corpus linguist would not drop them unasked. "one"
// is in: its pronoun and determiner uses ("one of the", "no one", "one
// another") make most of its count, unlike the other numerals'.
const defaultStopList = `
i me my myself we our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs themselves
what which who whom this that these those am is are was were be been being
have has had having do does did doing would should could ought
i'm you're he's she's it's we're they're i've you've we've they've
i'd you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll
isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't
won't wouldn't shan't shouldn't can't cannot couldn't mustn't
let's that's who's what's here's there's when's where's why's how's
a an the and but if or because as until while of at by for with about against
between into through during before after above below to from up down in out
on off over under again further then once here there when where why how
all any both each few more most other some such no nor not only own same so
than too very
can will just now don s t

may might must shall

us one ones oneself anyone anybody anything everyone everybody everything
someone somebody something nobody none nothing another others whoever whatever
whichever whomever whose whenever wherever either neither every many much

upon among amongst within without via per onto toward towards across along
alongside around behind beside besides beyond despite throughout till unto
whilst

although though whether unless whereas whereby wherein thereby therein
since yet

also however therefore thus hence moreover furthermore nevertheless
nonetheless indeed otherwise rather quite perhaps even still already else
ever etc anyhow anyway anywhere everywhere nowhere somewhere somehow sometime
elsewhere afterwards meanwhile namely eg ie except latter mine noone several thru
hereafter hereby herein hereupon thereafter thereupon thence whence whereafter
whereupon whither

n't 's 'm 're 've 'll 'd ca wo sha
`

// StopList is a set of lower-cased stop words.
type StopList map[string]bool

// DefaultStopList returns a fresh copy of the default English stop list.
func DefaultStopList() StopList {
	s := StopList{}
	for w := range strings.FieldsSeq(defaultStopList) {
		s[w] = true
	}
	return s
}

// ErrStopWords is wrapped by the errors of a stop-word file that cannot be
// used.
var ErrStopWords = errors.New("tokenize: stop-word file")

// ReadStopWords reads a UTF-8 stop-word file: one word per line, "#"
// starts a comment, case ignored, curly apostrophes read as straight ones.
func ReadStopWords(path string) (StopList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w (tokenize.stop_words_file, tokenize.extra_stop_words_file)", ErrStopWords, err)
	}
	defer f.Close()
	stop := StopList{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		w := strings.ToLower(strings.TrimSpace(text))
		if w == "" {
			continue
		}
		if strings.ContainsAny(w, " \t") {
			return nil, fmt.Errorf("%w %s:%d: %q holds white space; write one word per line (tokens never contain spaces)", ErrStopWords, path, line, w)
		}
		stop[strings.ReplaceAll(w, "’", "'")] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrStopWords, path, err)
	}
	return stop, nil
}

// has looks the lower-cased token up: curly apostrophes as straight ones,
// and a clitic the list does not hold as the word it stands for ("n't" as
// "not", "'s" as "s", "'re" as "re"), as lists written for whole words
// expect.
func (s StopList) has(lower string) bool {
	w := lower
	if strings.Contains(w, "’") {
		w = strings.ReplaceAll(w, "’", "'")
	}
	if s[w] {
		return true
	}
	switch {
	case w == "n't":
		return s["not"]
	case w == "ca":
		return s["can"]
	case w == "wo":
		return s["will"]
	case len(w) > 1 && w[0] == '\'':
		return s[w[1:]]
	}
	return false
}

// keepsProperNoun reports whether a stop word written capitalised and
// tagged as a proper noun is a name instead: the month "May", "Will",
// "Can" (the river), not the modals. ("US" is decided by the Tokenizer.)
func keepsProperNoun(lower, text, tag string) bool {
	if tag != "NNP" && tag != "NNPS" || text == lower {
		return false
	}
	switch lower {
	case "may", "will", "can":
		return true
	}
	return false
}
