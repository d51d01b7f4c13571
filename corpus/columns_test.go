package corpus

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Stream.Columns lists a corpus's columns: a header from Open, JSONL rows
// once read, a folder's manifest from Open, none for a folder without one.
func TestStreamColumns(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	drain := func(s *Stream) {
		for {
			if _, err := s.Next(); err == io.EOF {
				return
			}
		}
	}
	for _, tc := range []struct {
		name, path string
		// atOpen and atEOF are the columns before the first and after the
		// last document, with whether the list is complete.
		atOpen, atEOF         []string
		openComplete, columns bool
	}{
		{"CSV header", write("a.csv", "id,text,party\n1,Some text.,x\n"),
			[]string{"id", "text", "party"}, []string{"id", "text", "party"}, true, true},
		{"JSONL rows, sparse", write("b.jsonl", `{"id":"1","text":"Some text."}`+"\n"+`{"id":"2","text":"More.","party":"y"}`+"\n"),
			nil, []string{"id", "text", "party"}, false, true},
		{"folder manifest", func() string {
			write("f/manifest.csv", "path,party\nx.txt,a\n")
			write("f/x.txt", "Some text.")
			return filepath.Join(dir, "f")
		}(), []string{"path", "party"}, []string{"path", "party"}, true, true},
		{"folder without manifest", func() string {
			write("g/x/a.txt", "Some text.")
			return filepath.Join(dir, "g")
		}(), nil, nil, false, false},
		{"single file", write("h.txt", "Some text."), nil, nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(tc.path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			names, complete, ok := s.Columns()
			if ok != tc.columns || complete != tc.openComplete || !slices.Equal(names, tc.atOpen) {
				t.Errorf("at Open: %q complete %v ok %v; want %q %v %v", names, complete, ok, tc.atOpen, tc.openComplete, tc.columns)
			}
			drain(s)
			names, complete, ok = s.Columns()
			if ok != tc.columns || complete != tc.columns || !slices.Equal(names, tc.atEOF) {
				t.Errorf("at EOF: %q complete %v ok %v; want %q %v %v", names, complete, ok, tc.atEOF, tc.columns, tc.columns)
			}
		})
	}
}
