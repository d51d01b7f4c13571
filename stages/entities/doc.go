// Package entities finds named entities (the actors of a discourse) in the
// tokens of a document's analysed sections and fills Document.Entities.
//
// # Labels
//
// OntoNotes names, as spaCy uses them:
//
//	PERSON  people ("Donald Trump", "Jonathan Brown")
//	NORP    nationalities, religious and political groups ("Chinese", "Canadian")
//	ORG     organisations, agencies, universities, international bodies
//	        ("OECD", "G7", "Cornell University", "FBI")
//	GPE     countries, cities, states ("United States", "China", "Beijing")
//	LOC     other places: continents, regions, seas ("Southeast Asia", "Europe")
//	EVENT   named events ("Cold War")
//	LAW     named policies, plans, programmes, initiatives and acts
//	        ("Thousand Talents Plan", "China Initiative",
//	        "Belt and Road Initiative", "CHIPS and Science Act")
//	DATE    dates and periods ("2018", "the 1990s" → "1990s", "16 November 2024")
//
// Every entity has a Canonical name shared by all its spellings ("U.S.",
// "US", "USA", "America", "United States of America" → "United States";
// "PRC" → "China") and a Source: "model", "rule" or "gazetteer".
// A bilateral compound ("Sino-US", "US-China", "Sino-American") is two
// mentions over the same span, one for each country, from the rules.
//
// # Layers and precedence
//
// Three layers propose candidate spans for each sentence; each can be
// switched off in Config:
//
//  1. The statistical model (Source "model"): a tagger trained on
//     CoNLL-2003 news and Universal NER web text, whose PER, ORG and LOC
//     become PERSON, ORG and GPE (LOC when the gazetteer lists the name as
//     a region). Its MISC is kept only when the gazetteer or rules know the
//     name (NORP, EVENT, LAW). Words of data/nonentities.txt are trimmed
//     from the edges of its spans (connectives, interjections, titles,
//     "RT": "Moreover Andorra" → "Andorra") and generic nouns alone are
//     dropped ("States", "Powers", "the Organization"); a name it finds in
//     lower case is kept only when the lists know it ("florida"), and
//     URLs and e-mail addresses are never names.
//  2. Entity rules (Source "rule"): a YAML file in the manner of spaCy's
//     EntityRuler — literal phrases and token patterns mapped to a label and
//     canonical names; the shipped data/rules.yaml plus Config.RuleFiles.
//     Label "O" blocks: nothing may be tagged over its match.
//  3. Gazetteers (Source "gazetteer"): data/gazetteer/*.tsv, written for
//     framelens: the 193 UN Member States and 2 observer States with their
//     UN formal names, territories, former states (Soviet Union,
//     Yugoslavia, Czechoslovakia, …), capitals, US states and large
//     cities, demonyms and groups, regions, international organisations,
//     agencies, universities and research bodies, events, treaties and
//     charters (LAW), political leaders. Each file's header names its
//     source.
//
// Overlaps are settled greedily in this order: rules first (a user who
// writes a rule means it); then the candidate covering more tokens (longest
// match: "Renmin University of China" beats "China", "Ten Thousand Talents
// Plan" beats "Thousand Talents Plan"); then the gazetteer before the model
// on equal spans (its label and canonical name are curated); then the
// longer text, later rule files, and earlier start. Candidates that
// overlap an accepted one are dropped.
//
// Long names of treaties, conventions, declarations and policy documents
// are rule patterns ("Convention on the Rights of the Child", "Guidance
// Document on Countering Foreign Interference in Research and
// Innovation"), as are UN resolutions ("resolution 1325 (2000)"), "Article
// 51" and "Chapter VII"; "Member States" and "States Parties" are blocked.
//
// Finally one label per canonical name in a document: each model mention
// takes the label most of the document's mentions of that name carry (rule
// and gazetteer mentions vote but keep theirs; ties go to the earliest
// mention). Lines written in capitals (headlines, tables) are left out of
// the vote: there a name's label follows its column, not the document.
//
// Afterwards, names in citations are dropped, since cited authors are not
// actors of the argument: anything inside parentheses or brackets holding a
// year ("(Zweig, 2016)", "(OECD 2021; Lee et al., 2022)"), names directly
// before a parenthesised year ("Gao (2019)", "Smith and Jones (2018)") and
// names before "et al.". Config.KeepCitations turns this off. A one-word
// model entity that opens a sentence or clause and that the document also
// writes in lower case ("Globalization has …") is dropped too.
//
// Only tokenised text is searched: headings, reference lists and footnotes
// are never tokenised, so they yield no entities. Phrases are matched on the
// text (at token boundaries) rather than on token sequences, so they do not
// depend on how the tokenizer splits "U.S." or "Sino-US", and a footnote
// mark glued to a word ("United States.1") does not hide the name.
//
// # The model
//
// Why hand-written: prose, the only Go NER at hand, knows only PERSON and
// GPE, scores entity F1 0.49 on CoNLL-2003 eng.testb (see
// docs/eval-ner.md), has span-decoding bugs and runs at ~14,000 tokens/s
// (its maxent classifier joins strings and looks up maps per feature). No
// other Go library ships a trainable sequence tagger, and Python models are
// out of reach of a single static binary.
//
// Why an averaged perceptron with hashed features: it trains in seconds
// (about 5 s for 12 epochs on eng.train on one core), needs no feature
// dictionary (each feature string is hashed into one of 2^18 buckets, so
// there is no vocabulary to store or look up, and tagging allocates
// nothing), and with a first-order transition matrix and Viterbi decoding it
// is a structured perceptron (Collins 2002) whose accuracy on CoNLL is close
// to a CRF's with the same features. The shipped model
// (data/model.bin.gz, 1.1 MB: non-zero rows only, int16-quantised, gzip;
// 9.4 MB of float32 weights once loaded, small enough to stay mostly in
// cache) is trained on CoNLL-2003 train and dev, their lower-cased copies
// and Universal NER EWT dev (web text); for its scores on CoNLL eng.testb
// and UNER EWT test, and the stage's speed, see docs/eval-ner.md.
//
// Features of token i (all hashed): the word as written (digits folded to
// 0) and lower-cased; lower-cased words at i-2…i+2 and as written at i±1;
// prefixes and suffixes of 1–4 letters; the collapsed shape ("U.S." →
// "X.X.", "Sino-US" → "Xx-X") of i and i±1, shape bigrams and trigrams;
// word bigrams (i-1,i), (i,i+1); previous word with current shape and
// current shape with next word; sentence-initial shape; a flag for
// all-capitals sentences (headlines) crossed with shape and word; length.
// No part-of-speech features: the tagger's tags differ between training
// data and documents, and the model should not depend on the tokenizer's
// tagger.
//
// Decoding is Viterbi over BIO tags with hard constraints (I-X only after
// B-X or I-X), so every output is a well-formed span sequence: the two
// prose bugs (an entity open at the end of the input is dropped; an entity
// runs on over following tokens with the same POS) cannot occur.
//
// Train (and the lead's `framelens train ner`) retrains it from any CoNLL
// or .iob2 file; internal/gen rebuilds the shipped file. The weights are
// derived from CoNLL-2003 (Reuters RCV1): research use only; and from
// Universal NER (CC BY-SA 4.0); see data/PROVENANCE.md.
//
// # Long documents
//
// Every sentence is searched alone; only the words a document writes in
// lower case (for capitalised common words) and the label vote are
// document-wide. A document of half a million tokens or more is searched
// by chunks of sentences on up to SetWorkers goroutines, the lower-case
// words gathered first, and the chunks' entities put together in order:
// the entities of the one-goroutine path.
//
// # Evaluation
//
// EvalCoNLL scores any Tagger with conlleval semantics (exact span and
// type; IOB1 gold converted to BIO) on a CoNLL-2003 or Universal NER
// .iob2 file, and a label map such as
// "PER=PERSON,LOC=GPE|LOC,ORG=ORG" (CoNLL's MISC left out by default).
// Evaluate runs the whole stage, EvaluateProse prose's default extractor
// (model loaded once), for the side-by-side table in docs/eval-ner.md.
package entities
