package tokenize

import (
	"context"
	"strings"

	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"

	"github.com/framelens/framelens/corpus/document"
)

// A document in a language other than English or Chinese gets sentences and
// words by the same rules as English text (they hold for Latin and Cyrillic
// scripts: abbreviations, numbers and URLs are kept whole), no tags and no
// lemmas (lemma = lower-cased form; the tagger and the lemmatiser are
// English models), the language's Snowball stemmer and stop list where
// github.com/kljensen/snowball has them (French, Spanish, Russian, Swedish,
// Norwegian, Hungarian), the German and Portuguese stemmers of
// github.com/blevesearch/snowballstem (snowball.go), and Snowball's
// published stop lists for German and Portuguese (germanStop,
// portugueseStop: snowballstem.org, BSD licence).

// stemmers are the Snowball stemmers by ISO 639-1 code.
var stemmers = map[string]func(string, bool) string{
	"fr": french.Stem, "es": spanish.Stem, "ru": russian.Stem, "de": germanStem, "pt": portugueseStem,
	"sv": swedish.Stem, "no": norwegian.Stem, "nb": norwegian.Stem, "hu": hungarian.Stem,
}

// stopTests are the stop-word tests by ISO 639-1 code.
var stopTests = map[string]func(string) bool{
	"fr": func(w string) bool { return french.IsStopWord(w) || frenchExtraStop[w] }, "es": spanish.IsStopWord, "ru": russian.IsStopWord,
	"sv": swedish.IsStopWord, "no": norwegian.IsStopWord, "nb": norwegian.IsStopWord, "hu": hungarian.IsStopWord,
	"de": func(w string) bool { return germanStop[w] },
	"pt": func(w string) bool { return portugueseStop[w] },
}

// StopWordTest returns the stop-word test of a language other than
// English and Chinese (the word in lower case), or nil when framelens has
// no stop list for it. Language identification reads it too: running text
// in a language is made largely of its function words.
func StopWordTest(code string) func(string) bool { return stopTests[code] }

// HasStemmer and HasStopList say what a language gets (for the docs and
// the documents' warnings).
func HasStemmer(code string) bool  { return stemmers[code] != nil || code == "en" }
func HasStopList(code string) bool { return stopTests[code] != nil || code == "en" || code == "zh" }

// otherSection tokenizes one analysed section of a document in a language
// that is neither English nor Chinese.
func (t *Tokenizer) otherSection(ctx context.Context, c *lexCache, doc *document.Document, si int, sec document.Section) error {
	text := doc.Clean
	stem, stop := stemmers[doc.Lang], stopTests[doc.Lang]
	type lex struct {
		lower, stem string
		stop, punct bool
	}
	memo := map[string]lex{}
	c.sents = t.seg.AppendSplit(c.sents[:0], text[sec.Start:sec.End])
	for n, sp := range c.sents {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		start, end := sec.Start+sp.Start, sec.Start+sp.End
		c.words = appendWords(c.words[:0], text, start, end)
		ts := len(doc.Tokens)
		sentIdx := len(doc.Sentences)
		for _, w := range c.words {
			tok := text[w.Start:w.End]
			lx, ok := memo[tok]
			if !ok {
				lower := strings.ToLower(tok)
				lx = lex{lower: lower, stem: lower, punct: isPunct(tok)}
				if !lx.punct {
					if stem != nil && !t.cfg.NoStem && hasLetter(lower) {
						lx.stem = stem(lower, false)
					}
					lx.stop = stop != nil && stop(lower)
				}
				memo[tok] = lx
			}
			doc.Tokens = append(doc.Tokens, document.Token{
				Start: w.Start, End: w.End, Text: tok,
				Lower: lx.lower, Lemma: lx.lower, Stem: lx.stem,
				Sentence: sentIdx, IsStop: lx.stop, IsPunct: lx.punct,
			})
		}
		doc.Sentences = append(doc.Sentences, document.Sentence{
			Index: sentIdx, Section: si, Start: start, End: end,
			TokenStart: ts, TokenEnd: len(doc.Tokens),
		})
	}
	return nil
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// frenchExtraStop adds to kljensen/snowball's French list the function
// words it lacks (its list has "le" and "la" but not "les").
var frenchExtraStop = wordSet(`les cette cet ces aussi plus comme tout tous toute toutes sans entre très
dont où si ainsi donc car lors`)

// germanStop is Snowball's German stop list.
var germanStop = wordSet(`aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das daß dass derselbe
derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner deines
denn derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer
eines einig einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures
für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres
euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem
keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein meine meinem meinen
meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner
seines selbst sich sie ihnen sind so solche solchem solchen solcher solches soll sollte sondern sonst über um und
uns unsere unserem unseren unser unseres unter viel vom von vor während war waren warst was weg weil weiter welche
welchem welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu
zum zur zwar zwischen`)

// portugueseStop is Snowball's Portuguese stop list.
var portugueseStop = wordSet(`de a o que e do da em um para com não uma os no se na por mais as dos como mas ao ele
das à seu sua ou quando muito nos já eu também só pelo pela até isso ela entre depois sem mesmo aos seus quem nas
me esse eles você essa num nem suas meu às minha numa pelos elas qual nós lhe deles essas esses pelas este dele tu
te vocês vos lhes meus minhas teu tua teus tuas nosso nossa nossos nossas dela delas esta estes estas aquele aquela
aqueles aquelas isto aquilo estou está estamos estão estive esteve estivemos estiveram estava estávamos estavam
estivera estivéramos esteja estejamos estejam estivesse estivéssemos estivessem estiver estivermos estiverem hei
há havemos hão houve houvemos houveram houvera houvéramos haja hajamos hajam houvesse houvéssemos houvessem houver
houvermos houverem houverei houverá houveremos houverão houveria houveríamos houveriam sou somos são era éramos
eram fui foi fomos foram fora fôramos seja sejamos sejam fosse fôssemos fossem for formos forem serei será seremos
serão seria seríamos seriam tenho tem temos tém tinha tínhamos tinham tive teve tivemos tiveram tivera tivéramos
tenha tenhamos tenham tivesse tivéssemos tivessem tiver tivermos tiverem terei terá teremos terão teria teríamos
teriam`)
