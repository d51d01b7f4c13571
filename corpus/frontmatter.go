package corpus

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Markdown front matter: the YAML block that Jekyll, Hugo, Quarto, Obsidian
// and pandoc put at the top of a .md file, between a "---" line and a "---"
// or "..." line. It is the document's metadata, not its text: it fills the
// fields a manifest row would (a manifest row's own values win), and it is
// left out of Raw so that "title:" and "tags:" lines are not analysed.

// splitFrontMatter returns the YAML of a front matter block at the very
// start of text and the text after it; ok is false when there is none.
func splitFrontMatter(text string) (yamlText, body string, ok bool) {
	first, rest, found := strings.Cut(text, "\n")
	if !found || strings.TrimRight(first, " \t\r") != "---" {
		return "", text, false
	}
	for off := 0; off < len(rest); {
		line, _, _ := strings.Cut(rest[off:], "\n")
		if t := strings.TrimRight(line, " \t\r"); t == "---" || t == "..." {
			end := off + len(line)
			if end < len(rest) {
				end++ // the closing line's newline
			}
			return rest[:off], rest[end:], true
		}
		off += len(line) + 1
	}
	return "", text, false // an opening rule with no closing one: a thematic break
}

// applyFrontMatter fills doc from the front matter's YAML: title, author or
// authors, date or year (the year), lang or language, group; every other
// key with a scalar or a list of scalars goes to Meta (lists "; "-joined,
// dates as written, as a YAML manifest gives them: values are typed by
// yamlValue). Nested mappings are skipped: nothing a table column could
// hold. It returns a warning when the YAML cannot be read; the block is
// then left out of the text all the same.
func applyFrontMatter(doc *Document, yamlText string) string {
	var root yaml.Node
	err := yaml.Unmarshal([]byte(yamlText), &root)
	if err == nil && len(root.Content) > 0 && root.Content[0].Kind != yaml.MappingNode {
		err = errors.New("not a mapping of keys")
	}
	if err != nil {
		return fmt.Sprintf("front matter is not valid YAML, ignored: %v", err)
	}
	if len(root.Content) == 0 {
		return "" // an empty block
	}
	m := root.Content[0]
	aliases := &aliasBudget{left: int64(len(yamlText))}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i].Value
		v, err := yamlValue(m.Content[i+1], aliases)
		if errors.Is(err, errAliasBomb) {
			return fmt.Sprintf("front matter ignored from key %q on: %v", k, err)
		}
		if err != nil || v == nil || v == "" {
			continue
		}
		s := scalarString(v)
		switch strings.ToLower(k) {
		case "title":
			doc.Title = s
			continue
		case "author", "authors":
			doc.Authors = authorList(v)
			continue
		case "year":
			if y, ok := yearOf(v); ok {
				doc.Year = y
				continue
			}
		case "date":
			if len(s) >= 4 {
				if y, err := strconv.Atoi(s[:4]); err == nil && doc.Year == 0 {
					doc.Year = y
				}
			}
		case "lang", "language":
			doc.Lang = s
			continue
		case "group":
			doc.Group = s
			continue
		}
		if doc.Meta == nil {
			doc.Meta = map[string]any{}
		}
		if l, ok := v.([]string); ok {
			v = strings.Join(l, "; ")
		}
		doc.Meta[k] = v
	}
	return ""
}
