package document

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRuneIndex(t *testing.T) {
	// 8,000 bytes and 8,192: the end of a text whose length is a multiple
	// of the marks' step has a mark of its own.
	for _, s := range []string{"", "plain ascii", strings.Repeat("China’s “talent” — 中国人才 ", 200), strings.Repeat("é", 4096)} {
		ix := NewRuneIndex(s)
		for off := 0; off <= len(s); off++ {
			if off < len(s) && !utf8.RuneStart(s[off]) {
				continue
			}
			if got, want := ix.Rune(off), utf8.RuneCountInString(s[:off]); got != want {
				t.Fatalf("Rune(%d) = %d, want %d", off, got, want)
			}
		}
	}
	offs := []int{0, 2, 5, 6}
	RuneOffsets("é中x", offs)
	if offs[0] != 0 || offs[1] != 1 || offs[2] != 2 || offs[3] != 3 {
		t.Errorf("RuneOffsets = %v", offs)
	}
}
