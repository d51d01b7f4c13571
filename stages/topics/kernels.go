package topics

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/framelens/framelens/stages/vectorize"
)

// chunkRows is the fixed work unit of the parallel kernels. Each output row
// is computed by one goroutine in a fixed order, so results are bit-identical
// whatever the number of workers.
const chunkRows = 128

// parallelRows runs f over [0, n) in chunks on workers goroutines.
func parallelRows(n, workers int, f func(lo, hi int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (n + chunkRows - 1) / chunkRows
	if workers > chunks {
		workers = chunks
	}
	if workers <= 1 {
		for lo := 0; lo < n; lo += chunkRows {
			f(lo, min(lo+chunkRows, n))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1)) - 1
				if c >= chunks {
					return
				}
				lo := c * chunkRows
				f(lo, min(lo+chunkRows, n))
			}
		}()
	}
	wg.Wait()
}

// spmm sets out (X.Rows × k, row-major) = X · D with D (X.Cols × k).
// Four entries of a row are folded into each pass over the output row, which
// quarters the loads and stores of out (Go does not keep a k-vector in
// registers).
func spmm(X *vectorize.CSR, D []float64, k int, out []float64, workers int) {
	parallelRows(X.Rows, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			o := out[i*k : (i+1)*k]
			clear(o)
			p, end := X.Ptr[i], X.Ptr[i+1]
			for ; p+4 <= end; p += 4 {
				v0, v1, v2, v3 := X.Val[p], X.Val[p+1], X.Val[p+2], X.Val[p+3]
				j0, j1, j2, j3 := int(X.Ind[p])*k, int(X.Ind[p+1])*k, int(X.Ind[p+2])*k, int(X.Ind[p+3])*k
				d0 := D[j0 : j0+len(o)]
				d1 := D[j1 : j1+len(o)]
				d2 := D[j2 : j2+len(o)]
				d3 := D[j3 : j3+len(o)]
				for r := range o {
					o[r] += v0*d0[r] + v1*d1[r] + v2*d2[r] + v3*d3[r]
				}
			}
			for ; p < end; p++ {
				v := X.Val[p]
				j := int(X.Ind[p]) * k
				d := D[j : j+len(o)]
				for r := range o {
					o[r] += v * d[r]
				}
			}
		}
	})
}

// gram returns A^T A (k × k) for A (n × k, row-major). The sum runs over
// fixed row blocks added in block order, so it is deterministic.
func gram(A []float64, n, k, workers int) []float64 {
	blocks := (n + chunkRows - 1) / chunkRows
	parts := make([]float64, blocks*k*k)
	parallelRows(n, workers, func(lo, hi int) {
		g := parts[(lo/chunkRows)*k*k : (lo/chunkRows+1)*k*k]
		for i := lo; i < hi; i++ {
			a := A[i*k : (i+1)*k]
			for r := 0; r < k; r++ {
				ar := a[r]
				if ar == 0 {
					continue
				}
				gr := g[r*k : (r+1)*k]
				for s := r; s < k; s++ {
					gr[s] += ar * a[s]
				}
			}
		}
	})
	g := make([]float64, k*k)
	for b := 0; b < blocks; b++ {
		p := parts[b*k*k : (b+1)*k*k]
		for i := range g {
			g[i] += p[i]
		}
	}
	for r := 0; r < k; r++ {
		for s := 0; s < r; s++ {
			g[r*k+s] = g[s*k+r]
		}
	}
	return g
}

// orthonormalize replaces the columns of A (n × k, row-major) by an
// orthonormal basis of their span by Cholesky QR run twice ("CholQR2",
// Yamamoto et al. 2015): G = AᵀA, A ← A·R⁻¹ with G = RᵀR. Both steps are
// row-parallel and deterministic. If G is not positive definite (columns
// nearly dependent) it falls back to modified Gram–Schmidt.
func orthonormalize(A []float64, n, k, workers int) {
	for pass := 0; pass < 2; pass++ {
		g := gram(A, n, k, workers)
		var ch mat.Cholesky
		if !ch.Factorize(mat.NewSymDense(k, g)) || ch.Cond() > 1e12 {
			gramSchmidt(A, n, k)
			return
		}
		var r mat.TriDense
		ch.UTo(&r)
		var rinv mat.TriDense
		if err := rinv.InverseTri(&r); err != nil {
			gramSchmidt(A, n, k)
			return
		}
		ri := make([]float64, k*k)
		for a := 0; a < k; a++ {
			for b := a; b < k; b++ {
				ri[a*k+b] = rinv.At(a, b)
			}
		}
		parallelRows(n, workers, func(lo, hi int) {
			tmp := make([]float64, k)
			for i := lo; i < hi; i++ {
				a := A[i*k : (i+1)*k]
				clear(tmp)
				for c, av := range a {
					if av == 0 {
						continue
					}
					row := ri[c*k : (c+1)*k]
					for b := c; b < k; b++ {
						tmp[b] += av * row[b]
					}
				}
				copy(a, tmp)
			}
		})
	}
}

// gramSchmidt is modified Gram–Schmidt, run twice; columns that vanish are
// left zero.
func gramSchmidt(A []float64, n, k int) {
	for pass := 0; pass < 2; pass++ {
		for c := 0; c < k; c++ {
			for p := 0; p < c; p++ {
				dot := 0.0
				for i := 0; i < n; i++ {
					dot += A[i*k+c] * A[i*k+p]
				}
				for i := 0; i < n; i++ {
					A[i*k+c] -= dot * A[i*k+p]
				}
			}
			nrm := 0.0
			for i := 0; i < n; i++ {
				nrm += A[i*k+c] * A[i*k+c]
			}
			nrm = math.Sqrt(nrm)
			if nrm < 1e-300 {
				for i := 0; i < n; i++ {
					A[i*k+c] = 0
				}
				continue
			}
			for i := 0; i < n; i++ {
				A[i*k+c] /= nrm
			}
		}
	}
}
