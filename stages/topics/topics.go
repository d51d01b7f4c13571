package topics

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"

	"github.com/framelens/framelens/stages/vectorize"
)

// Models.
const (
	ModelNMF = "nmf"
	ModelLDA = "lda"
	ModelLSA = "lsa"
)

// Config configures Fit. The zero value is the default: NMF (the model with
// the best coherence in docs/eval-topics.md) with 10 topics.
type Config struct {
	// Model is "nmf" (default), "lda" or "lsa".
	Model string `yaml:"model"`
	// K is the number of topics (default 10).
	K int `yaml:"topics"`
	// Seed seeds every random choice; the same seed gives bit-identical
	// output.
	Seed int64 `yaml:"seed"`
	// Workers is the number of goroutines (default GOMAXPROCS). The output
	// never depends on it.
	Workers int `yaml:"workers"`
	// LDAShards is the number of parts LDA's documents are cut into and
	// sampled in parallel (AD-LDA; default 2). LDA's output depends on it —
	// it is part of the model, not of the machine — so it is a setting of
	// its own rather than the number of workers.
	LDAShards int `yaml:"lda_shards"`
	// MaxIter bounds the iterations (defaults: NMF 20 outer iterations, LDA
	// 100 Gibbs sweeps; see docs/eval-topics.md for the measurements).
	MaxIter int `yaml:"max_iter"`
	// Tol stops NMF when the projected-gradient violation falls below Tol
	// times its first value (default 1e-4, as scikit-learn).
	Tol float64 `yaml:"tol"`
	// InnerSweeps is the number of coordinate-descent sweeps NMF makes per
	// sparse product (default 2; 1 is scikit-learn's solver).
	InnerSweeps int `yaml:"inner_sweeps"`
	// PowerIters is the number of power iterations of the randomised SVD
	// behind LSA and the NNDSVDa start of NMF (default 4).
	PowerIters int `yaml:"power_iters"`
	// Alpha and Beta are LDA's document–topic and topic–word priors
	// (defaults 1/K, as scikit-learn, and 0.1; on 20 Newsgroups these gave
	// higher NPMI than Griffiths & Steyvers' 50/K-style and 0.01 settings).
	Alpha float64 `yaml:"alpha"`
	Beta  float64 `yaml:"beta"`
	// Exclusivity is the γ with which TopTerms ranks a topic's terms by
	// w·(w/Σ_topics w)^γ (default 0.5; negative ranks by the weight w
	// alone). Terms a topic shares with many others then rank lower: on 20
	// Newsgroups γ = 0.5 raised NPMI by about 0.01 and diversity by about
	// 0.1 for every seed tried (docs/eval-topics.md).
	Exclusivity float64 `yaml:"exclusivity"`
}

// Validate returns the error Fit would give for cfg's settings (an
// unknown model, a number of topics out of range) without fitting.
func (cfg Config) Validate() error {
	return cfg.fill()
}

// Resolved returns cfg with the defaults Fit uses filled in, for a record
// of the run (run.json) that gives the same model when fed back. Those
// that depend on another setting or on the data stay as given, 0 meaning
// automatic: MaxIter (per model, which a flag may change), Alpha (1/K of
// the K fitted, which a small corpus lowers), Seed (the run's seed) and
// Workers (the machine's; it never changes the output). A negative
// Exclusivity (rank by weight alone) stays negative.
func (cfg Config) Resolved() (Config, error) {
	out := cfg
	if err := out.fill(); err != nil {
		return cfg, err
	}
	out.MaxIter, out.Alpha, out.Seed, out.Workers = cfg.MaxIter, cfg.Alpha, cfg.Seed, cfg.Workers
	if cfg.Exclusivity < 0 {
		out.Exclusivity = cfg.Exclusivity
	}
	return out, nil
}

func (cfg *Config) fill() error {
	switch cfg.Model {
	case "":
		cfg.Model = ModelNMF
	case ModelNMF, ModelLDA, ModelLSA:
	default:
		return fmt.Errorf("topics: unknown model %q (want nmf, lda or lsa)", cfg.Model)
	}
	if cfg.K == 0 {
		cfg.K = 10
	}
	if cfg.K < 1 || cfg.K > math.MaxUint16 {
		return fmt.Errorf("topics: %d topics is out of range", cfg.K)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.LDAShards <= 0 {
		cfg.LDAShards = 2
	}
	if cfg.MaxIter <= 0 {
		cfg.MaxIter = 100
		if cfg.Model == ModelNMF {
			cfg.MaxIter = 20
		}
	}
	if cfg.Tol <= 0 {
		cfg.Tol = 1e-4
	}
	if cfg.InnerSweeps <= 0 {
		cfg.InnerSweeps = 2
	}
	if cfg.PowerIters <= 0 {
		cfg.PowerIters = 4
	}
	switch {
	case cfg.Exclusivity == 0:
		cfg.Exclusivity = 0.5
	case cfg.Exclusivity < 0:
		cfg.Exclusivity = 0
	}
	if cfg.Alpha <= 0 {
		cfg.Alpha = 1 / float64(cfg.K)
	}
	if cfg.Beta <= 0 {
		cfg.Beta = 0.1
	}
	return nil
}

// Model is a fitted topic model.
type Model struct {
	Kind string
	K    int
	// Terms are the vocabulary's terms in id order.
	Terms []string
	// TopicTerm is K × len(Terms), row-major: NMF's H, LDA's topic–word
	// probabilities, LSA's right singular vectors.
	TopicTerm []float64
	// DocTopic is docs × K, row-major, each row summing to 1 (a document
	// with no counted term gets 1/K everywhere). For LSA the row is the
	// absolute values of the document's coordinates, normalised.
	DocTopic []float64
	// Coords are LSA's document coordinates U·S (docs × K), signed; nil for
	// the other models.
	Coords []float64
	// Singular are LSA's singular values.
	Singular []float64
	Iter     int
	Docs     int
	// Exclusivity γ > 0 makes TopTermIDs rank a topic's terms by
	// w·(w/Σ_topics |w|)^γ instead of the weight w alone, favouring terms
	// specific to the topic (see Config.Exclusivity).
	Exclusivity float64
}

// Fit fits a topic model to the count matrix X (documents × vocabulary
// terms, from vocab.CountMatrix). NMF and LSA work on vocab.Weight(X), the
// vectoriser's weighting (TF-IDF by default); LDA samples the raw counts.
func Fit(ctx context.Context, X *vectorize.CSR, vocab *vectorize.Vocabulary, cfg Config) (*Model, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	if X.Cols != vocab.Len() {
		return nil, fmt.Errorf("topics: matrix has %d columns, vocabulary %d terms", X.Cols, vocab.Len())
	}
	if X.Rows == 0 || X.Cols == 0 {
		return nil, fmt.Errorf("topics: empty matrix %d×%d", X.Rows, X.Cols)
	}
	if cfg.K > min(X.Rows, X.Cols) {
		return nil, fmt.Errorf("topics: %d topics for a %d×%d matrix", cfg.K, X.Rows, X.Cols)
	}
	n, m, k := X.Rows, X.Cols, cfg.K
	mod := &Model{Kind: cfg.Model, K: k, Terms: vocab.Strings(), Docs: n, TopicTerm: make([]float64, k*m),
		Exclusivity: cfg.Exclusivity}
	switch cfg.Model {
	case ModelNMF:
		Xw := vocab.Weight(X)
		res, err := fitNMF(ctx, Xw, Xw.T(), cfg)
		if err != nil {
			return nil, fmt.Errorf("topics: nmf: %w", err)
		}
		for j := 0; j < m; j++ {
			for t := 0; t < k; t++ {
				mod.TopicTerm[t*m+j] = res.Ht[j*k+t]
			}
		}
		mod.DocTopic = normalizeRows(res.W, n, k)
		mod.Iter = res.Iter
	case ModelLSA:
		Xw := vocab.Weight(X)
		svd, err := randomizedSVD(Xw, Xw.T(), k, 10, cfg.PowerIters, cfg.Seed, cfg.Workers)
		if err != nil {
			return nil, fmt.Errorf("topics: lsa: %w", err)
		}
		copy(mod.TopicTerm, svd.Vt)
		mod.Singular = svd.S
		mod.Coords = make([]float64, n*k)
		abs := make([]float64, n*k)
		for i := 0; i < n; i++ {
			for t := 0; t < k; t++ {
				v := svd.U[i*k+t] * svd.S[t]
				mod.Coords[i*k+t] = v
				abs[i*k+t] = math.Abs(v)
			}
		}
		mod.DocTopic = normalizeRows(abs, n, k)
	case ModelLDA:
		res, err := fitLDA(ctx, X, cfg)
		if err != nil {
			return nil, fmt.Errorf("topics: lda: %w", err)
		}
		vbeta := float64(m) * cfg.Beta
		for t := 0; t < k; t++ {
			for j := 0; j < m; j++ {
				mod.TopicTerm[t*m+j] = (float64(res.nwk[j*k+t]) + cfg.Beta) / (float64(res.nk[t]) + vbeta)
			}
		}
		mod.DocTopic = make([]float64, n*k)
		for i := 0; i < n; i++ {
			den := float64(res.nd[i]) + float64(k)*cfg.Alpha
			for t := 0; t < k; t++ {
				mod.DocTopic[i*k+t] = (float64(res.ndk[i*k+t]) + cfg.Alpha) / den
			}
		}
		mod.Iter = res.Iter
	}
	return mod, nil
}

func normalizeRows(a []float64, n, k int) []float64 {
	out := make([]float64, n*k)
	for i := 0; i < n; i++ {
		s := 0.0
		for _, v := range a[i*k : (i+1)*k] {
			s += v
		}
		for t := 0; t < k; t++ {
			if s > 0 {
				out[i*k+t] = a[i*k+t] / s
			} else {
				out[i*k+t] = 1 / float64(k)
			}
		}
	}
	return out
}

// TopTermIDs returns each topic's n best term ids, best first (ties by lower
// id): by weight, or by weight·share^γ when Exclusivity γ > 0.
func (m *Model) TopTermIDs(n int) [][]int32 {
	v := len(m.Terms)
	n = min(n, v)
	out := make([][]int32, m.K)
	idx := make([]int32, v)
	var total []float64
	if m.Exclusivity > 0 {
		total = make([]float64, v)
		for t := 0; t < m.K; t++ {
			for j, x := range m.TopicTerm[t*v : (t+1)*v] {
				total[j] += math.Abs(x)
			}
		}
	}
	for t := 0; t < m.K; t++ {
		w := m.TopicTerm[t*v : (t+1)*v]
		if total != nil {
			sw := make([]float64, v)
			for j, x := range w {
				if total[j] > 0 && x > 0 {
					sw[j] = x * math.Pow(x/total[j], m.Exclusivity)
				}
			}
			w = sw
		}
		for j := range idx {
			idx[j] = int32(j)
		}
		sort.Slice(idx, func(a, b int) bool {
			if w[idx[a]] != w[idx[b]] {
				return w[idx[a]] > w[idx[b]]
			}
			return idx[a] < idx[b]
		})
		out[t] = append([]int32(nil), idx[:n]...)
	}
	return out
}

// TopTerms returns each topic's n best terms, best first (see TopTermIDs).
func (m *Model) TopTerms(n int) [][]string {
	ids := m.TopTermIDs(n)
	out := make([][]string, len(ids))
	for t, top := range ids {
		for _, id := range top {
			out[t] = append(out[t], m.Terms[id])
		}
	}
	return out
}
