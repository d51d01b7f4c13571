package pipeline

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Summary is what a finished run reports on a terminal.
type Summary struct {
	Out      string
	Docs     int
	Groups   map[string]int
	Tokens   int64
	Entities int64
	// Distinctive lists, per comparison side, the terms that most
	// distinguish it (highest keyness z).
	Distinctive []SideTerms
	Frames      []FrameScore
	Errors      []string
	// Warnings are findings a reader should see before trusting the
	// tables (frame lexicon entries that dominate a frame, a lexicon
	// derived from the text it scores).
	Warnings []string
}

// SideTerms are the top terms of one side of a comparison.
type SideTerms struct {
	Comparison string
	Group      string
	Terms      []string
}

// FrameScore is a document's rate of one frame with its interval.
type FrameScore struct {
	Doc, Group, Frame string
	Rate, Lo, Hi      float64
}

// bound formats one end of an interval; an interval that was not computed
// (NaN here, null in the tables) is a dash.
func bound(v float64) string {
	if math.IsNaN(v) {
		return fmt.Sprintf("%5s", "—")
	}
	return fmt.Sprintf("%5.2f", v)
}

// Write prints the summary for a person at a terminal.
func (s *Summary) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "framelens: %d documents, %d tokens, %d entity mentions; tables in %s/\n", s.Docs, s.Tokens, s.Entities, s.Out)
	groups := make([]string, 0, len(s.Groups))
	for g := range s.Groups {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	b.WriteString("\nDocuments per group:\n")
	for _, g := range groups {
		name := g
		if name == "" {
			name = "(no group)"
		}
		fmt.Fprintf(&b, "  %-24s %d\n", name, s.Groups[g])
	}
	if len(s.Distinctive) > 0 {
		b.WriteString("\nMost distinctive terms (weighted log-odds z):\n")
		for _, d := range s.Distinctive {
			fmt.Fprintf(&b, "  %-24s %s\n", d.Group, strings.Join(d.Terms, ", "))
		}
	}
	if len(s.Frames) > 0 {
		b.WriteString("\nFrame rates per 1,000 words [95% bootstrap interval]:\n")
		frameNames := []string{}
		seen := map[string]bool{}
		docs := []string{}
		seenDoc := map[string]bool{}
		rate := map[[2]string]FrameScore{}
		for _, f := range s.Frames {
			if !seen[f.Frame] {
				seen[f.Frame] = true
				frameNames = append(frameNames, f.Frame)
			}
			if !seenDoc[f.Doc] {
				seenDoc[f.Doc] = true
				docs = append(docs, f.Doc)
			}
			rate[[2]string{f.Doc, f.Frame}] = f
		}
		if len(docs) <= 20 {
			missing := false
			for _, d := range docs {
				fmt.Fprintf(&b, "  %s (%s)\n", d, rate[[2]string{d, frameNames[0]}].Group)
				for _, f := range frameNames {
					r := rate[[2]string{d, f}]
					fmt.Fprintf(&b, "    %-30s %6.2f [%s, %s]\n", f, r.Rate, bound(r.Lo), bound(r.Hi))
					missing = missing || math.IsNaN(r.Lo) || math.IsNaN(r.Hi)
				}
			}
			if missing {
				b.WriteString("  — no interval: the document has no words to resample, or bootstrap.b < 0 (null in frames.parquet)\n")
			}
		} else {
			fmt.Fprintf(&b, "  (%d documents: see frames.parquet)\n", len(docs))
		}
	}
	if len(s.Warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for i, w := range s.Warnings {
			if i == 10 {
				fmt.Fprintf(&b, "  … and %d more (see the log)\n", len(s.Warnings)-10)
				break
			}
			fmt.Fprintf(&b, "  %s\n", w)
		}
	}
	if len(s.Errors) > 0 {
		fmt.Fprintf(&b, "\n%d documents could not be analysed (see run.json document_errors):\n", len(s.Errors))
		for i, e := range s.Errors {
			if i == 5 {
				fmt.Fprintf(&b, "  … and %d more\n", len(s.Errors)-5)
				break
			}
			fmt.Fprintf(&b, "  %s\n", e)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
