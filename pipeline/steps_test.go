package pipeline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// stepRecorder runs test steps and records what each saw and when.
type stepRecorder struct {
	mu      sync.Mutex
	running int
	most    int
	order   []string // as the steps finished
	// xStarted: the step named x has started.
	xStarted bool
}

func (sr *stepRecorder) step(name string, needs []string, d time.Duration, check func()) reduceStep {
	return reduceStep{name: name, needs: needs, on: func() bool { return true }, run: func(se *stepEnv) error {
		sr.mu.Lock()
		sr.running++
		sr.most = max(sr.most, sr.running)
		if name == "x" {
			sr.xStarted = true
		}
		sr.mu.Unlock()
		if check != nil {
			check()
		}
		se.log.Info("hello from " + name)
		se.warnings = append(se.warnings, name)
		time.Sleep(d)
		sr.mu.Lock()
		sr.running--
		sr.order = append(sr.order, name)
		sr.mu.Unlock()
		return nil
	}}
}

func (sr *stepRecorder) done(name string) bool {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	for _, n := range sr.order {
		if n == name {
			return true
		}
	}
	return false
}

func TestRunStepsKeepsOrderAndNeeds(t *testing.T) {
	for _, slots := range []int{1, 2, 4} {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
		sr := &stepRecorder{}
		var warnings, started []string
		steps := []reduceStep{
			// a is slow: b and d, which do not need it, finish first when
			// there is room for them.
			sr.step("a", nil, 60*time.Millisecond, nil),
			sr.step("b", nil, 5*time.Millisecond, nil),
			sr.step("c", []string{"a"}, time.Millisecond, func() {
				if !sr.done("a") {
					t.Error("c started before a, which it needs, was done")
				}
			}),
			sr.step("d", nil, time.Millisecond, nil),
		}
		steps[1].warnings = &warnings
		steps[3].warnings = &warnings
		steps[3].on = func() bool { return slots != 4 } // d does not run then
		ctx, cancel := context.WithCancel(context.Background())
		err := runSteps(ctx, cancel, steps, slots, log, func(n string) { started = append(started, n) },
			func(st *reduceStep, _ float64, se *stepEnv) {
				if st.warnings != nil {
					*st.warnings = append(*st.warnings, se.warnings...)
				}
			})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if sr.most > slots {
			t.Errorf("slots %d: %d steps ran at once", slots, sr.most)
		}
		if slots == 1 && strings.Join(sr.order, " ") != "a b c d" {
			t.Errorf("one slot: steps finished in the order %v, want their own", sr.order)
		}
		if slots == 2 && sr.order[0] == "a" {
			t.Errorf("two slots: a, the slow step, finished first (%v): b did not run beside it", sr.order)
		}
		// Whatever ran when, the log and the warnings are in the steps' order.
		wantLog := "level=INFO msg=\"hello from a\"\nlevel=INFO msg=\"hello from b\"\nlevel=INFO msg=\"hello from c\"\n"
		wantWarn := "b"
		if slots != 4 {
			wantLog += "level=INFO msg=\"hello from d\"\n"
			wantWarn = "b d"
		}
		if buf.String() != wantLog {
			t.Errorf("slots %d: log\n%s\nwant\n%s", slots, buf.String(), wantLog)
		}
		if got := strings.Join(warnings, " "); got != wantWarn {
			t.Errorf("slots %d: warnings %q, want %q", slots, got, wantWarn)
		}
		if got := strings.Join(started, " "); !strings.HasPrefix(got, "a b") {
			t.Errorf("slots %d: started %q: the first declared ready steps should start first", slots, got)
		}
	}
}

func TestRunStepsBarrier(t *testing.T) {
	sr := &stepRecorder{}
	steps := []reduceStep{
		sr.step("a", nil, 40*time.Millisecond, nil),
		sr.step("b", nil, time.Millisecond, nil),
		sr.step("c", nil, time.Millisecond, func() {
			if !sr.done("a") || !sr.done("b") {
				t.Error("the barrier step started before the steps declared before it were done")
			}
		}),
	}
	steps[2].barrier = true
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := runSteps(ctx, cancel, steps, 3, slog.New(slog.DiscardHandler), func(string) {}, func(*reduceStep, float64, *stepEnv) {}); err != nil {
		t.Fatal(err)
	}
}

func TestRunStepsStopsAtAnError(t *testing.T) {
	errBoom := errors.New("boom")
	ran := map[string]bool{}
	var mu sync.Mutex
	mark := func(n string) {
		mu.Lock()
		ran[n] = true
		mu.Unlock()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	steps := []reduceStep{
		{name: "slow", on: func() bool { return true }, run: func(*stepEnv) error {
			mark("slow")
			select { // stopped by the failure of the other step
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(5 * time.Second):
				return nil
			}
		}},
		{name: "fails", on: func() bool { return true }, run: func(*stepEnv) error { mark("fails"); return errBoom }},
		{name: "after", needs: []string{"fails"}, on: func() bool { return true }, run: func(*stepEnv) error { mark("after"); return nil }},
	}
	t0 := time.Now()
	err := runSteps(ctx, cancel, steps, 2, slog.New(slog.DiscardHandler), func(string) {}, func(*reduceStep, float64, *stepEnv) {})
	if !errors.Is(err, errBoom) {
		t.Fatalf("error %v, want the failing step's", err)
	}
	if ran["after"] {
		t.Error("a step that needs the failed one ran")
	}
	if time.Since(t0) > 4*time.Second {
		t.Error("the running step was not stopped")
	}
	steps = []reduceStep{{name: "x", needs: []string{"y"}}, {name: "y"}}
	if err := runSteps(ctx, cancel, steps, 1, slog.New(slog.DiscardHandler), func(string) {}, func(*reduceStep, float64, *stepEnv) {}); err == nil {
		t.Error("a step needing one declared after it was accepted")
	}
}

func TestRunStepsExclusive(t *testing.T) {
	sr := &stepRecorder{}
	alone := func() {
		sr.mu.Lock()
		defer sr.mu.Unlock()
		if sr.running != 1 {
			t.Errorf("the exclusive step runs beside %d others", sr.running-1)
		}
	}
	steps := []reduceStep{
		sr.step("a", nil, 20*time.Millisecond, nil),
		sr.step("x", nil, 30*time.Millisecond, alone),
		sr.step("b", nil, 5*time.Millisecond, nil),
		sr.step("c", nil, 5*time.Millisecond, nil),
	}
	steps[1].exclusive = true
	// b and c, declared after x, must not start while x runs: x checks at
	// its start, b and c would overlap its sleep.
	steps[2].run, steps[3].run = wrapNotDuring(t, sr, "x", steps[2].run), wrapNotDuring(t, sr, "x", steps[3].run)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := runSteps(ctx, cancel, steps, 4, slog.New(slog.DiscardHandler), func(string) {}, func(*reduceStep, float64, *stepEnv) {}); err != nil {
		t.Fatal(err)
	}
	if !sr.done("a") || !sr.done("x") || !sr.done("b") || !sr.done("c") {
		t.Errorf("steps done: %v", sr.order)
	}
}

// wrapNotDuring fails the test if run starts while step x has started and
// not finished.
func wrapNotDuring(t *testing.T, sr *stepRecorder, x string, run func(*stepEnv) error) func(*stepEnv) error {
	return func(se *stepEnv) error {
		sr.mu.Lock()
		during := sr.running > 0 && !containsStr(sr.order, x) && sr.xStarted
		sr.mu.Unlock()
		if during {
			t.Errorf("a step started while the exclusive step %s ran", x)
		}
		return run(se)
	}
}

func containsStr(l []string, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}

// The frame tables are the frames stage's (framestats.ScoresStage): it is
// declared where the frames table was written, after documents_table, and
// needs no step, so that its bootstrap starts beside the steps before it;
// frame_suggestions and frame_entries follow and need it. Its map's time
// is frame_summary's, not the frames document stage's.
func TestFramesStageIsPlacedApart(t *testing.T) {
	cfg := Config{Out: t.TempDir(), Seed: 1, SkipStages: []string{"entities"}}.withDefaults()
	eng, err := newEngine(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Analyses())
	if err != nil {
		t.Fatal(err)
	}
	r := &reducer{eng: eng}
	var names []string
	needs := map[string][]string{}
	for _, st := range r.reduceSteps(nil, &Summary{}) {
		names = append(names, st.name)
		needs[st.name] = st.needs
	}
	got := strings.Join(names, " ")
	if want := "documents_table frames frame_suggestions frame_entries"; !strings.Contains(got, want) {
		t.Errorf("steps %s, want %s in a row", got, want)
	}
	if len(needs["frames"]) != 0 || !slices.Equal(needs["frame_entries"], []string{"frames"}) || !slices.Equal(needs["frame_suggestions"], []string{"frames"}) {
		t.Errorf("needs: frames %v, frame_entries %v, frame_suggestions %v", needs["frames"], needs["frame_entries"], needs["frame_suggestions"])
	}
	n := 0
	for _, b := range eng.busyNames {
		if b == "frames" {
			n++
		}
	}
	if n != 1 || !slices.Contains(eng.busyNames, "frame_summary") {
		t.Errorf("per-document steps %v: want frames (the document stage) once and frame_summary", eng.busyNames)
	}
}

// The tfidf, topics and similarity stages keep the places and needs of the
// steps they were: tfidf first, needing nothing; topics and similarity
// after it, each needing only tfidf; similarity after tfidf when topics
// is skipped.
func TestVectorStagesKeepTheirSteps(t *testing.T) {
	for _, skip := range [][]string{nil, {"topics"}} {
		cfg := Config{Out: t.TempDir(), Seed: 1, SkipStages: skip}.withDefaults()
		eng, err := newEngine(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Analyses())
		if err != nil {
			t.Fatal(err)
		}
		r := &reducer{eng: eng}
		var names []string
		needs := map[string][]string{}
		for _, st := range r.reduceSteps(nil, &Summary{}) {
			names = append(names, st.name)
			needs[st.name] = st.needs
		}
		want := "tfidf topics similarity keyphrases group_keyphrases entity_mentions comparisons"
		if skip != nil {
			want = "tfidf similarity keyphrases group_keyphrases entity_mentions comparisons"
		}
		if got := strings.Join(names, " "); !strings.HasPrefix(got, want) {
			t.Errorf("skip %v: steps %s, want them to start %s", skip, got, want)
		}
		if len(needs["tfidf"]) != 0 || !slices.Equal(needs["similarity"], []string{"tfidf"}) || skip == nil && !slices.Equal(needs["topics"], []string{"tfidf"}) {
			t.Errorf("skip %v: needs: tfidf %v, topics %v, similarity %v", skip, needs["tfidf"], needs["topics"], needs["similarity"])
		}
	}
}
