package document

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/framelens/framelens"

// goList runs `go list` with args in the module and returns its output
// lines; it skips the test when no go command is installed.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH: cannot list package dependencies")
	}
	out, err := exec.Command(gobin, append([]string{"list"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// The document model is below everything: it imports only the standard
// library, so that whatever uses it does not pull in a reader's libraries.
func TestDocumentImportsOnlyTheStandardLibrary(t *testing.T) {
	lines := goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", module+"/corpus/document")
	for _, p := range lines {
		if p != "" && p != module+"/corpus/document" {
			t.Errorf("corpus/document depends on %s; it may import only the standard library", p)
		}
	}
}

// A stage depends on the document model, not on the readers: no
// per-document stage pulls in Arrow, Parquet or the HTML parser (package
// corpus does, for its row dumps and web pages), and none imports corpus
// or pipeline. A corpus-level stage that declares and writes tables
// (stage.Corpus) links Arrow through output, the table writer, and
// nothing else of them.
func TestStagesDoNotDependOnReaders(t *testing.T) {
	lines := goList(t, "-f", "{{.ImportPath}} {{join .Deps \" \"}}", module+"/corpus/document", module+"/stages/...")
	checked := map[string]bool{}
	for _, l := range lines {
		pkg, deps, _ := strings.Cut(l, " ")
		checked[pkg] = true
		writesTables := strings.Contains(" "+deps+" ", " "+module+"/output ")
		if writesTables && perDocument(pkg) {
			t.Errorf("%s is a per-document stage but depends on output (Arrow, Parquet)", pkg)
		}
		var libs []string
		for _, d := range strings.Fields(deps) {
			switch {
			case strings.HasPrefix(d, "golang.org/x/net/html"):
				libs = append(libs, d)
			case !writesTables && (strings.Contains(d, "/arrow/") || strings.Contains(d, "parquet")):
				libs = append(libs, d)
			case d == module+"/corpus", d == module+"/pipeline":
				t.Errorf("%s imports %s: stages use corpus/document and know nothing of the pipeline", pkg, d)
			}
		}
		if len(libs) > 0 {
			t.Errorf("%s depends on %d packages of Arrow, Parquet or x/net/html, such as %s", pkg, len(libs), libs[0])
		}
	}
	// The stages the pipeline runs on every document must be among those
	// checked (a renamed folder would otherwise pass unnoticed).
	for _, s := range perDocumentStages {
		if !checked[module+"/stages/"+s] {
			t.Errorf("stages/%s was not listed by go list", s)
		}
	}
}

// perDocumentStages are the packages of the stages the pipeline runs on
// every document.
var perDocumentStages = []string{"clean", "tokenize", "lang", "entities", "frames", "keyphrases", "vectorize"}

func perDocument(pkg string) bool {
	for _, s := range perDocumentStages {
		if pkg == module+"/stages/"+s {
			return true
		}
	}
	return false
}
