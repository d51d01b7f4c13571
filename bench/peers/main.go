// Command peers prepares the 20 Newsgroups topic-model comparison: it strips
// and tokenises the corpus (cached), builds the vocabulary, fits framelens's
// topic models, scores them (NPMI c_npmi over 10-token windows, diversity of
// the top 25), and writes the tokens, vocabulary, TF-IDF matrix and results
// for peers.py, which fits scikit-learn and gensim on the same tokens and
// prints one table. See docs/eval-topics.md.
//
// Normally run through bench/peers/run.sh (make bench-peers), or by hand:
//
//	go run ./bench/peers -out /tmp/framelens-peers -k 20 -seed 1 -workers 2
//	go run ./bench/peers -papers -out /tmp/framelens-peers   # TF-IDF export of the sample papers
//
// The tokens are cached in OUT/tokens-seedN.txt; delete it after the
// tokenizer changes.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/framelens/framelens/bench/peers/twentyng"
	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/tokenize"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

type result struct {
	Model     string     `json:"model"`
	Wall      float64    `json:"wall_s"`
	CPU       float64    `json:"cpu_s"`
	NPMI      float64    `json:"npmi"`
	Diversity float64    `json:"diversity"`
	Iter      int        `json:"iter"`
	Top       [][]string `json:"top"`
}

func main() {
	data := flag.String("data", "", "20newsgroups-train folder (default ../shared/bench/20newsgroups-train)")
	out := flag.String("out", "/tmp/framelens-peers", "output folder")
	k := flag.Int("k", 20, "topics")
	seed := flag.Int64("seed", 1, "seed for shuffle and models")
	workers := flag.Int("workers", 2, "workers")
	models := flag.String("models", "nmf,lda,lsa", "framelens models to fit")
	minDF := flag.Int("min_df", 5, "min document frequency")
	maxDF := flag.Float64("max_df", 0.95, "max document fraction")
	maxIter := flag.Int("max_iter", 0, "iteration cap (0 = model default)")
	inner := flag.Int("inner", 0, "NMF coordinate sweeps per sparse product (0 = default)")
	powerIters := flag.Int("power_iters", 0, "randomised SVD power iterations (0 = default)")
	alpha := flag.Float64("alpha", 0, "LDA document-topic prior (0 = default)")
	beta := flag.Float64("beta", 0, "LDA topic-word prior (0 = default)")
	excl := flag.Float64("exclusivity", 0, "top-term ranking γ (0 = default 0.5, negative = raw weights)")
	scheme := flag.String("scheme", "", "vectorize weighting scheme for NMF/LSA (default sklearn)")
	modelSeed := flag.Int64("model_seed", -1, "seed for the models (default: -seed)")
	tag := flag.String("tag", "", "write framelens-TAG.json instead of framelens.json (experiments)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the fits")
	papers := flag.Bool("papers", false, "export the TF-IDF of the sample papers' paragraphs for every scheme instead")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	if *papers {
		fail(exportPapers(*out))
		return
	}
	if *data == "" {
		root := sharedtest.Root()
		if root == "" {
			fail(fmt.Errorf("shared data not found beside the repository; pass -data"))
		}
		*data = filepath.Join(root, "bench", "20newsgroups-train")
	}
	docs, err := loadTokens(*data, *out, uint64(*seed), *workers)
	if err != nil {
		fail(err)
	}
	vec, err := vectorize.New(vectorize.Config{MinDF: *minDF, MaxDF: *maxDF, Scheme: *scheme})
	if err != nil {
		fail(err)
	}
	df := vectorize.NewDFStats()
	counts := make([]vectorize.DocCounts, len(docs))
	for i, d := range docs {
		counts[i] = histogram(d)
		df.Add(counts[i])
	}
	voc := vec.Vocabulary(df)
	X := voc.CountMatrix(counts)
	slog.Info("vocabulary", "docs", X.Rows, "terms", X.Cols, "nnz", X.NNZ())
	if err := writeLines(filepath.Join(*out, "vocab.txt"), voc.Strings()); err != nil {
		fail(err)
	}
	if err := writeMatrix(filepath.Join(*out, "tfidf.tsv"), voc.Weight(X)); err != nil {
		fail(err)
	}
	seqs := make([][]int32, len(docs))
	for i, d := range docs {
		seqs[i] = voc.Sequence(d)
	}
	if *modelSeed < 0 {
		*modelSeed = *seed
	}
	var results []result
	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			fail(err)
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	for _, name := range strings.Split(*models, ",") {
		cfg := topics.Config{Model: name, K: *k, Seed: *modelSeed, Workers: *workers, MaxIter: *maxIter, InnerSweeps: *inner, PowerIters: *powerIters, Alpha: *alpha, Beta: *beta, Exclusivity: *excl}
		r0 := cpuSeconds()
		t0 := time.Now()
		m, err := topics.Fit(context.Background(), X, voc, cfg)
		if err != nil {
			fail(err)
		}
		r := result{Model: "framelens " + name, Wall: time.Since(t0).Seconds(), CPU: cpuSeconds() - r0, Iter: m.Iter}
		top10 := m.TopTermIDs(10)
		wc := topics.NewWindowCounts(topics.Relevant(top10), 10, voc.Len())
		for _, s := range seqs {
			wc.Add(s)
		}
		_, r.NPMI = wc.NPMI(top10)
		r.Diversity = topics.Diversity(m.TopTermIDs(25))
		r.Top = m.TopTerms(10)
		results = append(results, r)
		fmt.Printf("%-22s NPMI %.4f  diversity %.3f  wall %.2fs  cpu %.2fs  iter %d\n", r.Model, r.NPMI, r.Diversity, r.Wall, r.CPU, r.Iter)
	}
	b, _ := json.MarshalIndent(results, "", " ")
	name := "framelens.json"
	if *tag != "" {
		name = "framelens-" + *tag + ".json"
	}
	fail(os.WriteFile(filepath.Join(*out, name), b, 0o644))
}

func histogram(forms []string) vectorize.DocCounts {
	dc := vectorize.DocCounts{}
	for _, f := range forms {
		dc[f]++
	}
	return dc
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// loadTokens returns each post's kept token forms, from out/tokens.txt when
// present (one post per line, forms separated by one space).
func loadTokens(dir, out string, seed uint64, workers int) ([][]string, error) {
	cache := filepath.Join(out, fmt.Sprintf("tokens-seed%d.txt", seed))
	if f, err := os.Open(cache); err == nil {
		defer f.Close()
		var docs [][]string
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for sc.Scan() {
			docs = append(docs, strings.Fields(sc.Text()))
		}
		return docs, sc.Err()
	}
	posts, err := twentyng.Load(dir, seed)
	if err != nil {
		return nil, err
	}
	tok, err := tokenize.New(tokenize.Config{})
	if err != nil {
		return nil, err
	}
	vec, err := vectorize.New(vectorize.Config{StopWords: englishStop})
	if err != nil {
		return nil, err
	}
	docs := make([][]string, len(posts))
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(posts); i += workers {
				d := &corpus.Document{ID: posts[i].ID, Clean: posts[i].Text}
				if err := tok.Process(context.Background(), d); err != nil {
					errs[w] = fmt.Errorf("%s: %w", posts[i].ID, err)
					return
				}
				forms := vec.Forms(d)
				for j, f := range forms {
					forms[j] = strings.Join(strings.Fields(f), "_")
				}
				docs[i] = forms
			}
		}(w)
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	lines := make([]string, len(docs))
	for i, d := range docs {
		lines[i] = strings.Join(d, " ")
	}
	return docs, writeLines(cache, lines)
}

func writeLines(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// writeMatrix writes "rows cols" then one "row col value" line per entry,
// values with 17 significant digits (exact float64 round trip).
func writeMatrix(path string, m *vectorize.CSR) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "%d\t%d\n", m.Rows, m.Cols)
	for i := 0; i < m.Rows; i++ {
		ind, val := m.Row(i)
		for p, j := range ind {
			fmt.Fprintf(w, "%d\t%d\t%.17g\n", i, j, val[p])
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "peers:", err)
		os.Exit(1)
	}
}
