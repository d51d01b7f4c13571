package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// The progress total of a folder is the bytes of the files the stream
// reads: hidden folders (.git, .framelens), hidden files, README, files of
// other types and files whose manifest row carries the text are neither
// read nor counted, and the manifest, which is read, is counted.
func TestFolderProgressTotalEqualsBytesRead(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), []byte("First document.\n"))
	writeFile(t, filepath.Join(dir, "sub", "b.md.gz"), []byte("# B\n\nSecond document, compressed.\n"))
	writeFile(t, filepath.Join(dir, "c.txt"), []byte("Replaced by the manifest's text."))
	writeFile(t, filepath.Join(dir, ".git", "objects", "x.txt"), []byte("not a document, hidden folder"))
	writeFile(t, filepath.Join(dir, ".framelens", "state", "y.md"), []byte("not a document either"))
	writeFile(t, filepath.Join(dir, ".hidden.txt"), []byte("hidden file"))
	writeFile(t, filepath.Join(dir, "README.md"), []byte("about this folder"))
	writeFile(t, filepath.Join(dir, "skip.pdf"), []byte("%PDF"))
	writeFile(t, filepath.Join(dir, "manifest.yaml"), []byte("- {path: a.txt, group: x}\n- {path: c.txt, text: Text from the manifest.}\n"))

	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs := readAllDocs(t, s)
	if len(docs) != 3 {
		t.Fatalf("%d documents, want 3", len(docs))
	}
	read, total := s.Progress()
	var inputs int64
	for _, in := range s.Inputs() {
		inputs += in.Bytes
	}
	var want int64
	for _, p := range []string{"a.txt", "sub/b.md.gz", "manifest.yaml"} {
		st, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		want += st.Size()
	}
	if total != want || read != total || inputs != total {
		t.Errorf("progress read %d, total %d, inputs %d bytes; want all %d (%+v)", read, total, inputs, want, s.Inputs())
	}
}
