package pipeline

import "errors"

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
