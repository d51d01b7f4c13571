package corpus

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlRows reads a YAML manifest: a list of mappings, or a mapping with a
// "documents" list and optional "defaults" applied to every row. YAML is
// read whole (it cannot be streamed by yaml.v3); use JSONL, CSV or Parquet
// for corpora whose text is inside the rows.
type yamlRows struct {
	name     string
	items    []*yaml.Node
	defaults []kv
	i        int
	// aliases bounds what aliases expand to (aliasBudget).
	aliases *aliasBudget
}

// aliasBudget bounds the bytes that YAML aliases expand to, to the size of
// the YAML itself: an anchored list of a million words named by a million
// aliases is 16 MB of YAML and 10^12 words of values (an alias bomb), which
// would hang the reader. Plain YAML, whose aliases repeat a few values,
// stays far below.
type aliasBudget struct{ left int64 }

// errAliasBomb is an alias expansion beyond the budget.
var errAliasBomb = errors.New("anchors and aliases expand to more than the YAML's own size: an alias bomb? write the values out")

func (b *aliasBudget) spend(v *yaml.Node) error {
	if b == nil {
		return nil
	}
	n := int64(len(v.Value)) + 1
	for _, e := range v.Content {
		n += int64(len(e.Value)) + 1
	}
	if b.left -= n; b.left < 0 {
		return errAliasBomb
	}
	return nil
}

var (
	yamlLineRE = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: `)
	// yaml.v3 reports parser errors (unlike scanner errors) with a 0-based
	// line; these are the parser's messages.
	yamlParserMsgRE = regexp.MustCompile(`did not find expected (key|',' or|'-' indicator|node content|<document start>)`)
)

func newYAMLRows(fsys *fileSys, name string) (*yamlRows, error) {
	r, c, err := fsys.openStream(name)
	if err != nil {
		return nil, inputError("open", name, err)
	}
	defer c.Close()
	// Read whole, as yaml.v3 needs it: bounded like a row (twice
	// reader.max_doc_bytes), since its node tree takes many times its size.
	b, err := readBounded(r, 0, fsys.lim.maxRow(), "the YAML manifest (read whole; use JSONL, CSV or Parquet for corpora this large)", "twice reader.max_doc_bytes")
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, &ParseError{File: name, Err: err}
		}
		return nil, inputError("read", name, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, yamlParseError(name, err)
	}
	y := &yamlRows{name: name, aliases: &aliasBudget{left: int64(len(b))}}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return y, nil // empty manifest: no documents
	}
	top := doc.Content[0]
	switch top.Kind {
	case yaml.SequenceNode:
		y.items = top.Content
	case yaml.MappingNode:
		for i := 0; i+1 < len(top.Content); i += 2 {
			k, v := top.Content[i], top.Content[i+1]
			switch k.Value {
			case "documents":
				if v.Kind != yaml.SequenceNode {
					return nil, &ParseError{File: name, Line: v.Line, Column: v.Column, Err: errors.New("documents must be a list")}
				}
				y.items = v.Content
			case "defaults":
				if v.Kind != yaml.MappingNode {
					return nil, &ParseError{File: name, Line: v.Line, Column: v.Column, Err: errors.New("defaults must be a mapping")}
				}
				cols, err := yamlMapping(name, v, y.aliases)
				if err != nil {
					return nil, err
				}
				y.defaults = cols
			default:
				return nil, &ParseError{File: name, Line: k.Line, Column: k.Column, Err: fmt.Errorf("unknown key %q (want documents or defaults)", k.Value)}
			}
		}
	default:
		return nil, &ParseError{File: name, Line: top.Line, Column: top.Column, Err: errors.New("a manifest is a list of documents or a mapping with a documents: list")}
	}
	return y, nil
}

func yamlParseError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	pe := &ParseError{File: name}
	if m := yamlLineRE.FindStringSubmatchIndex(msg); m != nil {
		pe.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		if yamlParserMsgRE.MatchString(msg) {
			pe.Line++
		}
		if m[4] >= 0 {
			pe.Column, _ = strconv.Atoi(msg[m[4]:m[5]])
		}
		msg = msg[:m[0]] + msg[m[1]:]
	}
	pe.Err = errors.New(strings.TrimSpace(msg))
	return pe
}

func (y *yamlRows) next() (row, error) {
	if y.i >= len(y.items) {
		return row{}, io.EOF
	}
	n := y.items[y.i]
	y.i++
	if n.Kind != yaml.MappingNode {
		return row{}, &DocError{Source: fmt.Sprintf("%s:%d", y.name, n.Line), Err: errors.New("a document entry must be a mapping of columns")}
	}
	cols, err := yamlMapping(y.name, n, y.aliases)
	if errors.Is(err, errAliasBomb) {
		return row{}, &ParseError{File: y.name, Line: n.Line, Err: errAliasBomb}
	}
	if err != nil {
		return row{}, &DocError{Source: fmt.Sprintf("%s:%d", y.name, n.Line), Err: err}
	}
	if len(y.defaults) > 0 {
		have := map[string]bool{}
		for _, c := range cols {
			have[c.key] = true
		}
		for _, d := range y.defaults {
			if !have[d.key] {
				cols = append(cols, d)
			}
		}
	}
	return row{line: n.Line, cols: cols}, nil
}

func yamlMapping(name string, n *yaml.Node, aliases *aliasBudget) ([]kv, error) {
	cols := make([]kv, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		val, err := yamlValue(v, aliases)
		if err != nil {
			return nil, fmt.Errorf("line %d: column %q: %w", v.Line, k.Value, err)
		}
		cols = append(cols, kv{k.Value, val})
	}
	return cols, nil
}

func yamlValue(v *yaml.Node, aliases *aliasBudget) (any, error) {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
		if err := aliases.spend(v); err != nil {
			return nil, err
		}
	}
	switch v.Kind {
	case yaml.ScalarNode:
		switch v.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!int":
			var n int64
			if err := v.Decode(&n); err != nil {
				return nil, err
			}
			return n, nil
		case "!!float":
			var f float64
			if err := v.Decode(&f); err != nil {
				return nil, err
			}
			return f, nil
		case "!!bool":
			var b bool
			if err := v.Decode(&b); err != nil {
				return nil, err
			}
			return b, nil
		}
		return v.Value, nil // strings, and timestamps as written
	case yaml.SequenceNode:
		out := make([]string, 0, len(v.Content))
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode {
				return nil, errors.New("lists may hold only plain values")
			}
			out = append(out, e.Value)
		}
		return out, nil
	}
	return nil, errors.New("nested mappings are not supported")
}

func (y *yamlRows) close() error { return nil }
