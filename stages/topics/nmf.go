package topics

import (
	"context"
	"math"

	"gonum.org/v1/gonum/floats"

	"github.com/framelens/framelens/stages/vectorize"
)

// nmfResult is X ≈ W H with W (n × k) and H kept transposed, Ht (m × k).
type nmfResult struct {
	W, Ht []float64
	Iter  int
}

// fitNMF factorises X (n × m, non-negative) by coordinate descent on the
// Frobenius loss, scikit-learn's solver "cd" (Cichocki & Phan 2009; Hsieh &
// Dhillon 2011), started from NNDSVDa (Boutsidis & Gallopoulos 2008, zeros
// filled with the mean of X). Each outer iteration does inner sweeps of the
// coordinate updates of W against one product X·Ht, then the same for Ht
// against X^T·W ("accelerated HALS", Gillis & Glineur 2012): the sparse
// products dominate the cost and extra sweeps reuse them. Stops when the
// projected-gradient violation falls below tol times its first value, as
// scikit-learn does.
func fitNMF(ctx context.Context, X, Xt *vectorize.CSR, cfg Config) (*nmfResult, error) {
	n, m, k := X.Rows, X.Cols, cfg.K
	W, Ht, err := nndsvda(X, Xt, k, cfg)
	if err != nil {
		return nil, err
	}
	XHt := make([]float64, n*k)
	XtW := make([]float64, m*k)
	violInit := 0.0
	it := 0
	for it = 0; it < cfg.MaxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		HHt := gram(Ht, m, k, cfg.Workers)
		spmm(X, Ht, k, XHt, cfg.Workers)
		viol := cdSweeps(W, HHt, XHt, n, k, cfg.InnerSweeps, cfg.Workers)
		WtW := gram(W, n, k, cfg.Workers)
		spmm(Xt, W, k, XtW, cfg.Workers)
		viol += cdSweeps(Ht, WtW, XtW, m, k, cfg.InnerSweeps, cfg.Workers)
		if it == 0 {
			violInit = viol
		}
		if violInit == 0 || viol/violInit <= cfg.Tol {
			it++
			break
		}
	}
	return &nmfResult{W: W, Ht: Ht, Iter: it}, nil
}

// cdSweeps updates every row of A (rows × k) by cyclic coordinate descent on
// 0.5·||Y - A G||² given G·G^T = GGt and Y·G^T = YGt, sweeps times, and
// returns the projected-gradient violation of the first sweep. Rows are
// independent, so they run in parallel with bit-identical results.
//
// The row's gradient vector g = a·GGt − y is kept up to date with one axpy
// per coordinate that actually moves (most stay at zero in a sparse NMF),
// instead of a fresh dot product per coordinate: the axpy has no
// loop-carried dependency, which makes it several times faster in Go.
func cdSweeps(A, GGt, YGt []float64, rows, k, sweeps, workers int) float64 {
	blocks := (rows + chunkRows - 1) / chunkRows
	parts := make([]float64, blocks)
	parallelRows(rows, workers, func(lo, hi int) {
		viol := 0.0
		gv := make([]float64, k)
		invH := make([]float64, k)
		for t := range invH {
			if h := GGt[t*k+t]; h != 0 {
				invH[t] = 1 / h
			}
		}
		for i := lo; i < hi; i++ {
			a := A[i*k : (i+1)*k]
			y := YGt[i*k : (i+1)*k]
			for r := range gv {
				gv[r] = -y[r]
			}
			for t, at := range a {
				if at == 0 {
					continue
				}
				floats.AddScaled(gv, at, GGt[t*k:t*k+len(gv)])
			}
			for s := 0; s < sweeps; s++ {
				for t := 0; t < k; t++ {
					g := GGt[t*k : t*k+len(gv)]
					grad := gv[t]
					if s == 0 {
						pg := grad
						if a[t] == 0 && pg > 0 {
							pg = 0
						}
						viol += math.Abs(pg)
					}
					if invH[t] == 0 {
						continue
					}
					v := a[t] - grad*invH[t]
					if v < 0 {
						v = 0
					}
					d := v - a[t]
					if d == 0 {
						continue
					}
					a[t] = v
					floats.AddScaled(gv, d, g)
				}
			}
		}
		parts[lo/chunkRows] = viol
	})
	v := 0.0
	for _, p := range parts {
		v += p
	}
	return v
}

// nndsvda is scikit-learn's _initialize_nmf(init="nndsvda").
func nndsvda(X, Xt *vectorize.CSR, k int, cfg Config) (W, Ht []float64, err error) {
	n, m := X.Rows, X.Cols
	svd, err := randomizedSVD(X, Xt, k, 10, cfg.PowerIters, cfg.Seed, cfg.Workers)
	if err != nil {
		return nil, nil, err
	}
	W = make([]float64, n*k)
	Ht = make([]float64, m*k)
	x := make([]float64, n)
	y := make([]float64, m)
	for j := 0; j < k; j++ {
		for i := 0; i < n; i++ {
			x[i] = svd.U[i*k+j]
		}
		copy(y, svd.Vt[j*m:(j+1)*m])
		if j == 0 {
			s := math.Sqrt(svd.S[0])
			for i := range x {
				W[i*k] = s * math.Abs(x[i])
			}
			for i := range y {
				Ht[i*k] = s * math.Abs(y[i])
			}
			continue
		}
		xp, xn := posNegNorms(x)
		yp, yn := posNegNorms(y)
		mp, mn := xp*yp, xn*yn
		sign, sigma, xnrm, ynrm := 1.0, mp, xp, yp
		if !(mp > mn) {
			sign, sigma, xnrm, ynrm = -1, mn, xn, yn
		}
		lbd := math.Sqrt(svd.S[j] * sigma)
		for i, v := range x {
			if v*sign > 0 && xnrm > 0 {
				W[i*k+j] = lbd * math.Abs(v) / xnrm
			}
		}
		for i, v := range y {
			if v*sign > 0 && ynrm > 0 {
				Ht[i*k+j] = lbd * math.Abs(v) / ynrm
			}
		}
	}
	sum := 0.0
	for _, v := range X.Val {
		sum += v
	}
	avg := sum / (float64(n) * float64(m))
	const eps = 1e-6
	for i, v := range W {
		if v < eps {
			W[i] = avg
		}
	}
	for i, v := range Ht {
		if v < eps {
			Ht[i] = avg
		}
	}
	return W, Ht, nil
}

func posNegNorms(v []float64) (pos, neg float64) {
	for _, x := range v {
		if x > 0 {
			pos += x * x
		} else {
			neg += x * x
		}
	}
	return math.Sqrt(pos), math.Sqrt(neg)
}
