package corpus

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

// decodeText turns file bytes into UTF-8: a UTF-8 byte-order mark is
// dropped, UTF-16 with a byte-order mark is converted, and anything else is
// read as UTF-8 with each invalid byte replaced by U+FFFD. The warning is ""
// unless bytes were replaced. Other legacy encodings are not guessed: a
// wrong guess silently garbles text, a replacement character is visible.
func decodeText(b []byte) (string, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(b)
		if err == nil {
			return validUTF8(out)
		}
	}
	return validUTF8(b)
}

// validUTF8 replaces invalid bytes by U+FFFD and says how many there were.
func validUTF8(b []byte) (string, string) {
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
	return sb.String(), fmt.Sprintf("replaced %d invalid UTF-8 byte(s) with U+FFFD", bad)
}

// validString is validUTF8 for strings already in memory (row values).
func validString(s string) (string, string) {
	if utf8.ValidString(s) {
		return s, ""
	}
	return validUTF8([]byte(s))
}
