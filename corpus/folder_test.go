package corpus

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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

// The layout of 20 Newsgroups: one folder per group, files named by number
// with no extension. Files without an extension are read when they are text;
// a file the manifest does not list takes its first-level folder as group.
func TestFolderGroupsAndFilesWithoutExtension(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "sci.space", "59497"), []byte("From: a@b.edu\nSubject: Orbital debris\n\nThe shuttle crew tracked debris in low Earth orbit.\n"))
	writeFile(t, filepath.Join(dir, "talk.politics.guns", "54171"), []byte("Subject: Permits\n\nThe state legislature debated carry permits again this week.\n"))
	writeFile(t, filepath.Join(dir, "talk.politics.guns", "nested", "x.txt"), []byte("A nested file still belongs to the first-level folder's group."))
	writeFile(t, filepath.Join(dir, "top.txt"), []byte("A file at the top has no folder and so no group."))
	writeFile(t, filepath.Join(dir, "sci.space", "core"), []byte("ELF\x00\x00binary"))

	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]string{}
	var docErrs []string
	for {
		d, err := s.Next()
		if err == io.EOF {
			break
		}
		var de *DocError
		if errors.As(err, &de) {
			docErrs = append(docErrs, err.Error())
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		groups[d.ID] = d.Group
	}
	want := map[string]string{
		"sci.space/59497":             "sci.space",
		"talk.politics.guns/54171":    "talk.politics.guns",
		"talk.politics.guns/nested/x": "talk.politics.guns",
		"top":                         "",
	}
	if !reflect.DeepEqual(groups, want) {
		t.Errorf("groups %v, want %v", groups, want)
	}
	if len(docErrs) != 1 || !strings.Contains(docErrs[0], "sci.space/core") || !strings.Contains(docErrs[0], "not a text file (a NUL byte at offset 3)") {
		t.Errorf("the binary file should be one document error naming it: %q", docErrs)
	}

	os.Remove(filepath.Join(dir, "sci.space", "core"))
	docs, _ := openAll(t, dir, Options{NoFolderGroups: true})
	for _, d := range docs {
		if d.Group != "" {
			t.Errorf("NoFolderGroups: %s has group %q", d.ID, d.Group)
		}
	}
}

// A folder of PDFs and Word files has no document framelens can read: that
// is an error naming what was skipped, not an empty run that looks complete.
func TestFolderWithoutDocuments(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.pdf", "b.pdf", "c.docx", ".DS_Store"} {
		writeFile(t, filepath.Join(dir, n), []byte("%PDF-1.7"))
	}
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), dir+": no documents: 3 file(s) of other types skipped (.pdf: 2, .docx: 1)") {
		t.Fatalf("got %v", err)
	}
	empty := t.TempDir()
	if _, err := Open(empty, Options{}); err == nil || !strings.Contains(err.Error(), "no documents: the folder has no files") {
		t.Fatalf("empty folder: %v", err)
	}
}
