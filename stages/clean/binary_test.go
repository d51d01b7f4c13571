package clean

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// uuencode encodes data as uuencode(1) does: 45 bytes a line, each line's
// length as its first character, zero as "`" (or " " when spaces is set,
// as the oldest encoders did), then a zero-length line.
func uuencode(data []byte, spaces bool) []string {
	enc := func(b byte) byte {
		if b == 0 && !spaces {
			return '`'
		}
		return b + ' '
	}
	var lines []string
	for len(data) > 0 {
		n := min(45, len(data))
		chunk := append([]byte(nil), data[:n]...)
		data = data[n:]
		for len(chunk)%3 != 0 {
			chunk = append(chunk, 0)
		}
		l := []byte{enc(byte(n))}
		for i := 0; i < len(chunk); i += 3 {
			a, b, c := chunk[i], chunk[i+1], chunk[i+2]
			l = append(l, enc(a>>2), enc((a<<4|b>>4)&63), enc((b<<2|c>>6)&63), enc(c&63))
		}
		lines = append(lines, string(l))
	}
	return append(lines, string(enc(0)))
}

// randomBytes is n bytes of a fixed pseudo-random file with runs of zeros,
// as executables have.
func randomBytes(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		if i%500 >= 400 {
			continue // zeros
		}
		b[i] = byte(rng.UintN(256))
	}
	return b
}

// base64Lines wraps data's base64 at width characters.
func base64Lines(data []byte, width int) []string {
	s := base64.StdEncoding.EncodeToString(data)
	var lines []string
	for len(s) > width {
		lines = append(lines, s[:width])
		s = s[width:]
	}
	return append(lines, s)
}

func binaryRemovals(t *testing.T, cfg Config, raw string) (*document.Document, []Removal) {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := &document.Document{ID: "t", Raw: raw}
	rem, err := c.Explain(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	var bin []Removal
	for _, r := range rem {
		if r.Rule == RuleBinary {
			bin = append(bin, r)
		}
	}
	return d, bin
}

const (
	proseBefore = "Here is the driver you asked for. It fixes the crash on exit."
	proseAfter  = "Let me know whether it works on your machine."
)

// Uuencoded files go, each block as one removal, and the text around them
// stays: a whole file between "begin" and "end", with "`" or " " for zero;
// the middle part of a file posted in parts (only "M" lines); its last
// part (a short line, the zero-length line and "end").
func TestBinaryUUEncodedRemoved(t *testing.T) {
	data := randomBytes(3000, 1)
	full := uuencode(data, false)
	old := uuencode(data, true)
	cases := map[string][]string{
		"begin … end": append(append([]string{"begin 644 1260wn31.exe"}, full...), "end"),
		"spaces for zero, CRLF": func() []string {
			l := append(append([]string{"begin 755 driver.exe"}, old...), "end")
			for i := range l {
				l[i] += "\r"
			}
			return l
		}(),
		"middle part":      full[5:25],
		"last part":        append(slices.Clone(full[len(full)-9:]), "end"),
		"last part, short": append(slices.Clone(full[len(full)-4:]), "end"),
		"begin, one line":  {"begin 600 key.bin", uuencode([]byte("secret"), false)[0]},
	}
	for name, block := range cases {
		raw := proseBefore + "\n\n" + strings.Join(block, "\n") + "\n\n" + proseAfter + "\n"
		d, bin := binaryRemovals(t, Config{Presets: []string{PresetUsenet}}, raw)
		if want := proseBefore + "\n\n" + proseAfter; d.Clean != want {
			t.Errorf("%s: clean = %.300q, want %q", name, d.Clean, want)
		}
		if len(bin) != 1 || bin[0].Text != strings.Join(block, "\n") {
			t.Errorf("%s: %d binary removals, want 1 of the whole block", name, len(bin))
		}
		if d.RemovedChars < len(strings.Join(block, "\n")) {
			t.Errorf("%s: removed_chars %d, less than the block's %d", name, d.RemovedChars, len(strings.Join(block, "\n")))
		}
	}
	// Parts marked as in 20 Newsgroups: the markers are text, and stay.
	raw := "------------ Part 5 of 14 ------------\n" + strings.Join(full[:30], "\n") + "\n-------- End of part 5 of 14 --------\n"
	d, bin := binaryRemovals(t, Config{}, raw)
	if len(bin) != 1 || !strings.Contains(d.Clean, "Part 5 of 14") || strings.Contains(d.Clean, full[3]) {
		t.Errorf("a middle part: %d removals, clean %.200q", len(bin), d.Clean)
	}
	// Switched off, the block is text (its "`" now "'").
	if d, bin := binaryRemovals(t, Config{DisableBinary: true}, raw); len(bin) != 0 || !strings.Contains(d.Clean, strings.ReplaceAll(full[3], "`", "'")) {
		t.Errorf("disable_binary: %d removals, clean %.200q", len(bin), d.Clean)
	}
}

// Base64 blocks go: a MIME attachment of any length after its
// Content-Transfer-Encoding header (the header stays), and without one a
// run of minB64Run lines or more of one width.
func TestBinaryBase64Removed(t *testing.T) {
	header := "Content-Type: application/octet-stream; name=\"scan.zip\"\nContent-Transfer-Encoding: base64\n\n"
	for name, tc := range map[string]struct {
		head  string
		lines []string
	}{
		"MIME, 76 wide":           {header, base64Lines(randomBytes(4000, 2), 76)},
		"MIME, one line and pad":  {header, base64Lines(randomBytes(80, 3), 76)},
		"PEM-like, 64 wide":       {"", base64Lines(randomBytes(300, 4), 64)},
		"no header, 4 full lines": {"", base64Lines(randomBytes(57*4+10, 5), 76)},
	} {
		raw := proseBefore + "\n\n" + tc.head + strings.Join(tc.lines, "\n") + "\n\n" + proseAfter
		d, bin := binaryRemovals(t, Config{}, raw)
		want := proseBefore + "\n\n" + strings.TrimSpace(strings.ReplaceAll(tc.head, "\n\n", "")) + "\n\n" + proseAfter
		if tc.head == "" {
			want = proseBefore + "\n\n" + proseAfter
		}
		if len(bin) != 1 || bin[0].Text != strings.Join(tc.lines, "\n") {
			t.Errorf("%s: %d binary removals, want 1 of the whole block", name, len(bin))
		}
		if d.Clean != want {
			t.Errorf("%s: clean = %.300q, want %q", name, d.Clean, want)
		}
	}
}

// What looks like a line of either encoding but is text stays: a long URL,
// hashes (hex uses 16 characters), a signature's radix-64 lines, separator
// lines of one width, ALL CAPS lines of 61 characters starting with "M",
// the text after a base64 block, and a "begin" line of prose.
func TestBinaryKeepsText(t *testing.T) {
	hexes := make([]string, 8)
	for i := range hexes {
		hexes[i] = fmt.Sprintf("%064x", randomBytes(32, uint64(10+i)))
	}
	sig := base64Lines(randomBytes(150, 9), 64) // 4 lines, the last short: 3 full ones
	texts := []string{
		"See https://example.org/archive/2024/reports/annual-report-on-the-state-of-things-final.pdf for the figures.",
		"The file's SHA-512 is\n" + strings.Repeat("ab12cd34", 16) + "\nand its size 12 MB.",
		"Checksums:\n" + strings.Join(hexes, "\n"),
		"-----BEGIN PGP SIGNATURE-----\n\n" + strings.Join(sig, "\n") + "\n-----END PGP SIGNATURE-----",
		strings.Repeat(strings.Repeat("C/", 40)+"\n", 6),
		strings.Repeat(strings.Repeat("WM", 35)+"\n", 6),
		"MOTOROLA EXPO VHF 2WATT/2CHAN. HT--------------------$1200.00\nMILITARY WEAPON UNDER THIS SECTION AND WHO CHANGES HIS ADDRES\nMARSHALL A COPY OF EACH LICENSE ISSUED OR RENEWED UNDER THIS,",
		"We will begin 100 new projects this year.\nbegin 644 of them in spring\nand end the rest.",
		"Content-Transfer-Encoding: base64\n\nThanks for the file.",
	}
	for _, raw := range texts {
		if d, bin := binaryRemovals(t, Config{}, raw); len(bin) != 0 {
			t.Errorf("%.80q: removed %q; clean %q", raw, bin[0].Text, d.Clean)
		}
	}
}

// A text is read in time linear in its length: a 30 MB line of base64
// letters, 400,000 separator lines of one width and 400,000 uuencoded
// lines of zeros (runs too uniform to be data, each read once), 400,000
// ALL CAPS lines of 61 characters starting with "M" in runs of three, and
// 30 MB of base64 at width 76.
func TestBinaryLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("cleans 100 MB")
	}
	caps := "MILITARY WEAPON UNDER THIS SECTION AND WHO CHANGES HIS ADDRES"
	b64 := base64Lines(randomBytes(22<<20, 11), 76)
	for name, tc := range map[string]struct {
		raw  string
		want int // binary removals
	}{
		"one line":   {strings.Repeat("QUJD", 30<<18), 0},
		"separators": {strings.Repeat(strings.Repeat("+/", 38)+"\n", 400_000), 0},
		"caps":       {strings.Repeat(caps+"\n"+caps+"\n"+caps+"\nx\n", 133_000), 0},
		"zeros":      {strings.Repeat("M"+strings.Repeat("`", 60)+"\n", 400_000), 0},
		"base64":     {strings.Join(b64, "\n"), 1},
	} {
		start := time.Now()
		got, rem := stripBinary(tc.raw)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v", name, d)
		}
		if len(rem) != tc.want || tc.want == 0 && got != tc.raw {
			t.Errorf("%s: %d removals, want %d", name, len(rem), tc.want)
		}
	}
}

// proseRuns returns the longest run in text of full uuencode lines and of
// base64 lines of one width ≥ minB64Width, whatever their characters.
func proseRuns(text string) (uu, b64 int) {
	runUU, runB64, width := 0, 0, 0
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if uuBytes(l) == 45 {
			runUU++
		} else {
			runUU = 0
		}
		if w := b64Len(l); w < minB64Width {
			runB64 = 0
		} else if runB64 > 0 && w == width {
			runB64++
		} else {
			runB64, width = 1, w
		}
		uu, b64 = max(uu, runUU), max(b64, runB64)
	}
	return uu, b64
}

// TestBinaryRunsInProse: no block is found in the sample, the State of the
// Union addresses, the first 3,000 UN General Debate speeches or the text
// of the evaluation data (every file under ../shared/eval), and their
// longest runs of lines that either encoding allows are far below the
// thresholds.
func TestBinaryRunsInProse(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the shared corpora")
	}
	type tally struct{ docs, blocks, uu, b64 int }
	count := func(tl *tally, text string) {
		tl.docs++
		if _, rem := stripBinary(text); len(rem) > 0 {
			tl.blocks += len(rem)
			t.Errorf("a block in prose: %.200q", rem[0].Text)
		}
		uu, b64 := proseRuns(text)
		tl.uu, tl.b64 = max(tl.uu, uu), max(tl.b64, b64)
	}
	tallies := map[string]*tally{}
	read := func(name, path string, limit int) {
		tl := &tally{}
		tallies[name] = tl
		var s *corpus.Stream
		var err error
		if path == "" {
			s, err = corpus.OpenSample()
		} else {
			s, err = corpus.Open(path, corpus.Options{})
		}
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for tl.docs < limit {
			d, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			count(tl, d.Raw)
		}
	}
	read("sample", "", 1<<30)
	read("sotu", sharedtest.Path(t, "bench/sotu"), 1<<30)
	read("ungdc", sharedtest.Path(t, "bench/ungdc.jsonl.gz"), 3000)
	eval := &tally{}
	tallies["eval"] = eval
	err := filepath.WalkDir(sharedtest.Path(t, "eval"), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		count(eval, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, tl := range tallies {
		t.Logf("%s: %d documents, %d blocks, longest runs: %d full uuencode lines, %d base64 lines of one width", name, tl.docs, tl.blocks, tl.uu, tl.b64)
		if tl.docs == 0 || tl.uu >= minUURun/2 || tl.b64 >= minB64Run/2 {
			t.Errorf("%s: %d documents, runs %d and %d: too close to the thresholds %d and %d", name, tl.docs, tl.uu, tl.b64, minUURun, minB64Run)
		}
	}
}

// junkWords counts the whitespace-separated words of the analysed text
// with three or more characters that are neither letters nor digits
// ("max>'ax>'ax>", "M)B9R&KJZ)EVZ").
func junkWords(d *document.Document) int {
	n := 0
	for _, sec := range d.Sections {
		if !sec.Kind.Analysed() {
			continue
		}
		for _, w := range strings.Fields(d.Clean[sec.Start:sec.End]) {
			odd := 0
			for _, r := range w {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					odd++
				}
			}
			if odd >= 3 {
				n++
			}
		}
	}
	return n
}

// TestBinaryNewsgroupsAttachments: the 20 Newsgroups posts that carry
// files (a "begin" line, or runs of "M" lines of the parts of one) lose
// them under --clean usenet, and their junk words with them; no other post
// of the 11,314 loses a line to the rule.
func TestBinaryNewsgroupsAttachments(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 20 Newsgroups")
	}
	root := sharedtest.Path(t, "bench/20newsgroups-train")
	with, err := New(Config{Presets: []string{PresetUsenet}})
	if err != nil {
		t.Fatal(err)
	}
	without, err := New(Config{Presets: []string{PresetUsenet}, DisableBinary: true})
	if err != nil {
		t.Fatal(err)
	}
	posts, changed, junkBefore, junkAfter := 0, 0, 0, 0
	runUU, runB64 := 0, 0 // the longest runs in the other posts
	groups, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, gd := range groups {
		if !gd.IsDir() {
			continue
		}
		g := gd.Name()
		files, err := os.ReadDir(filepath.Join(root, g))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(root, g, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			posts++
			id := g + "/" + f.Name()
			d := &document.Document{ID: id, Raw: strings.ToValidUTF8(string(b), "\uFFFD")}
			rem, err := with.Explain(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			bin := 0
			for _, r := range rem {
				if r.Rule == RuleBinary {
					bin++
				}
			}
			if bin == 0 {
				uu, b64 := proseRuns(d.Raw)
				if b64 >= 2 || uu >= 2 {
					t.Logf("%s: runs %d, %d", id, uu, b64)
				}
				runUU, runB64 = max(runUU, uu), max(runB64, b64)
				continue
			}
			changed++
			k := &document.Document{ID: id, Raw: d.Raw}
			if err := without.Process(context.Background(), k); err != nil {
				t.Fatal(err)
			}
			jb, ja := junkWords(k), junkWords(d)
			junkBefore += jb
			junkAfter += ja
			t.Logf("%s: %d block(s), removed_chars %d → %d, junk words %d → %d", id, bin, k.RemovedChars, d.RemovedChars, jb, ja)
			if jb >= 100 && ja*50 > jb {
				t.Errorf("%s: %d junk words left of %d", id, ja, jb)
			}
		}
	}
	t.Logf("%d posts, %d with binary blocks; junk words %d → %d; the other posts' longest runs: %d full uuencode lines, %d base64 lines of one width", posts, changed, junkBefore, junkAfter, runUU, runB64)
	// 23: the 7 posts with a "begin" line (one of them, sci.electronics/53699,
	// a PGP key in the signature) and 16 parts of files posted in parts.
	if changed != 23 || junkAfter*100 > junkBefore || runUU >= minUURun || runB64 >= minB64Run {
		t.Errorf("%d posts changed, want 23; junk words %d → %d; runs in the others %d, %d", changed, junkBefore, junkAfter, runUU, runB64)
	}
}

// FuzzStripBinary: any text, also a block cut anywhere; each removal is a
// run of whole lines of the text, and the text without removals is kept
// as it was.
func FuzzStripBinary(f *testing.F) {
	uu := strings.Join(append(append([]string{"begin 644 a.exe"}, uuencode(randomBytes(400, 1), false)...), "end"), "\n")
	b64 := "Content-Transfer-Encoding: base64\n\n" + strings.Join(base64Lines(randomBytes(300, 2), 76), "\r\n")
	for _, s := range []string{uu, uu[:100], uu[:len(uu)-5], b64, b64[:150], "begin 644 a", "`\nend", "\r\n\r", "M\nM\nM\nM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		defer watchdog(10 * time.Second)()
		out, rem := stripBinary(text)
		if len(rem) == 0 {
			if out != text {
				t.Fatalf("no removal, but %q became %q", text, out)
			}
			return
		}
		for _, r := range rem {
			if r.Rule != RuleBinary || !strings.Contains("\n"+text+"\n", "\n"+r.Text+"\n") {
				t.Fatalf("removal %q is not a run of whole lines of %q", r.Text, text)
			}
		}
		if len(out) >= len(text) {
			t.Fatalf("removals %d, but %d bytes became %d", len(rem), len(text), len(out))
		}
	})
}
