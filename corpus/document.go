// Package corpus holds framelens's readers, which turn folders, manifests,
// row dumps and standard input into Documents, and the built-in sample
// corpus. The document model itself is package corpus/document, which
// imports only the standard library; the names below are aliases of it, so
// that readers and callers can keep writing corpus.Document.
//
// Offsets: every Start/End is a byte offset into Document.Clean. Tables
// convert them to Unicode code-point offsets (see RuneOffsets) so that
// Python's text[start:end] works in a notebook.
package corpus

import "github.com/framelens/framelens/corpus/document"

// Aliases of the document model (package corpus/document).
type (
	Document    = document.Document
	SectionKind = document.SectionKind
	Section     = document.Section
	Sentence    = document.Sentence
	Token       = document.Token
	Entity      = document.Entity
	Keyphrase   = document.Keyphrase
	FrameHit    = document.FrameHit
	Removal     = document.Removal
	RuneIndex   = document.RuneIndex
)

// Section kinds (document.Kind*).
const (
	KindBody        = document.KindBody
	KindAbstract    = document.KindAbstract
	KindKeywords    = document.KindKeywords
	KindReferences  = document.KindReferences
	KindFootnotes   = document.KindFootnotes
	KindBoilerplate = document.KindBoilerplate
	KindFrontMatter = document.KindFrontMatter
	KindTitle       = document.KindTitle
)

// NewRuneIndex is document.NewRuneIndex.
func NewRuneIndex(s string) *RuneIndex { return document.NewRuneIndex(s) }

// RuneOffsets is document.RuneOffsets.
func RuneOffsets(s string, offs []int) { document.RuneOffsets(s, offs) }
