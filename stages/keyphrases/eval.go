package keyphrases

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kljensen/snowball/english"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/tokenize"
)

// EvalReport is the result of an evaluation on Inspec. P, R and F1 are
// macro-averaged over documents: per document P@k = matches/|top k|,
// R@k = matches/|gold|, F1 their harmonic mean.
type EvalReport struct {
	Split  string
	Method string
	Docs   int
	// DFDocs is the number of documents (of DFSplits) whose candidates made
	// the document frequencies; 0 for per-document methods.
	DFDocs   int
	DFSplits []string
	Stemmer  string

	P5, R5, F5    float64
	P10, R10, F10 float64
	// MaxRecall is the share of gold phrases found among all candidates:
	// the ceiling of any ranking.
	MaxRecall float64
	Elapsed   time.Duration
}

// Write prints the report as a few aligned lines.
func (r *EvalReport) Write(w io.Writer) error {
	df := "none (per-document method)"
	if r.DFDocs > 0 {
		df = fmt.Sprintf("%d documents of split(s) %s (texts only)", r.DFDocs, strings.Join(r.DFSplits, "+"))
	}
	_, err := fmt.Fprintf(w, `split %s: %d documents, method %s
  matching: lower-case, %s stems, exact phrase match, duplicates removed
  document frequencies: %s
  @5   P %.3f  R %.3f  F1 %.3f
  @10  P %.3f  R %.3f  F1 %.3f
  candidate recall ceiling %.3f   (%s)
`, r.Split, r.Docs, r.Method, r.Stemmer, df, r.P5, r.R5, r.F5, r.P10, r.R10, r.F10, r.MaxRecall, r.Elapsed.Round(time.Millisecond))
	return err
}

// goldDoc is one line of Inspec's keys.jsonl.
type goldDoc struct {
	ID         string   `json:"id"`
	Split      string   `json:"split"`
	Keyphrases []string `json:"keyphrases"`
}

// SplitAll selects every document of a gold file, whatever its split (NUS
// has none).
const SplitAll = "all"

// EvalInspec extracts the key phrases of the documents of split ("train",
// "dev", "test", or SplitAll) of a data set in Inspec's layout
// (docs/<id>.txt, keys.jsonl; Inspec, SemEval-2010, NUS) and scores them
// against the gold keyphrases of goldPath. Corpus-aware methods take
// document frequencies from the texts of the evaluated split and of the
// train split (labels unused).
func EvalInspec(ctx context.Context, docsDir, goldPath, split string, cfg Config) (*EvalReport, error) {
	return EvalInspecPredictions(ctx, docsDir, goldPath, split, cfg, nil)
}

// Prediction is one scored document's ranked key phrases, unstemmed, with
// its gold phrases: a line of the file EvalInspecPredictions writes.
type Prediction struct {
	ID   string   `json:"id"`
	Pred []string `json:"pred"`
	Gold []string `json:"gold"`
}

// EvalInspecPredictions is EvalInspec that also writes every scored
// document's Prediction to predictions as a JSON line (when not nil), so
// that they can be re-scored outside Go, e.g. with nltk's Porter stemmer
// as pke scores.
func EvalInspecPredictions(ctx context.Context, docsDir, goldPath, split string, cfg Config, predictions io.Writer) (*EvalReport, error) {
	ex, err := New(cfg)
	if err != nil {
		return nil, err
	}
	gold, err := readGold(goldPath)
	if err != nil {
		return nil, err
	}
	dfSplits := []string{split}
	if split != "train" && split != SplitAll {
		dfSplits = append(dfSplits, "train")
	}
	want := map[string]bool{split: true}
	if ex.NeedsCorpusStats() {
		for _, s := range dfSplits {
			want[s] = true
		}
	} else {
		dfSplits = nil
	}
	var sel []goldDoc
	for _, g := range gold {
		if want[g.Split] || split == SplitAll {
			sel = append(sel, g)
		}
	}
	start := time.Now()
	tk, err := tokenize.New(tokenize.Config{})
	if err != nil {
		return nil, err
	}
	docs, err := loadInspec(ctx, tk, ex, docsDir, sel)
	if err != nil {
		return nil, err
	}
	var emit func(d *inspecDoc, ranked []string) error
	if predictions != nil {
		enc := json.NewEncoder(predictions)
		emit = func(d *inspecDoc, ranked []string) error {
			return enc.Encode(Prediction{ID: d.gold.ID, Pred: ranked, Gold: d.gold.Keyphrases})
		}
	}
	r, err := scoreInspec(ex, docs, split, dfSplits, nil, emit)
	if err != nil {
		return nil, fmt.Errorf("keyphrases eval: writing predictions: %w", err)
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

// inspecDoc is one tokenised Inspec document with its candidates.
type inspecDoc struct {
	gold  goldDoc
	doc   *document.Document
	cands *DocCandidates
}

func readGold(path string) ([]goldDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keyphrases eval: %w", err)
	}
	defer f.Close()
	var out []goldDoc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var g goldDoc
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return nil, fmt.Errorf("keyphrases eval: %s:%d: %w", path, line, err)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("keyphrases eval: reading %s: %w", path, err)
	}
	return out, nil
}

// loadInspec reads, tokenises and extracts candidates with two workers.
func loadInspec(ctx context.Context, tk *tokenize.Tokenizer, ex *Extractor, dir string, sel []goldDoc) ([]*inspecDoc, error) {
	out := make([]*inspecDoc, len(sel))
	errs := make([]error, len(sel))
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				g := sel[i]
				path := filepath.Join(dir, g.ID+".txt")
				b, err := os.ReadFile(path)
				if err != nil {
					errs[i] = fmt.Errorf("keyphrases eval: %w", err)
					continue
				}
				doc := &document.Document{ID: g.ID, Source: path, Clean: string(b)}
				if err := tk.Process(ctx, doc); err != nil {
					errs[i] = fmt.Errorf("keyphrases eval: %s: %w", path, err)
					continue
				}
				out[i] = &inspecDoc{gold: g, doc: doc, cands: ex.Candidates(doc)}
			}
		}()
	}
	for i := range sel {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scoreInspec ranks the documents of split (those keep accepts, all when
// nil) and scores them; emit, when not nil, receives each scored
// document's ranked phrases and its error stops the scoring.
func scoreInspec(ex *Extractor, docs []*inspecDoc, split string, dfSplits []string, keep func(id string) bool, emit func(d *inspecDoc, ranked []string) error) (*EvalReport, error) {
	r := &EvalReport{Split: split, Method: ex.cfg.Method, DFSplits: dfSplits, Stemmer: "Porter2 (Snowball English)"}
	var df *PhraseDF
	if len(dfSplits) > 0 {
		in := map[string]bool{}
		for _, s := range dfSplits {
			in[s] = true
		}
		df = NewPhraseDF()
		for _, d := range docs {
			if in[d.gold.Split] || split == SplitAll {
				df.Add(d.cands)
			}
		}
		r.DFDocs = df.N
	}
	var ceilSum float64
	for _, d := range docs {
		if (d.gold.Split != split && split != SplitAll) || (keep != nil && !keep(d.gold.ID)) {
			continue
		}
		gold := stemSetOf(d.gold.Keyphrases)
		if len(gold) == 0 {
			continue
		}
		r.Docs++
		kps := ex.Rank(d.cands, df)
		var pred []string
		for _, k := range kps {
			pred = append(pred, k.Phrase)
		}
		if emit != nil {
			if err := emit(d, pred); err != nil {
				return nil, err
			}
		}
		pred = stemList(pred)
		p5, r5, f5 := prf(pred, gold, 5)
		p10, r10, f10 := prf(pred, gold, 10)
		r.P5 += p5
		r.R5 += r5
		r.F5 += f5
		r.P10 += p10
		r.R10 += r10
		r.F10 += f10
		found := 0
		all := map[string]bool{}
		for _, p := range d.cands.Phrases {
			all[evalStem(p.Phrase)] = true
		}
		for g := range gold {
			if all[g] {
				found++
			}
		}
		ceilSum += float64(found) / float64(len(gold))
	}
	if r.Docs > 0 {
		n := float64(r.Docs)
		r.P5, r.R5, r.F5 = r.P5/n, r.R5/n, r.F5/n
		r.P10, r.R10, r.F10 = r.P10/n, r.R10/n, r.F10/n
		r.MaxRecall = ceilSum / n
	}
	return r, nil
}

// evalStem lower-cases a phrase and stems each whitespace-separated word,
// as pke's evaluation does.
func evalStem(p string) string {
	ws := strings.Fields(strings.ToLower(normaliseWord(p)))
	for i, w := range ws {
		ws[i] = english.Stem(w, true)
	}
	return strings.Join(ws, " ")
}

// stemList stems phrases and drops repeats, keeping the first.
func stemList(ps []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		s := evalStem(p)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func stemSetOf(ps []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range stemList(ps) {
		m[s] = true
	}
	return m
}

// prf scores the first k predictions against the gold set.
func prf(pred []string, gold map[string]bool, k int) (p, r, f float64) {
	if len(pred) > k {
		pred = pred[:k]
	}
	if len(pred) == 0 || len(gold) == 0 {
		return 0, 0, 0
	}
	tp := 0
	for _, s := range pred {
		if gold[s] {
			tp++
		}
	}
	p = float64(tp) / float64(len(pred))
	r = float64(tp) / float64(len(gold))
	if tp > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// ScorePredictions scores ranked key phrases per document id (pred, such
// as a run's keyphrases table) against the gold phrases of split in
// goldPath with EvalInspec's protocol; documents of the split without
// predictions score 0. It lets a `framelens run` be compared with
// EvalInspec on the same documents.
func ScorePredictions(goldPath, split string, pred map[string][]string) (*EvalReport, error) {
	gold, err := readGold(goldPath)
	if err != nil {
		return nil, err
	}
	r := &EvalReport{Split: split, Method: "predictions", Stemmer: "Porter2 (Snowball English)"}
	for _, g := range gold {
		if g.Split != split && split != SplitAll {
			continue
		}
		gs := stemSetOf(g.Keyphrases)
		if len(gs) == 0 {
			continue
		}
		r.Docs++
		ps := stemList(pred[g.ID])
		p5, r5, f5 := prf(ps, gs, 5)
		p10, r10, f10 := prf(ps, gs, 10)
		r.P5, r.R5, r.F5 = r.P5+p5, r.R5+r5, r.F5+f5
		r.P10, r.R10, r.F10 = r.P10+p10, r.R10+r10, r.F10+f10
	}
	if r.Docs > 0 {
		n := float64(r.Docs)
		r.P5, r.R5, r.F5 = r.P5/n, r.R5/n, r.F5/n
		r.P10, r.R10, r.F10 = r.P10/n, r.R10/n, r.F10/n
	}
	return r, nil
}
