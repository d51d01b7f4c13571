package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func TestWriteFileAtomicSuccess(t *testing.T) {
	for _, existing := range []bool{false, true} {
		dir := t.TempDir()
		path := filepath.Join(dir, "run.json")
		if existing {
			if err := os.WriteFile(path, []byte("old content, longer than the new one\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			// A .tmp left by a killed run is overwritten, not appended to.
			if err := os.WriteFile(path+".tmp", []byte("stale partial write, longer than the new content"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := WriteFileAtomic(path, 0o600, writeString("new\n")); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != "new\n" {
			t.Errorf("existing=%v: content %q, want %q", existing, b, "new\n")
		}
		if got := dirEntries(t, dir); len(got) != 1 || got[0] != "run.json" {
			t.Errorf("existing=%v: directory holds %q, want only run.json", existing, got)
		}
		if !existing {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v (%v), want 0600", fi.Mode().Perm(), err)
			}
		}
	}
}

func TestWriteFileAtomicWriteFails(t *testing.T) {
	boom := errors.New("boom")
	failing := func(w io.Writer) error {
		io.WriteString(w, "half a fi") // part of the data reaches the .tmp
		return boom
	}
	for _, existing := range []bool{false, true} {
		dir := t.TempDir()
		path := filepath.Join(dir, "shard.json")
		if existing {
			if err := os.WriteFile(path, []byte("previous\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		err := WriteFileAtomic(path, 0o644, failing)
		if !errors.Is(err, boom) {
			t.Fatalf("existing=%v: error %v, want one wrapping %v", existing, err, boom)
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("existing=%v: error %q does not name %s", existing, err, path)
		}
		b, rerr := os.ReadFile(path)
		switch {
		case existing && (rerr != nil || string(b) != "previous\n"):
			t.Errorf("existing file changed: %q, %v", b, rerr)
		case !existing && !errors.Is(rerr, os.ErrNotExist):
			t.Errorf("file present after a failed write: %q, %v", b, rerr)
		}
		want := 0
		if existing {
			want = 1
		}
		if got := dirEntries(t, dir); len(got) != want {
			t.Errorf("existing=%v: directory holds %q, want no .tmp", existing, got)
		}
	}
}

func TestWriteFileAtomicRenameFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.gob")
	// A non-empty directory in the way: the rename cannot replace it.
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(path, 0o644, writeString("data"))
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want one naming %s", err, path)
	}
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".tmp left behind: %v", err)
	}
}

func TestWriteFileAtomicCreateFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "run.json")
	err := WriteFileAtomic(path, 0o644, func(io.Writer) error {
		t.Error("write called although the file could not be created")
		return nil
	})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want a not-exist error naming %s", err, path)
	}
}
