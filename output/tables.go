package output

// NewCatalog returns the definitions of every framelens table. This is the
// one place where tables are defined: writers, `framelens schema` and
// docs/tables.md all read it.
//
// Conventions: offsets (start, end) are Unicode code-point offsets into
// documents.text, so text[start:end] works in Python; ids are 0-based int32;
// strings that repeat down a long table are dictionary-encoded (pandas
// category, polars Categorical), and so is every column that names a key
// (doc_id, group, comparison, frame, label, …) in every table, so that
// polars joins any two tables on it without a cast: it refuses to join a
// Categorical with a String.
func NewCatalog() *Catalog {
	docID := func() Column { return col("doc_id", typDict, "Document id (documents.doc_id).") }
	group := func() Column { return col("group", typDict, "Group label of the document (documents.group).") }
	sentID := func() Column {
		return col("sentence_id", typInt32, "Sentence index within the document (sentences.sentence_id).")
	}
	return newCatalog(
		&Table{
			Name:        "documents",
			Description: "One row per document: identity, group, metadata, cleaned text and counts. Manifest columns beyond the standard ones follow the fixed columns, with the manifest's names and types.",
			Key:         []string{"doc_id"},
			Layout:      SingleFile,
			Columns: []Column{
				col("doc_id", typDict, "Document id, unique in the corpus."),
				col("seq", typInt32, "Position of the document in the input (0-based); tables are ordered by it."),
				col("group", typDict, "Group label used by comparisons (\"\" when the corpus has none)."),
				col("title", typString, "Title (\"\" when unknown)."),
				col("authors", typStrs, "Authors, in order."),
				nullable("year", typInt32, "Publication year; null when unknown."),
				col("lang", typString, "ISO 639-1 language code: the manifest's (lang column), the configured one (--lang) or the detected one; \"\" when the text is too short to tell (analysed as English). Stages that are English-only (entities, POS tags, lemmas) skip other languages with a warning."),
				col("lang_confidence", typF64, "How sure lang is, 0–1: 1 when the manifest or --lang gave it, the detector's confidence otherwise."),
				col("lang_source", typDict, "Where lang came from: manifest, config or detected."),
				col("source", typString, "Where the text came from: file path or manifest row."),
				col("raw_sha256", typString, "SHA-256 (hex) of the document's input bytes."),
				col("n_chars", typInt32, "Length of the cleaned text in code points."),
				col("removed_chars", typInt32, "Code points cleaning dropped from the raw text (page chrome, whitespace, normalisation)."),
				col("n_sections", typInt32, "Sections found (sections table)."),
				col("n_sentences", typInt32, "Sentences in analysed sections."),
				col("n_tokens", typInt32, "Tokens in analysed sections, punctuation included."),
				col("n_words", typInt32, "Tokens in analysed sections that are not punctuation: the denominator of rates."),
				col("author_keywords", typStrs, "The author's own key phrases, from a keywords section."),
				col("warnings", typStrs, "Non-fatal problems met while reading or analysing the document. A document with nothing to analyse has one warning saying so and why: \"no words analysed: …\" (n_words = 0: an empty or whitespace-only text, only punctuation or symbols, only sections that are not analysed such as a reference list), \"no terms counted: …\" (words, but only numbers or stop words: no tfidf row, no topic weights of its own) or \"no terms kept: …\" (terms, but vocabulary pruning removed them all, naming the settings: vectorize.min_df, max_df or max_terms; no tfidf row, no topic weights of its own)."),
				col("text", typString, "The cleaned text; every offset in every table points into it."),
			},
			PandasExample: `docs = pd.read_parquet("out/documents.parquet")
docs.groupby("group")[["n_words", "n_sentences"]].sum()`,
			SQLExample: `SELECT "group", count(*) AS docs, sum(n_words) AS words
FROM read_parquet('out/documents.parquet') GROUP BY 1;`,
		},
		&Table{
			Name:        "sections",
			Description: "One row per section found by cleaning: its heading, its kind and where it lies in the cleaned text. Only body and abstract sections are analysed; references, footnotes and boilerplate are kept here, not lost.",
			Key:         []string{"doc_id", "section_id"},
			Layout:      Parts,
			Columns: []Column{
				docID(),
				col("section_id", typInt32, "Section index within the document."),
				col("kind", typDict, "body, abstract, keywords, references, footnotes, boilerplate, front_matter or title."),
				col("heading", typString, "Heading text (\"\" for text before the first heading)."),
				col("heading_start", typInt32, "Start of the heading in documents.text (code points; equal to heading_end when there is no heading)."),
				col("heading_end", typInt32, "End of the heading (exclusive)."),
				col("start", typInt32, "Start of the section body in documents.text (code points)."),
				col("end", typInt32, "End of the section body (exclusive)."),
				col("analysed", typBool, "True when the section's text is tokenised and counted."),
			},
			PandasExample: `secs = pd.read_parquet("out/sections")
secs[secs.kind == "references"][["doc_id", "heading"]]`,
			SQLExample: `SELECT doc_id, kind, count(*) FROM read_parquet('out/sections/*.parquet') GROUP BY ALL;`,
		},
		&Table{
			Name:        "sentences",
			Description: "One row per sentence of an analysed section.",
			Key:         []string{"doc_id", "sentence_id"},
			Layout:      Parts,
			Columns: []Column{
				docID(), group(), sentID(),
				col("section_id", typInt32, "Section the sentence belongs to (sections.section_id)."),
				col("section", typDict, "Heading of that section (\"\" before the first heading)."),
				col("start", typInt32, "Start in documents.text (code points)."),
				col("end", typInt32, "End in documents.text (exclusive)."),
				col("n_tokens", typInt32, "Tokens in the sentence."),
				col("text", typString, "The sentence text."),
			},
			PandasExample: `sents = pd.read_parquet("out/sentences")
sents.groupby("doc_id").n_tokens.describe()`,
			SQLExample: `SELECT doc_id, section, count(*) AS sentences
FROM read_parquet('out/sentences/*.parquet') GROUP BY ALL ORDER BY 1, 3 DESC;`,
		},
		&Table{
			Name:        "tokens",
			Description: "One row per token (word or punctuation mark) of an analysed section.",
			Key:         []string{"doc_id", "token_id"},
			Layout:      Parts,
			Columns: []Column{
				docID(), group(), sentID(),
				col("token_id", typInt32, "Token index within the document."),
				col("start", typInt32, "Start in documents.text (code points)."),
				col("end", typInt32, "End in documents.text (exclusive)."),
				col("text", typString, "Token as written."),
				col("lower", typDict, "Lower-cased form."),
				col("lemma", typDict, "Lemma (dictionary form), chosen by the part of speech as Universal Dependencies English lemmatises: \"better\" is good as an adjective, well as an adverb; possessive 's stays 's, the verb 's is be, n't is not, us is we; \"US\" (the country) is u.s.; names keep their form."),
				col("stem", typDict, "Snowball (Porter2) stem."),
				col("pos", typDict, "Penn Treebank part-of-speech tag."),
				col("is_stop", typBool, "True for stop words: the default English list (docs/config.md#stop-words), or tokenize.stop_words_file and extra_stop_words_file."),
				col("is_punct", typBool, "True for tokens with no letter or digit."),
			},
			PandasExample: `toks = pd.read_parquet("out/tokens", columns=["doc_id", "lemma", "is_stop", "is_punct"])
toks[~toks.is_stop & ~toks.is_punct].groupby("doc_id").lemma.value_counts().groupby(level=0).head(5)`,
			SQLExample: `SELECT lemma, count(*) AS n FROM read_parquet('out/tokens/*.parquet')
WHERE NOT is_stop AND NOT is_punct GROUP BY 1 ORDER BY 2 DESC LIMIT 20;`,
		},
		&Table{
			Name:        "entities",
			Description: "One row per named-entity mention in an analysed section.",
			Key:         []string{"doc_id", "entity_id"},
			Layout:      Parts,
			Columns: []Column{
				docID(), group(),
				col("entity_id", typInt32, "Mention index within the document."),
				sentID(),
				col("start", typInt32, "Start in documents.text (code points)."),
				col("end", typInt32, "End in documents.text (exclusive)."),
				col("token_start", typInt32, "First token (tokens.token_id)."),
				col("token_end", typInt32, "One past the last token."),
				col("text", typString, "Mention as written."),
				col("label", typDict, "Entity type: PERSON, NORP, ORG, GPE, LOC, EVENT, LAW, DATE."),
				col("canonical", typDict, "One name for all spellings of the same actor (\"U.S.\", \"America\" → \"United States\")."),
				col("source", typDict, "Which layer found it: model, rule or gazetteer."),
			},
			PandasExample: `ents = pd.read_parquet("out/entities")
ents.groupby(["group", "label"]).canonical.value_counts().groupby(level=[0, 1]).head(5)`,
			SQLExample: `SELECT "group", canonical, label, count(*) AS mentions
FROM read_parquet('out/entities/*.parquet') GROUP BY ALL ORDER BY mentions DESC LIMIT 20;`,
		},
		&Table{
			Name:        "keyphrases",
			Description: "The top key phrases of each document, best first.",
			Key:         []string{"doc_id", "rank"},
			Layout:      Parts,
			Columns: []Column{
				docID(), group(),
				col("rank", typInt32, "1 = best."),
				col("phrase", typString, "Phrase as most often written."),
				col("norm", typString, "Normalised form (lower-cased, lemmatised) that joins phrases across documents."),
				col("score", typF64, "Score of the method (higher is better; comparable within a document and method only)."),
				col("count", typInt32, "Occurrences in the document."),
				col("method", typDict, "Extraction method."),
				col("first_start", typInt32, "Start of the first occurrence in documents.text (code points)."),
			},
			PandasExample: `kp = pd.read_parquet("out/keyphrases")
kp[kp["rank"] <= 10].pivot(index="rank", columns="doc_id", values="phrase")`,
			SQLExample: `SELECT doc_id, list(phrase ORDER BY rank) AS top
FROM read_parquet('out/keyphrases/*.parquet') WHERE rank <= 10 GROUP BY 1;`,
		},
		&Table{
			Name:        "group_keyphrases",
			Description: "The key phrases that distinguish each group: phrases its documents rank high (prevalence) whose words the group uses more than the others do (distinctiveness); redundant phrases removed, up to 20 per group.",
			Key:         []string{"group", "rank"},
			Layout:      SingleFile,
			Columns: []Column{
				col("group", typDict, "Group label."),
				col("rank", typInt32, "1 = most distinctive."),
				col("phrase", typString, "Phrase as most often written."),
				col("score", typF64, "prevalence × distinctiveness."),
				col("prevalence", typF64, "Mean over the group's documents of the phrase's salience in the document's own ranking, 1/log2(1 + rank) within its top 50 (0 outside): 1 = first phrase of every document."),
				col("distinctiveness", typF64, "The geometric mean, over the phrase and its words, of the group's share of their smoothed rates across groups, rescaled so that 1 = only this group and 0 = every group alike (phrases at 0 or below are left out; 1 when there is one group)."),
				col("count", typInt32, "Occurrences in the group's documents that rank the phrase in their top 50."),
				col("doc_freq", typInt32, "Documents of the group that rank the phrase in their top 50."),
			},
			PandasExample: `gk = pd.read_parquet("out/group_keyphrases.parquet")
gk[gk["rank"] <= 10].pivot(index="rank", columns="group", values="phrase")`,
			SQLExample: `SELECT "group", list(phrase ORDER BY rank) FROM read_parquet('out/group_keyphrases.parquet')
WHERE rank <= 10 GROUP BY 1;`,
		},
		&Table{
			Name:        "terms",
			Description: "The vocabulary: one row per term kept after pruning, with document frequency and idf.",
			Key:         []string{"term_id"},
			Layout:      SingleFile,
			Columns: []Column{
				col("term_id", typInt32, "Stable term id (terms sorted by term)."),
				col("term", typString, "The term (lemma by default; n-grams joined by a space)."),
				col("n", typInt32, "Words in the term (1 for unigrams)."),
				col("df", typInt32, "Documents containing the term."),
				col("cf", typInt64, "Occurrences in the corpus."),
				col("idf", typF64, "Inverse document frequency under the run's weighting scheme."),
			},
			PandasExample: `terms = pd.read_parquet("out/terms.parquet")
terms.sort_values("cf", ascending=False).head(20)`,
			SQLExample: `SELECT term, df, idf FROM read_parquet('out/terms.parquet') ORDER BY df DESC LIMIT 20;`,
		},
		&Table{
			Name:        "tfidf",
			Description: "The document–term matrix in long form: one row per (document, term) with a non-zero count.",
			Key:         []string{"doc_id", "term_id"},
			Layout:      Parts,
			Columns: []Column{
				docID(), group(),
				col("term_id", typInt32, "Term (terms.term_id)."),
				col("term", typDict, "The term."),
				col("count", typInt32, "Occurrences of the term in the document."),
				col("weight", typF64, "TF-IDF weight under the run's scheme (rows L2-normalised unless the scheme says otherwise)."),
			},
			PandasExample: `tf = pd.read_parquet("out/tfidf")
tf.sort_values("weight", ascending=False).groupby("doc_id").head(10)`,
			SQLExample: `SELECT doc_id, term, weight FROM read_parquet('out/tfidf/*.parquet')
QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY weight DESC) <= 10;`,
		},
		&Table{
			Name:        "topics",
			Description: "The topic model: the top terms of each topic with their weights, and the topic's coherence.",
			Key:         []string{"topic", "rank"},
			Layout:      SingleFile,
			Columns: []Column{
				col("topic", typInt32, "Topic id (0-based)."),
				col("rank", typInt32, "1 = the topic's most characteristic term: terms are ranked by weight × (weight / the term's weight summed over topics)^γ, γ = topics.exclusivity (0.5), which ranks words every topic uses lower; γ < 0 ranks by weight alone."),
				col("term_id", typInt32, "Term (terms.term_id)."),
				col("term", typString, "The term."),
				col("weight", typF64, "Weight of the term in the topic (the topic's term distribution for LDA; the factor loading for NMF and LSA)."),
				col("label", typDict, "A readable label: the topic's three top-ranked terms."),
				nullable("npmi", typF64, "NPMI coherence of the topic's top 10 terms over 10-token sliding windows (as gensim c_npmi); null when not computed."),
				col("diversity", typF64, "Topic diversity of the whole model: the share of unique terms among all topics' top 25 (the same on every row)."),
				col("model", typDict, "Topic model: lda, nmf or lsa."),
			},
			PandasExample: `top = pd.read_parquet("out/topics.parquet")
top[top["rank"] <= 8].groupby("topic").term.apply(", ".join)`,
			SQLExample: `SELECT topic, any_value(label) AS label, any_value(npmi) AS npmi
FROM read_parquet('out/topics.parquet') GROUP BY 1 ORDER BY 1;`,
		},
		&Table{
			Name:        "doc_topics",
			Description: "Document–topic weights in long form; each document's weights sum to 1. A document without a term in the vocabulary (no tfidf row: no words, or only numbers, stop words or terms too rare to be kept; documents.warnings says so) has weight 1/K on each of the K topics: a placeholder, not an estimate, which topic_prevalence, comparisons.jsd_topics and the topic features of keyness leave out. Its rows are kept so that every document has K rows.",
			Key:         []string{"doc_id", "topic"},
			Layout:      SingleFile,
			Columns: []Column{
				docID(), group(),
				col("topic", typInt32, "Topic (topics.topic)."),
				col("weight", typF64, "Share of the document given to the topic; 1/K for a document without a term in the vocabulary (see above)."),
			},
			PandasExample: `dt = pd.read_parquet("out/doc_topics.parquet")
dt.pivot_table(index="group", columns="topic", values="weight", aggfunc="mean", observed=True)`,
			SQLExample: `SELECT "group", topic, avg(weight) AS prevalence
FROM read_parquet('out/doc_topics.parquet') GROUP BY ALL ORDER BY 1, 3 DESC;`,
		},
		&Table{
			Name:        "doc_vectors",
			Description: "One row per document with its topic weights as a vector, for clustering, plotting or similarity in a notebook.",
			Key:         []string{"doc_id"},
			Layout:      SingleFile,
			Columns: []Column{
				col("doc_id", typDict, "Document id."),
				group(),
				col("topic_weights", typF32s, "doc_topics weights in topic order (sum 1; 1/K each, a placeholder, for a document without a term in the vocabulary)."),
			},
			PandasExample: `dv = pd.read_parquet("out/doc_vectors.parquet")
X = np.vstack(dv.topic_weights)  # documents × topics`,
			SQLExample: `SELECT doc_id, list_cosine_similarity(topic_weights, (SELECT topic_weights FROM read_parquet('out/doc_vectors.parquet') LIMIT 1)) AS sim
FROM read_parquet('out/doc_vectors.parquet') ORDER BY sim DESC;`,
		},
		&Table{
			Name:        "similarity",
			Description: "The nearest documents of each document by cosine similarity of their TF-IDF vectors (top 10 neighbours). Past 5,000 documents the cosine is computed on each document's 100 heaviest TF-IDF terms, since exact all-pairs similarity grows with the square of the corpus.",
			Key:         []string{"doc_id", "rank"},
			Layout:      SingleFile,
			Columns: []Column{
				docID(), group(),
				col("rank", typInt32, "1 = most similar."),
				col("neighbor_id", typDict, "The neighbouring document (documents.doc_id)."),
				col("neighbor_group", typDict, "Its group."),
				col("cosine", typF64, "Cosine similarity of the two TF-IDF rows (never NaN: documents with no shared term are not neighbours)."),
			},
			PandasExample: `sim = pd.read_parquet("out/similarity.parquet")
(sim["group"] == sim["neighbor_group"]).groupby(sim["group"], observed=True).mean()`,
			SQLExample: `SELECT doc_id, neighbor_id, cosine FROM read_parquet('out/similarity.parquet') WHERE rank = 1;`,
		},
		&Table{
			Name:        "topic_prevalence",
			Description: "Topic prevalence per comparison: the mean document–topic weight of each side, their difference and a 95% bootstrap interval of the difference (documents resampled; past bootstrap.exact_docs documents, the normal approximation of that bootstrap). Only documents with a term in the vocabulary count: the others have no topic weights of their own (doc_topics gives them 1/K). A comparison with a side without such a document has no rows.",
			Key:         []string{"comparison", "topic"},
			Layout:      SingleFile,
			Columns: []Column{
				col("comparison", typDict, "Comparison name."),
				col("group_a", typDict, "Side A."),
				col("group_b", typDict, "Side B (\"rest\" for every other group)."),
				col("topic", typInt32, "Topic (topics.topic)."),
				col("label", typDict, "The topic's three top-ranked terms (topics.label)."),
				col("mean_a", typF64, "Mean weight of the topic in side A's documents with a term in the vocabulary."),
				col("mean_b", typF64, "Mean weight in side B's documents with a term in the vocabulary."),
				col("diff", typF64, "mean_a − mean_b."),
				nullable("diff_lo", typF64, "2.5th percentile of the difference over bootstrap resamples; null without an interval (interval_note says why)."),
				nullable("diff_hi", typF64, "97.5th percentile; null without an interval."),
				col("docs_a", typInt32, "Documents in side A with a term in the vocabulary: those the mean is over."),
				col("docs_b", typInt32, "Documents in side B with a term in the vocabulary."),
				col("interval_note", typString, "Why diff_lo and diff_hi are null (\"\" when they are not): a side with fewer than 2 documents (resampling one document always gives it back: a zero-width interval that is no estimate), every resample alike, or bootstrap.b < 0."),
			},
			PandasExample: `tp = pd.read_parquet("out/topic_prevalence.parquet")
tp.sort_values("diff")[["label", "mean_a", "mean_b", "diff_lo", "diff_hi"]]`,
			SQLExample: `SELECT label, diff, diff_lo, diff_hi FROM read_parquet('out/topic_prevalence.parquet')
WHERE diff_lo > 0 OR diff_hi < 0 ORDER BY diff;`,
		},
		&Table{
			Name:        "frames",
			Description: "Frame scores per document: hits of each frame's lexicon entries, rate per 1,000 words and the share of sentences carrying the frame, with a 95% bootstrap interval.",
			Key:         []string{"doc_id", "frame"},
			Layout:      SingleFile,
			Columns: []Column{
				docID(), group(),
				col("frame", typDict, "Frame name (from the frame lexicon)."),
				col("hits", typInt32, "Matches of the frame's entries, negated ones excluded."),
				col("negated_hits", typInt32, "Matches preceded by a negator within the negation window (counted apart)."),
				col("weighted_hits", typF64, "Sum of entry weights over non-negated matches."),
				col("n_words", typInt32, "Non-punctuation tokens of the document (the rate's denominator)."),
				col("rate_per_1k", typF64, "hits per 1,000 words."),
				nullable("rate_lo", typF64, "2.5th percentile of rate_per_1k over bootstrap resamples of sentences; null without an interval (a document without words, bootstrap.b < 0, or every resample alike — no hit, or one sentence: a zero-width interval estimates nothing)."),
				nullable("rate_hi", typF64, "97.5th percentile of rate_per_1k over bootstrap resamples of sentences; null without an interval."),
				col("sentence_share", typF64, "Share of the document's sentences with at least one hit."),
				col("matched_terms", typStrs, "Distinct matched entries, most frequent first."),
			},
			PandasExample: `fr = pd.read_parquet("out/frames.parquet")
fr.pivot(index="doc_id", columns="frame", values="rate_per_1k")`,
			SQLExample: `SELECT doc_id, frame, rate_per_1k, rate_lo, rate_hi
FROM read_parquet('out/frames.parquet') ORDER BY frame, rate_per_1k DESC;`,
		},
		&Table{
			Name:        "group_frames",
			Description: "Frame scores per group: hits pooled over the group's documents, rate per 1,000 words and sentence share, each with a 95% bootstrap interval (documents resampled; sentences within documents when the group has fewer than bootstrap.min_docs documents).",
			Key:         []string{"group", "frame"},
			Layout:      SingleFile,
			Columns: []Column{
				group(),
				col("frame", typDict, "Frame name."),
				col("docs", typInt32, "Documents in the group."),
				col("hits", typInt64, "Non-negated matches."),
				col("negated_hits", typInt64, "Negated matches."),
				col("n_words", typInt64, "Non-punctuation tokens of the group."),
				col("rate_per_1k", typF64, "hits per 1,000 words (pooled)."),
				nullable("rate_lo", typF64, "Lower end of the rate's interval; null without an interval (a group without words, bootstrap.b < 0, or every resample alike, e.g. no hit: a zero-width interval estimates nothing)."),
				nullable("rate_hi", typF64, "Upper end of the rate's interval; null without an interval."),
				col("sentence_share", typF64, "Share of the group's sentences with a hit."),
				nullable("share_lo", typF64, "Lower end of the share's interval; null without an interval."),
				nullable("share_hi", typF64, "Upper end of the share's interval; null without an interval."),
				col("resample", typDict, "What the bootstrap resampled: documents, sentences (groups of fewer than bootstrap.min_docs documents), documents_normal (groups of more than bootstrap.exact_docs documents: the normal approximation of the document bootstrap), or sentences_normal (a sentence bootstrap of more than 50,000 sentences: its normal approximation)."),
			},
			PandasExample: `gf = pd.read_parquet("out/group_frames.parquet")
gf.pivot(index="frame", columns="group", values="rate_per_1k")`,
			SQLExample: `SELECT "group", frame, rate_per_1k, rate_lo, rate_hi FROM read_parquet('out/group_frames.parquet') ORDER BY frame, "group";`,
		},
		&Table{
			Name:        "frame_comparisons",
			Description: "Frame score differences per comparison: rate and sentence share of each side, the difference A − B and its 95% bootstrap interval (both sides resampled independently). An interval that excludes 0 is a difference larger than its noise.",
			Key:         []string{"comparison", "frame"},
			Layout:      SingleFile,
			Columns: []Column{
				col("comparison", typDict, "Comparison name."),
				col("group_a", typDict, "Side A."),
				col("group_b", typDict, "Side B (\"rest\" for every other group)."),
				col("frame", typDict, "Frame name."),
				col("rate_a", typF64, "Rate per 1,000 words in side A."),
				col("rate_b", typF64, "Rate per 1,000 words in side B."),
				col("rate_diff", typF64, "rate_a − rate_b."),
				nullable("rate_diff_lo", typF64, "Lower end of the difference's interval; null without an interval (a side without words, bootstrap.b < 0, or every resample alike, e.g. no hit on either side: a zero-width interval estimates nothing)."),
				nullable("rate_diff_hi", typF64, "Upper end of the difference's interval; null without an interval."),
				col("share_a", typF64, "Sentence share in side A."),
				col("share_b", typF64, "Sentence share in side B."),
				col("share_diff", typF64, "share_a − share_b."),
				nullable("share_diff_lo", typF64, "Lower end of the share difference's interval; null without an interval."),
				nullable("share_diff_hi", typF64, "Upper end; null without an interval."),
				col("docs_a", typInt32, "Documents of side A with a hit of the frame."),
				col("docs_b", typInt32, "Documents of side B with a hit of the frame."),
				nullable("dp_a", typF64, "Gries' DP of the frame's hits over side A's documents (as keyness.dp_a: 0 = spread as the words are, towards 1 = in few documents); null when side A has no hit or fewer than 2 documents."),
				nullable("dp_b", typF64, "Gries' DP over side B's documents; null likewise."),
			},
			PandasExample: `fc = pd.read_parquet("out/frame_comparisons.parquet")
fc[(fc.rate_diff_lo > 0) | (fc.rate_diff_hi < 0)]`,
			SQLExample: `SELECT frame, rate_diff, rate_diff_lo, rate_diff_hi FROM read_parquet('out/frame_comparisons.parquet') ORDER BY rate_diff;`,
		},
		&Table{
			Name:        "frame_suggestions",
			Description: "Candidate new lexicon entries for each frame, for a person to review: words that share sentences with the frame's hits more than chance, by positive pointwise mutual information over sentences.",
			Key:         []string{"frame", "rank"},
			Layout:      SingleFile,
			Columns: []Column{
				col("frame", typDict, "Frame name."),
				col("rank", typInt32, "1 = strongest association."),
				col("term", typString, "Suggested entry (lower-case or lemma form)."),
				col("ppmi", typF64, "max(0, log2 P(term, frame) / (P(term) P(frame))) over sentences."),
				col("joint", typInt64, "Sentences carrying the frame that contain the term."),
				col("term_sentences", typInt64, "Sentences containing the term."),
			},
			PandasExample: `fs = pd.read_parquet("out/frame_suggestions.parquet")
fs[fs["rank"] <= 10].groupby("frame", observed=True).term.apply(list)`,
			SQLExample: `SELECT frame, list(term ORDER BY rank) FROM read_parquet('out/frame_suggestions.parquet') GROUP BY 1;`,
		},
		&Table{
			Name:        "frame_sentences",
			Description: "The evidence: one row per (sentence, frame) with at least one match (hits or negated hits), with the matched spans, for reading in context (KWIC).",
			Key:         []string{"doc_id", "sentence_id", "frame"},
			Layout:      Parts,
			Columns: []Column{
				docID(), group(), sentID(),
				col("frame", typDict, "Frame name."),
				col("hits", typInt32, "Non-negated matches in the sentence."),
				col("negated_hits", typInt32, "Negated matches in the sentence."),
				col("matched", typStrs, "The matched text of each match, in order."),
				col("entries", typStrs, "The lexicon entry behind each match."),
				col("match_starts", typI32s, "Start of each match in documents.text (code points)."),
				col("match_ends", typI32s, "End of each match (exclusive)."),
				col("start", typInt32, "Start of the sentence in documents.text (code points)."),
				col("end", typInt32, "End of the sentence (exclusive)."),
				col("text", typString, "The sentence."),
			},
			PandasExample: `ev = pd.read_parquet("out/frame_sentences")
ev[ev.frame == "security_restriction"][["doc_id", "matched", "text"]].head()`,
			SQLExample: `SELECT doc_id, matched, text FROM read_parquet('out/frame_sentences/*.parquet')
WHERE frame = 'security_restriction' ORDER BY hits DESC LIMIT 10;`,
		},
		&Table{
			Name:        "frame_entries",
			Description: "Which lexicon entries drive each frame: one row per (group, frame, entry) with a match, its hits, the share of the frame's hits it carries in the group and the word forms it matched, to check that a wildcard catches only the words it should (import* must not match important). An entry with more than half of a frame's hits in a group where the frame has at least 20 hits is marked dominant and warned of in the log and the run summary: the frame's score there is largely that one entry's frequency.",
			Key:         []string{"group", "frame", "entry"},
			Layout:      SingleFile,
			Columns: []Column{
				group(),
				col("frame", typDict, "Frame name."),
				col("entry", typString, "The lexicon entry as written (\"secur*\", \"research security\")."),
				col("hits", typInt64, "Non-negated matches of the entry in the group (summed over entries they give group_frames.hits)."),
				col("negated_hits", typInt64, "Negated matches of the entry in the group."),
				col("docs", typInt64, "Documents of the group with at least one non-negated match of the entry."),
				col("frame_hits", typInt64, "Non-negated matches of the frame in the group (all entries)."),
				col("share", typF64, "hits / frame_hits: the share of the frame's hits this entry carries (0 when frame_hits is 0)."),
				col("dominant", typBool, "True when share > 0.5 and frame_hits >= 20."),
				col("top_forms", typStrs, "The entry's 5 most frequent matched forms (lower-cased), most frequent first."),
				col("top_form_hits", typI32s, "Matches of each of top_forms."),
				col("sources", typStrs, "Keys of the references the lexicon cites for the entry (empty when it cites none; docs/frames.md lists the default lexicon's)."),
			},
			PandasExample: `fe = pd.read_parquet("out/frame_entries.parquet")
fe.sort_values("hits", ascending=False).groupby(["group", "frame"], observed=True).head(3)`,
			SQLExample: `SELECT "group", frame, entry, hits, round(share, 2) AS share, top_forms FROM read_parquet('out/frame_entries.parquet')
WHERE dominant OR share > 0.2 ORDER BY frame, "group", hits DESC;`,
		},
		&Table{
			Name:        "keyness",
			Description: "Group comparison per feature: counts and rates in each side, weighted log-odds with an informative Dirichlet prior and its z-score (Monroe et al. 2008), Dunning's G² (signed) with p-values, and the log ratio; then how the feature is spread over each side's documents (documents with it, Gries' DP) and a document-level test (Welch's t of per-document rates, permutation p over documents). Positive z, g2, log_ratio and doc_t mean the feature is over-used in group_a. Each comparison and feature kind keeps its compare.max_features (2,000) most distinctive features, half per side (fewer when the plan would write more than compare.max_rows, 2,000,000 rows), by doc_t (compare.keyness.test: documents, the default, when each side has at least 2 documents) or else by z; p_adj and doc_p_adj are adjusted over all of them. Counts are those of the other tables: term = tfidf.count, entity = entity_mentions.mentions, topic = round(doc_topics.weight × documents.n_words), keyphrase = occurrences in the text of a phrase of the keyphrases table, ngram = occurrences of the 2- and 3-grams of the term forms (docs/methods.md).",
			Key:         []string{"comparison", "feature_kind", "feature"},
			Layout:      SingleFile,
			Columns: []Column{
				col("comparison", typDict, "Comparison name, e.g. \"emotion_retention vs security_restriction\"."),
				col("group_a", typDict, "Side A (one group or several joined by \"+\")."),
				col("group_b", typDict, "Side B (a group, several joined by \"+\", \"rest\" for every other group, or \"reference\" for the reference corpus of compare.reference)."),
				col("feature_kind", typDict, "What is compared: term (the vocabulary's terms), ngram (2- and 3-grams of term forms seen at least 5 times, when the vocabulary is unigrams), keyphrase (every phrase of the keyphrases table, by its norm, counted wherever its words occur in a sentence, whether or not the document ranks it), entity (canonical names) or topic (words the topic model gives each topic, in the documents with a term in the vocabulary; tested over documents only)."),
				col("feature", typString, "The feature."),
				col("count_a", typInt64, "Occurrences in side A."),
				col("count_b", typInt64, "Occurrences in side B."),
				col("rate_a", typF64, "Occurrences per 1,000 features in side A."),
				col("rate_b", typF64, "Occurrences per 1,000 features in side B."),
				col("log_odds", typF64, "Weighted log-odds ratio with informative Dirichlet prior (delta)."),
				nullable("z", typF64, "z-score of log_odds (delta / sqrt(variance)); it treats every token as an independent draw. Null for topics (words a topic model assigns are not independent)."),
				nullable("g2", typF64, "Dunning's log-likelihood G², signed: positive when over-used in A. Null for topics."),
				nullable("p", typF64, "p-value of G² (chi-squared, 1 df): token-level, blind to how the feature is spread over documents (see doc_p). Null for topics."),
				nullable("p_adj", typF64, "Benjamini–Hochberg adjusted p within the comparison and feature kind. Null for topics."),
				col("log_ratio", typF64, "log2 of rate_a / rate_b (Hardie 2014); when a count is 0, 0.5/N is added to both rates (docs/methods.md)."),
				col("side", typDict, "The side that over-uses the feature (group_a or group_b), by the sign of doc_t when the document-level test orders the rows (comparisons.keyness_test), else of z (of log_ratio for topics)."),
				col("docs_a", typInt32, "Documents of side A that contain the feature."),
				col("docs_b", typInt32, "Documents of side B that contain the feature (0 against a reference corpus)."),
				nullable("dp_a", typF64, "Gries' DP (2008) of the feature over side A's documents, parts weighted by their words: 0 = spread as evenly as the words, towards 1 = in few documents. Null when side A has no occurrence or fewer than 2 documents."),
				nullable("dp_b", typF64, "Gries' DP over side B's documents; null likewise."),
				nullable("doc_t", typF64, "Welch's t of the difference of the sides' mean per-document rates (occurrences per 1,000 words, 0 in documents without it): high only when the feature is more frequent across A's documents, not in one of them. Null when a side has fewer than 2 documents, or when no document differs from its side's mean."),
				nullable("doc_p", typF64, "Two-sided p-value of doc_t (Welch's t-test; with compare.keyness.permutations > 0, a seeded permutation test over documents instead: docs/methods.md). Null when a side has fewer than 2 documents."),
				nullable("doc_p_adj", typF64, "Benjamini–Hochberg adjusted doc_p within the comparison and feature kind."),
				col("concentrated", typBool, "True when one document holds more than half of the feature's occurrences on the side that over-uses it: the difference is that document's, not its group's."),
			},
			PandasExample: `k = pd.read_parquet("out/keyness.parquet")
k[k.feature_kind == "term"].sort_values("z").groupby("side", observed=True).tail(10)`,
			SQLExample: `SELECT side, feature, z, g2, log_ratio FROM read_parquet('out/keyness.parquet')
WHERE feature_kind = 'term' QUALIFY row_number() OVER (PARTITION BY side ORDER BY abs(z) DESC) <= 10;`,
		},
		&Table{
			Name:        "comparisons",
			Description: "One row per comparison: its sides, their size, the terms that most distinguish each side, and the Jensen–Shannon divergence (base 2) of their term and topic distributions.",
			Key:         []string{"comparison"},
			Layout:      SingleFile,
			Columns: []Column{
				col("comparison", typDict, "Comparison name."),
				col("group_a", typDict, "Side A."),
				col("group_b", typDict, "Side B (\"rest\" for every other group)."),
				col("docs_a", typInt32, "Documents in side A."),
				col("docs_b", typInt32, "Documents in side B."),
				col("words_a", typInt64, "Non-punctuation tokens in side A."),
				col("words_b", typInt64, "Non-punctuation tokens in side B."),
				col("top_terms_a", typStrs, "The 20 terms with the highest keyness z for side A."),
				col("top_terms_b", typStrs, "The 20 terms with the highest keyness z for side B."),
				nullable("jsd_terms", typF64, "Jensen–Shannon divergence of the two sides' term distributions (0 = same, 1 = disjoint); null when a side has no counted term (a tiny corpus whose terms all fall below the minimum count)."),
				nullable("jsd_topics", typF64, "Jensen–Shannon divergence of the sides' mean topic distributions; null without a topic model or when a side has no document with a term in the vocabulary (documents without one have no topic weights of their own and are left out of the means)."),
				col("keyness_test", typString, "What orders the keyness rows and top_terms: \"documents\" (doc_t, the default) or \"tokens\" (z: compare.keyness.test: tokens, a side with fewer than 2 documents, or a reference corpus)."),
				col("warnings", typStrs, "What limits the comparison's claims: a side with fewer than 5 documents (its differences describe those documents, not a group), sides that differ in size more than 10× (in documents or words), no document-level test. Empty when none."),
			},
			PandasExample: `cmp = pd.read_parquet("out/comparisons.parquet")
cmp[["comparison", "jsd_terms", "jsd_topics", "top_terms_a", "top_terms_b"]]`,
			SQLExample: `SELECT comparison, jsd_terms, top_terms_a[1:5], top_terms_b[1:5] FROM read_parquet('out/comparisons.parquet');`,
		},
		&Table{
			Name:        "entity_mentions",
			Description: "Mentions of each actor (canonical entity name) per document, so that comparisons count actors, not spellings.",
			Key:         []string{"doc_id", "canonical", "label"},
			Layout:      SingleFile,
			Columns: []Column{
				docID(), group(),
				col("canonical", typDict, "Canonical entity name."),
				col("label", typDict, "Entity type."),
				col("mentions", typInt32, "Mentions in the document."),
				col("variants", typStrs, "The spellings met, most frequent first."),
			},
			PandasExample: `em = pd.read_parquet("out/entity_mentions.parquet")
em.groupby(["group", "canonical"], observed=True).mentions.sum().sort_values().groupby(level=0).tail(5)`,
			SQLExample: `SELECT "group", canonical, sum(mentions) AS n FROM read_parquet('out/entity_mentions.parquet')
GROUP BY ALL ORDER BY n DESC LIMIT 20;`,
		},
	)
}
