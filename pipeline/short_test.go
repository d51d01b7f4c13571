package pipeline

import "testing"

// skipShort skips an end-to-end test that runs the whole pipeline many
// times under `go test -short`, the quick loop while editing: each Run
// costs about a CPU-second before its first document (the tagger's model
// is decoded anew), so these tests take most of the package's CPU time.
// `make test` runs them.
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the pipeline many times; skipped with -short (make test runs it)")
	}
}
