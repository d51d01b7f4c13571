package vectorize

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/framelens/framelens/corpus/document"
)

// Term forms a Vectorizer can count.
const (
	FormLemma = "lemma"
	FormLower = "lower"
	FormStem  = "stem"
	FormText  = "text"
)

// Weighting schemes.
const (
	// SchemeSklearn is scikit-learn's TfidfVectorizer default: raw tf,
	// idf = ln((1+n)/(1+df)) + 1, rows L2-normalised.
	SchemeSklearn = "sklearn"
	// SchemeSublinear is scikit-learn with sublinear_tf=True: tf = 1+ln(tf).
	SchemeSublinear = "sublinear"
	// SchemeIDFPlain is raw tf times idf = ln(n/df) (no smoothing, no +1).
	SchemeIDFPlain = "idf_plain"
	// SchemeBM25 is Okapi BM25 (Lucene's idf = ln(1 + (n-df+0.5)/(df+0.5))).
	SchemeBM25 = "bm25"
)

// Config configures a Vectorizer. The zero value is the default: lemmas,
// unigrams, no pruning, scikit-learn weighting, stop words dropped.
type Config struct {
	// Form is the token form counted: "lemma" (default), "lower", "stem", "text".
	Form string `yaml:"form"`
	// NGramMax is the longest n-gram counted (default 1).
	NGramMax int `yaml:"ngram_max"`
	// MinDF drops terms found in fewer documents (default 1).
	MinDF int `yaml:"min_df"`
	// MaxDF drops terms found in more than this fraction of documents
	// (0 means 1.0, no limit).
	MaxDF float64 `yaml:"max_df"`
	// MaxTerms keeps only the terms with the highest corpus frequency
	// (0 = all), ties broken by term, as scikit-learn's max_features does.
	MaxTerms int `yaml:"max_terms"`
	// Scheme is the weighting: "sklearn" (default), "sublinear",
	// "idf_plain", "bm25".
	Scheme string `yaml:"scheme"`
	// K1 and B are BM25's parameters (defaults 1.2 and 0.75).
	K1 float64 `yaml:"k1"`
	B  float64 `yaml:"b"`
	// NoNorm leaves weighted rows unnormalised (default: L2 norm 1).
	NoNorm bool `yaml:"no_norm"`
	// KeepStopwords counts tokens flagged IsStop.
	KeepStopwords bool `yaml:"keep_stopwords"`
	// StopWords are further forms (compared with the counted form) to drop.
	StopWords []string `yaml:"stop_words"`
	// MinLen drops tokens shorter than this many characters (default 2, as
	// scikit-learn's token pattern \b\w\w+\b).
	MinLen int `yaml:"min_len"`
	// KeepNumbers counts tokens with no letter (numbers, codes); by default
	// they are dropped.
	KeepNumbers bool `yaml:"keep_numbers"`
}

// Vectorizer turns tokenised documents into term counts. It is read-only
// after New and safe for concurrent use.
type Vectorizer struct {
	cfg  Config
	stop map[string]bool
}

// New checks cfg and fills defaults.
func New(cfg Config) (*Vectorizer, error) {
	switch cfg.Form {
	case "":
		cfg.Form = FormLemma
	case FormLemma, FormLower, FormStem, FormText:
	default:
		return nil, fmt.Errorf("vectorize: unknown form %q (want lemma, lower, stem or text)", cfg.Form)
	}
	switch cfg.Scheme {
	case "":
		cfg.Scheme = SchemeSklearn
	case SchemeSklearn, SchemeSublinear, SchemeIDFPlain, SchemeBM25:
	default:
		return nil, fmt.Errorf("vectorize: unknown scheme %q (want sklearn, sublinear, idf_plain or bm25)", cfg.Scheme)
	}
	if cfg.NGramMax <= 0 {
		cfg.NGramMax = 1
	}
	if cfg.MinDF <= 0 {
		cfg.MinDF = 1
	}
	if cfg.MaxDF < 0 || cfg.MaxDF > 1 {
		return nil, fmt.Errorf("vectorize: max_df %v is not a fraction in (0, 1]", cfg.MaxDF)
	}
	if cfg.MaxDF == 0 {
		cfg.MaxDF = 1
	}
	if cfg.K1 == 0 {
		cfg.K1 = 1.2
	}
	if cfg.B == 0 {
		cfg.B = 0.75
	}
	if cfg.MinLen == 0 {
		cfg.MinLen = 2
	}
	v := &Vectorizer{cfg: cfg, stop: map[string]bool{}}
	for _, w := range cfg.StopWords {
		v.stop[w] = true
	}
	return v, nil
}

// Config returns the configuration with defaults filled in.
func (v *Vectorizer) Config() Config { return v.cfg }

// DocCounts maps a term (n-grams joined by one space) to its count in one
// document.
type DocCounts map[string]int

// form returns the counted form of t, or "" when the token is dropped.
func (v *Vectorizer) form(t *document.Token) string {
	if t.IsPunct || (t.IsStop && !v.cfg.KeepStopwords) {
		return ""
	}
	var s string
	switch v.cfg.Form {
	case FormLemma:
		s = t.Lemma
	case FormLower:
		s = t.Lower
	case FormStem:
		s = t.Stem
	default:
		s = t.Text
	}
	if s == "" {
		s = strings.ToLower(t.Text)
	}
	if v.stop[s] {
		return ""
	}
	n, letter := 0, false
	for _, r := range s {
		n++
		if unicode.IsLetter(r) {
			letter = true
		}
	}
	if n < v.cfg.MinLen || (!letter && !v.cfg.KeepNumbers) {
		return ""
	}
	return s
}

// Forms returns the counted form of every kept token of doc, in order (the
// "text" a coherence measure slides its windows over).
func (v *Vectorizer) Forms(doc *document.Document) []string {
	out := make([]string, 0, len(doc.Tokens))
	for i := range doc.Tokens {
		if f := v.form(&doc.Tokens[i]); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// RunStarts returns the positions in Forms(doc) where a run of adjacent kept
// tokens starts (a sentence boundary or a dropped token before it): the
// n-grams of Count are the n consecutive forms within a run, so that they
// can be recounted from the forms alone.
func (v *Vectorizer) RunStarts(doc *document.Document) []int32 {
	var out []int32
	kept, sent, inRun := int32(0), -1, false
	for i := range doc.Tokens {
		t := &doc.Tokens[i]
		f := v.form(t)
		if f == "" || t.Sentence != sent {
			inRun = false
			sent = t.Sentence
		}
		if f == "" {
			continue
		}
		if !inRun {
			out = append(out, kept)
			inRun = true
		}
		kept++
	}
	return out
}

// Count counts the terms of one document. N-grams (n ≥ 2) are built from
// runs of adjacent kept tokens: a run ends at a sentence boundary and at any
// dropped token (stop word, punctuation, short or numeric token), so an
// n-gram never spans a sentence end nor skips over a removed word.
func (v *Vectorizer) Count(doc *document.Document) DocCounts {
	dc := DocCounts{}
	n := v.cfg.NGramMax
	run := make([]string, 0, 16)
	sent := -1
	var sb strings.Builder
	for i := range doc.Tokens {
		t := &doc.Tokens[i]
		f := v.form(t)
		if f == "" || t.Sentence != sent {
			run = run[:0]
			sent = t.Sentence
		}
		if f == "" {
			continue
		}
		run = append(run, f)
		dc[f]++
		for k := 2; k <= n && k <= len(run); k++ {
			sb.Reset()
			for j := len(run) - k; j < len(run); j++ {
				if j > len(run)-k {
					sb.WriteByte(' ')
				}
				sb.WriteString(run[j])
			}
			dc[sb.String()]++
		}
	}
	return dc
}

// DFStats are mergeable corpus statistics: document frequency and total
// frequency of every term, and the number of documents.
type DFStats struct {
	DF map[string]int
	TF map[string]int
	N  int
}

// NewDFStats returns empty statistics.
func NewDFStats() *DFStats { return &DFStats{DF: map[string]int{}, TF: map[string]int{}} }

// Add counts one document.
func (s *DFStats) Add(dc DocCounts) {
	if s.DF == nil {
		s.DF, s.TF = map[string]int{}, map[string]int{}
	}
	for t, c := range dc {
		s.DF[t]++
		s.TF[t] += c
	}
	s.N++
}

// Merge adds the statistics of another shard.
func (s *DFStats) Merge(o *DFStats) {
	if s.DF == nil {
		s.DF, s.TF = map[string]int{}, map[string]int{}
	}
	// Terms new to s are copied: merged statistics must not keep the
	// documents they were cut from in memory.
	for t, c := range o.DF {
		if _, ok := s.DF[t]; !ok {
			t = strings.Clone(t)
		}
		s.DF[t] += c
	}
	for t, c := range o.TF {
		if _, ok := s.TF[t]; !ok {
			t = strings.Clone(t)
		}
		s.TF[t] += c
	}
	s.N += o.N
}
