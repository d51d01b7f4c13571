package corpus

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
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
		got, warn := decoder{}.text(in, false)
		if got != s || warn != "" {
			t.Errorf("%s: got %q, %q", name, got, warn)
		}
	}
	got, warn := decoder{}.text([]byte("caf\xe9 na\xefve"), false)
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
	if got := strings.Join(heads, "|"); !strings.Contains(got, "body:Sanctions Alliance|body:Responses") || !strings.HasPrefix(got, "title:") {
		t.Errorf("sections = %s\n%s", got, d.Clean)
	}
}

// encodeAs writes s in a legacy encoding, as a file from an older system would be.
func encodeAs(t *testing.T, s string, enc encoding.Encoding) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func warningWith(ws []string, part string) string {
	for _, w := range ws {
		if strings.Contains(w, part) {
			return w
		}
	}
	return ""
}

func TestEncodingFallback(t *testing.T) {
	const french = "Le café du coin — « naïve » — reste ouvert. The talent policy of the government is “open”."
	const chinese = "国际人才流动是国家竞争的关键领域。This paper builds a dual-drive model."
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "fr.txt"), encodeAs(t, french, charmap.Windows1252))
	writeFile(t, filepath.Join(dir, "utf8.txt"), []byte(french)) // a UTF-8 file in the same corpus
	writeFile(t, filepath.Join(dir, "zh.txt"), encodeAs(t, chinese, simplifiedchinese.GB18030))

	docs, _ := openAll(t, dir, Options{})
	byID := map[string]*Document{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	if w := warningWith(byID["fr"].Warnings, "invalid UTF-8"); !strings.Contains(w, "set reader.encoding") {
		t.Errorf("without an encoding, fr.txt should warn and point at reader.encoding; warnings %q", byID["fr"].Warnings)
	}

	for _, label := range []string{"windows-1252", "latin1", "cp1252"} {
		docs, _ = openAll(t, dir, Options{Encoding: label})
		for _, d := range docs {
			byID[d.ID] = d
		}
		if got := byID["fr"].Raw; got != french {
			t.Errorf("%s: fr.txt read as %q", label, got)
		}
		if w := warningWith(byID["fr"].Warnings, "not valid UTF-8"); !strings.Contains(w, "decoded as windows-1252") {
			t.Errorf("%s: fr.txt warnings %q", label, byID["fr"].Warnings)
		}
		// Valid UTF-8 is never re-read in the fallback encoding.
		if got := byID["utf8"].Raw; got != french || warningWith(byID["utf8"].Warnings, "UTF-8") != "" {
			t.Errorf("%s: the UTF-8 file became %q, warnings %q", label, got, byID["utf8"].Warnings)
		}
	}
	docs, _ = openAll(t, dir, Options{Encoding: "gb18030"})
	for _, d := range docs {
		if d.ID == "zh" && d.Raw != chinese {
			t.Errorf("gb18030: zh.txt read as %q", d.Raw)
		}
	}
}

func TestUnknownEncoding(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), []byte("Some text."))
	_, err := Open(dir, Options{Encoding: "klingon-8"})
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), `reader.encoding "klingon-8": unknown`) {
		t.Fatalf("want an error naming the corpus and the label, got %v", err)
	}
}

// An HTML page in a legacy encoding says so in a <meta> charset; it is
// honoured with no configuration, as a browser would.
func TestHTMLDeclaredCharset(t *testing.T) {
	const body = "国际人才流动与科研安全。Talent mobility and research security are debated in both countries."
	page := `<html><head><meta charset="gbk"><title>Talent</title></head><body><article><p>` + body + `</p></article></body></html>`
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "page.html"), encodeAs(t, page, simplifiedchinese.GBK))
	docs, _ := openAll(t, dir, Options{})
	if len(docs) != 1 || !strings.Contains(docs[0].Raw, body) {
		t.Fatalf("page read as %q", docs[0].Raw)
	}
	if w := warningWith(docs[0].Warnings, "not valid UTF-8"); !strings.Contains(w, "decoded as gbk") {
		t.Errorf("warnings %q", docs[0].Warnings)
	}
}

// Ids, groups and metadata must be valid UTF-8 too: pyarrow refuses to
// read a Parquet string column with an invalid byte.
func TestRowFieldsMadeValidUTF8(t *testing.T) {
	csv := "id,group,region,text\nd1,Soci\xe9t\xe9,\xcele-de-France,\"Le caf\xe9 est tr\xe8s bon, said the minister.\"\n"
	p := filepath.Join(t.TempDir(), "rows.csv")
	writeFile(t, p, []byte(csv))

	docs, _ := openAll(t, p, Options{})
	d := docs[0]
	if !utf8.ValidString(d.Group) || !utf8.ValidString(d.Meta["region"].(string)) || !utf8.ValidString(d.Raw) {
		t.Fatalf("invalid UTF-8 left: group %q region %q text %q", d.Group, d.Meta["region"], d.Raw)
	}
	if w := warningWith(d.Warnings, "group, region not valid UTF-8"); w == "" {
		t.Errorf("want one warning naming the fields; got %q", d.Warnings)
	}

	docs, _ = openAll(t, p, Options{Encoding: "windows-1252"})
	d = docs[0]
	if d.Group != "Société" || d.Meta["region"] != "Île-de-France" || d.Raw != "Le café est très bon, said the minister." {
		t.Errorf("windows-1252: group %q region %q text %q", d.Group, d.Meta["region"], d.Raw)
	}
}
