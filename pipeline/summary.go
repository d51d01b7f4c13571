package pipeline

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/framelens/framelens/stages/frames"
)

// Summary is what a finished run reports on a terminal.
type Summary struct {
	Out      string
	Docs     int // documents read, failed ones included
	Failed   int // of Docs, those a stage failed on; Errors lists them and the unreadable ones
	Groups   map[string]int
	Tokens   int64
	Entities int64
	// Distinctive lists, per comparison side, the terms that most
	// distinguish it (keyness order: doc_t or z).
	Distinctive []SideTerms
	Frames      []FrameScore
	// Comparisons are, per comparison with documents on both sides, the
	// sides' sizes and their frame-rate differences (frame_comparisons).
	Comparisons []ComparisonFrames
	Errors      []string
	// Warnings are findings a reader should see before trusting the
	// tables (frame lexicon entries that dominate a frame, a lexicon
	// derived from the text it scores).
	Warnings []string
	// ComparisonWarnings are comparisons.warnings, "label: warning".
	ComparisonWarnings []string
	// AnalysisWarnings are the registered analyses' warnings,
	// "analysis: warning".
	AnalysisWarnings []string
	// Languages counts documents per language ("" not identified), and
	// GroupLanguages per group and language.
	Languages      map[string]int
	GroupLanguages map[string]map[string]int
}

func (s *Summary) addLang(group, code string) {
	if s.Languages == nil {
		s.Languages, s.GroupLanguages = map[string]int{}, map[string]map[string]int{}
	}
	s.Languages[code]++
	if s.GroupLanguages[group] == nil {
		s.GroupLanguages[group] = map[string]int{}
	}
	s.GroupLanguages[group][code]++
}

// ComparisonFrames is one comparison's sides and frame-rate differences.
type ComparisonFrames struct {
	Comparison, A, B string
	DocsA, DocsB     int
	WordsA, WordsB   int64
	// Level is the coverage of the intervals (bootstrap.level).
	Level  float64
	Frames []FrameDiff
}

// FrameDiff is one frame's rate per 1,000 words on each side and the
// difference A − B with its interval (NaN when there is none).
type FrameDiff struct {
	Frame                string
	RateA, RateB         float64
	Diff, Lo, Hi         float64
	ResampleA, ResampleB string
}

// DocumentFrames adds a document's frame rates to the summary (the frames
// stage: framestats.Env).
func (e *reduceEnv) DocumentFrames(id, group string, scores []frames.Score) {
	for _, s := range scores {
		e.sum.Frames = append(e.sum.Frames, FrameScore{Doc: id, Group: group, Frame: s.Frame, Rate: s.Rate, Lo: s.RateLo, Hi: s.RateHi})
	}
}

// ComparisonFrames adds a comparison's sides and frame differences to the
// summary (the frames stage: framestats.Env).
func (e *reduceEnv) ComparisonFrames(comparison, a, b string, level float64, diffs []frames.Diff) {
	e.sum.Comparisons = append(e.sum.Comparisons, comparisonFrames(comparison, a, b, level, diffs))
}

// comparisonFrames gathers a comparison's frame differences for the summary.
func comparisonFrames(label, a, b string, level float64, diffs []frames.Diff) ComparisonFrames {
	c := ComparisonFrames{Comparison: label, A: a, B: b, Level: level}
	for _, d := range diffs {
		c.DocsA, c.DocsB, c.WordsA, c.WordsB = d.DocsA, d.DocsB, d.TokensA, d.TokensB
		c.Frames = append(c.Frames, FrameDiff{Frame: d.Frame, RateA: d.RateA, RateB: d.RateB,
			Diff: d.RateDiff, Lo: d.Lo, Hi: d.Hi, ResampleA: d.ResampleA, ResampleB: d.ResampleB})
	}
	return c
}

// maxSummaryComparisons bounds the comparisons the summary prints in full:
// a plan of all pairs of 20 groups has 190.
const maxSummaryComparisons = 12

// Failures returns the number of documents that failed — could not be
// read, or a stage failed on them — and the number of documents met in all.
func (s *Summary) Failures() (failed, total int) {
	unread := len(s.Errors) - s.Failed
	return len(s.Errors), s.Docs + unread
}

// ErrSomeDocuments is wrapped by the error FailuresErr returns: the run is
// complete, but some documents failed and are left out of its tables
// (`framelens run` exits 2 with its message; docs/errors.md).
var ErrSomeDocuments = errors.New("some documents failed")

// FailuresErr returns nil when every document met was analysed, and
// otherwise an error saying how many failed and where they are listed,
// which wraps ErrSomeDocuments. Run does not return it as its error: the
// tables hold the other documents.
func (s *Summary) FailuresErr() error {
	if failed, total := s.Failures(); failed > 0 {
		return &failuresError{failed: failed, total: total}
	}
	return nil
}

// failuresError is FailuresErr's error: a message of its own (the
// sentinel's text would repeat it) that still matches ErrSomeDocuments.
type failuresError struct{ failed, total int }

func (e *failuresError) Error() string {
	return fmt.Sprintf("%d of %d documents failed and are left out of the analysis; run.json (document_errors) lists them, and documents.warnings those that could be read", e.failed, e.total)
}

func (e *failuresError) Unwrap() error { return ErrSomeDocuments }

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

// maxSummaryDocs bounds the documents whose frame rates the summary prints
// one by one.
const maxSummaryDocs = 20

// writeComparisons prints, per comparison, the sides' sizes and the frame
// rates of each side with the difference and its interval: the answer to
// "does A frame this differently from B?", whatever the corpus size.
func (s *Summary) writeComparisons(b *strings.Builder) {
	if len(s.Comparisons) == 0 {
		return
	}
	fmt.Fprintf(b, "\nFrame rates per 1,000 words by comparison: A, B, A − B [%g%% bootstrap interval] (* the interval excludes 0):\n", 100*s.Comparisons[0].Level)
	missing := false
	for i, c := range s.Comparisons {
		if i == maxSummaryComparisons {
			fmt.Fprintf(b, "  … and %d more comparisons: frame_comparisons.parquet\n", len(s.Comparisons)-i)
			break
		}
		fmt.Fprintf(b, "  %s: A = %s, %s; B = %s, %s\n", c.Comparison, c.A, docsWords(c.DocsA, c.WordsA), c.B, docsWords(c.DocsB, c.WordsB))
		for _, f := range c.Frames {
			mark := ""
			if f.Lo > 0 || f.Hi < 0 {
				mark = " *"
			}
			fmt.Fprintf(b, "    %-30s %6.2f %6.2f %7.2f [%s, %s]%s\n", f.Frame, f.RateA, f.RateB, f.Diff, bound(f.Lo), bound(f.Hi), mark)
			missing = missing || math.IsNaN(f.Lo) || math.IsNaN(f.Hi)
		}
	}
	if missing {
		b.WriteString("  — no interval: a side has no words to resample, or bootstrap.b < 0 (null in frame_comparisons.parquet)\n")
	}
}

// docsWords says how big a comparison side is.
func docsWords(docs int, words int64) string {
	unit := "documents"
	if docs == 1 {
		unit = "document"
	}
	return fmt.Sprintf("%d %s, %s words", docs, unit, thousands(words))
}

// thousands formats n with a comma every three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
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
	s.writeLanguages(&b)
	s.writeDistinctive(&b)
	s.writeFrameRates(&b)
	s.writeWarnings(&b)
	s.writeComparisons(&b)
	s.writeErrors(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeDistinctive lists each comparison's most distinctive terms by side.
func (s *Summary) writeDistinctive(b *strings.Builder) {
	if len(s.Distinctive) > 0 {
		b.WriteString("\nMost distinctive terms (by document-level t, or log-odds z: comparisons.keyness_test):\n")
		// Under its comparison: "rest" is another set of groups in each.
		last := ""
		for _, d := range s.Distinctive {
			if d.Comparison != last && d.Comparison != "" {
				fmt.Fprintf(b, "  %s\n", d.Comparison)
				last = d.Comparison
			}
			fmt.Fprintf(b, "    %-24s %s\n", d.Group, strings.Join(d.Terms, ", "))
		}
	}
}

// writeFrameRates lists each document's frame rates, for a few documents.
func (s *Summary) writeFrameRates(b *strings.Builder) {
	if len(s.Frames) > 0 {
		b.WriteString("\nFrame rates per 1,000 words of each document [95% bootstrap interval]:\n")
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
		if len(docs) <= maxSummaryDocs {
			missing := false
			for _, d := range docs {
				fmt.Fprintf(b, "  %s (%s)\n", d, rate[[2]string{d, frameNames[0]}].Group)
				for _, f := range frameNames {
					r := rate[[2]string{d, f}]
					fmt.Fprintf(b, "    %-30s %6.2f [%s, %s]\n", f, r.Rate, bound(r.Lo), bound(r.Hi))
					missing = missing || math.IsNaN(r.Lo) || math.IsNaN(r.Hi)
				}
			}
			if missing {
				b.WriteString("  — no interval: the document has no words to resample, every resample is alike (no hit, or one sentence), or bootstrap.b < 0 (null in frames.parquet)\n")
			}
		} else {
			fmt.Fprintf(b, "  %d documents: frames.parquet; the groups are compared below\n", len(docs))
		}
	}
}

// writeWarnings lists the comparisons', the analyses' and the run's warnings.
func (s *Summary) writeWarnings(b *strings.Builder) {
	if len(s.ComparisonWarnings) > 0 {
		b.WriteString("\nComparison warnings (comparisons.warnings):\n")
		for _, w := range s.ComparisonWarnings {
			fmt.Fprintf(b, "  %s\n", w)
		}
	}
	if len(s.AnalysisWarnings) > 0 {
		b.WriteString("\nAnalysis warnings (run.json analysis_warnings):\n")
		for _, w := range s.AnalysisWarnings {
			fmt.Fprintf(b, "  %s\n", w)
		}
	}
	if len(s.Warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for i, w := range s.Warnings {
			if i == 10 {
				fmt.Fprintf(b, "  … and %d more (see the log)\n", len(s.Warnings)-10)
				break
			}
			fmt.Fprintf(b, "  %s\n", w)
		}
	}
}

// writeErrors lists the documents that could not be analysed.
func (s *Summary) writeErrors(b *strings.Builder) {
	if len(s.Errors) > 0 {
		fmt.Fprintf(b, "\n%d documents could not be analysed (see run.json document_errors):\n", len(s.Errors))
		for i, e := range s.Errors {
			if i == 5 {
				fmt.Fprintf(b, "  … and %d more\n", len(s.Errors)-5)
				break
			}
			fmt.Fprintf(b, "  %s\n", e)
		}
	}
}
