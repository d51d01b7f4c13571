package tokenize

// Word lists that the sentence rules consult. Keys are lower-cased and carry
// no final period. The lists are written for this package (not copied from a
// segmenter's data) and lean towards academic and political prose.

// continueAbbrevs never end a sentence: titles and other prepositive
// abbreviations ("Dr. Smith", "Mt. Fuji") and Latin connectives ("e.g.",
// "i.e.", "cf.", "vs.").
var continueAbbrevs = setOf(
	"mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "rev", "hon",
	"gen", "sen", "rep", "gov", "pres", "capt", "col", "lt", "sgt", "maj",
	"cmdr", "adm", "st", "mt", "fr", "supt", "insp", "det", "pvt", "cpl",
	"amb", "atty", "e.g", "i.e", "cf", "vs", "viz", "ca", "approx",
)

// ambiguousAbbrevs may end a sentence: they do when the next word is a
// typical sentence opener ("… & Co. It closed", "et al. The"), not when a
// name or noun follows ("Co. KG", "Inc. said", "No. 5").
var ambiguousAbbrevs = setOf(
	// postpositive
	"inc", "ltd", "co", "corp", "jr", "sr", "etc", "al", "bros", "llc", "plc",
	"esq", "dept", "univ", "assn", "govt", "intl", "natl", "est",
	// before numbers
	"no", "nos", "nr", "n°", "nº", "p", "pp", "fig", "figs", "vol", "vols",
	"ch", "chap", "sec", "sect", "art", "eq", "eqs", "ref", "refs", "tab",
	"para", "ed", "eds", "op", "ibid",
	// months
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
	"nov", "dec",
)

// timeAbbrevs are a.m./p.m. written with or without periods.
var timeAbbrevs = setOf("a.m", "p.m")

// frontedPrepositions open a time adverbial ("At 5 a.m. Mr. Smith went …"):
// such a phrase is never a sentence on its own.
var frontedPrepositions = setOf("at", "by", "before", "after", "until", "till", "from", "around", "since", "about")

// sentenceOpeners are words that typically open a sentence. After an
// ambiguous abbreviation a capitalised opener signals a boundary, while any
// other capitalised word more likely continues a name ("U.S. Government").
// Snowball's English stop words count as openers too, except titleVerbs.
var sentenceOpeners = setOf(
	"however", "moreover", "furthermore", "therefore", "thus", "hence",
	"meanwhile", "also", "yet", "still", "many", "one", "first", "second",
	"third", "finally", "additionally", "consequently", "nevertheless",
	"nonetheless", "instead", "indeed", "although", "though", "since",
	"today", "there", "here", "its", "let", "please", "yes", "no",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// titleVerbs are stop words that, capitalised after an abbreviation, more
// often continue a title than open a sentence ("How the U.S. Can Address …").
var titleVerbs = setOf("can", "will", "should", "does", "did", "do", "is", "are", "was", "were", "has", "have", "had", "be")
