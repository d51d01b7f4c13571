package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// userFolder makes a folder of a user's files, some named like framelens's
// tables and state, and returns their contents by path.
func userFolder(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{
		"notes.txt":                 "my notes",
		"tokens/mine.csv":           "a,b",
		"tokens/part-00000.parquet": "not a table",
		"entities/list.txt":         "people",
		"keyness.parquet":           "a user's file",
		".framelens/state.json":     "{}",
		"tokens.partial/x":          "y",
		"run.json":                  `{"mine": true}`,
	}
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

func checkUntouched(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || string(b) != c {
			t.Errorf("%s: %q, %v; want it untouched (%q)", p, b, err, c)
		}
	}
}

func TestOutDirNeverTouchesUserFiles(t *testing.T) {
	dir := t.TempDir()
	files := userFolder(t, dir)
	if _, err := OpenOutDir(dir, DirOptions{}); !errors.Is(err, ErrOutNotEmpty) || !strings.Contains(err.Error(), "--overwrite") {
		t.Fatalf("OpenOutDir on a folder of user files: %v, want ErrOutNotEmpty saying --overwrite", err)
	}
	if _, err := os.Stat(filepath.Join(dir, LedgerFile)); err == nil {
		t.Error("a refused folder got a ledger")
	}
	d, err := OpenOutDir(dir, DirOptions{Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, name := range []string{"tokens", "keyness.parquet", ".framelens", "tokens.partial", "run.json", "entities"} {
		if err := d.Claim(name); !errors.Is(err, ErrNotOwned) {
			t.Errorf("Claim(%s) of a user's path: %v, want ErrNotOwned", name, err)
		}
		if err := d.Remove(name); !errors.Is(err, ErrNotOwned) {
			t.Errorf("Remove(%s) of a user's path: %v, want ErrNotOwned", name, err)
		}
		if err := d.RemoveDir(name, IsPartFile); name != "keyness.parquet" && name != "run.json" && !errors.Is(err, ErrNotOwned) {
			t.Errorf("RemoveDir(%s) of a user's folder: %v, want ErrNotOwned", name, err)
		}
	}
	// A path framelens claims and writes is its own to remove.
	if err := d.Claim("topics.parquet"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "topics.parquet"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Remove("topics.parquet"); err != nil {
		t.Fatal(err)
	}
	checkUntouched(t, dir, files)
}

// TestOutDirRemoveDirKeepsForeignFiles: in a folder framelens owns, a file
// it does not name that way (the user's) stays, and is named.
func TestOutDirRemoveDirKeepsForeignFiles(t *testing.T) {
	dir := t.TempDir()
	d, err := OpenOutDir(dir, DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Claim("tokens"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"part-00000.parquet", "part-00001.parquet.tmp", "analysis.ipynb"} {
		if err := os.MkdirAll(filepath.Join(dir, "tokens"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "tokens", name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err = d.RemoveDir("tokens", IsPartFile)
	if err == nil || !strings.Contains(err.Error(), "analysis.ipynb") {
		t.Fatalf("RemoveDir: %v, want an error naming analysis.ipynb", err)
	}
	left, _ := os.ReadDir(filepath.Join(dir, "tokens"))
	if len(left) != 1 || left[0].Name() != "analysis.ipynb" {
		t.Errorf("tokens/ holds %v, want only the user's notebook", left)
	}
}

func TestOutDirRefusesUnsafeFolders(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	corpus := filepath.Join(t.TempDir(), "corpus")
	if err := os.MkdirAll(filepath.Join(corpus, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(filepath.Dir(corpus), "manifest.yaml")
	if err := os.WriteFile(manifest, []byte("documents: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(corpus, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		out     string
		protect []string
		say     string
	}{
		{"/", nil, "root"},
		{home, nil, "home folder"},
		{corpus, []string{corpus}, "is the corpus"},
		{filepath.Join(corpus, "out"), []string{corpus}, "inside the corpus"},
		{filepath.Dir(corpus), []string{corpus}, "contains the corpus"},
		{filepath.Dir(manifest), []string{manifest}, "contains the corpus"},
		{filepath.Join(link, "out"), []string{corpus}, "inside the corpus"},
		{filepath.Join(corpus, "out"), []string{link}, "inside the corpus"},
	} {
		d, err := OpenOutDir(tc.out, DirOptions{Protect: tc.protect, Overwrite: true})
		if !errors.Is(err, ErrUnsafeOut) || !strings.Contains(err.Error(), tc.say) {
			t.Errorf("--out %s (protecting %v): %v, want ErrUnsafeOut saying %q", tc.out, tc.protect, err, tc.say)
		}
		if d != nil {
			d.Close()
		}
	}
	if _, err := os.Stat(filepath.Join(corpus, "out")); err == nil {
		t.Error("a refused --out inside the corpus was created")
	}
	// A sibling of the corpus is fine.
	d, err := OpenOutDir(filepath.Join(filepath.Dir(corpus), "out"), DirOptions{Protect: []string{corpus}})
	if err != nil {
		t.Fatalf("--out beside the corpus: %v", err)
	}
	d.Close()
}

func TestOutDirLock(t *testing.T) {
	dir := t.TempDir()
	d, err := OpenOutDir(dir, DirOptions{Command: "run"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenOutDir(dir, DirOptions{Command: "merge"})
	if !errors.Is(err, ErrOutLocked) || !strings.Contains(err.Error(), "pid") || !strings.Contains(err.Error(), "framelens run") {
		t.Fatalf("second OpenOutDir: %v, want ErrOutLocked naming the holder (framelens run, pid)", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d2, err := OpenOutDir(dir, DirOptions{})
	if err != nil {
		t.Fatalf("OpenOutDir after Close: %v", err)
	}
	d2.Close()
}

// TestOutDirAdoptsOlderOutput: a folder an older framelens wrote (run.json
// but no ledger) is adopted, its table names owned.
func TestOutDirAdoptsOlderOutput(t *testing.T) {
	dir := t.TempDir()
	for p, c := range map[string]string{"run.json": `{"framelens_version": "0.3.0"}`, "keyness.parquet": "old", "notes.txt": "mine"} {
		if err := os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := OpenOutDir(dir, DirOptions{Legacy: []string{"run.json", "keyness.parquet", "terms.parquet"}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !d.Owns("keyness.parquet") || !d.Owns("run.json") || d.Owns("notes.txt") {
		t.Errorf("owns keyness %v, run.json %v, notes.txt %v; want true, true, false", d.Owns("keyness.parquet"), d.Owns("run.json"), d.Owns("notes.txt"))
	}
}
