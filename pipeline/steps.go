package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// A reduceStep is one corpus-level step of finish: a table or a corpus
// stage's reduction. Steps run concurrently, each as soon as the steps it
// needs are done, so that a serial step (the vocabulary, a table written in
// document order) does not leave the other cores idle; what a run writes
// does not depend on that: each step writes its own tables, and its log
// lines and warnings are held back and passed on in the steps' order.
type reduceStep struct {
	name string
	// needs names the steps whose results it reads: it starts once they
	// are done. Each is declared before it.
	needs []string
	// barrier: it starts only once every step declared before it is done.
	// For a step that logs to the engine's logger directly rather than to
	// its own (stepEnv.log), whose lines must come after theirs.
	barrier bool
	// exclusive: it runs alone, once every step declared before it is
	// done (a barrier); no step starts from the moment it could start until
	// it is done. For the step that holds the most memory: beside others,
	// it raised the run's peak RSS.
	exclusive bool
	// on says, once its needs are done, whether the step runs at all.
	on  func() bool
	run func(se *stepEnv) error
	// warnings is where the step's warnings go (nil: nowhere but the log).
	warnings *[]string
}

// stepEnv is a running step's own logger and warnings, passed on in the
// order of the steps (see runSteps).
type stepEnv struct {
	log      *slog.Logger
	held     *heldRecords
	warnings []string
}

// stepDone is a finished step's outcome, on its way to runSteps.
type stepDone struct {
	i       int
	err     error
	seconds float64
}

// runSteps runs steps, at most slots at a time, each once the steps it
// needs are done; among the steps ready, the one declared first starts
// first. As the steps finish, in declaration order, their held log lines go
// to log and pass is called with each one's time and warnings. start is
// called as a step starts. The first error stops the steps not yet started
// and is returned once the running ones are done. start and pass are
// called on the caller's goroutine.
func runSteps(ctx context.Context, cancel func(), steps []reduceStep, slots int, log *slog.Logger,
	start func(name string), pass func(st *reduceStep, seconds float64, se *stepEnv)) error {
	index := map[string]int{}
	for i, st := range steps {
		for _, n := range st.needs {
			if j, ok := index[n]; !ok || j >= i {
				return fmt.Errorf("reduce step %s needs %s, which is not declared before it", st.name, n)
			}
		}
		index[st.name] = i
	}
	n := len(steps)
	sc := &schedule{steps: steps, index: index, started: make([]bool, n), finished: make([]bool, n)}
	started, finished, ready, alone := sc.started, sc.finished, sc.ready, sc.alone
	envs := make([]*stepEnv, n) // nil: the step did not run
	secs := make([]float64, n)
	done := make(chan stepDone)
	running, passed := 0, 0
	var firstErr error
	for {
		// Start what is ready, in declaration order; a step that does not
		// run is done at once and may make others ready.
		for changed := true; changed && firstErr == nil; {
			changed = false
			for i := 0; i < n && running < max(1, slots); i++ {
				if started[i] || !ready(i) {
					continue
				}
				if a := alone(); a >= 0 && (a != i || running > 0) {
					break
				}
				started[i], changed = true, true
				if !steps[i].on() {
					finished[i] = true
					continue
				}
				held := &heldRecords{}
				envs[i] = &stepEnv{log: slog.New(held.handler(log.Handler())), held: held}
				running++
				start(steps[i].name)
				go func(i int) {
					t0 := time.Now()
					var err error
					if err = ctx.Err(); err == nil {
						err = steps[i].run(envs[i])
					}
					done <- stepDone{i: i, err: err, seconds: time.Since(t0).Seconds()}
				}(i)
			}
		}
		for passed < n && finished[passed] {
			if envs[passed] != nil {
				envs[passed].held.replay(ctx)
				pass(&steps[passed], secs[passed], envs[passed])
			}
			passed++
		}
		if running == 0 {
			if firstErr == nil && passed < n {
				// Cannot happen: every need is declared before its step.
				firstErr = fmt.Errorf("reduce step %s never became ready", steps[passed].name)
			}
			return firstErr
		}
		d := <-done
		running--
		finished[d.i], secs[d.i] = true, d.seconds
		if d.err != nil && firstErr == nil {
			firstErr = d.err
			cancel() // the running steps stop at their next check
		}
	}
}

// schedule is which steps have started and finished, and which may start.
type schedule struct {
	steps             []reduceStep
	index             map[string]int
	started, finished []bool
}

// ready says whether step i's needs (and, for a barrier, every step before
// it) are done.
func (sc *schedule) ready(i int) bool {
	for _, need := range sc.steps[i].needs {
		if !sc.finished[sc.index[need]] {
			return false
		}
	}
	return !(sc.steps[i].barrier || sc.steps[i].exclusive) || !slices.Contains(sc.finished[:i], false)
}

// alone is the exclusive step that runs or waits for the others to
// finish; -1: none.
func (sc *schedule) alone() int {
	for i := range sc.steps {
		if sc.steps[i].exclusive && !sc.finished[i] && (sc.started[i] || sc.ready(i)) {
			return i
		}
	}
	return -1
}

// heldRecords holds a step's log records until its turn to pass them on.
type heldRecords struct {
	mu   sync.Mutex
	recs []heldRecord
}

// heldRecord is a record and the handler (with its attributes and groups)
// that is to handle it.
type heldRecord struct {
	h slog.Handler
	r slog.Record
}

func (hr *heldRecords) handler(h slog.Handler) slog.Handler { return &holdHandler{h: h, held: hr} }

// replay hands the held records to their handlers, in the order logged.
func (hr *heldRecords) replay(ctx context.Context) {
	hr.mu.Lock()
	defer hr.mu.Unlock()
	for _, rec := range hr.recs {
		_ = rec.h.Handle(context.WithoutCancel(ctx), rec.r)
	}
	hr.recs = nil
}

// holdHandler is a slog.Handler that holds records back (heldRecords).
type holdHandler struct {
	h    slog.Handler
	held *heldRecords
}

func (hh *holdHandler) Enabled(ctx context.Context, l slog.Level) bool { return hh.h.Enabled(ctx, l) }

func (hh *holdHandler) Handle(_ context.Context, r slog.Record) error {
	hh.held.mu.Lock()
	defer hh.held.mu.Unlock()
	hh.held.recs = append(hh.held.recs, heldRecord{h: hh.h, r: r.Clone()})
	return nil
}

func (hh *holdHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &holdHandler{h: hh.h.WithAttrs(as), held: hh.held}
}

func (hh *holdHandler) WithGroup(name string) slog.Handler {
	return &holdHandler{h: hh.h.WithGroup(name), held: hh.held}
}
