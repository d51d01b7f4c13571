package output

import (
	"testing"
)

// knownFingerprints records the table contract of every schema version.
// Changing a table or column changes the fingerprint: bump SchemaVersion
// and add the new fingerprint here.
var knownFingerprints = map[int]string{
	1: "c11215f965f9b359",
	2: "62193741b2bfb5b3",
	3: "cb4c7c9d769509ff",
	4: "6f390af77b03421f", // documents.lang_confidence, lang_source
	5: "6f390af77b03421f", // new table collocations (a registered analysis's: pipeline checks it)
}

func TestSchemaVersionIsBumpedOnChange(t *testing.T) {
	got := NewCatalog().Fingerprint()
	want, ok := knownFingerprints[SchemaVersion]
	if !ok || want != got {
		t.Fatalf("table definitions have fingerprint %s but schema version %d records %q: bump SchemaVersion and record the fingerprint", got, SchemaVersion, want)
	}
}

func TestEverySchemaChangeIsDescribed(t *testing.T) {
	changes := schemaChanges()
	for v := 2; v <= SchemaVersion; v++ {
		if changes[v] == "" {
			t.Errorf("schema version %d has no entry in schemaChanges", v)
		}
	}
}

func TestEveryColumnIsDescribed(t *testing.T) {
	for _, tb := range NewCatalog().Tables() {
		if tb.Description == "" || len(tb.Key) == 0 {
			t.Errorf("table %s lacks a description or key", tb.Name)
		}
		for _, k := range tb.Key {
			if tb.ColumnIndex(k) < 0 {
				t.Errorf("table %s: key column %s does not exist", tb.Name, k)
			}
		}
		for _, c := range tb.Columns {
			if c.Description == "" {
				t.Errorf("%s.%s has no description", tb.Name, c.Name)
			}
		}
	}
}
