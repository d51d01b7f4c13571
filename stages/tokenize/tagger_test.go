package tokenize

import (
	"strings"
	"testing"

	"github.com/jdkato/prose/v2"
)

var proseSanitizer = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2018", "'", "\u2019", "'", "&rsquo;", "'")

// TestTaggerMatchesProse tags the sentences of both sample papers with
// prose and with Tagger (on prose's own tokens) and requires the same tags.
//
// prose's tokenizer caches the tokens of repeated white-space chunks and
// returns the same *Token for every repetition within a call, so the tag of
// the last repetition overwrites the earlier ones. The expected tags
// reproduce that aliasing from Tagger's output.
func TestTaggerMatchesProse(t *testing.T) {
	tg, err := NewTagger()
	if err != nil {
		t.Fatal(err)
	}
	seg, _ := NewSegmenter(SegmenterConfig{})
	model := prose.ModelFromData("tagger") // loads prose's tagger once
	tokens := func(s string, tag bool) []prose.Token {
		pd, err := prose.NewDocument(s, prose.UsingModel(model), prose.WithTagging(tag),
			prose.WithSegmentation(false), prose.WithExtraction(false))
		if err != nil {
			t.Fatal(err)
		}
		return pd.Tokens()
	}
	total, diff, skipped := 0, 0, 0
	for _, name := range samplePapers {
		doc := paperDoc(t, name)
		for _, sp := range seg.Split(doc.Clean) {
			sent := doc.Clean[sp.Start:sp.End]
			ptoks := tokens(sent, true)
			var words, want []string
			for _, tok := range ptoks {
				words = append(words, tok.Text)
				want = append(want, tok.Tag)
			}
			got := tg.Tag(words)

			// Token ranges of the white-space chunks.
			chunks := strings.Fields(proseSanitizer.Replace(sent))
			first := make([]int, len(chunks)+1)
			for k, c := range chunks {
				first[k+1] = first[k] + len(tokens(c, false))
			}
			if first[len(chunks)] != len(words) {
				skipped += len(words)
				continue
			}
			expect := append([]string(nil), got...)
			lastOcc := map[string]int{}
			for k := 0; k < len(chunks)-1; k++ { // prose does not cache the final chunk
				lastOcc[chunks[k]] = k
			}
			for k := 0; k < len(chunks)-1; k++ {
				if l := lastOcc[chunks[k]]; l != k {
					copy(expect[first[k]:first[k+1]], got[first[l]:first[l+1]])
				}
			}
			for i := range words {
				total++
				if expect[i] != want[i] {
					diff++
					if diff <= 10 {
						t.Errorf("%s: %q in %q: tag %s, prose %s", name, words[i], words, expect[i], want[i])
					}
				}
			}
		}
	}
	t.Logf("%d tokens compared, %d skipped (chunking not reproduced), %d tags differ from prose", total, skipped, diff)
	if total < 9000 || skipped > total/100 {
		t.Errorf("only %d tokens compared, %d skipped", total, skipped)
	}
}
