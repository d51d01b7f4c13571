// Package sharedtest finds the project's evaluation and benchmark data in
// ../shared (beside the repository). That data is never copied into the
// repository: a user's fresh clone lacks it and such tests skip with a
// message, while CI (CI=true), which always has it, fails instead of skipping.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the absolute path of the shared folder, or "" when absent.
// FRAMELENS_SHARED overrides the search.
func Root() string {
	if dir := os.Getenv("FRAMELENS_SHARED"); dir != "" {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			abs, _ := filepath.Abs(dir)
			return abs
		}
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	// Walk up to the module root (the folder with go.mod); shared/ is its sibling.
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			cand := filepath.Join(filepath.Dir(dir), "shared")
			if st, err := os.Stat(cand); err == nil && st.IsDir() {
				return cand
			}
			return ""
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Path returns the path of rel inside the shared folder. When it is missing
// the test is skipped with a message, or fails when running under CI.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	root := Root()
	if root != "" {
		p := filepath.Join(root, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	msg := "shared data " + rel + " not found beside the repository (../shared); this test needs it"
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg + " and CI must run it")
	}
	tb.Skip(msg)
	return ""
}

// Subset copies the first n files (in name order) of each of the named
// folders of the shared folder rel into a new temporary folder, keeping the
// folder names (a corpus grouped by folder), and returns it: a few posts
// of 20 Newsgroups a test can run over.
func Subset(tb testing.TB, rel string, folders []string, n int) string {
	tb.Helper()
	root := Path(tb, rel)
	dir := tb.TempDir()
	for _, g := range folders {
		files, err := os.ReadDir(filepath.Join(root, g))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, g), 0o755); err != nil {
			tb.Fatal(err)
		}
		for _, f := range files[:min(n, len(files))] {
			b, err := os.ReadFile(filepath.Join(root, g, f.Name()))
			if err != nil {
				tb.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, g, f.Name()), b, 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return dir
}
