package keyphrases

import (
	"math"
	"slices"
	"strings"
)

// numFeatures is the length of a candidate's feature vector.
const numFeatures = 22

// fittedWeights are the ensemble's weights, fitted by logistic regression
// on the Inspec train split (label: the phrase is a gold key phrase) and
// checked on dev; see features for their order. Only these numbers
// come from Inspec, no text of it.
func fittedWeights() [numFeatures]float64 {
	return [numFeatures]float64{
		-1.8160, 0.1590, -0.1461, -0.1742, 0.7990, -1.8160,
		-1.6462, -0.1266, 0.1897, -0.2330, 0.5926, -0.3963,
		1.8371, -0.6982, 0.5468, 1.2860, 0.5756, 0.2742,
		0.0000, 0.7990, 0.0000, -0.3952,
	}
}

// ensemble scores each candidate by a linear model over the ranks the
// three scorers give it and a few shape features:
//
//	S(p) = Σ_i w_i·x_i(p)
func (e *Extractor) ensemble(c *DocCandidates, df *PhraseDF) []float64 {
	x := features(c, df)
	w := e.weights
	out := make([]float64, len(x))
	for i, f := range x {
		var s float64
		for j, v := range f {
			s += w[j] * v
		}
		out[i] = s
	}
	return out
}

// features returns one vector per candidate:
//
//	0 bias
//	1–3 1/(1 + rank) under YAKE, PositionRank and TF-IDF
//	4 ln(1 + count)
//	5 share of occurrences that are a whole noun phrase
//	6–9 one, two, three, four or more words
//	10 occurs in the first line or sentence
//	11 relative position of the first occurrence
//	12 idf / ln(N + 1)
//	13–15 mean, least and first word idf / ln(N + 1)
//	16 graph score / best graph score of the document
//	17 tf-idf / best tf-idf of the document
//	18 never a whole noun phrase (only inside longer ones)
//	19 ln(1 + occurrences as a whole noun phrase)
//	20 a single word that is never a whole noun phrase
//	21 ln(1 + mean occurrences of the phrase's words)
func features(c *DocCandidates, df *PhraseDF) [][numFeatures]float64 {
	n := len(c.Phrases)
	out := make([][numFeatures]float64, n)
	rr := func(col int, score func(p Candidate) float64) {
		s := make([]float64, n)
		for i, p := range c.Phrases {
			s[i] = score(p)
		}
		for r, i := range rankOrder(c, s) {
			out[i][col] = 1 / float64(r+1)
		}
	}
	rr(1, func(p Candidate) float64 { return -p.YAKE })
	rr(2, func(p Candidate) float64 { return p.Graph })
	rr(3, func(p Candidate) float64 { return tfidf(p, df) })
	norm := math.Log(2)
	if df != nil && df.N > 0 {
		norm = math.Log(float64(df.N + 1))
	}
	for i, p := range c.Phrases {
		f := &out[i]
		f[0] = 1
		f[4] = math.Log1p(float64(p.Count))
		f[5] = float64(p.Maximal) / float64(p.Count)
		f[5+min(p.Words, 4)] = 1
		if p.Lead {
			f[10] = 1
		}
		f[11] = float64(p.FirstPos) / float64(max(c.Words, 1))
		f[12] = df.idf(p.Key) / norm
		ws := splitKey(p.Key)
		least := math.Inf(1)
		for k, w := range ws {
			v := df.wordIDF(w) / norm
			f[13] += v / float64(len(ws))
			least = math.Min(least, v)
			if k == 0 {
				f[15] = v
			}
		}
		f[14] = least
		f[19] = math.Log1p(float64(p.Maximal))
		f[21] = math.Log1p(p.WordTF)
		if p.Maximal == 0 {
			f[18] = 1
			if p.Words == 1 {
				f[20] = 1
			}
		}
	}
	var bestG, bestT float64
	for i, p := range c.Phrases {
		bestG = math.Max(bestG, p.Graph)
		out[i][17] = tfidf(p, df)
		bestT = math.Max(bestT, out[i][17])
	}
	for i, p := range c.Phrases {
		if bestG > 0 {
			out[i][16] = p.Graph / bestG
		}
		if bestT > 0 {
			out[i][17] /= bestT
		}
	}
	return out
}

// rankOrder sorts candidate indexes by descending score; ties go to the
// earlier phrase, then to the key, so the order is total and deterministic.
func rankOrder(c *DocCandidates, s []float64) []int {
	order := make([]int, len(s))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if s[a] != s[b] {
			if s[a] > s[b] {
				return -1
			}
			return 1
		}
		pa, pb := c.Phrases[a].FirstPos, c.Phrases[b].FirstPos
		if pa != pb {
			return pa - pb
		}
		return strings.Compare(c.Phrases[a].Key, c.Phrases[b].Key)
	})
	return order
}
