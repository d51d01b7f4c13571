package corpus

import (
	"io/fs"
	"strings"
	"testing"
)

// benchPage builds a web page of about 60 KB around the sample papers'
// paragraphs: navigation, an article with headings, a sidebar and a footer.
func benchPage(tb testing.TB) string {
	tb.Helper()
	b, err := fs.ReadFile(SampleFS(), "zhang2024.txt")
	if err != nil {
		tb.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Talent Competition | Journal</title>` +
		`<script>var x = 1;</script></head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/a">Archives</a></li></ul></nav>` +
		`<main><article><h1>Talent Competition Under the New Pattern</h1>`)
	n := 0
	for _, para := range strings.Split(string(b), "\n\n") {
		para = strings.TrimSpace(para)
		switch {
		case para == "":
		case len(para) < 80:
			sb.WriteString("<h2>" + para + "</h2>\n")
		default:
			sb.WriteString("<p>" + para + "</p>\n")
		}
		if n++; sb.Len() > 60_000 {
			break
		}
	}
	sb.WriteString(`</article><aside><h3>Similar Articles</h3><ul><li><a href="/1">One</a></li><li><a href="/2">Two</a></li></ul></aside></main>` +
		`<footer><p>Copyright 2024. All rights reserved.</p></footer></body></html>`)
	return sb.String()
}

// BenchmarkHTMLToText extracts and renders the main content of a page.
func BenchmarkHTMLToText(b *testing.B) {
	for _, c := range []struct{ name, page string }{{"small", testPage}, {"60KB", benchPage(b)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.page)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := htmlToText(c.page); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A page is parsed once, from the text already decoded as UTF-8: nothing
// guesses its encoding again. (readability.FromReader did, and turned
// "It’s" into "Itâ€™s" on short English pages.) Soft hyphens go and
// decomposed letters are composed (NFC), as readability's own parser does.
func TestHTMLTextNotDecodedTwice(t *testing.T) {
	page := "<html><head><title>Visa policy</title></head><body><article>" +
		"<p>It’s a test of the visa regime and its effects on researchers.</p>" +
		"<p>Infor\u00ADmation on cafe\u0301s.</p></article></body></html>"
	doc, err := docFromBytes([]byte(page), "page.html", decoder{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Visa policy\n\nIt’s a test of the visa regime and its effects on researchers.\n\nInformation on cafés."
	if doc.Raw != want || doc.Title != "Visa policy" {
		t.Errorf("Raw = %q, title %q; want %q", doc.Raw, doc.Title, want)
	}
}
