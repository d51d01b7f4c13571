package corpus

import (
	"fmt"
	"strconv"
	"strings"
	"time"

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
// dates as ISO text, as row dumps give them). It returns a warning when the
// YAML cannot be read; the block is then left out of the text all the same.
func applyFrontMatter(doc *Document, yamlText string) string {
	var fields map[string]any
	if err := yaml.Unmarshal([]byte(yamlText), &fields); err != nil {
		return fmt.Sprintf("front matter is not valid YAML, ignored: %v", err)
	}
	for k, v := range fields {
		v = frontMatterValue(v)
		if v == nil {
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
			if y, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
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

// frontMatterValue maps a decoded YAML value onto the types Meta holds:
// int64, float64, bool, string, or []string for a list of scalars; nil for
// anything else (a nested mapping says nothing a table column could hold).
func frontMatterValue(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
		return x
	case int:
		return int64(x)
	case int64, float64, bool:
		return x
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339)
	case []any:
		var out []string
		for _, e := range x {
			switch e := frontMatterValue(e).(type) {
			case nil, []string:
			default:
				out = append(out, scalarString(e))
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return nil
}
