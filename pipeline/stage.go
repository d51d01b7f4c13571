package pipeline

import (
	"context"
	"errors"

	"github.com/framelens/framelens/corpus"
)

// DocStage is a per-document stage: a map from a document to the same
// document with more annotations. Implementations load their models once
// and are safe for concurrent use, so one value serves every worker.
type DocStage interface {
	Name() string
	Process(ctx context.Context, doc *corpus.Document) error
}

// ErrStagePanic is wrapped by the StageError of a document on which a
// stage panicked.
var ErrStagePanic = errors.New("panic")

// StageError is a stage's failure on one document. The document is
// reported and left out of the analysis tables; the run goes on.
type StageError struct {
	Stage string
	DocID string
	Err   error
}

func (e *StageError) Error() string {
	return "stage " + e.Stage + ", document " + e.DocID + ": " + e.Err.Error()
}

func (e *StageError) Unwrap() error { return e.Err }
