package pipeline

import (
	"encoding/binary"
	"strings"

	"github.com/framelens/framelens/stages/compare"
)

func (r *reducer) writeKeyphrases(ts *tableSet) error {
	// The phrases keyness compares: every phrase some document ranks
	// among its top key phrases (the keyphrases table).
	top := map[string]bool{}
	if !r.eng.kp.NeedsCorpusStats() {
		// Ranked per document and written as documents streamed.
		if err := r.eachSide(sideCands, func(_ int, _ *docState, s docSide) error {
			for _, n := range s.KPTop {
				top[n] = true
			}
			return nil
		}); err != nil {
			return err
		}
	} else {
		w := ts.opened("keyphrases")
		if err := r.eachSide(sideCands, func(i int, d *docState, s docSide) error {
			if s.Cands == nil {
				return nil
			}
			if err := r.startPart(w, i); err != nil {
				return err
			}
			ranked := r.eng.kp.Rank(s.Cands, r.phraseDF)
			for _, k := range ranked {
				top[k.Norm] = true
			}
			appendKeyphrases(w, d.ID, d.Group, ranked, func(b int) int32 { return s.FirstRunes[b] })
			return w.Flush()
		}); err != nil {
			return err
		}
	}
	var err error
	r.kpDocs, err = r.countKeyphrases(top)
	return err
}

// countKeyphrases counts the occurrences of the phrases top in every
// document's text: wherever the phrase's normalised words are consecutive
// words of one sentence, with no punctuation between (keyphrases.NormWords),
// whether or not the document ranks the phrase, and inside longer phrases
// too. Counting only where a document ranks a phrase among its top ones
// would say that a phrase one side names a hundred times is absent from it.
func (r *reducer) countKeyphrases(top map[string]bool) (*compare.DocCounts, error) {
	formID := make(map[string]int32, len(r.formNames))
	for i, f := range r.formNames {
		formID[f] = int32(i)
	}
	// Phrases by their words' run-wide ids, 4 bytes an id.
	want := map[string]string{}
	longest := 0
	for p := range top {
		words := strings.Split(p, " ")
		key := make([]byte, 0, 4*len(words))
		ok := true
		for _, w := range words {
			id, seen := formID[w]
			if !seen {
				ok = false // a word no document has cannot occur
				break
			}
			key = binary.LittleEndian.AppendUint32(key, uint32(id))
		}
		if ok {
			want[string(key)] = p
			longest = max(longest, len(words))
		}
	}
	dc := r.newDocCounts()
	var key []byte
	err := r.eachSide(sideCands, func(i int, d *docState, s docSide) error {
		if d.Failed {
			return nil
		}
		ws := s.KPWords
		for j := range ws {
			key = key[:0]
			for n := 0; n < longest && j+n < len(ws) && ws[j+n] >= 0; n++ {
				key = binary.LittleEndian.AppendUint32(key, uint32(ws[j+n]))
				if p, ok := want[string(key)]; ok {
					dc.Add(i, p, 1)
				}
			}
		}
		return nil
	})
	return dc, err
}
