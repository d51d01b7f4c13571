package framestats

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/stage"
)

// scoresEnv is testEnv with the run's plan and summary.
type scoresEnv struct {
	testEnv
	plan []stage.Comparison
	docs []string // DocumentFrames' ids, in call order
	rows map[string][]frames.Score
	cmps []string // ComparisonFrames' labels
	diff map[string][]frames.Diff
}

func (e *scoresEnv) Comparisons() []stage.Comparison { return e.plan }
func (e *scoresEnv) Workers() int                    { return 2 }
func (e *scoresEnv) DocumentFrames(id, _ string, scores []frames.Score) {
	e.docs = append(e.docs, id)
	e.rows[id] = scores
}
func (e *scoresEnv) ComparisonFrames(c, a, b string, level float64, diffs []frames.Diff) {
	e.cmps = append(e.cmps, c+": "+a+" vs "+b)
	e.diff[c] = diffs
}

// sameScores compares scores with NaN equal to NaN (no interval).
func sameScores[T any](a, b T) bool {
	return reflect.DeepEqual(nanless(reflect.ValueOf(a)), nanless(reflect.ValueOf(b)))
}

// nanless returns v (a slice of structs) with every NaN float replaced by
// -1, a value no score takes.
func nanless(v reflect.Value) any {
	out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	reflect.Copy(out, v)
	for i := range out.Len() {
		for j := range out.Index(i).NumField() {
			if f := out.Index(i).Field(j); f.Kind() == reflect.Float64 && math.IsNaN(f.Float()) {
				f.SetFloat(-1)
			}
		}
	}
	return out.Interface()
}

// TestScoresStageOnSample runs the frame scores stage over the sample
// papers, two groups, through the stage lifecycle (per-document partials,
// gob, merge in order): each document's scores and the comparison's
// differences are those of the summaries made directly, the comparisons
// without analysed documents on both sides are left out, and the three
// tables have a row per document, group and comparison and frame.
func TestScoresStageOnSample(t *testing.T) {
	m, err := frames.New(frames.Config{})
	if err != nil {
		t.Fatal(err)
	}
	lex := m.Lexicon()
	bs := frames.Bootstrap{B: 200, Seed: 7}
	var docs []*document.Document
	direct := frames.NewSummaries(lex.FrameNames())
	for _, id := range []string{"sun2025", "zhang2024"} {
		d := samplePaper(t, id)
		if err := m.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
		sum, err := m.Summarize(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := direct.Add(sum); err != nil {
			t.Fatal(err)
		}
	}
	s := NewScoresStage(lex, bs)
	p := mapAll(t, s, docs).(*ScoresPartial)
	if len(p.Docs) != 2 || p.Docs[0].Summary.ID != "sun2025" || p.Docs[1].Summary.ID != "zhang2024" {
		t.Fatalf("partial holds %d documents, want sun2025 then zhang2024", len(p.Docs))
	}
	for i, d := range docs {
		checkMatched(t, d, p.Docs[i].Matched)
		if p.Docs[i].Words != words(d) || p.Docs[i].Words == 0 {
			t.Errorf("%s: %d words in the partial, want %d", d.ID, p.Docs[i].Words, words(d))
		}
	}

	dir, err := output.OpenOutDir(t.TempDir(), output.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env := &scoresEnv{testEnv: testEnv{dir: dir}, rows: map[string][]frames.Score{}, diff: map[string][]frames.Diff{},
		plan: []stage.Comparison{
			{Label: "sun vs zhang", A: []string{"sun2025"}, B: []string{"zhang2024"}},
			{Label: "sun vs nobody", A: []string{"sun2025"}, B: []string{"nobody"}},
			{Label: "sun vs reference", A: []string{"sun2025"}, Reference: true},
			{Label: "zhang vs rest", A: []string{"zhang2024"}},
		}}
	if err := s.Reduce(context.Background(), p, env); err != nil {
		t.Fatal(err)
	}
	for _, w := range env.ws {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(env.docs, []string{"sun2025", "zhang2024"}) {
		t.Errorf("summary has documents %v, want both in input order", env.docs)
	}
	for _, d := range direct.Docs() {
		if want := frames.DocumentScores(d, bs); !sameScores(env.rows[d.ID], want) {
			t.Errorf("%s: scores %+v, want %+v", d.ID, env.rows[d.ID], want)
		}
	}
	if want := []string{"sun vs zhang: sun2025 vs zhang2024", "zhang vs rest: zhang2024 vs rest"}; !slices.Equal(env.cmps, want) {
		t.Errorf("comparisons in the summary %q, want %q (none without documents on a side)", env.cmps, want)
	}
	want, err := direct.Difference([]string{"sun2025"}, []string{"zhang2024"}, bs)
	if err != nil {
		t.Fatal(err)
	}
	if !sameScores(env.diff["sun vs zhang"], want) {
		t.Errorf("differences %+v, want %+v", env.diff["sun vs zhang"], want)
	}
	nf := int64(len(lex.FrameNames()))
	for table, n := range map[string]int64{"frames": 2 * nf, "group_frames": 2 * nf, "frame_comparisons": 2 * nf} {
		got, err := output.CountRows(dir.Path(), output.NewCatalog().MustTable(table), output.FormatParquet)
		if err != nil || got != n {
			t.Errorf("%s: %d rows (%v), want %d", table, got, err, n)
		}
	}
}

// A run whose every document failed has an empty partial: the frames
// table has no row, and there is no group to write group tables of.
func TestScoresStageWithoutDocuments(t *testing.T) {
	lex, err := frames.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	s := NewScoresStage(lex, frames.Bootstrap{})
	dir, err := output.OpenOutDir(t.TempDir(), output.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env := &scoresEnv{testEnv: testEnv{dir: dir}}
	if err := s.Reduce(context.Background(), s.NewPartial(), env); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, w := range env.ws {
		names = append(names, w.Table().Name)
	}
	if !slices.Equal(names, []string{"frames"}) || len(env.docs) != 0 {
		t.Errorf("tables %v and %d documents in the summary, want frames alone and none", names, len(env.docs))
	}
}

// checkMatched checks that matched lists, per frame, every distinct entry
// of d's hits that are not negated once, most frequent first.
func checkMatched(t *testing.T, d *document.Document, matched map[string][]string) {
	t.Helper()
	n := map[[2]string]int{}
	for _, h := range d.FrameHits {
		if !h.Negated {
			n[[2]string{h.Frame, h.Entry}]++
		}
	}
	if len(n) == 0 {
		t.Fatalf("%s: no frame hit", d.ID)
	}
	listed := 0
	for f, es := range matched {
		for i, e := range es {
			listed++
			if n[[2]string{f, e}] == 0 {
				t.Errorf("%s: %s lists %q, which no hit matched", d.ID, f, e)
			}
			if i > 0 && n[[2]string{f, es[i-1]}] < n[[2]string{f, e}] {
				t.Errorf("%s: %s lists %q before the more frequent %q", d.ID, f, es[i-1], e)
			}
		}
	}
	if listed != len(n) {
		t.Errorf("%s: %d entries listed, want the %d matched", d.ID, listed, len(n))
	}
}
