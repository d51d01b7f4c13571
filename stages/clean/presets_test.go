package clean

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/bench/peers/twentyng"
	"github.com/framelens/framelens/corpus/sharedtest"
)

func TestStageDirections(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"We will not rest. (Applause.) And we will win.", "We will not rest. And we will win."},
		{"Thank you. [Laughter] Thank you very much. [Applause]", "Thank you. Thank you very much."},
		{"(Prolonged applause, the audience rising.)\n\nMy fellow citizens.", "My fellow citizens."},
		{"[Laughter and applause] Now to the budget.", "Now to the budget."},
		{"(APPLAUSE)", ""},
		// Asides, references and numbering are the speaker's, not stage
		// directions.
		{"the tariff (which applause alone will not pass) stands", "the tariff (which applause alone will not pass) stands"},
		{"Section (1) and [sic] and (a) and [p.8] stay.", "Section (1) and [sic] and (a) and [p.8] stay."},
		{"the Act (vol. 106, p. 135) applies", "the Act (vol. 106, p. 135) applies"},
	} {
		if got := cleanText(t, Config{}, tc.in).Clean; got != tc.want {
			t.Errorf("%q: cleaned to %q, want %q", tc.in, got, tc.want)
		}
	}
	kept := cleanText(t, Config{DisableStageDirections: true}, "We rest. (Applause.)").Clean
	if kept != "We rest. (Applause.)" {
		t.Errorf("disable_stage_directions: %q", kept)
	}
}

func TestTranscriptPreset(t *testing.T) {
	raw := "THE PRESIDENT: Thank you all.\n\nQ: What about visas?\n\nMR. SMITH: We are reviewing them.\n\n[00:12:31] AUDIENCE MEMBER: Yes.\n\nNOTE: this line is kept without the preset."
	got := cleanText(t, Config{Presets: []string{"transcript"}}, raw).Clean
	want := "Thank you all.\n\nWhat about visas?\n\nWe are reviewing them.\n\nYes.\n\nthis line is kept without the preset."
	if got != want {
		t.Errorf("transcript preset:\n got %q\nwant %q", got, want)
	}
	if plain := cleanText(t, Config{}, "MR. SMITH: We are reviewing them.").Clean; !strings.HasPrefix(plain, "MR. SMITH:") {
		t.Errorf("without the preset a label is text: %q", plain)
	}
	if _, err := New(Config{Presets: []string{"tweets"}}); err == nil || !strings.Contains(err.Error(), "transcript") {
		t.Errorf("unknown preset: %v, want an error listing the known ones", err)
	}
}

func TestEmailPreset(t *testing.T) {
	raw := `Path: news.example.org!not-for-mail
From: ada@example.org (Ada L.)
Subject: Re: visa rules for researchers
Article-I.D.: example.1993
Organization: Example University
Lines: 12

In article <1993@example.org> bob@example.org (Bob) writes:
> Visa delays keep students away.
>> Quoted twice.
| quoted with a bar

The consulate said: delays are shorter now.
Students still choose the country where they feel they belong.

-- 
Ada L., Example University        ada@example.org
"Quotation in a signature"
`
	d := cleanText(t, Config{Presets: []string{"usenet"}}, raw)
	want := "The consulate said: delays are shorter now.\nStudents still choose the country where they feel they belong."
	if d.Clean != want {
		t.Errorf("email preset:\n got %q\nwant %q", d.Clean, want)
	}
	// Without a header block, nothing is taken for one.
	body := "Note: this is a memo.\n\nIt has a body."
	if got := cleanText(t, Config{Presets: []string{"email"}}, body).Clean; !strings.Contains(got, "It has a body.") {
		t.Errorf("a text without headers lost its body: %q", got)
	}
}

// TestEmailPresetMatchesScikitLearn compares the email preset with
// scikit-learn's remove=("headers","footers","quotes") (its Go port in
// bench/peers/twentyng) on the 20 Newsgroups posts: the words each keeps
// agree to within 5 %, and no header field survives. (scikit-learn also
// drops the last paragraph of every post as a "footer" and any line that
// contains "said:"; the preset keeps those.)
func TestEmailPresetMatchesScikitLearn(t *testing.T) {
	root := sharedtest.Path(t, "bench/20newsgroups-train")
	groups, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var common, ours, ref, headers, posts int
	for _, g := range groups {
		files, _ := os.ReadDir(filepath.Join(root, g.Name()))
		for i, f := range files {
			if i == 50 {
				break
			}
			b, err := os.ReadFile(filepath.Join(root, g.Name(), f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			raw := latin1String(b)
			got, _ := stripEmail(raw)
			wo, wr := wordCounts(got), wordCounts(twentyng.Strip(raw))
			for w, n := range wo {
				ours += n
				common += min(n, wr[w])
			}
			for _, n := range wr {
				ref += n
			}
			if strings.Contains(got, "\nLines: ") || strings.HasPrefix(got, "From: ") {
				headers++
			}
			posts++
		}
	}
	p, r := float64(common)/float64(ours), float64(common)/float64(ref)
	t.Logf("%d posts: %.3f of the preset's words are scikit-learn's, %.3f of scikit-learn's are the preset's", posts, p, r)
	if posts < 500 || p < 0.95 || r < 0.95 || headers > 0 {
		t.Errorf("%d posts: agreement %.3f / %.3f (want ≥ 0.95 both), %d posts keep a header", posts, p, r, headers)
	}
}

func latin1String(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func wordCounts(s string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.Fields(strings.ToLower(s)) {
		m[w]++
	}
	return m
}
