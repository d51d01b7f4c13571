package frames

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// ParseYAML parses a YAML lexicon. A document with a top-level "frames:"
// list is a framelens lexicon (docs/frames.md); any other mapping is read as
// a quanteda-style dictionary: category -> list of words, categories nested
// to any depth and flattened as "parent.child" (quanteda's own convention).
func ParseYAML(data []byte, file string) (*Lexicon, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &ParseError{File: file, Err: err}
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, &ParseError{File: file, Err: fmt.Errorf("empty document")}
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, &ParseError{File: file, Line: top.Line, Err: fmt.Errorf("want a mapping at the top level")}
	}
	lex := &Lexicon{Source: file}
	var err error
	// A quanteda dictionary may have a category called "frames": it is a
	// list of words, not of mappings.
	if v := mapValue(top, "frames"); v != nil && v.Kind == yaml.SequenceNode &&
		(len(v.Content) == 0 || v.Content[0].Kind == yaml.MappingNode) {
		err = parseNative(top, lex)
	} else {
		err = parseQuanteda(top, "", lex)
	}
	if err != nil {
		if pe, ok := err.(*ParseError); ok {
			pe.File = file
			return nil, pe
		}
		return nil, &ParseError{File: file, Err: err}
	}
	if err := lex.Validate(); err != nil {
		return nil, err
	}
	return lex, nil
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func lineErr(n *yaml.Node, format string, a ...any) error {
	return &ParseError{Line: n.Line, Err: fmt.Errorf(format, a...)}
}

func scalarString(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", lineErr(n, "%s: want a string", what)
	}
	return n.Value, nil
}

func parseNative(top *yaml.Node, lex *Lexicon) error {
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "name":
			s, err := scalarString(v, "name")
			if err != nil {
				return err
			}
			lex.Name = s
		case "license":
			s, err := scalarString(v, "license")
			if err != nil {
				return err
			}
			lex.License = s
		case "frames":
			for _, fn := range v.Content {
				f, err := parseFrame(fn)
				if err != nil {
					return err
				}
				lex.Frames = append(lex.Frames, f)
			}
		case "references":
			if v.Kind != yaml.MappingNode {
				return lineErr(v, "references: want a mapping of key: citation")
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				c, err := scalarString(v.Content[j+1], "reference "+v.Content[j].Value)
				if err != nil {
					return err
				}
				lex.References = append(lex.References, Reference{Key: v.Content[j].Value, Citation: c})
			}
		case "derived_from":
			l, err := stringList(v, "derived_from")
			if err != nil {
				return err
			}
			lex.DerivedFrom = l
		default:
			return lineErr(k, "unknown key %q (want name, license, references, derived_from, frames)", k.Value)
		}
	}
	return nil
}

func parseFrame(n *yaml.Node) (Frame, error) {
	var f Frame
	if n.Kind != yaml.MappingNode {
		return f, lineErr(n, "a frame must be a mapping with name, description, entries")
	}
	lemmaDefault := false
	var sourceDefault []string
	var entries *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var err error
		switch k.Value {
		case "name":
			f.Name, err = scalarString(v, "name")
		case "description":
			f.Description, err = scalarString(v, "description")
		case "note":
			f.Note, err = scalarString(v, "note")
		case "lemma":
			err = v.Decode(&lemmaDefault)
			if err != nil {
				err = lineErr(v, "lemma: want true or false")
			}
		case "source":
			sourceDefault, err = stringList(v, "source")
		case "entries":
			if v.Kind != yaml.SequenceNode {
				err = lineErr(v, "entries: want a list")
			}
			entries = v
		default:
			err = lineErr(k, "unknown frame key %q (want name, description, note, lemma, source, entries)", k.Value)
		}
		if err != nil {
			return f, err
		}
	}
	if f.Name == "" {
		return f, lineErr(n, "frame without a name")
	}
	if entries == nil {
		return f, lineErr(n, "frame %q has no entries", f.Name)
	}
	for _, en := range entries.Content {
		e := Entry{Lemma: lemmaDefault, Line: en.Line, Sources: sourceDefault}
		switch en.Kind {
		case yaml.ScalarNode:
			e.Pattern = en.Value
		case yaml.MappingNode:
			for i := 0; i+1 < len(en.Content); i += 2 {
				k, v := en.Content[i], en.Content[i+1]
				switch k.Value {
				case "term":
					s, err := scalarString(v, "term")
					if err != nil {
						return f, err
					}
					e.Pattern = s
				case "weight":
					w, err := strconv.ParseFloat(v.Value, 64)
					if err != nil || v.Kind != yaml.ScalarNode {
						return f, lineErr(v, "weight: want a number, got %q", v.Value)
					}
					e.Weight = w
				case "lemma":
					if err := v.Decode(&e.Lemma); err != nil {
						return f, lineErr(v, "lemma: want true or false")
					}
				case "exclude":
					l, err := stringList(v, "exclude")
					if err != nil {
						return f, err
					}
					e.Exclude = l
				case "source":
					l, err := stringList(v, "source")
					if err != nil {
						return f, err
					}
					e.Sources = l
				default:
					return f, lineErr(k, "unknown entry key %q (want term, weight, lemma, exclude, source)", k.Value)
				}
			}
		default:
			return f, lineErr(en, "an entry is a string or a mapping with term, weight, lemma")
		}
		if err := checkPattern(e.Pattern); err != nil {
			return f, lineErr(en, "frame %q: %v", f.Name, err)
		}
		if err := checkExclude(e.Pattern, e.Exclude); err != nil {
			return f, lineErr(en, "frame %q: %v", f.Name, err)
		}
		addEntry(&f, e)
	}
	return f, nil
}

// stringList reads a string or a list of strings.
func stringList(n *yaml.Node, what string) ([]string, error) {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, lineErr(n, "%s: want a string or a list of strings", what)
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return nil, lineErr(c, "%s: want a string or a list of strings", what)
		}
		out = append(out, c.Value)
	}
	return out, nil
}

// parseQuanteda walks category -> words maps; nested maps extend the name.
func parseQuanteda(m *yaml.Node, prefix string, lex *Lexicon) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name := k.Value
		if prefix != "" {
			name = prefix + "." + name
		}
		switch v.Kind {
		case yaml.SequenceNode:
			f := Frame{Name: name}
			for _, w := range v.Content {
				if w.Kind != yaml.ScalarNode {
					return lineErr(w, "category %q: want a list of words", name)
				}
				if err := checkPattern(w.Value); err != nil {
					return lineErr(w, "category %q: %v", name, err)
				}
				addEntry(&f, Entry{Pattern: w.Value, Line: w.Line})
			}
			lex.Frames = append(lex.Frames, f)
		case yaml.ScalarNode:
			// A category with a single word written inline.
			if err := checkPattern(v.Value); err != nil {
				return lineErr(v, "category %q: %v", name, err)
			}
			f := Frame{Name: name}
			addEntry(&f, Entry{Pattern: v.Value, Line: v.Line})
			lex.Frames = append(lex.Frames, f)
		case yaml.MappingNode:
			if err := parseQuanteda(v, name, lex); err != nil {
				return err
			}
		default:
			return lineErr(v, "category %q: want a list of words or a nested map", name)
		}
	}
	return nil
}
