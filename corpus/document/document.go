// Package document is framelens's per-document model: a Document, the
// annotations stages add to it (sections, sentences, tokens, entities, key
// phrases, frame hits), byte spans and the conversion of byte offsets to
// code-point offsets. It imports only the standard library, so that a stage
// depends on the model and not on the readers (package corpus, with its
// Arrow, Parquet and HTML libraries).
//
// Offsets: every Start/End in this package is a byte offset into
// Document.Clean. Tables convert them to Unicode code-point offsets (see
// RuneIndex) so that Python's text[start:end] works in a notebook.
package document

// Document is one text of a corpus together with everything the per-document
// stages learn about it. Readers fill the identity and Raw fields; the clean
// stage fills Clean and Sections; later stages fill the annotation slices.
// A Document is owned by one worker at a time and is never shared.
type Document struct {
	// Seq is the document's position in the corpus stream (0-based). Output
	// order follows Seq whatever the number of workers.
	Seq int

	ID      string
	Group   string
	Title   string
	Authors []string
	Year    int // 0 when unknown
	Lang    string
	// LangConfidence and LangSource say how sure Lang is (0–1) and where
	// it came from: manifest, config or detected (stages/lang).
	LangConfidence float64
	LangSource     string
	// Source names where the text came from (a file path, "manifest.jsonl:17").
	Source string
	// Meta carries any further manifest columns, typed as string, int64,
	// float64 or bool. Keys are column names.
	Meta map[string]any

	// Raw is the text as read (decoded to UTF-8, nothing else changed).
	Raw string
	// RawSHA256 is the hex SHA-256 of the input bytes of this document.
	RawSHA256 string

	// Clean is the normalised text; every offset in this document points
	// into it. It still contains headings, references and footnotes: the
	// Sections say which ranges are analysed.
	Clean string
	// RemovedChars counts the characters (runes) cleaning dropped from Raw.
	RemovedChars int
	// Sections partition the analysed and recorded parts of Clean.
	Sections []Section
	// AuthorKeywords are the author's own key phrases from a keywords section.
	AuthorKeywords []string

	Sentences  []Sentence
	Tokens     []Token
	Entities   []Entity
	Keyphrases []Keyphrase
	FrameHits  []FrameHit
	// Warnings are non-fatal problems found while reading or analysing this
	// document (for example invalid UTF-8 that was replaced).
	Warnings []string
}

// SectionKind says what a section of a document is.
type SectionKind string

const (
	KindBody        SectionKind = "body"
	KindAbstract    SectionKind = "abstract"
	KindKeywords    SectionKind = "keywords"
	KindReferences  SectionKind = "references"
	KindFootnotes   SectionKind = "footnotes"
	KindBoilerplate SectionKind = "boilerplate"
	KindFrontMatter SectionKind = "front_matter"
	// KindTitle is the document's title line(s) at the top: analysed, since
	// a title names what the text is about (an abstract's key phrases
	// start there).
	KindTitle SectionKind = "title"
)

// Analysed reports whether text of this kind is the author's argument and so
// is tokenised, tagged and counted.
func (k SectionKind) Analysed() bool { return k == KindBody || k == KindAbstract || k == KindTitle }

// Section is a contiguous range of Clean under one heading.
type Section struct {
	Index   int
	Heading string // "" for text before the first heading
	Kind    SectionKind
	// HeadingStart/HeadingEnd locate the heading line in Clean (both 0 when
	// there is none). The heading is never part of [Start, End).
	HeadingStart, HeadingEnd int
	// Start/End is the body of the section, heading excluded.
	Start, End int
}

// Sentence is a sentence of an analysed section.
type Sentence struct {
	Index   int // 0-based within the document
	Section int // index into Document.Sections
	Start   int
	End     int
	// Tokens of this sentence are Document.Tokens[TokenStart:TokenEnd].
	TokenStart, TokenEnd int
}

// Token is one word or punctuation mark.
type Token struct {
	Start, End int
	Text       string
	Lower      string
	Lemma      string
	Stem       string
	POS        string // Penn Treebank tag
	Sentence   int    // index into Document.Sentences
	IsStop     bool
	IsPunct    bool
}

// Entity is a named-entity mention.
type Entity struct {
	Start, End int
	// Tokens of the mention are Document.Tokens[TokenStart:TokenEnd].
	TokenStart, TokenEnd int
	Sentence             int
	Text                 string
	Label                string // OntoNotes-style: PERSON, ORG, GPE, NORP, LOC, EVENT, LAW, DATE …
	Canonical            string // one name for all spellings of the same actor
	Source               string // model, rule, gazetteer
}

// Keyphrase is a key phrase of one document.
type Keyphrase struct {
	Rank   int // 1 = best
	Phrase string
	// Norm is the normalised (lower-cased, lemmatised) form used to compare
	// phrases across documents.
	Norm   string
	Score  float64
	Count  int
	Method string
	// FirstStart is the byte offset of the first occurrence in Clean.
	FirstStart int
}

// FrameHit is one match of a frame lexicon entry in a sentence.
type FrameHit struct {
	Frame string
	// Entry is the lexicon entry that matched ("secur*", "research security").
	Entry                string
	Start, End           int
	TokenStart, TokenEnd int
	Sentence             int
	Weight               float64
	// Negated is true when a negator precedes the match closely; such hits
	// are counted apart from plain hits.
	Negated bool
}

// Span is a half-open byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Removal is one line cleaning dropped from a document (or one block of
// lines: a binary attachment), with the rule that dropped it (the clean
// stage's Explain).
type Removal struct {
	Rule string
	Text string
}

// SalientPhrase is one phrase of a document's own key-phrase ranking, as
// it counts towards its group (group_keyphrases).
type SalientPhrase struct {
	Key, Phrase string
	Count       int
	// Salience is 1/log2(1 + rank) in the document's ranking without
	// corpus statistics: 1 for its first phrase, 0.5 for the third, 0.29
	// for the tenth — the discount of DCG, so that a phrase counts for
	// its group by how high its documents put it.
	Salience float64
}
