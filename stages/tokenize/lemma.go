package tokenize

import (
	"fmt"
	"strings"
	"sync"

	"github.com/aaaton/golem/v4/dicts/en"
)

// Lemmatizer gives the lemma of a lower-cased word for its Penn Treebank
// tag, following the Universal Dependencies English conventions (the
// lemmas of UD English EWT): "also" is "also" whatever a dictionary says,
// possessive "'s" stays "'s" while the verb "'s" is "be", "better" is
// "good" as an adjective and "well" as an adverb, "us" is "we".
//
// golem's English dictionary (a list of inflected forms per base word,
// without part of speech) is still the word list: it decides between the
// candidates that the suffix rules of the tag allow ("hoped": hope, not hop;
// "stopped": stop) and supplies irregular forms. It is never consulted
// outside those rules: taken alone it lemmatises "also" to "conjurer", "as"
// to "a", "well" to "good" and "first" to a byte-order mark and "1".
//
// Read-only after NewLemmatizer and safe for concurrent use.
type Lemmatizer struct {
	// bases maps a form to the base words of the dictionary lines it is on
	// (a base maps to itself first).
	bases map[string][]string
	// irregular maps an inflected form to its base by tag class.
	irregular map[irrKey]string
	// inText holds the base words that share an inflected form with
	// another base and that the tagger's training text (Wall Street
	// Journal) has: golem lists spelling variants and misspellings as bases
	// of their own ("developed" is on the lines of develop and of
	// develope, "installed" on those of install and instal), and the real
	// word is the one written.
	inText map[string]bool
}

type irrKey struct {
	form  string
	class lemmaClass
}

// lemmaClass groups the Penn tags that inflect alike.
type lemmaClass uint8

const (
	classPlain lemmaClass = iota // uninflected: the form itself, closed-class words aside
	classNone                    // no tag (Config.NoTags): only unambiguous forms
	classNNS                     // plural noun
	classNNPS                    // plural proper noun
	classNNP                     // proper noun: the form itself
	classVBD                     // past tense, past participle
	classVBG                     // gerund, present participle
	classVBZ                     // third person singular present
	classVB                      // base form, non-3rd-person present
	classJJR                     // comparative adjective
	classJJS                     // superlative adjective
	classRBR                     // comparative adverb
	classRBS                     // superlative adverb
	classMD                      // modal
	classPRP                     // personal pronoun
	classPOS                     // possessive ending
	nLemmaClasses
)

// tagClass maps a Penn tag to its lemma class.
func tagClass(tag string) lemmaClass {
	switch tag {
	case "":
		return classNone
	case "NNS":
		return classNNS
	case "NNPS":
		return classNNPS
	case "NNP":
		return classNNP
	case "VBD", "VBN":
		return classVBD
	case "VBG":
		return classVBG
	case "VBZ":
		return classVBZ
	case "VB", "VBP":
		return classVB
	case "JJR":
		return classJJR
	case "JJS":
		return classJJS
	case "RBR":
		return classRBR
	case "RBS":
		return classRBS
	case "MD":
		return classMD
	case "PRP":
		return classPRP
	case "POS":
		return classPOS
	}
	return classPlain
}

// englishLemmas is the dictionary shared by every Tokenizer of the process,
// read on first use: reading it costs about 0.1 s per Tokenizer, and a
// Lemmatizer is immutable once built. The sync.Once is the only state.
var englishLemmas struct {
	once sync.Once
	l    *Lemmatizer
	err  error
}

// NewLemmatizer returns the lemmatiser of golem's English dictionary and
// the irregular forms, read on the first call of the process (with the
// tagger's model, whose words choose between a form's bases).
func NewLemmatizer() (*Lemmatizer, error) {
	englishLemmas.once.Do(func() { englishLemmas.l, englishLemmas.err = readLemmatizer() })
	return englishLemmas.l, englishLemmas.err
}

// readLemmatizer reads golem's English dictionary and the irregular forms.
func readLemmatizer() (*Lemmatizer, error) {
	res, err := en.New().GetResource()
	if err != nil {
		return nil, fmt.Errorf("tokenize: loading golem English dictionary: %w", err)
	}
	l := &Lemmatizer{bases: make(map[string][]string, 80000), irregular: map[irrKey]string{}}
	for line := range strings.SplitSeq(string(res), "\n") {
		words := strings.Split(line, "\t")
		if len(words) < 2 {
			continue
		}
		// The dictionary opens with a byte-order mark ("\ufefffirst").
		base := strings.ToLower(strings.TrimPrefix(words[0], "\ufeff"))
		if !isPlainWord(base) {
			continue
		}
		l.addBase(base, base)
		for _, w := range words[1:] {
			if w = strings.ToLower(w); isPlainWord(w) {
				l.addBase(w, base)
			}
		}
	}
	for line := range strings.SplitSeq(irregularVerbs, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		base := f[0]
		for _, w := range strings.Split(f[1], "/") {
			l.irregular[irrKey{w, classVBD}] = base
		}
		for _, w := range strings.Split(f[2], "/") {
			l.irregular[irrKey{w, classVBD}] = base
		}
	}
	for line := range strings.SplitSeq(irregularForms, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		c := tagClass(f[0])
		l.irregular[irrKey{f[1], c}] = f[2]
	}
	tg, err := NewTagger()
	if err != nil {
		return nil, err
	}
	l.inText = map[string]bool{}
	for _, bs := range l.bases {
		if len(bs) < 2 {
			continue
		}
		for _, b := range bs {
			if tg.Knows(b) {
				l.inText[b] = true
			}
		}
	}
	return l, nil
}

// isPlainWord keeps dictionary entries that are lower-case letter words
// (with inner hyphens or apostrophes): abbreviations such as "col." and
// phrases are not inflections.
func isPlainWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || (c == '-' || c == '\'') && i > 0) {
			return false
		}
	}
	return true
}

func (l *Lemmatizer) addBase(form, base string) {
	for _, b := range l.bases[form] {
		if b == base {
			return
		}
	}
	l.bases[form] = append(l.bases[form], base)
}

// isBase reports whether w is a base word of the dictionary.
func (l *Lemmatizer) isBase(w string) bool {
	for _, b := range l.bases[w] {
		if b == w {
			return true
		}
	}
	return false
}

// hasBase reports whether the dictionary lists form as an inflection of base.
func (l *Lemmatizer) hasBase(form, base string) bool {
	for _, b := range l.bases[form] {
		if b == base {
			return true
		}
	}
	return false
}

// Lemma returns the lemma of lower (a lower-cased token) tagged tag; an
// empty tag (tagging switched off) lemmatises only forms whose lemma does
// not depend on the part of speech.
func (l *Lemmatizer) Lemma(lower, tag string) string {
	return l.lemma(lower, tagClass(tag))
}

func (l *Lemmatizer) lemma(w string, c lemmaClass) string {
	if c == classPOS {
		return "'s" // "China's", "researchers'", "Jesus’"
	}
	if w == "" || !hasLetterOrDigit(w) {
		return w
	}
	if strings.ContainsRune(w, '’') {
		w = strings.ReplaceAll(w, "’", "'")
	}
	if lm, ok := closedClass[w]; ok {
		if lm.class == classPlain || lm.class == c || c == classNone && lm.any {
			return lm.lemma
		}
	}
	if c == classNNP {
		return w
	}
	if lm, ok := l.irregular[irrKey{w, c}]; ok {
		return lm
	}
	if i := strings.LastIndexByte(w, '-'); i > 0 && i < len(w)-1 && c != classPlain && c != classNone && l.bases[w] == nil {
		// A compound the dictionary does not know inflects in its last
		// part: "light-houses" is "light-house", "re-elected" "re-elect".
		return w[:i+1] + l.lemma(w[i+1:], c)
	}
	switch c {
	case classNNS, classNNPS:
		return l.pick(w, nounRules, c)
	case classVBD:
		return l.pick(w, pastRules, c)
	case classVBG:
		return l.pick(w, ingRules, c)
	case classVBZ:
		return l.pick(w, verbSRules, c)
	case classJJR, classRBR:
		return l.pick(w, erRules, c)
	case classJJS, classRBS:
		return l.pick(w, estRules, c)
	case classPlain:
		if isNumber(w) {
			return strings.ReplaceAll(w, ",", "")
		}
	case classNone:
		return l.untagged(w)
	}
	return w
}

// untagged lemmatises without a tag: irregular forms and plural nouns
// the dictionary confirms, when the form is not itself a base word ("rose",
// "saw" stay as they are). Participles are left alone: "united",
// "developed", "building" are as often adjectives or nouns.
func (l *Lemmatizer) untagged(w string) string {
	if lm, ok := l.irregular[irrKey{w, classNNS}]; ok {
		return lm
	}
	if l.isBase(w) {
		return w
	}
	if lm, ok := l.irregular[irrKey{w, classVBD}]; ok {
		return lm
	}
	var cands [16]string
	n := 0
	for _, r := range nounRules {
		if cand, ok := r.apply(w); ok {
			cands[n] = cand
			n++
		}
	}
	if cand, ok := l.listed(w, cands[:n]); ok {
		return cand
	}
	return w
}

// listed returns the candidate the dictionary lists w under. When it
// lists w under several, the first has it unless the tagger's training
// text lacks it and has another ("developed": develop, not develope;
// "mimicking": mimic, not mimick) — but not one that only doubles its
// last letter: "fulfil" and "fulfill" are British and American spellings,
// and which one a lemma of "fulfilled" takes cannot depend on the
// newspaper the tagger learnt from (the rules' order keeps the single).
func (l *Lemmatizer) listed(w string, cands []string) (string, bool) {
	first := ""
	for _, cand := range cands {
		if !l.hasBase(w, cand) {
			continue
		}
		switch {
		case first == "":
			first = cand
			if l.inText[cand] {
				return cand, true
			}
		case l.inText[cand] && cand != first+first[len(first)-1:]:
			return cand, true
		}
	}
	return first, first != ""
}

// suffixRule replaces the suffix from with to; undouble also removes a
// doubled final consonant left behind ("stopped" → "stop").
type suffixRule struct {
	from, to string
	undouble bool
}

func (r suffixRule) apply(w string) (string, bool) {
	if len(w) <= len(r.from)+1 || !strings.HasSuffix(w, r.from) {
		return "", false
	}
	stem := w[:len(w)-len(r.from)]
	if r.undouble {
		n := len(stem)
		if n < 3 || stem[n-1] != stem[n-2] || !isConsonant(stem[n-1]) {
			return "", false
		}
		stem = stem[:n-1]
	}
	return stem + r.to, true
}

func isConsonant(c byte) bool {
	return c >= 'a' && c <= 'z' && !strings.ContainsRune("aeiou", rune(c))
}

// The candidate rules by tag class, in the order tried for words the
// dictionary does not know (after WordNet's morphy, plus undoubling).
var (
	nounRules = []suffixRule{
		{"ies", "y", false}, {"sses", "ss", false}, {"xes", "x", false}, {"zzes", "zz", false},
		{"ches", "ch", false}, {"shes", "sh", false}, {"men", "man", false}, {"ves", "f", false},
		{"ves", "fe", false}, {"oes", "o", false}, {"ses", "s", false}, {"s", "", false}, {"es", "", false},
	}
	pastRules = []suffixRule{
		{"ied", "y", false}, {"ed", "", true}, {"ed", "e", false}, {"ed", "", false}, {"d", "", false},
		{"cked", "c", false}, // "panicked", "trafficked"
	}
	ingRules = []suffixRule{
		{"ying", "ie", false}, {"ing", "", true}, {"ing", "e", false}, {"ing", "", false},
		{"cking", "c", false}, // "mimicking", "trafficking"
	}
	verbSRules = []suffixRule{
		{"ies", "y", false}, {"sses", "ss", false}, {"xes", "x", false}, {"ches", "ch", false},
		{"shes", "sh", false}, {"zzes", "zz", false}, {"oes", "o", false}, {"s", "", false}, {"es", "", false},
	}
	erRules = []suffixRule{
		{"ier", "y", false}, {"er", "", true}, {"er", "e", false}, {"er", "", false},
	}
	estRules = []suffixRule{
		{"iest", "y", false}, {"est", "", true}, {"est", "e", false}, {"est", "", false},
	}
)

// pick chooses among the candidates of the rules: one the dictionary lists
// for the form; else the form itself when it is a word of the dictionary
// ("business", "focus", "cling" mistagged NNS, VBZ or VBG: "cl" is a base
// too); else a candidate that is a base word. A form the dictionary does
// not know, nor any candidate, is a guess: a plural takes the first
// rule's ("ngos" → "ngo"), a verb form unknownVerb's. Comparatives and
// superlatives the dictionary does not confirm stay as they are: "number",
// "master", "interest" are tagged JJR or JJS now and then, and "numb",
// "inter" are words.
func (l *Lemmatizer) pick(w string, rules []suffixRule, c lemmaClass) string {
	var cands [8]string
	n := 0
	for _, r := range rules {
		if cand, ok := r.apply(w); ok && n < len(cands) {
			cands[n] = cand
			n++
		}
	}
	if cand, ok := l.listed(w, cands[:n]); ok {
		return cand
	}
	if n == 0 || c == classJJR || c == classJJS || c == classRBR || c == classRBS {
		// "number" is not "numb" nor "interest" "inter"
		return w
	}
	if l.isBase(w) {
		return w
	}
	for _, cand := range cands[:n] {
		if l.isBase(cand) {
			return cand
		}
	}
	if c == classVBD || c == classVBG || c == classVBZ {
		return unknownVerb(w, cands[:n])
	}
	if strings.HasSuffix(w, "ss") {
		return w // "-ss" is never a plural ending
	}
	return cands[0]
}

// unknownVerb is the lemma of a verb form that neither the dictionary nor
// its candidates are in: a verb in -ize or -ise, the productive suffixes,
// takes it ("reauthorized" → "reauthorize"; "-ate" would make "belated"
// "belate"); any other keeps its form, as do participles in un-, which are
// adjectives ("unabated", "unprecedented"): most words that reach here are
// adjectives and nouns the tagger read as participles ("peacekeeping",
// "bloodshed", "ongoing"), which the rules would make "peacekeepe",
// "bloodshe".
func unknownVerb(w string, cands []string) string {
	if strings.HasPrefix(w, "un") {
		return w
	}
	for _, cand := range cands {
		if strings.HasSuffix(cand, "ize") || strings.HasSuffix(cand, "ise") {
			return cand
		}
	}
	return w
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0x80 {
			return true
		}
	}
	return false
}

// isNumber reports digits with thousands separators: "5,000" is 5000.
func isNumber(w string) bool {
	comma := false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= '0' && c <= '9', c == '.':
		case c == ',' && i > 0:
			comma = true
		default:
			return false
		}
	}
	return comma
}

// closedEntry is the lemma of a closed-class form: for every tag (class
// classPlain), or for one class; any also applies it without a tag.
type closedEntry struct {
	lemma string
	class lemmaClass
	any   bool
}

// closedClass holds the function words and clitics whose lemma a suffix
// rule cannot give, as UD English EWT lemmatises them.
var closedClass = map[string]closedEntry{
	// clitics, as the tokenizer splits them ("do n't", "ca n't", "I 'm")
	"n't": {"not", classPlain, true}, "nt": {"not", classPlain, false},
	"'m": {"be", classPlain, true}, "'re": {"be", classPlain, true}, "'ve": {"have", classPlain, true},
	"'ll": {"will", classPlain, true},
	"ca":  {"can", classMD, false}, "wo": {"will", classMD, false}, "'d": {"would", classMD, true},
	"sha": {"shall", classMD, false},
	// forms of be, have, do: the same lemma as verbs of any tag
	"am": {"be", classVB, true}, "are": {"be", classPlain, true}, "is": {"be", classPlain, true},
	"was": {"be", classPlain, true}, "were": {"be", classPlain, true}, "been": {"be", classPlain, true},
	"has": {"have", classPlain, true}, "had": {"have", classPlain, true},
	"does": {"do", classPlain, true}, "did": {"do", classPlain, true},
	// personal pronouns (object forms); possessives keep their form
	"me": {"i", classPlain, true}, "us": {"we", classPRP, true}, "him": {"he", classPRP, true},
	"her": {"she", classPRP, false}, "them": {"they", classPRP, true}, "'em": {"they", classPRP, true},
	// determiners
	"an": {"a", classPlain, true}, "these": {"this", classPlain, true}, "those": {"that", classPlain, true},
}

// irregularForms lists inflections by tag that the suffix rules get wrong:
// tag, form, lemma.
const irregularForms = `
VBZ 's be
VBD 'd have
PRP 's we
VB 're be
VB 'm be
VB 've have
VB m be
VB r be
VB ve have
VBZ s be
JJR better good
JJS best good
RBR better well
RBS best well
JJR worse bad
JJS worst bad
RBR worse badly
RBS worst badly
JJR further far
JJS furthest far
RBR further far
RBS furthest far
JJR farther far
JJS farthest far
RBR farther far
RBS farthest far
JJR elder old
JJS eldest old
RB later late
JJR less less
JJR number number
RBR less less
JJS least least
RBS least least
RBR later late
JJR more more
JJS most most
RBR more more
RBS most most
JJR fewer few
JJS fewest few
NNS people people
NNS men man
NNS women woman
NNS children child
NNS feet foot
NNS teeth tooth
NNS geese goose
NNS mice mouse
NNS lice louse
NNS oxen ox
NNS dice die
NNS criteria criterion
NNS phenomena phenomenon
NNS analyses analysis
NNS crises crisis
NNS theses thesis
NNS hypotheses hypothesis
NNS diagnoses diagnosis
NNS indices index
NNS appendices appendix
NNS matrices matrix
NNS vertices vertex
NNS alumni alumnus
NNS stimuli stimulus
NNS fungi fungus
NNS cacti cactus
NNS nuclei nucleus
NNS radii radius
NNS syllabi syllabus
NNS curricula curriculum
NNS memoranda memorandum
NNS bacteria bacterium
NNS series series
NNS species species
NNS news news
NNS lives life
NNS wives wife
NNS knives knife
NNS wolves wolf
NNS halves half
NNS selves self
NNS shelves shelf
NNS thieves thief
NNS leaves leaf
NNS loaves loaf
NNS calves calf
NNS ourselves ourselves
NNS themselves themselves
NNS yourselves yourselves
NNS pants pants
NNS clothes clothes
NNS glasses glasses
NNS scissors scissors
NNS thanks thanks
NNS politics politics
NNS economics economics
NNS physics physics
NNS mathematics mathematics
NNS ethics ethics
NNS headquarters headquarters
NNS means means
NNS arms arms
NNS goods goods
NNS savings savings
NNS data data
NNS media media
NNS dies die
NNS ties tie
NNS lies lie
NNS pies pie
NNS movies movie
NNS cookies cookie
NNS rookies rookie
NNS zombies zombie
NNS calories calorie
NNS buses bus
NNS gases gas
NNS lenses lens
NNS cases case
NNS uses use
NNS causes cause
NNS houses house
NNS horses horse
NNS courses course
NNS purposes purpose
NNS responses response
NNS expenses expense
NNS licenses license
NNS nurses nurse
NNS phases phase
NNS phrases phrase
NNS bases base
NNS databases database
NNS releases release
NNS increases increase
NNS promises promise
NNS premises premise
NNS taxes tax
NNS boxes box
NNS heroes hero
NNS potatoes potato
NNS tomatoes tomato
NNS vetoes veto
NNS echoes echo
NNPS states state
NNPS nations nation
VBZ goes go
VBZ does do
VBZ has have
VBZ is be
VBG being be
VBG having have
VBG doing do
VBG going go
VBG dying die
VBG lying lie
VBG tying tie
VB are be
VB am be
VB is be
VB was be
VB were be
`

// irregularVerbs lists English irregular verbs: base, past tense(s),
// past participle(s) (alternatives separated by "/").
const irregularVerbs = `
arise arose arisen
awake awoke awoken
be was/were been
bear bore borne/born
beat beat beaten/beat
become became become
begin began begun
bend bent bent
bet bet bet
bid bid bid
bind bound bound
bite bit bitten
bleed bled bled
blow blew blown
break broke broken
breed bred bred
bring brought brought
broadcast broadcast broadcast
build built built
burn burnt/burned burnt/burned
burst burst burst
buy bought bought
cast cast cast
catch caught caught
choose chose chosen
cling clung clung
come came come
cost cost cost
creep crept crept
cut cut cut
deal dealt dealt
dig dug dug
do did done
draw drew drawn
dream dreamt/dreamed dreamt/dreamed
drink drank drunk
drive drove driven
dwell dwelt dwelt
eat ate eaten
fall fell fallen
feed fed fed
feel felt felt
fight fought fought
find found found
flee fled fled
fling flung flung
fly flew flown
forbid forbade forbidden
forecast forecast forecast
foresee foresaw foreseen
forget forgot forgotten/forgot
forgive forgave forgiven
freeze froze frozen
get got gotten/got
give gave given
go went gone
grind ground ground
grow grew grown
hang hung hung
have had had
hear heard heard
hide hid hidden
hit hit hit
hold held held
hurt hurt hurt
keep kept kept
kneel knelt knelt
know knew known
lay laid laid
lead led led
lean leant/leaned leant/leaned
leap leapt/leaped leapt/leaped
learn learnt/learned learnt/learned
leave left left
lend lent lent
let let let
lie lay lain
light lit lit
lose lost lost
make made made
mean meant meant
meet met met
mislead misled misled
mistake mistook mistaken
misunderstand misunderstood misunderstood
overcome overcame overcome
overtake overtook overtaken
overthrow overthrew overthrown
pay paid paid
prove proved proven/proved
put put put
quit quit quit
read read read
rid rid rid
ride rode ridden
ring rang rung
rise rose risen
run ran run
say said said
see saw seen
seek sought sought
sell sold sold
send sent sent
set set set
sew sewed sewn
shake shook shaken
shed shed shed
shine shone shone
shoot shot shot
show showed shown
shrink shrank shrunk
shut shut shut
sing sang sung
sink sank sunk
sit sat sat
slay slew slain
sleep slept slept
slide slid slid
sling slung slung
slit slit slit
smell smelt/smelled smelt/smelled
speak spoke spoken
speed sped sped
spell spelt/spelled spelt/spelled
spend spent spent
spill spilt/spilled spilt/spilled
spin spun spun
spit spat spat
split split split
spoil spoilt/spoiled spoilt/spoiled
spread spread spread
spring sprang sprung
stand stood stood
steal stole stolen
stick stuck stuck
sting stung stung
stink stank stunk
strike struck struck/stricken
string strung strung
strive strove striven
swear swore sworn
sweep swept swept
swell swelled swollen
swim swam swum
swing swung swung
take took taken
teach taught taught
tear tore torn
tell told told
think thought thought
throw threw thrown
thrust thrust thrust
tread trod trodden
undergo underwent undergone
understand understood understood
undertake undertook undertaken
upset upset upset
wake woke woken
wear wore worn
weave wove woven
weep wept wept
win won won
wind wound wound
withdraw withdrew withdrawn
withhold withheld withheld
withstand withstood withstood
write wrote written
`
