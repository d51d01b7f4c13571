package flbeam

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/pipeline"
	"github.com/framelens/framelens/stages/similarity"
	"github.com/framelens/framelens/stages/tokenize"
)

// A runner reports the error of a step as text (prism: the step's name,
// the message and a stack), so errors.Is finds none of framelens's
// sentinel errors in what beamx.Run returns, and the merge step's summary
// never reaches the driver. The steps therefore leave both in the work
// folder: the merge step its summary and verdict (outcomeFile), a failing
// step its message and the sentinels its error matches (errorsDir). Run
// reads them and returns what pipeline.Run returns.
const (
	outcomeFile = "outcome.gob"
	errorsDir   = "errors"
)

// sentinel is an error that a step's error keeps across the runner.
type sentinel struct {
	name string
	err  error
}

// sentinels are the errors a step may wrap that a caller tests with
// errors.Is: framelens's own, and the standard ones its messages wrap.
func sentinels() []sentinel {
	return []sentinel{
		{"pipeline.ErrNoDocuments", pipeline.ErrNoDocuments},
		{"pipeline.ErrColumn", pipeline.ErrColumn},
		{"pipeline.ErrConfigFileChanged", pipeline.ErrConfigFileChanged},
		{"pipeline.ErrBlock", pipeline.ErrBlock},
		{"pipeline.ErrStagePanic", pipeline.ErrStagePanic},
		{"corpus.ErrTooLarge", corpus.ErrTooLarge},
		{"corpus.ErrGzipRatio", corpus.ErrGzipRatio},
		{"corpus.ErrNotRegular", corpus.ErrNotRegular},
		{"corpus.ErrOutside", corpus.ErrOutside},
		{"corpus.ErrBinary", corpus.ErrBinary},
		{"corpus.ErrReadOnce", corpus.ErrReadOnce},
		{"output.ErrUnsafeOut", output.ErrUnsafeOut},
		{"output.ErrOutNotEmpty", output.ErrOutNotEmpty},
		{"output.ErrNotOwned", output.ErrNotOwned},
		{"output.ErrOutLocked", output.ErrOutLocked},
		{"tokenize.ErrStopWords", tokenize.ErrStopWords},
		{"similarity.ErrConfig", similarity.ErrConfig},
		{"flbeam.ErrInjected", ErrInjected},
		{"context.Canceled", context.Canceled},
		{"context.DeadlineExceeded", context.DeadlineExceeded},
		{"fs.ErrNotExist", fs.ErrNotExist},
		{"fs.ErrExist", fs.ErrExist},
		{"fs.ErrPermission", fs.ErrPermission},
	}
}

// stepFailure is a step's error as it crosses to the driver.
type stepFailure struct {
	Step    string   `json:"step"`
	Message string   `json:"message"`
	Is      []string `json:"is,omitempty"` // names of sentinels()
}

func failureOf(step string, err error) stepFailure {
	f := stepFailure{Step: step, Message: err.Error()}
	for _, s := range sentinels() {
		if errors.Is(err, s.err) {
			f.Is = append(f.Is, s.name)
		}
	}
	return f
}

// err is the step's error again: its message, matching its sentinels.
func (f stepFailure) err() error {
	e := &stepError{msg: f.Message}
	for _, s := range sentinels() {
		if slices.Contains(f.Is, s.name) {
			e.is = append(e.is, s.err)
		}
	}
	return e
}

// stepError is the error of a step, rebuilt by the driver.
type stepError struct {
	msg string
	is  []error
}

func (e *stepError) Error() string   { return e.msg }
func (e *stepError) Unwrap() []error { return e.is }

// recordFailure leaves err of a step in work's errors folder for the
// driver and returns it. A failure to write it leaves the runner's text.
func recordFailure(work, step string, err error) error {
	if err == nil || work == "" {
		return err
	}
	f := failureOf(step, err)
	b, jerr := json.Marshal(f)
	if jerr != nil {
		return err
	}
	// Attempts with the same error (retries, every worker's Setup with
	// one config) write one file.
	h := sha256.Sum256([]byte(f.Message))
	writeAtomic(filepath.Join(work, errorsDir, fmt.Sprintf("%s-%x.json", step, h[:8])), b)
	return err
}

// stepErrors returns the errors the steps left in work, or runErr, the
// runner's, when none did. Several are joined, each once, in step order.
func stepErrors(work string, runErr error) error {
	names, _ := filepath.Glob(filepath.Join(work, errorsDir, "*.json"))
	var fails []stepFailure
	for _, p := range names {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var f stepFailure
		if json.Unmarshal(b, &f) == nil && f.Message != "" {
			fails = append(fails, f)
		}
	}
	if len(fails) == 0 {
		return runErr
	}
	// Steps the runner cancelled after another failed say only that.
	cancelled := func(f stepFailure) bool { return slices.Contains(f.Is, "context.Canceled") }
	if slices.ContainsFunc(fails, func(f stepFailure) bool { return !cancelled(f) }) {
		fails = slices.DeleteFunc(fails, cancelled)
	}
	// In pipeline order: an earlier step's errors first.
	order := []string{"read", "process", "merge"}
	slices.SortFunc(fails, func(a, b stepFailure) int {
		return cmp.Or(cmp.Compare(slices.Index(order, a.Step), slices.Index(order, b.Step)), strings.Compare(a.Message, b.Message))
	})
	var errs []error
	seen := map[string]bool{}
	for _, f := range fails {
		if !seen[f.Message] {
			seen[f.Message] = true
			errs = append(errs, f.err())
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// outcome is what the merge step leaves for the driver: pipeline.Merge's
// summary, and its error when the run is complete but unusable
// (pipeline.ErrNoDocuments: tables and run.json written, as Run writes
// them).
type outcome struct {
	Summary *pipeline.Summary
	Failure *stepFailure
}

func writeOutcome(work string, oc outcome) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(oc); err != nil {
		return fmt.Errorf("flbeam: the merge step's summary: %w", err)
	}
	return writeAtomic(filepath.Join(work, outcomeFile), buf.Bytes())
}

// readOutcome reads the merge step's outcome; nil when it left none.
func readOutcome(work string) (*outcome, error) {
	b, err := os.ReadFile(filepath.Join(work, outcomeFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var oc outcome
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&oc); err != nil || oc.Summary == nil {
		return nil, fmt.Errorf("flbeam: %s: not the merge step's summary (%v): rerun the pipeline", filepath.Join(work, outcomeFile), err)
	}
	return &oc, nil
}

// clearOutcome removes what an earlier run's steps left in work, so that
// it cannot pass for this run's.
func clearOutcome(work string) error {
	if err := os.Remove(filepath.Join(work, outcomeFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.RemoveAll(filepath.Join(work, errorsDir))
}

// writeAtomic writes b to path through a temporary file of its own, so
// that concurrent writers of the same bytes never leave a torn file.
func writeAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
