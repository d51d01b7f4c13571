package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/tokenize"
)

// TestRunningText: the evidence a call other than English rests on, on
// text written for the test.
func TestRunningText(t *testing.T) {
	table := strings.Repeat("Mario Lemieux PIT 60 69 91 160 Pat LaFontaine BUF 84 53 95 148\nSteve Yzerman DET 84 58 79 137 Adam Oates BOS 84 45 97 142\n", 3)
	uu := strings.Repeat("M9V]R9&$N97AE('1H870@:7,@;F]T(&$@=V]R9\"!A;F0@;F]T(&$@;&%N9W5A9V4@\n", 8)
	fr := "Le gouvernement a présenté hier un projet de loi sur la formation des jeunes chercheurs, qui doit permettre aux universités de recruter plus facilement à l'étranger."
	de := "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung von Fachkräften aus dem Ausland beschlossen, das im Sommer in Kraft treten soll."
	for _, tc := range []struct {
		name, text, lang string
		want             bool
	}{
		{"French prose", fr, "fr", true},
		{"German prose", de, "de", true},
		{"Italian prose, no stop list", "Il governo ha presentato ieri un disegno di legge sulla formazione dei giovani ricercatori, che dovrebbe permettere alle università di assumere più facilmente all'estero.", "it", true},
		{"table of names and figures", table, "fr", false},
		{"table, a language without a stop list", table, "it", false},
		{"uuencoded binary", uu, "pt", false},
	} {
		if got := runningText(measureText(tc.text, tokenize.StopWordTest(tc.lang)), false); got != tc.want {
			t.Errorf("%s: runningText = %v, want %v: %+v", tc.name, got, tc.want, measureText(tc.text, tokenize.StopWordTest(tc.lang)))
		}
	}
}

// TestNewsgroupsNotRunningText: 20 Newsgroups posts (headers dropped) that
// whatlanggo alone called another language are English tables, binaries
// and signatures: no call now. Posts in another language keep theirs.
func TestNewsgroupsNotRunningText(t *testing.T) {
	root := sharedtest.Path(t, "bench/20newsgroups-train")
	for post, want := range map[string]string{
		"rec.sport.hockey/53602":       "",   // "Individual leaders by total points", fr 1.00
		"rec.sport.hockey/53748":       "",   // box score, fr 1.00
		"rec.sport.hockey/54360":       "",   // a team's schedule, es 0.66
		"rec.sport.hockey/52560":       "",   // box score, it 0.68
		"rec.sport.baseball/104691":    "",   // batting table, it 0.49
		"comp.os.ms-windows.misc/9978": "",   // uuencoded, tl 1.00
		"comp.os.ms-windows.misc/9985": "",   // uuencoded, ak 1.00
		"talk.politics.guns/54380":     "",   // uuencoded GIF, pt 1.00
		"comp.sys.mac.hardware/51621":  "",   // signature box, nb 0.22
		"sci.space/60199":              "nl", // a Dutch announcement
		"talk.politics.mideast/76262":  "de", // a poem in German
	} {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(post)))
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(string(b), "\n\n")
		if got := Detect(cut(body, PrefixBytes)).Lang; got != want {
			t.Errorf("%s: Detect = %q, want %q", post, got, want)
		}
	}
}
