package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The key tables in docs/config.md must be what `framelens config
// --markdown` writes from the Config type, and every flag they name must
// be a flag of `framelens run`.
func TestConfigDocIsGenerated(t *testing.T) {
	const path = "../../docs/config.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gen, _, err := runCLI(t, "config", "--markdown")
	if err != nil {
		t.Fatal(err)
	}
	want, err := spliceConfigDoc(doc, []byte(gen), path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(doc) {
		t.Error("docs/config.md is out of date with pipeline/configdoc.go and the Config type: run `make docs`")
	}

	flags := map[string]bool{}
	for _, f := range runCommand().Flags {
		for _, n := range f.Names() {
			flags["--"+n] = true
		}
	}
	flagCell := regexp.MustCompile("^\\| [^|]* \\| ([^|]+) \\|")
	n := 0
	for _, line := range strings.Split(gen, "\n") {
		m := flagCell.FindStringSubmatch(line)
		if m == nil || m[1] == "flag" || strings.HasPrefix(m[1], "`pipeline.") || !strings.HasPrefix(m[1], "`--") {
			continue
		}
		for _, f := range strings.Split(m[1], ", ") {
			name, _, _ := strings.Cut(strings.Trim(f, "`"), " ")
			n++
			if !flags[name] {
				t.Errorf("docs/config.md names %s, which framelens run does not have: %s", name, line)
			}
		}
	}
	if n < 15 {
		t.Errorf("found %d flags in the key table, want every documented one", n)
	}
}
