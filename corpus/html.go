package corpus

import (
	"bytes"
	"strings"

	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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
func htmlToText(src string) (htmlText, error) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return htmlText{}, err
	}
	var out htmlText
	node := root
	// readability mutates the tree it is given, so give it its own parse.
	if art, err := readability.FromReader(strings.NewReader(src), nil); err == nil && art.Node != nil && strings.TrimSpace(art.TextContent) != "" {
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
