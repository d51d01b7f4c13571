package topicstage

import "github.com/framelens/framelens/corpus/document"

// Topic units. A topic model over a handful of documents says little, so
// small corpora are modelled over passages: runs of consecutive sentences
// of one section holding at least passageWords words. A document's topic
// weights are then the word-weighted mean of those of its passages with a
// counted term (see Stage.fit).
const (
	UnitAuto     = "auto"
	UnitDocument = "document"
	UnitPassage  = "passage"

	passageWords = 80
	// autoPassageDocs is the largest corpus that "auto" models by passages.
	autoPassageDocs = 200
)

// ModelsPassages says whether a corpus of docs documents (so far) is
// modelled by passages under unit: always for UnitPassage, never for
// UnitDocument, and under UnitAuto while it has at most autoPassageDocs
// documents.
func ModelsPassages(unit string, docs int) bool {
	switch unit {
	case UnitPassage:
		return true
	case UnitDocument:
		return false
	}
	return docs <= autoPassageDocs
}

// passage is a token range [Start, End) of a document and its word count.
type passage struct {
	Start, End int
	Words      int
}

// passages cuts doc's tokens into passages at sentence ends, never across a
// section boundary.
func passages(doc *document.Document) []passage {
	var out []passage
	cur := passage{Start: -1}
	section := -1
	flush := func() {
		if cur.Start >= 0 && cur.End > cur.Start {
			out = append(out, cur)
		}
		cur = passage{Start: -1}
	}
	for _, s := range doc.Sentences {
		if s.Section != section {
			flush()
			section = s.Section
		}
		if cur.Start < 0 {
			cur.Start = s.TokenStart
		}
		cur.End = s.TokenEnd
		for _, t := range doc.Tokens[s.TokenStart:s.TokenEnd] {
			if !t.IsPunct {
				cur.Words++
			}
		}
		if cur.Words >= passageWords {
			flush()
		}
	}
	// A short tail joins the previous passage of the same section.
	if cur.Start >= 0 && len(out) > 0 && cur.Words < passageWords/2 {
		last := &out[len(out)-1]
		if last.End == cur.Start && doc.Tokens[last.Start].Sentence >= 0 &&
			doc.Sentences[doc.Tokens[last.Start].Sentence].Section == section {
			last.End = cur.End
			last.Words += cur.Words
			cur = passage{Start: -1}
		}
	}
	flush()
	return out
}
