package keyphrases_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"reflect"
	"strings"
	"testing"

	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/keyphrases/groupkp"
	"github.com/framelens/framelens/stages/stage"
)

// TestGroupStageOnSample maps the two sample papers, each cut at a line in
// two documents of its group, through group_keyphrases' partials
// — gob, as in a block state, and merged in input order — and checks that
// they rank the groups' phrases as one GroupPhrases fed every document.
func TestGroupStageOnSample(t *testing.T) {
	ex, err := keyphrases.New(keyphrases.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s := groupkp.NewGroupStage()
	total := s.NewPartial()
	whole := keyphrases.NewGroupPhrases()
	for _, p := range []struct{ id, start string }{{"zhang2024", "INTRODUCTION"}, {"sun2025", "Abstract"}} {
		text := keyphrases.PaperText(t, p.id, p.start)
		cut := strings.LastIndexByte(text[:len(text)/2], '\n') + 1
		for _, part := range []string{text[:cut], text[cut:]} {
			doc := keyphrases.Tokenized(t, part)
			doc.Group = p.id
			sal := ex.Salient(ex.Candidates(doc))
			whole.Add(doc.Group, sal)
			m, err := s.Map(context.Background(), stage.MapInput{Doc: doc, Salient: sal})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := gob.NewEncoder(&b).Encode(m); err != nil {
				t.Fatal(err)
			}
			q := s.NewPartial()
			if err := gob.NewDecoder(&b).Decode(q); err != nil {
				t.Fatal(err)
			}
			if err := total.Merge(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := whole.Distinctive(groupkp.TopN)
	if len(want) == 0 {
		t.Fatal("no distinctive phrase on the sample")
	}
	if got := total.(*groupkp.GroupPartial).Phrases.Distinctive(groupkp.TopN); !reflect.DeepEqual(got, want) {
		t.Errorf("through partials:\n%+v\nwant\n%+v", got, want)
	}
	if d := total.(*groupkp.GroupPartial).Phrases.Docs; d["zhang2024"] != 2 || d["sun2025"] != 2 {
		t.Errorf("documents per group %v, want 2 each", d)
	}
}
