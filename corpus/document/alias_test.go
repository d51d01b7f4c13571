package document

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// A type of the document model has one name in the stages' API besides
// its own at most: two aliases of it (stage.X and keyphrases.X) show a
// library user two names for one type, and godoc documents neither as
// the type.
func TestDocumentTypesHaveOneOtherNameAtMost(t *testing.T) {
	aliases := map[string][]string{} // document type → the aliases naming it
	fset := token.NewFileSet()
	err := filepath.WalkDir(filepath.Join("..", "..", "stages"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, spec := range g.Specs {
				ts := spec.(*ast.TypeSpec)
				sel, ok := ts.Type.(*ast.SelectorExpr)
				if !ts.Assign.IsValid() || !ok {
					continue
				}
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "document" {
					aliases[sel.Sel.Name] = append(aliases[sel.Sel.Name], f.Name.Name+"."+ts.Name.Name)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(aliases) == 0 {
		t.Fatal("no alias of a document type found in stages/: is the walk reading the stages?")
	}
	for typ, names := range aliases {
		if len(names) > 1 {
			t.Errorf("document.%s is also %s: give it one name (document.%s) in the stages' API", typ, strings.Join(names, " and "), typ)
		}
	}
}
