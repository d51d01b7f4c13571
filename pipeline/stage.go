package pipeline

import (
	"errors"

	"github.com/framelens/framelens/stages/stage"
)

// DocStage is a per-document stage (stage.Doc): a map from a document to
// the same document with more annotations.
type DocStage = stage.Doc

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
