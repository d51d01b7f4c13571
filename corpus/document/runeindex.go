package document

import "unicode/utf8"

// RuneIndex converts byte offsets of one string into code-point offsets,
// which the output tables use so that Python's text[start:end] works. It
// keeps the code-point count at every 32nd byte, so a lookup counts at most
// 31 bytes (an eighth of the text's size in marks: a 50 MB text's ten
// million tokens took seconds at every 256th); for ASCII text it is the
// identity.
type RuneIndex struct {
	s     string
	ascii bool
	marks []int32 // marks[k] = code points that start before byte k*runeIndexStep
}

const runeIndexStep = 32

// NewRuneIndex indexes s.
func NewRuneIndex(s string) *RuneIndex {
	ix := &RuneIndex{s: s, ascii: true}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ix.ascii = false
			break
		}
	}
	if ix.ascii {
		return ix
	}
	ix.marks = make([]int32, len(s)/runeIndexStep+1)
	n := int32(0)
	for i := 0; i < len(s); i++ {
		if i%runeIndexStep == 0 {
			ix.marks[i/runeIndexStep] = n
		}
		if s[i]&0xC0 != 0x80 {
			n++
		}
	}
	if len(s)%runeIndexStep == 0 {
		// the mark of the end itself: Rune(len(s)) was 0 here
		ix.marks[len(s)/runeIndexStep] = n
	}
	return ix
}

// Rune returns the code-point offset of byte offset off (0 ≤ off ≤ len(s),
// on a character boundary). Offsets out of range are clamped.
func (ix *RuneIndex) Rune(off int) int {
	if off <= 0 {
		return 0
	}
	if off > len(ix.s) {
		off = len(ix.s)
	}
	if ix.ascii {
		return off
	}
	k := off / runeIndexStep
	n := int(ix.marks[k])
	for i := k * runeIndexStep; i < off; i++ {
		if ix.s[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// RuneOffsets converts byte offsets into s to code-point offsets in place.
func RuneOffsets(s string, offs []int) {
	ix := NewRuneIndex(s)
	for i, o := range offs {
		offs[i] = ix.Rune(o)
	}
}
