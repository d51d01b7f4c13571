package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCommand: run --report writes OUT/report.html; report OUT -o
// FILE (flags after the folder, as the docs write it) writes FILE; a
// comparison the run does not have is named with the ones it has.
func TestReportCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, err := runCLI(t, "run", "--out", out, "--quiet", "--report"); err != nil {
		t.Fatalf("run --report: %v\n%s", err, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "emotion_retention vs security_restriction") {
		t.Errorf("the report does not show the sample's comparison")
	}
	file := filepath.Join(t.TempDir(), "r.html")
	args := flagsFirst([]string{"framelens", "report", out, "-o", file})[1:]
	stdout, _, err := runCLI(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, file) {
		t.Errorf("report printed %q, want the path written", stdout)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != string(page) {
		t.Errorf("report -o: %v; the same run gives the same page: %v", err, string(b) == string(page))
	}
	_, _, err = runCLI(t, "report", "--comparison", "A vs B", out)
	if err == nil || !strings.Contains(err.Error(), "emotion_retention vs security_restriction") {
		t.Errorf("an unknown comparison: %v, want the comparisons the run has", err)
	}
}
