package topics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/framelens/framelens/stages/vectorize"
)

// ldaResult holds the final count tables of collapsed Gibbs sampling.
type ldaResult struct {
	ndk  []int32 // n × k
	nwk  []int32 // m × k
	nk   []int64
	nd   []int64
	Iter int
}

// fitLDA runs collapsed Gibbs sampling (Griffiths & Steyvers 2004) on the
// count matrix X, parallelised as AD-LDA (Newman et al. 2009): the
// documents are cut into cfg.LDAShards contiguous shards; in each sweep
// every shard samples against its own copy of the topic–word counts, and
// the copies' changes are then added back. Each shard draws from its own
// PCG stream seeded by (seed, sweep, shard), and integer count updates
// commute, so a given seed and shard count always gives the same result,
// on any number of workers (at most cfg.Workers shards run at once).
func fitLDA(ctx context.Context, X *vectorize.CSR, cfg Config) (*ldaResult, error) {
	n, m, k := X.Rows, X.Cols, cfg.K
	// Expand counts into tokens, document by document.
	docStart := make([]int, n+1)
	var words []int32
	for i := 0; i < n; i++ {
		for p := X.Ptr[i]; p < X.Ptr[i+1]; p++ {
			c := X.Val[p]
			if c < 0 || c != math.Trunc(c) {
				return nil, fmt.Errorf("lda needs integer counts; row %d has %v", i, c)
			}
			for r := 0; r < int(c); r++ {
				words = append(words, X.Ind[p])
			}
		}
		docStart[i+1] = len(words)
	}
	z := make([]uint16, len(words))
	res := &ldaResult{ndk: make([]int32, n*k), nwk: make([]int32, m*k), nk: make([]int64, k), nd: make([]int64, n)}
	init := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x1da))
	for i := 0; i < n; i++ {
		res.nd[i] = int64(docStart[i+1] - docStart[i])
		for p := docStart[i]; p < docStart[i+1]; p++ {
			t := init.IntN(k)
			z[p] = uint16(t)
			res.ndk[i*k+t]++
			res.nwk[int(words[p])*k+t]++
			res.nk[t]++
		}
	}
	shards := max(cfg.LDAShards, 1)
	running := make(chan struct{}, max(cfg.Workers, 1))
	// Shard bounds balanced by tokens.
	bounds := make([]int, shards+1)
	for w, i := 1, 0; w <= shards; w++ {
		target := len(words) * w / shards
		for i < n && docStart[i] < target {
			i++
		}
		bounds[w] = i
	}
	bounds[shards] = n
	alpha, beta := cfg.Alpha, cfg.Beta
	vbeta := float64(m) * beta
	localW := make([][]int32, shards)
	localK := make([][]int64, shards)
	for w := range localW {
		localW[w] = make([]int32, m*k)
		localK[w] = make([]int64, k)
	}
	it := 0
	for it = 0; it < cfg.MaxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var wg sync.WaitGroup
		for w := 0; w < shards; w++ {
			copy(localW[w], res.nwk)
			copy(localK[w], res.nk)
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				running <- struct{}{}
				defer func() { <-running }()
				rng := rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(it)<<20|uint64(w)))
				nwk, nk := localW[w], localK[w]
				prob := make([]float64, k)
				// inv[t] = 1/(nk[t]+Vβ), refreshed for the two topics a draw changes.
				inv := make([]float64, k)
				for t := range inv {
					inv[t] = 1 / (float64(nk[t]) + vbeta)
				}
				for i := bounds[w]; i < bounds[w+1]; i++ {
					ndk := res.ndk[i*k : (i+1)*k]
					for p := docStart[i]; p < docStart[i+1]; p++ {
						wd := int(words[p]) * k
						old := int(z[p])
						ndk[old]--
						nwk[wd+old]--
						nk[old]--
						inv[old] = 1 / (float64(nk[old]) + vbeta)
						row := nwk[wd : wd+k]
						s := 0.0
						for t := 0; t < k; t++ {
							s += (float64(ndk[t]) + alpha) * (float64(row[t]) + beta) * inv[t]
							prob[t] = s
						}
						u := rng.Float64() * s
						t := 0
						for t < k-1 && prob[t] <= u {
							t++
						}
						z[p] = uint16(t)
						ndk[t]++
						row[t]++
						nk[t]++
						inv[t] = 1 / (float64(nk[t]) + vbeta)
					}
				}
			}(w)
		}
		wg.Wait()
		// global += Σ_w (local_w − snapshot); integer sums commute.
		for w := 0; w < shards; w++ {
			lw, lk := localW[w], localK[w]
			if w == 0 {
				continue
			}
			for j := range lw {
				lw[j] -= res.nwk[j]
			}
			for t := range lk {
				lk[t] -= res.nk[t]
			}
		}
		copy(res.nwk, localW[0])
		copy(res.nk, localK[0])
		for w := 1; w < shards; w++ {
			for j, d := range localW[w] {
				res.nwk[j] += d
			}
			for t, d := range localK[w] {
				res.nk[t] += d
			}
		}
	}
	res.Iter = it
	return res, nil
}
