package corpus

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// A second document with an id already handed out is a *DocError naming
// both sources and the id; the other documents still come through, and
// Seq has no gap.
func TestDuplicateIDIsDocError(t *testing.T) {
	dir := t.TempDir()
	// A folder: a.md and a.txt both have the id "a".
	writeFile(t, filepath.Join(dir, "f", "a.md"), []byte("First."))
	writeFile(t, filepath.Join(dir, "f", "a.txt"), []byte("Second, same id."))
	writeFile(t, filepath.Join(dir, "f", "b.txt"), []byte("Third."))
	// A row dump: ids given, and an explicit id equal to a row number.
	writeFile(t, filepath.Join(dir, "dump.jsonl"), []byte(`{"id": "x", "text": "one"}
{"text": "two, id 2"}
{"id": "x", "text": "three"}
{"id": "2", "text": "four"}
{"id": "y", "text": "five"}
`))
	for _, tc := range []struct {
		path    string
		ids     string
		sources []string // per error: its source, then the first document's
		dupIDs  []string
	}{
		{"f", "a,b", []string{"a.txt", "a.md"}, []string{"a"}},
		{"dump.jsonl", "x,2,y", []string{"dump.jsonl:3", "dump.jsonl:1", "dump.jsonl:4", "dump.jsonl:2"}, []string{"x", "2"}},
	} {
		s, err := Open(filepath.Join(dir, tc.path), Options{})
		if err != nil {
			t.Fatal(err)
		}
		docs, bad, err := drain(t, s)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for i, d := range docs {
			ids = append(ids, d.ID)
			if d.Seq != i {
				t.Errorf("%s: document %d has Seq %d", tc.path, i, d.Seq)
			}
		}
		if strings.Join(ids, ",") != tc.ids {
			t.Errorf("%s: ids %v, want %s", tc.path, ids, tc.ids)
		}
		if len(bad) != len(tc.dupIDs) {
			t.Fatalf("%s: %d errors %v, want %d", tc.path, len(bad), bad, len(tc.dupIDs))
		}
		for i, de := range bad {
			msg := de.Error()
			if de.Source != tc.sources[2*i] || de.ID != tc.dupIDs[i] || !strings.Contains(msg, "duplicate document id") ||
				!strings.Contains(msg, " "+tc.sources[2*i+1]+" ") || !strings.Contains(msg, strconv.Quote(tc.dupIDs[i])) {
				t.Errorf("%s: error %d = %q (source %s, id %s)", tc.path, i, msg, de.Source, de.ID)
			}
		}
	}
}

func TestIDSourceRoundTrip(t *testing.T) {
	var set idSet
	for _, src := range []string{"dump.jsonl:17", "dump.jsonl:18", "papers/a.txt", "odd:07", "x:0", "a:b:3", "c:"} {
		if _, dup := set.add("id "+src, src); dup {
			t.Fatalf("%s: duplicate", src)
		}
		if first, dup := set.add("id "+src, "other"); !dup || first != src {
			t.Errorf("source %q comes back as %q", src, first)
		}
	}
}

// TestIDSetMemory measures what the duplicate-id check costs per document.
func TestIDSetMemory(t *testing.T) {
	const n = 200_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "speech-" + strconv.Itoa(1_000_000+i) // 14 bytes, like "UNGDC_1970_AFG"
	}
	var before, after runtime.MemStats
	// Twice: the first collection only moves sync.Pool contents (buffers
	// earlier tests pooled) to the victim cache, the second frees them;
	// freed during the measurement, they made it negative.
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	var set idSet
	for i, id := range ids {
		set.add(id, "dump.jsonl:"+strconv.Itoa(i+1))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	runtime.KeepAlive(&set)
	t.Logf("%.0f bytes per document (14-byte ids)", per)
	if per > 200 {
		t.Errorf("%.0f bytes per document for the id set", per)
	}
}
