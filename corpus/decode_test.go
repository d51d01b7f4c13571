package corpus

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian bool) []byte {
	var b []byte
	if bigEndian {
		b = []byte{0xFE, 0xFF}
	} else {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func TestDecodeText(t *testing.T) {
	const s = "China’s “push–pull” talent — policy ﬁrst 中国"
	for name, in := range map[string][]byte{
		"utf8":     []byte(s),
		"utf8-bom": append([]byte{0xEF, 0xBB, 0xBF}, s...),
		"utf16le":  utf16Bytes(s, false),
		"utf16be":  utf16Bytes(s, true),
	} {
		got, warn := decodeText(in)
		if got != s || warn != "" {
			t.Errorf("%s: got %q, %q", name, got, warn)
		}
	}
	got, warn := decodeText([]byte("caf\xe9 na\xefve"))
	if got != "caf\uFFFD na\uFFFDve" || !strings.Contains(warn, "replaced 2 invalid") {
		t.Errorf("latin-1 bytes: %q %q", got, warn)
	}
}

func TestInvalidBytesBecomeDocumentWarning(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), []byte("Caf\xe9 society."))
	writeFile(t, filepath.Join(dir, "b.txt"), utf16Bytes("Wide text.", false))
	docs, _ := openAll(t, dir, Options{})
	// Both are short texts, which the cleaner also warns about; only the
	// decoding warnings count here.
	decodeWarnings := func(ws []string) int {
		n := 0
		for _, w := range ws {
			if strings.Contains(w, "invalid UTF-8") {
				n++
			}
		}
		return n
	}
	if len(docs) != 2 || decodeWarnings(docs[0].Warnings) != 1 || docs[0].Raw != "Caf\uFFFD society." || docs[1].Raw != "Wide text." || decodeWarnings(docs[1].Warnings) != 0 {
		t.Errorf("docs: %q %v / %q", docs[0].Raw, docs[0].Warnings, docs[1].Raw)
	}
}

const testPage = `<!DOCTYPE html><html><head><title>Visa Reviews and Research Security | Policy Review</title>
<style>p { color: red }</style><script>var tracking = "Subscribe now";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/archive">Archive</a></li><li>Login</li></ul></nav>
<article>
<h1>Visa Reviews and Research Security</h1>
<p>The United States tightened visa reviews for researchers in sensitive fields after 2018, and several allies followed with screening rules of their own for graduate students and visiting scholars.</p>
<h2>Sanctions Alliance</h2>
<p>Export controls and entity lists were coordinated with partners, restricting the flow of talent as well as of technology. Universities reported delays in admissions and cancelled exchanges across many programmes.</p>
<p>Research security offices were created at <em>many</em> universities to review collaborations, funding sources and the affiliations of visiting researchers before they arrive.</p>
<h2>Responses</h2>
<p>China expanded domestic training and recruitment programmes while widening cooperation with Europe and Southeast Asia, seeking to replace exchanges that had become difficult.</p>
</article>
<footer><p>Copyright 2024 Policy Review. All rights reserved.</p></footer>
</body></html>`

func TestHTMLKeepsHeadingsOnOwnLines(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "page.html"), []byte(testPage))
	docs, _ := openAll(t, filepath.Join(dir, "page.html"), Options{})
	d := docs[0]
	for _, bad := range []string{"tracking", "color: red", "Archive", "Login"} {
		if strings.Contains(d.Raw, bad) {
			t.Errorf("%q survived HTML extraction:\n%s", bad, d.Raw)
		}
	}
	if !strings.Contains(d.Raw, "\n\nSanctions Alliance\n\nExport controls") || !strings.Contains(d.Raw, "at many universities") {
		t.Errorf("headings or inline text lost:\n%s", d.Raw)
	}
	var heads []string
	for _, s := range d.Sections {
		heads = append(heads, string(s.Kind)+":"+s.Heading)
	}
	if got := strings.Join(heads, "|"); !strings.Contains(got, "body:Sanctions Alliance|body:Responses") || !strings.HasPrefix(got, "front_matter:") {
		t.Errorf("sections = %s\n%s", got, d.Clean)
	}
}
