package output

// The row types of the tables, one per table of NewCatalog and in its
// order: a field per column, in column order, tagged with the column's
// name (",dict" for a dictionary-encoded string). The Arrow schema is
// derived from them (see row.go); the descriptions are in tables.go.
// Null[T] marks a nullable column.

// DocumentRow is a row of the documents table.
type DocumentRow struct {
	DocID          string      `col:"doc_id,dict"`
	Seq            int32       `col:"seq"`
	Group          string      `col:"group,dict"`
	Title          string      `col:"title"`
	Authors        []string    `col:"authors"`
	Year           Null[int32] `col:"year"`
	Lang           string      `col:"lang"`
	LangConfidence float64     `col:"lang_confidence"`
	LangSource     string      `col:"lang_source,dict"`
	Source         string      `col:"source"`
	RawSHA256      string      `col:"raw_sha256"`
	NChars         int32       `col:"n_chars"`
	RemovedChars   int32       `col:"removed_chars"`
	NSections      int32       `col:"n_sections"`
	NSentences     int32       `col:"n_sentences"`
	NTokens        int32       `col:"n_tokens"`
	NWords         int32       `col:"n_words"`
	AuthorKeywords []string    `col:"author_keywords"`
	Warnings       []string    `col:"warnings"`
	Text           string      `col:"text"`
	// Meta holds the values of the manifest metadata columns the writer
	// was opened with (Options.ExtraColumns), in their order: string,
	// int64, float64, bool or nil; an ISO date string for a date column.
	Meta []any `col:",extra"`
}

// SectionRow is a row of the sections table.
type SectionRow struct {
	DocID        string `col:"doc_id,dict"`
	SectionID    int32  `col:"section_id"`
	Kind         string `col:"kind,dict"`
	Heading      string `col:"heading"`
	HeadingStart int32  `col:"heading_start"`
	HeadingEnd   int32  `col:"heading_end"`
	Start        int32  `col:"start"`
	End          int32  `col:"end"`
	Analysed     bool   `col:"analysed"`
}

// SentenceRow is a row of the sentences table.
type SentenceRow struct {
	DocID      string `col:"doc_id,dict"`
	Group      string `col:"group,dict"`
	SentenceID int32  `col:"sentence_id"`
	SectionID  int32  `col:"section_id"`
	Section    string `col:"section,dict"`
	Start      int32  `col:"start"`
	End        int32  `col:"end"`
	NTokens    int32  `col:"n_tokens"`
	Text       string `col:"text"`
}

// TokenRow is a row of the tokens table.
type TokenRow struct {
	DocID      string `col:"doc_id,dict"`
	Group      string `col:"group,dict"`
	SentenceID int32  `col:"sentence_id"`
	TokenID    int32  `col:"token_id"`
	Start      int32  `col:"start"`
	End        int32  `col:"end"`
	Text       string `col:"text"`
	Lower      string `col:"lower,dict"`
	Lemma      string `col:"lemma,dict"`
	Stem       string `col:"stem,dict"`
	POS        string `col:"pos,dict"`
	IsStop     bool   `col:"is_stop"`
	IsPunct    bool   `col:"is_punct"`
}

// EntityRow is a row of the entities table.
type EntityRow struct {
	DocID      string `col:"doc_id,dict"`
	Group      string `col:"group,dict"`
	EntityID   int32  `col:"entity_id"`
	SentenceID int32  `col:"sentence_id"`
	Start      int32  `col:"start"`
	End        int32  `col:"end"`
	TokenStart int32  `col:"token_start"`
	TokenEnd   int32  `col:"token_end"`
	Text       string `col:"text"`
	Label      string `col:"label,dict"`
	Canonical  string `col:"canonical,dict"`
	Source     string `col:"source,dict"`
}

// KeyphraseRow is a row of the keyphrases table.
type KeyphraseRow struct {
	DocID      string  `col:"doc_id,dict"`
	Group      string  `col:"group,dict"`
	Rank       int32   `col:"rank"`
	Phrase     string  `col:"phrase"`
	Norm       string  `col:"norm"`
	Score      float64 `col:"score"`
	Count      int32   `col:"count"`
	Method     string  `col:"method,dict"`
	FirstStart int32   `col:"first_start"`
}

// GroupKeyphraseRow is a row of the group_keyphrases table.
type GroupKeyphraseRow struct {
	Group           string  `col:"group,dict"`
	Rank            int32   `col:"rank"`
	Phrase          string  `col:"phrase"`
	Score           float64 `col:"score"`
	Prevalence      float64 `col:"prevalence"`
	Distinctiveness float64 `col:"distinctiveness"`
	Count           int32   `col:"count"`
	DocFreq         int32   `col:"doc_freq"`
}

// TermRow is a row of the terms table.
type TermRow struct {
	TermID int32   `col:"term_id"`
	Term   string  `col:"term"`
	N      int32   `col:"n"`
	DF     int32   `col:"df"`
	CF     int64   `col:"cf"`
	IDF    float64 `col:"idf"`
}

// TfidfRow is a row of the tfidf table.
type TfidfRow struct {
	DocID  string  `col:"doc_id,dict"`
	Group  string  `col:"group,dict"`
	TermID int32   `col:"term_id"`
	Term   string  `col:"term,dict"`
	Count  int32   `col:"count"`
	Weight float64 `col:"weight"`
}

// TopicRow is a row of the topics table.
type TopicRow struct {
	Topic     int32         `col:"topic"`
	Rank      int32         `col:"rank"`
	TermID    int32         `col:"term_id"`
	Term      string        `col:"term"`
	Weight    float64       `col:"weight"`
	Label     string        `col:"label,dict"`
	NPMI      Null[float64] `col:"npmi"`
	Diversity float64       `col:"diversity"`
	Model     string        `col:"model,dict"`
}

// DocTopicRow is a row of the doc_topics table.
type DocTopicRow struct {
	DocID  string  `col:"doc_id,dict"`
	Group  string  `col:"group,dict"`
	Topic  int32   `col:"topic"`
	Weight float64 `col:"weight"`
}

// DocVectorRow is a row of the doc_vectors table.
type DocVectorRow struct {
	DocID        string    `col:"doc_id,dict"`
	Group        string    `col:"group,dict"`
	TopicWeights []float32 `col:"topic_weights"`
}

// SimilarityRow is a row of the similarity table.
type SimilarityRow struct {
	DocID         string  `col:"doc_id,dict"`
	Group         string  `col:"group,dict"`
	Rank          int32   `col:"rank"`
	NeighborID    string  `col:"neighbor_id,dict"`
	NeighborGroup string  `col:"neighbor_group,dict"`
	Cosine        float64 `col:"cosine"`
}

// TopicPrevalenceRow is a row of the topic_prevalence table.
type TopicPrevalenceRow struct {
	Comparison   string        `col:"comparison,dict"`
	GroupA       string        `col:"group_a,dict"`
	GroupB       string        `col:"group_b,dict"`
	Topic        int32         `col:"topic"`
	Label        string        `col:"label,dict"`
	MeanA        float64       `col:"mean_a"`
	MeanB        float64       `col:"mean_b"`
	Diff         float64       `col:"diff"`
	DiffLo       Null[float64] `col:"diff_lo"`
	DiffHi       Null[float64] `col:"diff_hi"`
	DocsA        int32         `col:"docs_a"`
	DocsB        int32         `col:"docs_b"`
	IntervalNote string        `col:"interval_note"`
}

// FrameRow is a row of the frames table.
type FrameRow struct {
	DocID         string        `col:"doc_id,dict"`
	Group         string        `col:"group,dict"`
	Frame         string        `col:"frame,dict"`
	Hits          int32         `col:"hits"`
	NegatedHits   int32         `col:"negated_hits"`
	WeightedHits  float64       `col:"weighted_hits"`
	NWords        int32         `col:"n_words"`
	RatePer1k     float64       `col:"rate_per_1k"`
	RateLo        Null[float64] `col:"rate_lo"`
	RateHi        Null[float64] `col:"rate_hi"`
	SentenceShare float64       `col:"sentence_share"`
	MatchedTerms  []string      `col:"matched_terms"`
}

// GroupFrameRow is a row of the group_frames table.
type GroupFrameRow struct {
	Group         string        `col:"group,dict"`
	Frame         string        `col:"frame,dict"`
	Docs          int32         `col:"docs"`
	Hits          int64         `col:"hits"`
	NegatedHits   int64         `col:"negated_hits"`
	NWords        int64         `col:"n_words"`
	RatePer1k     float64       `col:"rate_per_1k"`
	RateLo        Null[float64] `col:"rate_lo"`
	RateHi        Null[float64] `col:"rate_hi"`
	SentenceShare float64       `col:"sentence_share"`
	ShareLo       Null[float64] `col:"share_lo"`
	ShareHi       Null[float64] `col:"share_hi"`
	Resample      string        `col:"resample,dict"`
}

// FrameComparisonRow is a row of the frame_comparisons table.
type FrameComparisonRow struct {
	Comparison  string        `col:"comparison,dict"`
	GroupA      string        `col:"group_a,dict"`
	GroupB      string        `col:"group_b,dict"`
	Frame       string        `col:"frame,dict"`
	RateA       float64       `col:"rate_a"`
	RateB       float64       `col:"rate_b"`
	RateDiff    float64       `col:"rate_diff"`
	RateDiffLo  Null[float64] `col:"rate_diff_lo"`
	RateDiffHi  Null[float64] `col:"rate_diff_hi"`
	ShareA      float64       `col:"share_a"`
	ShareB      float64       `col:"share_b"`
	ShareDiff   float64       `col:"share_diff"`
	ShareDiffLo Null[float64] `col:"share_diff_lo"`
	ShareDiffHi Null[float64] `col:"share_diff_hi"`
	DocsA       int32         `col:"docs_a"`
	DocsB       int32         `col:"docs_b"`
	DpA         Null[float64] `col:"dp_a"`
	DpB         Null[float64] `col:"dp_b"`
}

// FrameSuggestionRow is a row of the frame_suggestions table.
type FrameSuggestionRow struct {
	Frame         string  `col:"frame,dict"`
	Rank          int32   `col:"rank"`
	Term          string  `col:"term"`
	PPMI          float64 `col:"ppmi"`
	Joint         int64   `col:"joint"`
	TermSentences int64   `col:"term_sentences"`
}

// FrameSentenceRow is a row of the frame_sentences table.
type FrameSentenceRow struct {
	DocID       string   `col:"doc_id,dict"`
	Group       string   `col:"group,dict"`
	SentenceID  int32    `col:"sentence_id"`
	Frame       string   `col:"frame,dict"`
	Hits        int32    `col:"hits"`
	NegatedHits int32    `col:"negated_hits"`
	Matched     []string `col:"matched"`
	Entries     []string `col:"entries"`
	MatchStarts []int32  `col:"match_starts"`
	MatchEnds   []int32  `col:"match_ends"`
	Start       int32    `col:"start"`
	End         int32    `col:"end"`
	Text        string   `col:"text"`
}

// FrameEntryRow is a row of the frame_entries table.
type FrameEntryRow struct {
	Group       string   `col:"group,dict"`
	Frame       string   `col:"frame,dict"`
	Entry       string   `col:"entry"`
	Hits        int64    `col:"hits"`
	NegatedHits int64    `col:"negated_hits"`
	Docs        int64    `col:"docs"`
	FrameHits   int64    `col:"frame_hits"`
	Share       float64  `col:"share"`
	Dominant    bool     `col:"dominant"`
	TopForms    []string `col:"top_forms"`
	TopFormHits []int32  `col:"top_form_hits"`
	Sources     []string `col:"sources"`
}

// KeynessRow is a row of the keyness table.
type KeynessRow struct {
	Comparison   string        `col:"comparison,dict"`
	GroupA       string        `col:"group_a,dict"`
	GroupB       string        `col:"group_b,dict"`
	FeatureKind  string        `col:"feature_kind,dict"`
	Feature      string        `col:"feature"`
	CountA       int64         `col:"count_a"`
	CountB       int64         `col:"count_b"`
	RateA        float64       `col:"rate_a"`
	RateB        float64       `col:"rate_b"`
	LogOdds      float64       `col:"log_odds"`
	Z            Null[float64] `col:"z"`
	G2           Null[float64] `col:"g2"`
	P            Null[float64] `col:"p"`
	PAdj         Null[float64] `col:"p_adj"`
	LogRatio     float64       `col:"log_ratio"`
	Side         string        `col:"side,dict"`
	DocsA        int32         `col:"docs_a"`
	DocsB        int32         `col:"docs_b"`
	DpA          Null[float64] `col:"dp_a"`
	DpB          Null[float64] `col:"dp_b"`
	DocT         Null[float64] `col:"doc_t"`
	DocP         Null[float64] `col:"doc_p"`
	DocPAdj      Null[float64] `col:"doc_p_adj"`
	Concentrated bool          `col:"concentrated"`
}

// ComparisonRow is a row of the comparisons table.
type ComparisonRow struct {
	Comparison  string        `col:"comparison,dict"`
	GroupA      string        `col:"group_a,dict"`
	GroupB      string        `col:"group_b,dict"`
	DocsA       int32         `col:"docs_a"`
	DocsB       int32         `col:"docs_b"`
	WordsA      int64         `col:"words_a"`
	WordsB      int64         `col:"words_b"`
	TopTermsA   []string      `col:"top_terms_a"`
	TopTermsB   []string      `col:"top_terms_b"`
	JSDTerms    Null[float64] `col:"jsd_terms"`
	JSDTopics   Null[float64] `col:"jsd_topics"`
	KeynessTest string        `col:"keyness_test"`
	Warnings    []string      `col:"warnings"`
}

// EntityMentionRow is a row of the entity_mentions table.
type EntityMentionRow struct {
	DocID     string   `col:"doc_id,dict"`
	Group     string   `col:"group,dict"`
	Canonical string   `col:"canonical,dict"`
	Label     string   `col:"label,dict"`
	Mentions  int32    `col:"mentions"`
	Variants  []string `col:"variants"`
}
