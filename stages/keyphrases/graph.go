package keyphrases

import "math"

// graphScores fills Candidate.Graph with a random-walk score over the word
// graph of the document:
//
//   - nodes are the stems of the adjectives and nouns;
//   - an edge joins two nodes that occur within window tokens of each other
//     (punctuation and stop words count as positions, as in pke), weighted
//     by the number of such co-occurrences when weighted (SingleRank,
//     PositionRank) and 1 otherwise (TextRank);
//   - the walk is PageRank with damping d = 0.85:
//     S(v) = (1−d)·p(v) + d·Σ_u w(u,v)/Σ_x w(u,x) · S(u),
//     where p is uniform, or for PositionRank (Florescu & Caragea 2017)
//     proportional to Σ 1/position over the word's occurrences;
//   - a candidate scores the sum of its words' scores times ln(1 + its
//     frequency, nested uses included); the sum alone ranked a full
//     paper's one-off strings of frequent words first.
func graphScores(a *analysis, dc *DocCandidates, window int, weighted, positional bool) {
	node := make([]int32, len(a.types)) // stem id → node, -1 when none
	for i := range node {
		node[i] = -1
	}
	seq := make([]int32, len(a.doc.Tokens)) // node per token position, -1 when none
	var bias []float64
	n := int32(0)
	wi := 0
	for ti := range a.doc.Tokens {
		id := int32(-1)
		if wi < len(a.words) && int(a.words[wi].tok) == ti {
			w := a.words[wi]
			wi++
			if w.class == 'A' || w.class == 'N' {
				if id = node[w.id]; id < 0 {
					id = n
					node[w.id] = id
					n++
					bias = append(bias, 0)
				}
				bias[id] += 1 / float64(ti+1)
			}
		}
		seq[ti] = id
	}
	if n == 0 {
		return
	}
	// Co-occurrences with repeats in one flat slice, bucketed by node
	// (counting sort), then counted per node through a dense scratch row:
	// no map and no comparison sort, and edges come out in order of first
	// co-occurrence, so sums (and ties) are deterministic.
	deg := make([]int32, n+1)
	var pairs []int32 // u, v, u, v, ...
	for i, u := range seq {
		if u < 0 {
			continue
		}
		for j := i + 1; j < i+window && j < len(seq); j++ {
			v := seq[j]
			if v < 0 || v == u {
				continue
			}
			pairs = append(pairs, u, v)
			deg[u+1]++
			deg[v+1]++
		}
	}
	for u := int32(1); u <= n; u++ {
		deg[u] += deg[u-1]
	}
	raw := make([]int32, deg[n])
	fill := append([]int32(nil), deg[:n]...)
	for k := 0; k < len(pairs); k += 2 {
		u, v := pairs[k], pairs[k+1]
		raw[fill[u]] = v
		fill[u]++
		raw[fill[v]] = u
		fill[v]++
	}
	adj := make([][]edge, n)
	edges := make([]edge, 0, len(raw)/2+int(n))
	slot := make([]int32, n) // position of v in the current row + 1
	for u := int32(0); u < n; u++ {
		from := len(edges)
		for _, v := range raw[deg[u]:deg[u+1]] {
			if k := slot[v]; k > 0 {
				if weighted {
					edges[from+int(k)-1].w++
				}
				continue
			}
			edges = append(edges, edge{v: int(v), w: 1})
			slot[v] = int32(len(edges) - from)
		}
		adj[u] = edges[from:len(edges):len(edges)]
		for _, e := range adj[u] {
			slot[e.v] = 0
		}
	}
	p := make([]float64, n)
	if positional {
		var z float64
		for _, b := range bias {
			z += b
		}
		for i, b := range bias {
			p[i] = b / z
		}
	} else {
		for i := range p {
			p[i] = 1 / float64(n)
		}
	}
	s := pagerank(adj, p, 0.85)
	for i := range dc.Phrases {
		p := &dc.Phrases[i]
		var sum float64
		for _, w := range a.words[p.FirstPos : p.FirstPos+p.Words] {
			if id := node[w.id]; id >= 0 {
				sum += s[id]
			}
		}
		// Weighted by the phrase's frequency, nested uses included: a
		// phrase said once made of central words is not a key phrase.
		// Summed word scores alone favour the longest phrases, which in a
		// full paper are one-off strings of its most frequent words
		// ("Local Registry UDDI Local Registry"): F1@10 on SemEval-2010
		// train fell to 0.02–0.04 (docs/eval-keyphrases.md).
		p.Graph = sum * math.Log1p(float64(p.Maximal+p.Nested))
	}
}

// pagerank runs the power iteration until the scores move less than
// n·1e-6 in L1 (networkx's criterion, used by pke; at most 100 rounds).
// Dangling nodes give their mass to p.
func pagerank(adj [][]edge, p []float64, d float64) []float64 {
	n := len(adj)
	out := make([]float64, n)
	for u, es := range adj {
		for _, e := range es {
			out[u] += e.w
		}
	}
	s := append([]float64(nil), p...)
	next := make([]float64, n)
	for iter := 0; iter < 100; iter++ {
		var dangling float64
		for u := range adj {
			if out[u] == 0 {
				dangling += s[u]
			}
		}
		for v := range next {
			next[v] = (1-d)*p[v] + d*dangling*p[v]
		}
		for u, es := range adj {
			if out[u] == 0 {
				continue
			}
			share := d * s[u] / out[u]
			for _, e := range es {
				next[e.v] += share * e.w
			}
		}
		var delta float64
		for i := range s {
			delta += math.Abs(next[i] - s[i])
		}
		s, next = next, s
		if delta < float64(n)*1e-6 {
			break
		}
	}
	return s
}

func splitKey(k string) []string {
	var out []string
	start := 0
	for i := 0; i < len(k); i++ {
		if k[i] == ' ' {
			out = append(out, k[start:i])
			start = i + 1
		}
	}
	return append(out, k[start:])
}

type edge struct {
	v int
	w float64
}
