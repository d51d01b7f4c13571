package corpus

import (
	"bytes"
	"strings"

	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

type htmlText struct {
	text  string
	title string
}

// htmlToText extracts the main content of a web page with go-readability
// (which drops navigation, sidebars and footers) and renders it as plain
// text: one paragraph per block element, blank lines between paragraphs, and
// each heading on a line of its own so the cleaner recognises it. When
// readability finds no article the whole body is rendered instead.
//
// The page is parsed once. readability.FromDocument works on its own deep
// copy of the tree (ParseDocument clones it, and grabArticle clones again
// for each attempt: the library forces those copies, not re-parses), so the
// same tree serves as the fallback. readability.FromReader would parse a
// second time through dom.Parse, which also guesses the encoding (chardet)
// of what is already UTF-8 here and garbled it ("It’s" → "Itâ€™s"); what
// dom.Parse does besides — drop soft hyphens, compose to NFC — is done by
// htmlSource, so the text is otherwise the same.
func htmlToText(src string) (htmlText, error) {
	root, err := html.Parse(strings.NewReader(htmlSource(src)))
	if err != nil {
		return htmlText{}, err
	}
	var out htmlText
	node := root
	if art, err := readability.FromDocument(root, nil); err == nil && art.Node != nil && strings.TrimSpace(art.TextContent) != "" {
		node = art.Node
		out.title = strings.TrimSpace(art.Title)
	}
	r := &htmlRenderer{}
	r.walk(node)
	r.flush()
	text := strings.Join(r.paras, "\n\n")
	// readability lifts the title out of the content; put it back on top so
	// the cleaner can file it as front matter.
	if out.title != "" && !strings.HasPrefix(text, out.title) {
		text = out.title + "\n\n" + text
	}
	out.text = text
	return out, nil
}

// htmlSource prepares a page's text as go-shiori/dom.Parse does before it
// parses (normalizeTextEncoding: NFD, soft hyphens removed, NFC), without
// its encoding guess. Removing U+00AD, a starter that nothing decomposes to,
// commutes with NFD, and NFC(NFD(s)) = NFC(s): so this is NFC(s without
// U+00AD), which costs one quick check when the page is already NFC.
func htmlSource(src string) string {
	if strings.Contains(src, "\u00AD") {
		src = strings.ReplaceAll(src, "\u00AD", "")
	}
	return norm.NFC.String(src)
}

type htmlRenderer struct {
	paras []string
	cur   bytes.Buffer
	pre   int
}

var htmlSkip = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Nav: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Iframe: true, atom.Form: true,
	atom.Button: true, atom.Select: true, atom.Head: true,
}

var htmlBlock = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Tr: true, atom.Table: true,
	atom.Blockquote: true, atom.Pre: true, atom.Figure: true, atom.Figcaption: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Header: true, atom.Footer: true,
	atom.Main: true, atom.Aside: true, atom.Address: true, atom.Hr: true,
	atom.Caption: true, atom.Body: true, atom.Html: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

func (r *htmlRenderer) flush() {
	t := strings.TrimSpace(r.cur.String())
	r.cur.Reset()
	if t == "" {
		return
	}
	if r.pre == 0 {
		t = strings.Join(strings.Fields(t), " ")
	}
	r.paras = append(r.paras, t)
}

func (r *htmlRenderer) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		r.cur.WriteString(n.Data)
		return
	case html.ElementNode:
		if htmlSkip[n.DataAtom] {
			return
		}
		if n.DataAtom == atom.Br {
			if r.pre > 0 {
				r.cur.WriteByte('\n')
			} else {
				r.flush()
			}
			return
		}
		if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
			r.cur.WriteByte(' ')
		}
	}
	block := n.Type == html.ElementNode && htmlBlock[n.DataAtom]
	if block {
		r.flush()
	}
	if n.DataAtom == atom.Pre {
		r.pre++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c)
	}
	if n.DataAtom == atom.Pre {
		r.pre--
	}
	if block {
		r.flush()
	}
}
