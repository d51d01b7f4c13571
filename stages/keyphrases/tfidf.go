package keyphrases

import "math"

// PhraseDF counts in how many documents each candidate phrase (by Key)
// occurs. Shards count apart with Add and combine with Merge.
type PhraseDF struct {
	// N is the number of documents added.
	N  int
	DF map[string]int
	// Words counts the documents containing each word stem of a candidate.
	Words map[string]int
}

// NewPhraseDF returns an empty count.
func NewPhraseDF() *PhraseDF { return &PhraseDF{DF: map[string]int{}, Words: map[string]int{}} }

// Add counts the distinct phrases of one document.
func (d *PhraseDF) Add(c *DocCandidates) {
	if d.DF == nil || d.Words == nil {
		*d = PhraseDF{N: d.N, DF: nonNil(d.DF), Words: nonNil(d.Words)}
	}
	d.N++
	seen := map[string]bool{}
	for _, p := range c.Phrases {
		d.DF[p.Key]++
		for _, w := range splitKey(p.Key) {
			if !seen[w] {
				seen[w] = true
				d.Words[w]++
			}
		}
	}
}

// Merge adds the counts of o into d.
func (d *PhraseDF) Merge(o *PhraseDF) {
	if o == nil {
		return
	}
	if d.DF == nil || d.Words == nil {
		*d = PhraseDF{N: d.N, DF: nonNil(d.DF), Words: nonNil(d.Words)}
	}
	d.N += o.N
	for k, n := range o.DF {
		d.DF[k] += n
	}
	for k, n := range o.Words {
		d.Words[k] += n
	}
}

// idf is ln((N+1)/df), df counting the scored document itself (the
// pipeline adds every document before ranking). A nil count or an unseen
// phrase counts as df = 1 of N = 1.
func (d *PhraseDF) idf(key string) float64 {
	n, df := 1, 1
	if d != nil && d.N > 0 {
		n = d.N
		df = max(d.DF[key], 1)
	}
	return math.Log(float64(n+1) / float64(df))
}

// tfidf is the phrase's count in the document times its idf.
func tfidf(p Candidate, df *PhraseDF) float64 {
	return float64(p.Count) * df.idf(p.Key)
}

// wordIDF is ln((N+1)/df) of one word stem.
func (d *PhraseDF) wordIDF(stem string) float64 {
	n, df := 1, 1
	if d != nil && d.N > 0 {
		n = d.N
		df = max(d.Words[stem], 1)
	}
	return math.Log(float64(n+1) / float64(df))
}

func nonNil(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
