package clean

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
)

// sampleDocs reads the embedded sample corpus and cleans every document
// with the default rules.
func sampleDocs(t testing.TB) []*document.Document {
	t.Helper()
	s, err := corpus.OpenSample()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*document.Document
	for {
		d, err := s.Next()
		if err == io.EOF {
			return docs
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if err := c.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
}

type secWant struct {
	kind    document.SectionKind
	heading string
}

// The sections a reader of the two papers would list, in order.
var wantSections = map[string][]secWant{
	"sun2025": {
		{"title", ""},
		{"front_matter", ""},
		{"keywords", "Keywords"},
		{"abstract", "Abstract"},
		{"references", "References"},
	},
	"zhang2024": {
		{"title", ""},
		{"front_matter", ""},
		{"body", "INTRODUCTION"},
		{"keywords", "Keywords"},
		{"body", "THEORETICAL FRAMEWORK"},
		{"body", "Realist Perspective: Competition for Power and Security"},
		{"body", "National Security Dimension"},
		{"body", "Power Accumulation"},
		{"body", "Liberal Perspective: Decline of Cooperation and Interdependence"},
		{"body", "Globalization theory perspective: talent networks and their fragility"},
		{"body", "LITERATURE REVIEW"},
		{"body", "Definitions and Key Concepts"},
		{"body", "Talent as a strategic resource"},
		{"body", "Research on Sino-US scientific and technological competition"},
		{"body", "Global talent flow and governance"},
		{"body", "HISTORICAL BACKGROUND OF TALENT FLOW IN SINO-US RELATIONS"},
		{"body", "CURRENT SITUATION: TALENT COMPETITION IN SINO-US RELATIONS"},
		{"body", "Talent Strategy in Science and Technology Competition"},
		{"body", "Sanctions Alliance and Restrictions on the Flow of Chinese Talents"},
		{"body", "China's response to talent introduction strategies"},
		{"body", "INTERNATIONAL BACKGROUND OF THE COMPETITION FOR TALENT BETWEEN CHINA AND THE UNITED STATES"},
		{"body", "Strategic competition for technological dominance"},
		{"body", "Changes in the trend of global talent mobility"},
		{"body", "The interweaving of international cooperation and the issue of \"scientific research security\""},
		{"body", "The rise of talent protectionism in global science and technology governance"},
		{"body", "IMPACT AND CHALLENGES OF SINO-US TALENT COMPETITION"},
		{"body", "Impact on Scientific and Technological Innovation Capabilities"},
		{"body", "(1) Obstacles to scientific and technological cooperation and loss of innovative resources"},
		{"body", "(2) Challenges of talent loss and local innovation capabilities"},
		{"body", "Impact on international relations"},
		{"body", "(1) Intensified multilateral confrontation between China and the United States"},
		{"body", "(2) Complexity of coordination and cooperation among allies"},
		{"body", "Impact on the field of global governance"},
		{"body", "(1) Fragmentation of global scientific and technological cooperation"},
		{"body", "(2) Challenges of the global talent governance system"},
		{"body", "(3) The impact of \"anti-globalization\" on the international scientific research ecosystem"},
		{"body", "STRATEGIES AND SUGGESTIONS FOR THE COMPETITION FOR TALENT BETWEEN CHINA AND THE UNITED STATES"},
		{"body", "China's response strategy"},
		{"body", "(1) Strengthen the training and innovation capabilities of local scientific and technological talents"},
		{"body", "(2) Promote diversified channels for the introduction of scientific and technological talents"},
		{"body", "(3) Implement an incentive and management system for innovative talents"},
		{"body", "US Sanctions Strategy and Potential Risks"},
		{"body", "(1) Continued Challenges to Technological Leadership"},
		{"body", "(2) Difficulties in maintaining alliance relations"},
		{"body", "Suggestions for international cooperation"},
		{"body", "(1) Promote win-win cooperation between Chinese and American scientific and technological talents in non-sensitive fields"},
		{"body", "(2) Build a more open and transparent global talent flow mechanism"},
		{"body", "CONCLUSION"},
		{"references", "LIST OF USED SOURCES AND LITERATURE"},
		{"footnotes", "FOOTNOTES"},
	},
}

func TestSampleSectionsMatchPapers(t *testing.T) {
	docs := sampleDocs(t)
	if len(docs) != 2 {
		t.Fatalf("got %d documents, want 2", len(docs))
	}
	for _, d := range docs {
		want := wantSections[d.ID]
		if len(d.Sections) != len(want) {
			t.Errorf("%s: %d sections, want %d", d.ID, len(d.Sections), len(want))
		}
		for i := 0; i < len(want) && i < len(d.Sections); i++ {
			s := d.Sections[i]
			if s.Kind != want[i].kind || s.Heading != want[i].heading || s.Index != i {
				t.Errorf("%s: section %d = %d %s %q, want %s %q", d.ID, i, s.Index, s.Kind, s.Heading, want[i].kind, want[i].heading)
			}
		}
	}
}

func sectionsOf(d *document.Document, k document.SectionKind) []document.Section {
	var out []document.Section
	for _, s := range d.Sections {
		if s.Kind == k {
			out = append(out, s)
		}
	}
	return out
}

func analysedText(d *document.Document) string {
	var b strings.Builder
	for _, s := range d.Sections {
		if s.Kind.Analysed() {
			b.WriteString(d.Clean[s.Start:s.End])
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestSampleAbstractKeywordsReferencesFootnotes(t *testing.T) {
	docs := sampleDocs(t)
	sun, zhang := docs[0], docs[1]
	if sun.ID != "sun2025" || zhang.ID != "zhang2024" {
		t.Fatalf("ids %q %q", sun.ID, zhang.ID)
	}
	abs := sectionsOf(sun, document.KindAbstract)
	if len(abs) != 1 || !strings.HasPrefix(sun.Clean[abs[0].Start:abs[0].End], "Under the profound transformation") ||
		!strings.HasSuffix(sun.Clean[abs[0].Start:abs[0].End], `from a "policy-driven" approach to an "emotion-driven" approach in global talent competition.`) {
		t.Errorf("sun2025 abstract not found whole: %+v", abs)
	}
	wantKW := []string{"global science and technology governance", "international talent mobility",
		"push-pull theory", "dual-drive model", "China's talent strategy"}
	if strings.Join(sun.AuthorKeywords, "|") != strings.Join(wantKW, "|") {
		t.Errorf("sun2025 AuthorKeywords = %q, want %q", sun.AuthorKeywords, wantKW)
	}
	wantKW2 := []string{"Sino-US relations", "talent competition", "overseas talent strategy", "international relations"}
	if strings.Join(zhang.AuthorKeywords, "|") != strings.Join(wantKW2, "|") {
		t.Errorf("zhang2024 AuthorKeywords = %q, want %q", zhang.AuthorKeywords, wantKW2)
	}
	for _, d := range docs {
		refs := sectionsOf(d, document.KindReferences)
		if len(refs) != 1 {
			t.Fatalf("%s: %d reference sections", d.ID, len(refs))
		}
		text := d.Clean[refs[0].Start:refs[0].End]
		for _, entry := range map[string][]string{
			"sun2025":   {"Bongers, A., Díaz-Roldán", "Zheng, Y., Zheng, M.", "Push-Pull-Mooring (PPM) Theory"},
			"zhang2024": {"1. Fuzhan xie", "7. Zhuo zelin. (2024, April 25)."},
		}[d.ID] {
			if !strings.Contains(text, entry) {
				t.Errorf("%s: reference section lacks %q", d.ID, entry)
			}
			if strings.Contains(analysedText(d), entry) {
				t.Errorf("%s: reference entry %q is in analysed text", d.ID, entry)
			}
		}
	}
	notes := sectionsOf(zhang, document.KindFootnotes)
	if len(notes) != 1 {
		t.Fatalf("zhang2024: %d footnote sections", len(notes))
	}
	nt := zhang.Clean[notes[0].Start:notes[0].End]
	if !strings.HasPrefix(nt, "1 Gao zi-ping. (2019).") || !strings.Contains(nt, "7 Zhuo zelin.") || strings.Contains(nt, "Article Statistics") {
		t.Errorf("zhang2024 footnotes wrong: %.80q … %.80q", nt, nt[len(nt)-80:])
	}
}

// Every chrome line of /work/shared/corpus/README.md's notes, and the rest of
// the pages' furniture.
var sampleChrome = []string{
	"Submission Deadline", "Publication Fee", "Submit Now", "Abstract 9 | PDF Downloads 4",
	"PDF Downloads", "Similar Articles", "1-10 of 88", "advanced similarity search",
	"Newsletter", "newsletter", "Subscribe", "Sign up", "Article Statistics",
	"Track views and downloads", "6 views", "PlumX", "Altmetrics", "Metrics",
	"Main Article Content", "International Journal of Research and Innovation in Social Science",
	"Call for Paper",
}

func TestSampleChromeNeverAnalysed(t *testing.T) {
	for _, d := range sampleDocs(t) {
		an := analysedText(d)
		for _, c := range sampleChrome {
			if strings.Contains(an, c) {
				t.Errorf("%s: chrome %q in analysed text", d.ID, c)
			}
		}
		// The authors and the DOI line are front matter.
		for _, fm := range []string{"Rui Sun", "Zhang Taichang", "Received: 02 November", "DOI :", "University of Malaya"} {
			if strings.Contains(an, fm) {
				t.Errorf("%s: front matter %q in analysed text", d.ID, fm)
			}
		}
		// The title is analysed once, as the first section, though
		// zhang2024's page gives it twice.
		if n := strings.Count(an, d.Title); n != 1 || d.Sections[0].Kind != document.KindTitle || d.Clean[d.Sections[0].Start:d.Sections[0].End] != d.Title {
			t.Errorf("%s: title analysed %d times, first section %s %q; want once, as the title section", d.ID, n, d.Sections[0].Kind, d.Clean[d.Sections[0].Start:d.Sections[0].End])
		}
		// The counters are removed from Clean altogether.
		for _, c := range []string{"Abstract 9 | PDF Downloads 4", "6 views", "1-10 of 88", "Submit Now", "PlumX"} {
			if strings.Contains(d.Clean, c) {
				t.Errorf("%s: %q still in Clean", d.ID, c)
			}
		}
		if d.RemovedChars <= 0 {
			t.Errorf("%s: RemovedChars = %d", d.ID, d.RemovedChars)
		}
	}
}

func TestSampleHeadingsOutsideAnalysedRanges(t *testing.T) {
	for _, d := range sampleDocs(t) {
		var heads []document.Section
		for _, s := range d.Sections {
			if s.Start > s.End || s.End > len(d.Clean) || s.HeadingStart > s.HeadingEnd {
				t.Fatalf("%s: bad offsets %+v", d.ID, s)
			}
			if s.HeadingEnd > 0 {
				heads = append(heads, s)
				if got := strings.TrimRight(d.Clean[s.HeadingStart:s.HeadingEnd], ":"); got != s.Heading {
					t.Errorf("%s: heading offsets give %q, heading is %q", d.ID, got, s.Heading)
				}
			}
		}
		for _, a := range d.Sections {
			if !a.Kind.Analysed() {
				continue
			}
			for _, h := range heads {
				if h.HeadingStart < a.End && a.Start < h.HeadingEnd {
					t.Errorf("%s: heading %q [%d,%d) inside %s section %d [%d,%d)", d.ID, h.Heading, h.HeadingStart, h.HeadingEnd, a.Kind, a.Index, a.Start, a.End)
				}
				// nor does the heading text stand as a line of its own there
				for _, line := range strings.Split(d.Clean[a.Start:a.End], "\n") {
					if line == d.Clean[h.HeadingStart:h.HeadingEnd] {
						t.Errorf("%s: heading line %q inside section %d", d.ID, line, a.Index)
					}
				}
			}
		}
	}
}

func TestSampleLeadInsAreBody(t *testing.T) {
	d := sampleDocs(t)[1]
	for _, lead := range []string{
		"Weakened mutual benefit: After the end of the Cold War",
		"Lack of global governance: Liberalism believes",
		"Deglobalization: The flow of talent",
		"Technological hegemony: refers to",
	} {
		found := false
		for _, s := range sectionsOf(d, document.KindBody) {
			for _, line := range strings.Split(d.Clean[s.Start:s.End], "\n") {
				if strings.HasPrefix(line, lead) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("lead-in paragraph %q is not body text", lead)
		}
	}
	// Footnote markers glued to sentence ends are dropped ("United States.1").
	if strings.Contains(analysedText(d), "the United States.1") {
		t.Error("footnote marker left in body text")
	}
}
