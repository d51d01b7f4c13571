package corpus

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// decoder turns input bytes into UTF-8. Text that is valid UTF-8 is always
// taken as UTF-8 (a legacy-encoded text is almost never valid UTF-8, while
// UTF-8 read as Windows-1252 is garbled without a trace), so one corpus may
// mix UTF-8 files with files in its legacy encoding. Only bytes that are not
// valid UTF-8 are decoded with the configured fallback, and without one each
// invalid byte becomes a visible U+FFFD. Nothing is guessed for plain text:
// a wrong guess garbles text silently.
type decoder struct {
	fallback encoding.Encoding // nil: replace invalid bytes
	name     string            // the fallback's canonical name
}

// newDecoder resolves Options.Encoding, a WHATWG encoding label
// ("windows-1252", "latin1", "gb18030", "gbk", "shift_jis", "big5",
// "euc-kr", …); "" and "utf-8" mean no fallback.
func newDecoder(label string) (decoder, error) {
	label = strings.TrimSpace(label)
	if label == "" {
		return decoder{}, nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return decoder{}, fmt.Errorf("encoding %q: unknown; want a WHATWG encoding label such as windows-1252, iso-8859-2, gb18030, shift_jis, big5 or euc-kr", label)
	}
	name, _ := htmlindex.Name(enc)
	if name == "utf-8" {
		return decoder{}, nil
	}
	return decoder{fallback: enc, name: name}, nil
}

// text decodes the bytes of one file: a byte-order mark decides (UTF-8's is
// dropped, UTF-16 is converted), then valid UTF-8 is kept as it is. Bytes
// that are not valid UTF-8 are decoded with the fallback; for HTML without
// a fallback, with the encoding the page declares in a <meta> charset or,
// failing that, HTML's default, Windows-1252 (the HTML standard's sniffing
// rules, as a browser does). The warning is "" when the text was UTF-8.
func (d decoder) text(b []byte, isHTML bool) (string, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		if out, err := dec.Bytes(b); err == nil {
			return replaceInvalid(out, "")
		}
	}
	if utf8.Valid(b) {
		return string(b), ""
	}
	enc, name, why := d.fallback, d.name, "reader.encoding"
	if enc == nil && isHTML {
		enc, name, _ = charset.DetermineEncoding(b, "text/html")
		why = "the page's declared charset, or HTML's default"
		if name == "utf-8" { // declared UTF-8 but invalid: replace
			enc = nil
		}
	}
	if enc == nil {
		return replaceInvalid(b, "; if the file is in a legacy encoding, set reader.encoding (e.g. windows-1252, gb18030)")
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return replaceInvalid(b, "")
	}
	s, _ := replaceInvalid(out, "")
	return s, fmt.Sprintf("not valid UTF-8: decoded as %s (%s)", name, why)
}

// textString is text for a document's text read from a row: most are
// valid UTF-8 without a byte-order mark and are returned as they are,
// without the copies of a conversion to bytes and back.
func (d decoder) textString(s string) (string, string) {
	if utf8.ValidString(s) && !strings.HasPrefix(s, "\uFEFF") {
		return s, ""
	}
	return d.text([]byte(s), false)
}

// str makes a value read from a row (an id, a group, a metadata cell)
// valid UTF-8 as text does a file; ok is false when it had to change.
func (d decoder) str(s string) (string, bool) {
	if utf8.ValidString(s) {
		return s, true
	}
	out, _ := d.text([]byte(s), false)
	return out, false
}

// replaceInvalid replaces invalid bytes by U+FFFD and says how many there
// were, followed by hint.
func replaceInvalid(b []byte, hint string) (string, string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	var sb bytes.Buffer
	sb.Grow(len(b) + 16)
	bad := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			bad++
			sb.WriteRune(utf8.RuneError)
		} else {
			sb.Write(b[:size])
		}
		b = b[size:]
	}
	return sb.String(), fmt.Sprintf("replaced %d invalid UTF-8 byte(s) with U+FFFD%s", bad, hint)
}

// fields makes a document's identity and metadata strings valid UTF-8, as
// Arrow and Parquet strings must be (pyarrow refuses to read a column with
// an invalid byte), and warns once naming the fields it changed. Ids, groups
// and metadata come from row cells and file names, which may be in the
// corpus's legacy encoding too.
func (d decoder) fields(doc *Document) {
	var changed []string
	fix := func(name string, s *string) {
		if v, ok := d.str(*s); !ok {
			*s = v
			changed = append(changed, name)
		}
	}
	fix("id", &doc.ID)
	fix("group", &doc.Group)
	fix("title", &doc.Title)
	fix("lang", &doc.Lang)
	fix("source", &doc.Source)
	for i := range doc.Authors {
		fix("authors", &doc.Authors[i])
	}
	for k, v := range doc.Meta {
		if s, ok := v.(string); ok {
			fix(k, &s)
			doc.Meta[k] = s
		}
		if kv, ok := d.str(k); !ok {
			doc.Meta[kv] = doc.Meta[k]
			delete(doc.Meta, k)
			changed = append(changed, "column name "+kv)
		}
	}
	for i := range doc.AuthorKeywords {
		fix("keywords", &doc.AuthorKeywords[i])
	}
	if len(changed) == 0 {
		return
	}
	how := "invalid bytes replaced with U+FFFD"
	if d.fallback != nil {
		how = "decoded as " + d.name
	}
	doc.Warnings = append(doc.Warnings, fmt.Sprintf("%s not valid UTF-8: %s", strings.Join(sortedUnique(changed), ", "), how))
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
