package pipeline

import (
	"bytes"
	"os"
	"testing"

	"github.com/framelens/framelens/output"
)

// fullFingerprints records the fingerprint of every table a run can write,
// the built-in analyses' included, from the version that made them part
// of the contract (output.SchemaVersion): a changed analysis table must
// bump the version as a changed output table does.
var fullFingerprints = map[int]string{
	5: "09a156fc25863513", // collocations
}

func TestAnalysisTablesBumpTheSchemaVersion(t *testing.T) {
	cat, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	got := cat.Fingerprint()
	if want := fullFingerprints[output.SchemaVersion]; want != got {
		t.Fatalf("tables (with the analyses') have fingerprint %s, schema version %d records %q: bump output.SchemaVersion and record it here", got, output.SchemaVersion, want)
	}
}

// The data dictionary in docs/tables.md must be what the table definitions
// say. Regenerate it with `make docs`.
func TestDocsTablesMatchDefinitions(t *testing.T) {
	cat, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := cat.WriteMarkdown(&want); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../docs/tables.md")
	if err != nil {
		t.Fatalf("docs/tables.md: %v (run `make docs`)", err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("docs/tables.md is out of date with the table definitions (output/tables.go, the analyses' Tables): run `make docs`")
	}
}

// fullCatalog is Catalog for tests.
func fullCatalog(t testing.TB) *output.Catalog {
	t.Helper()
	cat, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}
