package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Explainer cleans a document and says which lines it removed and why: the
// clean stage (stages/clean.Cleaner), which the readers do not import.
type Explainer interface {
	Explain(ctx context.Context, doc *Document) ([]Removal, error)
}

// Inspect reads every document of s, cleans it with c and prints what was
// found: id, group, size, the sections (kind and heading) and the lines that
// cleaning removed. It backs `framelens corpus inspect PATH`. Documents that
// cannot be read are listed and skipped.
func Inspect(w io.Writer, s *Stream, c Explainer) error {
	ctx := context.Background()
	n, bad := 0, 0
	for {
		doc, err := s.Next()
		if err == io.EOF {
			break
		}
		var de *DocError
		if errors.As(err, &de) {
			bad++
			fmt.Fprintf(w, "! %v\n\n", err)
			continue
		}
		if err != nil {
			return err
		}
		n++
		removed, err := c.Explain(ctx, doc)
		if err != nil {
			return err
		}
		inspectDoc(w, doc, removed)
	}
	fmt.Fprintf(w, "%d document(s) read, %d unreadable\n", n, bad)
	for _, in := range s.Inputs() {
		fmt.Fprintf(w, "  input %s  %d bytes  sha256 %s\n", in.Path, in.Bytes, in.SHA256)
	}
	return nil
}

func inspectDoc(w io.Writer, doc *Document, removed []Removal) {
	analysed := 0
	for _, sec := range doc.Sections {
		if sec.Kind.Analysed() {
			analysed += utf8.RuneCountInString(doc.Clean[sec.Start:sec.End])
		}
	}
	fmt.Fprintf(w, "== %s  group=%q  source=%s\n", doc.ID, doc.Group, doc.Source)
	if doc.Title != "" {
		fmt.Fprintf(w, "   title: %s\n", doc.Title)
	}
	fmt.Fprintf(w, "   raw %d chars, clean %d chars, analysed %d chars, removed %d chars\n",
		utf8.RuneCountInString(doc.Raw), utf8.RuneCountInString(doc.Clean), analysed, doc.RemovedChars)
	for _, wn := range doc.Warnings {
		fmt.Fprintf(w, "   warning: %s\n", wn)
	}
	fmt.Fprintf(w, "   sections:\n")
	for _, sec := range doc.Sections {
		mark := " "
		if sec.Kind.Analysed() {
			mark = "*"
		}
		fmt.Fprintf(w, "   %s %2d %-12s %-50s %6d chars\n", mark, sec.Index, sec.Kind, quoteTrunc(sec.Heading, 50),
			utf8.RuneCountInString(doc.Clean[sec.Start:sec.End]))
	}
	if len(doc.AuthorKeywords) > 0 {
		fmt.Fprintf(w, "   author keywords: %s\n", strings.Join(doc.AuthorKeywords, "; "))
	}
	if len(removed) > 0 {
		fmt.Fprintf(w, "   removed lines:\n")
		for _, r := range removed {
			fmt.Fprintf(w, "     [%s] %s\n", r.Rule, quoteTrunc(r.Text, 70))
		}
	}
	fmt.Fprintln(w)
}

func quoteTrunc(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n-1]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
