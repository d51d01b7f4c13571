package clean

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/framelens/framelens/corpus/document"
)

func cleanText(t *testing.T, cfg Config, raw string) *document.Document {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := &document.Document{ID: "t", Raw: raw}
	if err := c.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCharacterRules(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"push‒pull theory and push–pull factors", "push-pull theory and push-pull factors"},
		{"the “outflow–inflow–circulation” process", `the "outflow-inflow-circulation" process`},
		{"China’s ‘policy’ approach", "China's 'policy' approach"},
		{"security—not openness—came first", "security - not openness - came first"},
		{"rivalry – and cooperation", "rivalry - and cooperation"},
		{"pp. 12–17 and 1990–2000", "pp. 12-17 and 1990-2000"},
		{"ﬁrst eﬀort, ﬂow", "first effort, flow"},
		{"non\u00a0breaking\u202fspaces and  runs \t  of blanks", "non breaking spaces and runs of blanks"},
		{"soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"},
		{"Ｆｕｌｌｗｉｄｔｈ text…", "Fullwidth text..."},
	} {
		d := cleanText(t, Config{}, "Heading Line\n\n"+tc.in+".")
		got := strings.TrimSuffix(d.Clean[strings.Index(d.Clean, "\n\n")+2:], ".")
		if got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
	// Each rule can be switched off.
	d := cleanText(t, Config{DisableQuotes: true, DisableDashes: true}, "Title\n\nChina’s push–pull model.")
	if !strings.Contains(d.Clean, "China’s push–pull model.") {
		t.Errorf("disabled rules still applied: %q", d.Clean)
	}
}

func TestHyphenationRepair(t *testing.T) {
	raw := "A Title\n\nThe inter-\nnational flow of talent follows push-pull theory, and the push-\npull model explains emotional be-\nlonging too.\n\nMore."
	d := cleanText(t, Config{}, raw)
	for _, want := range []string{"The international flow", "the push-pull model", "emotional belonging too."} {
		if !strings.Contains(d.Clean, want) {
			t.Errorf("Clean lacks %q:\n%s", want, d.Clean)
		}
	}
	d = cleanText(t, Config{DisableHyphenation: true}, raw)
	if !strings.Contains(d.Clean, "inter-\nnational") {
		t.Errorf("hyphenation repaired although disabled:\n%s", d.Clean)
	}
}

func TestHeadingsVersusLeadIns(t *testing.T) {
	raw := strings.Join([]string{
		"A Study of Talent Policy",
		"Jane Doe, John Roe",
		"ABSTRACT: This paper studies how visa restrictions and research security reviews shape the mobility of scientists between rival powers.",
		"Keywords: talent; security; mobility.",
		"1. INTRODUCTION",
		"Talent has become a strategic resource in the rivalry between the two countries.",
		"National Security Dimension:",
		"Visa reviews were tightened for students in sensitive fields.",
		"Weakened mutual benefit: After the end of the Cold War, the two countries cooperated in a wide range of fields.",
		"Talent as a strategic resource",
		"Research on talent mainly focuses on its contribution to national strength and innovation:",
		"Bibliography",
		"Doe, J. (2020). Talent Wars. Journal of Things, 1(2), 3-4.",
		"Roe, J. (2021). Open Science Under Pressure",
		"Notes",
		"1 See the discussion in Doe (2020).",
	}, "\n\n")
	d := cleanText(t, Config{}, raw)
	var got []string
	for _, s := range d.Sections {
		got = append(got, string(s.Kind)+":"+s.Heading)
	}
	want := "title:|front_matter:|abstract:ABSTRACT|keywords:Keywords|body:1. INTRODUCTION|body:National Security Dimension|body:Talent as a strategic resource|references:Bibliography|footnotes:Notes"
	if strings.Join(got, "|") != want {
		t.Errorf("sections\n got  %s\n want %s\n%s", strings.Join(got, "|"), want, d.Clean)
	}
	if strings.Join(d.AuthorKeywords, ",") != "talent,security,mobility" {
		t.Errorf("keywords %q", d.AuthorKeywords)
	}
	body := analysedText(d)
	for _, want := range []string{"Weakened mutual benefit: After the end", "Research on talent mainly focuses on its contribution to national strength and innovation:"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if !strings.HasPrefix(body, "A Study of Talent Policy") {
		t.Errorf("the title is not analysed first: %.60q", body)
	}
	for _, not := range []string{"Jane Doe", "Talent Wars", "Open Science Under Pressure", "See the discussion"} {
		if strings.Contains(body, not) {
			t.Errorf("analysed text has %q", not)
		}
	}
}

func TestSectionSwitches(t *testing.T) {
	raw := "Some Title\n\nINTRODUCTION\n\nText of the paper goes here.\n\n12 views\n\nReferences\n\nA. (2020). Book."
	d := cleanText(t, Config{DisableSections: true}, raw)
	if len(d.Sections) != 1 || d.Sections[0].Kind != document.KindBody || strings.Contains(d.Clean, "12 views") {
		t.Errorf("DisableSections: %+v %q", d.Sections, d.Clean)
	}
	d = cleanText(t, Config{DisableChrome: true}, raw)
	if !strings.Contains(d.Clean, "12 views") {
		t.Errorf("DisableChrome still dropped the counter: %q", d.Clean)
	}
	d = cleanText(t, Config{ExtraChrome: []string{`text of the paper.*`}}, raw)
	if strings.Contains(d.Clean, "Text of the paper") {
		t.Errorf("ExtraChrome not applied: %q", d.Clean)
	}
	if _, err := New(Config{ExtraChrome: []string{"("}}); err == nil {
		t.Error("bad ExtraChrome pattern accepted")
	}
}

func TestRemovedCharsCountsDroppedRunes(t *testing.T) {
	// "12 views\n\n" (10 runes) is dropped, two blanks collapse, and the
	// em dash gains two spaces that are not removals.
	raw := "Title\n\nBody  text—here.\n\n12 views\n\nEnd."
	d := cleanText(t, Config{}, raw)
	if d.Clean != "Title\n\nBody text - here.\n\nEnd." {
		t.Fatalf("Clean = %q", d.Clean)
	}
	if d.RemovedChars != 11 {
		t.Errorf("RemovedChars = %d, want 11 (10 for the counter line, 1 blank)", d.RemovedChars)
	}
}

func TestCleanerConcurrentUse(t *testing.T) {
	docs := sampleDocs(t)
	c, _ := New(Config{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			src := docs[i%2]
			d := &document.Document{ID: src.ID, Title: src.Title, Meta: src.Meta, Raw: src.Raw}
			if err := c.Process(context.Background(), d); err != nil || d.Clean != src.Clean || len(d.Sections) != len(src.Sections) {
				t.Errorf("worker %d: different result", i)
			}
		}(i)
	}
	wg.Wait()
}

func TestLineStatsDropsSiteRepeats(t *testing.T) {
	page := func(n string) *document.Document {
		return &document.Document{ID: n, Meta: map[string]any{"url": "https://www.example.org/a/" + n},
			Raw: "Article " + n + "\n\nVisit the Example Policy Portal for more\n\nReferences\n\nBody text " + n + " with an argument."}
	}
	a, b := NewLineStats(), NewLineStats()
	for i, n := range []string{"one", "two", "three", "four"} {
		if i%2 == 0 {
			a.Add(page(n))
		} else {
			b.Add(page(n))
		}
	}
	a.Add(&document.Document{ID: "other", Meta: map[string]any{"site": "elsewhere"}, Raw: "Visit the Example Policy Portal for more"})
	a.Merge(b)
	if got := a.DocFreq("example.org", "Visit the Example Policy Portal for more"); got != 4 {
		t.Fatalf("DocFreq = %d, want 4", got)
	}
	if a.Docs("example.org") != 4 || a.DocFreq("elsewhere", "visit the example policy portal, for more!") != 1 {
		t.Errorf("per-site counts wrong")
	}
	c, _ := New(Config{RepeatedLines: a, RepeatedMinDocs: 4})
	d := page("five")
	if _, err := c.Explain(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Clean, "Portal") || !strings.Contains(d.Clean, "References") {
		t.Errorf("repeated line handling: %q", d.Clean)
	}
	c, _ = New(Config{RepeatedLines: a, RepeatedMinDocs: 5})
	d = page("six")
	c.Process(context.Background(), d)
	if !strings.Contains(d.Clean, "Portal") {
		t.Errorf("line below the threshold dropped: %q", d.Clean)
	}
}

func TestMarkdownHeadings(t *testing.T) {
	d := cleanText(t, Config{}, "# Talent Mobility in Practice\n\nBy Jane Doe\n\n## Background\n\nStudents moved abroad in large numbers during the period under review.\n\n---\n\n## References\n\nDoe, J. (2020). Talent.")
	var got []string
	for _, s := range d.Sections {
		got = append(got, string(s.Kind)+":"+s.Heading)
	}
	if strings.Join(got, "|") != "title:|front_matter:|body:Background|references:References" || strings.Contains(d.Clean, "---") {
		t.Errorf("markdown sections: %v\n%s", got, d.Clean)
	}
}

func TestPlainTextLayouts(t *testing.T) {
	// Headings directly followed by their text, and hard-wrapped paragraphs:
	// the wrapped prose must not be mistaken for front matter or headings.
	raw := `Talent and Security
Jane Doe

ABSTRACT
Visa reviews and research security offices now shape the mobility of
scientists between rival powers, and this paper traces how they spread
from one country to its allies.

INTRODUCTION
Since 2018 the screening of researchers has widened from a few sensitive
fields to most of engineering, and universities have set up offices that
review collaborations before they begin.

REFERENCES
Doe, J. (2020). Talent Wars. Journal of Things, vol.3, pp.12-14.`
	d := cleanText(t, Config{}, raw)
	var got []string
	for _, s := range d.Sections {
		got = append(got, string(s.Kind)+":"+s.Heading)
	}
	if strings.Join(got, "|") != "title:|front_matter:|abstract:ABSTRACT|body:INTRODUCTION|references:REFERENCES" {
		t.Errorf("sections %v\n%s", got, d.Clean)
	}
	if !strings.Contains(analysedText(d), "mobility of\nscientists") || !strings.Contains(d.Clean, "vol.3, pp.12-14") {
		t.Errorf("text changed:\n%s", d.Clean)
	}
	// Footnote markers go from analysed text only, and not after "vol."/"pp.".
	d = cleanText(t, Config{}, "Title\n\nThe policy changed in 2018.3 Allies followed.12 See vol.3 and pp.4 here.\n\nNotes\n\nSee Doe.2 And more.")
	if !strings.Contains(d.Clean, "in 2018.3 Allies followed. See vol.3 and pp.4 here.") || !strings.Contains(d.Clean, "See Doe.2 And") {
		t.Errorf("footnote markers:\n%s", d.Clean)
	}
}

// A short text (a one-line statement, a survey answer, a headline) looks
// like a paper's title; with nothing else in the document it is body text,
// analysed: silently when it is one line (the normal case of a row dump of
// statements), with a warning when several lines all looked like titles or
// headings. A paper's title line stays front matter.
func TestShortTextIsBody(t *testing.T) {
	for _, raw := range []string{
		"Visa reviews tightened research security for Chinese scholars in 2019.",
		"Belonging and cultural identity draw talent home",
		"Why talent stays\n\nBelonging matters more than pay.",
	} {
		d := cleanText(t, Config{}, raw)
		var analysed []string
		for _, s := range d.Sections {
			if s.Kind.Analysed() {
				analysed = append(analysed, d.Clean[s.Start:s.End])
			}
		}
		if got := strings.Join(analysed, " "); !strings.Contains(got, "talent") && !strings.Contains(got, "security") {
			t.Errorf("%q: analysed text %q, sections %+v", raw, got, d.Sections)
		}
		oneLine := !strings.Contains(raw, "\n")
		if oneLine && len(d.Warnings) != 0 || !oneLine && (len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "no body text")) {
			t.Errorf("%q: warnings %q", raw, d.Warnings)
		}
	}
	paper := "Talent Competition Under the New Pattern of Sino-US Competition\n\nZhang Taichang\n\nINTRODUCTION\n\nSino-US relations are in a competitive state in many fields, especially in science and technology, where talent has become the key."
	d := cleanText(t, Config{}, paper)
	for _, s := range d.Sections {
		if s.Kind.Analysed() && strings.Contains(d.Clean[s.Start:s.End], "Zhang Taichang") {
			t.Errorf("a paper's byline analysed as body: %+v", d.Sections)
		}
	}
	if len(d.Warnings) != 0 {
		t.Errorf("paper: warnings %q", d.Warnings)
	}
}

// The first short line is analysed as the title, unless it is a mail or
// news header ("From: a@b.org (A B)" was analysed as a title).
func TestTitleLineNotHeader(t *testing.T) {
	for _, c := range []struct {
		first string
		title bool
	}{
		{"Separate accounts go mainstream [investment]", true},
		{"Talent Competition: A New Pattern", true},
		{"From: Pat.Hoage@f6507.n124.z1.fidonet.org (Pat Hoage)", false},
		{"Subject: army in space", false},
		{"See https://example.org/page", false},
		{"Fellow-Citizens of the Senate and House of Representatives:", false},
	} {
		d := cleanText(t, Config{}, c.first+"\n\nNew entrants are shaking up the separate-account industry by supplying web-based platforms that give advisers the tools to pick managers.")
		got := len(d.Sections) > 0 && d.Sections[0].Kind == document.KindTitle
		if got != c.title {
			t.Errorf("%q: title section %v, want %v (sections %v)", c.first, got, c.title, d.Sections)
		}
	}
}
