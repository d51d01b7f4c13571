package topics

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/framelens/framelens/stages/vectorize"
)

// truncSVD is a rank-k factorisation X ≈ U diag(S) Vt.
type truncSVD struct {
	k  int
	U  []float64 // rows × k
	S  []float64 // k
	Vt []float64 // k × cols (row t is the t-th right singular vector)
}

// randomizedSVD computes the k leading singular triplets of X by Halko,
// Martinsson & Tropp (2011), Algorithm 4.4 (randomised subspace iteration)
// with oversampling p and q power iterations, as scikit-learn's
// randomized_svd does. Xt is X's transpose. Signs are fixed so that the
// largest-magnitude entry of each right singular vector is positive.
func randomizedSVD(X, Xt *vectorize.CSR, k, p, q int, seed int64, workers int) (*truncSVD, error) {
	n, m := X.Rows, X.Cols
	l := k + p
	if l > min(n, m) {
		l = min(n, m)
	}
	if k > l {
		return nil, fmt.Errorf("rank %d exceeds matrix size %d×%d", k, n, m)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed5eed))
	omega := make([]float64, m*l)
	for i := range omega {
		omega[i] = rng.NormFloat64()
	}
	Y := make([]float64, n*l)
	Z := make([]float64, m*l)
	spmm(X, omega, l, Y, workers)
	for it := 0; it < q; it++ {
		orthonormalize(Y, n, l, workers)
		spmm(Xt, Y, l, Z, workers)
		orthonormalize(Z, m, l, workers)
		spmm(X, Z, l, Y, workers)
	}
	orthonormalize(Y, n, l, workers) // Q
	// B = Q^T X, held as Bt = X^T Q (m × l). Bt = Qb Rb; Rb = Ur Sr Vr^T;
	// so B = Vr Sr (Qb Ur)^T and U = Q Vr, Vt = (Qb Ur)^T.
	spmm(Xt, Y, l, Z, workers)
	R := make([]float64, l*l)
	qb := append([]float64(nil), Z...)
	orthonormalize(qb, m, l, workers)
	// R = Qb^T Bt
	for i := 0; i < m; i++ {
		a, b := qb[i*l:(i+1)*l], Z[i*l:(i+1)*l]
		for r := 0; r < l; r++ {
			if a[r] == 0 {
				continue
			}
			for s := 0; s < l; s++ {
				R[r*l+s] += a[r] * b[s]
			}
		}
	}
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(l, l, R), mat.SVDFull) {
		return nil, fmt.Errorf("small SVD did not converge")
	}
	var ur, vr mat.Dense
	svd.UTo(&ur)
	svd.VTo(&vr)
	sv := svd.Values(nil)
	out := &truncSVD{k: k, U: make([]float64, n*k), S: sv[:k], Vt: make([]float64, k*m)}
	// Vt[t, j] = sum_r qb[j, r] ur[r, t]
	for j := 0; j < m; j++ {
		a := qb[j*l : (j+1)*l]
		for t := 0; t < k; t++ {
			s := 0.0
			for r := 0; r < l; r++ {
				s += a[r] * ur.At(r, t)
			}
			out.Vt[t*m+j] = s
		}
	}
	// U[i, t] = sum_r Q[i, r] vr[r, t]
	for i := 0; i < n; i++ {
		a := Y[i*l : (i+1)*l]
		for t := 0; t < k; t++ {
			s := 0.0
			for r := 0; r < l; r++ {
				s += a[r] * vr.At(r, t)
			}
			out.U[i*k+t] = s
		}
	}
	for t := 0; t < k; t++ {
		big, sign := 0.0, 1.0
		for j := 0; j < m; j++ {
			if v := math.Abs(out.Vt[t*m+j]); v > big {
				big, sign = v, math.Copysign(1, out.Vt[t*m+j])
			}
		}
		if sign < 0 {
			for j := 0; j < m; j++ {
				out.Vt[t*m+j] = -out.Vt[t*m+j]
			}
			for i := 0; i < n; i++ {
				out.U[i*k+t] = -out.U[i*k+t]
			}
		}
	}
	return out, nil
}
