package twentyng

import (
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
)

func TestStripRules(t *testing.T) {
	raw := "From: a@b.c\nSubject: x\n\nIn article <1@x> bob@y writes:\n> quoted line\n| also quoted\nMy own point stands.\nHe said: nothing\nSecond line.\n\n-- \nBob, Somewhere U.\n"
	got := Strip(raw)
	want := "My own point stands.\nSecond line.\n"
	if got != want {
		t.Fatalf("Strip = %q, want %q", got, want)
	}
	if StripHeader("no blank line") != "" {
		t.Error("a post without a blank line must lose everything as header")
	}
	// The last blank/dash line is the first line: text unchanged.
	if s := "----\nall body"; StripFooter(s) != s {
		t.Errorf("StripFooter(%q) = %q", s, StripFooter(s))
	}
}

func TestLoadRealCorpus(t *testing.T) {
	dir := sharedtest.Path(t, "bench/20newsgroups-train")
	posts, err := Load(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 11314 {
		t.Fatalf("got %d posts, want 11314", len(posts))
	}
	again, _ := Load(dir, 1)
	for i := range posts {
		if posts[i].ID != again[i].ID {
			t.Fatal("same seed gave a different order")
		}
	}
	empty := 0
	for _, p := range posts {
		if len(p.Text) == 0 {
			empty++
		}
		if len(p.Text) > 0 && (p.Text[0] == '>') {
			t.Fatalf("%s still starts with a quote", p.ID)
		}
	}
	// scikit-learn's stripped training set has a few hundred empty posts.
	if empty == 0 || empty > 600 {
		t.Errorf("%d empty posts after stripping", empty)
	}
}
