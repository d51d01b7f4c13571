package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/clean"
)

// TestLanguageShareThreshold: groups differ in language when a language's
// share of documents is more than 10 points apart in two groups (the bar
// of comparisons.warnings), not for a few stray documents.
func TestLanguageShareThreshold(t *testing.T) {
	for _, tc := range []struct {
		name string
		// docs per group: English, French, not identified
		a, b [3]int
		want string
	}{
		{"strays", [3]int{580, 2, 3}, [3]int{600, 0, 1}, ""},
		{"ten points", [3]int{90, 10, 0}, [3]int{100, 0, 0}, ""},
		{"eleven points", [3]int{89, 11, 0}, [3]int{100, 0, 0}, "a: en 89%, fr 11%; b: en 100%"},
		{"half French", [3]int{50, 50, 0}, [3]int{99, 0, 1}, "a: en 50%, fr 50%; b: en 100%"},
		{"one stray in a small group", [3]int{4, 1, 0}, [3]int{5, 0, 0}, "a: en 80%, fr 20%; b: en 100%"},
		{"stray shares", [3]int{997, 3, 0}, [3]int{400, 60, 0}, "a: en >99%, fr <1%; b: en 87%, fr 13%"},
	} {
		s := &Summary{}
		for g, n := range map[string][3]int{"a": tc.a, "b": tc.b} {
			for i, code := range []string{"en", "fr", ""} {
				for range n[i] {
					s.addLang(g, code)
				}
			}
		}
		if got := s.mixedGroups(); got != tc.want {
			t.Errorf("%s: mixedGroups = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestLanguageWarningNewsgroups runs real posts nobody tuned for: 40 of
// each of four newsgroups of 20 Newsgroups, among them tables of hockey
// and baseball statistics, uuencoded binaries and a post in Dutch. The
// groups are English: the run must not warn that they differ in language.
// Then a group made half French (French posts written for this test) must
// still be warned of.
func TestLanguageWarningNewsgroups(t *testing.T) {
	if testing.Short() {
		t.Skip("a run over 160 posts")
	}
	root := sharedtest.Path(t, "bench/20newsgroups-train")
	dir := t.TempDir()
	for _, g := range newsgroupSample {
		if err := os.Mkdir(filepath.Join(dir, g.group), 0o755); err != nil {
			t.Fatal(err)
		}
		files, err := os.ReadDir(filepath.Join(root, g.group))
		if err != nil {
			t.Fatal(err)
		}
		names := g.posts
		for _, f := range files[:40-len(g.posts)] {
			names = append(names, f.Name())
		}
		for _, name := range names {
			b, err := os.ReadFile(filepath.Join(root, g.group, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, g.group, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	run := func() (*manifest, map[string]string) {
		out := t.TempDir()
		cfg := Config{Corpus: dir, Out: out, Seed: 1, Workers: 2, SkipStages: []string{"entities", "keyphrases", "topics", "collocations"}}
		cfg.Clean.Presets = []string{clean.PresetUsenet}
		if _, err := Run(context.Background(), cfg, Options{}); err != nil {
			t.Fatal(err)
		}
		langs := map[string]string{}
		for _, d := range rows(t, out, "documents") {
			langs[d["doc_id"].(string)] = d["lang"].(string)
		}
		return readManifest(t, out), langs
	}
	man, langs := run()
	other := map[string]string{}
	for id, l := range langs {
		if l != "en" && l != "" {
			other[id] = l
		}
	}
	// Only the Dutch post is another language; the tables and binaries
	// are English or not called (stages/lang).
	if len(other) != 1 || other["sci.space/60199"] != "nl" {
		t.Errorf("posts called another language than English: %v, want only sci.space/60199 nl", other)
	}
	if man.LanguageWarning != "" {
		t.Errorf("English newsgroups marked as differing in language: %q", man.LanguageWarning)
	}
	// Half of one group French: as many French posts as it has.
	g := newsgroupSample[0].group
	posts, err := os.ReadDir(filepath.Join(dir, g))
	if err != nil {
		t.Fatal(err)
	}
	for i := range posts {
		text := frenchPosts[i%len(frenchPosts)]
		name := filepath.Join(dir, g, fmt.Sprintf("fr%02d", i))
		if err := os.WriteFile(name, []byte("From: a@b.fr\nSubject: re\n\n"+text+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	man, _ = run()
	if !strings.Contains(man.LanguageWarning, g+": en 50%, fr 50%") {
		t.Errorf("half-French group: run.json language_warning %q, want %s at en 50%%, fr 50%%", man.LanguageWarning, g)
	}
}

// newsgroupSample are the groups of the real-text test, each with the
// posts that whatlanggo alone called another language (read: tables,
// binaries, Dutch), added to the group's first posts.
var newsgroupSample = []struct {
	group string
	posts []string
}{
	{"rec.sport.hockey", []string{"53602", "53748", "54360", "52560"}},
	{"rec.sport.baseball", []string{"104691", "102664"}},
	{"comp.os.ms-windows.misc", []string{"9978", "9979", "9985"}},
	{"sci.space", []string{"60199"}},
}

// frenchPosts were written for this test.
var frenchPosts = []string{
	"Je cherche depuis des semaines un pilote pour ma carte graphique sous Windows. Le fabricant ne répond pas à mes courriels et le site ne propose que des versions anciennes. Est-ce que quelqu'un a déjà eu le même problème, et comment l'avez-vous résolu ?",
	"Le match d'hier soir était vraiment décevant. L'équipe a dominé pendant deux périodes, puis elle s'est effondrée dans la dernière. Je pense que l'entraîneur aurait dû changer de gardien bien plus tôt, mais personne ne m'écoute.",
	"La mission de la sonde devrait durer encore trois ans, selon l'agence. Les ingénieurs estiment que les panneaux solaires produisent assez d'énergie pour les instruments principaux, même si la distance au Soleil augmente chaque mois.",
	"Merci pour vos réponses. J'ai finalement installé la nouvelle version du logiciel et tout fonctionne correctement depuis ce matin. Il fallait simplement supprimer les anciens fichiers de configuration avant de redémarrer la machine.",
}
