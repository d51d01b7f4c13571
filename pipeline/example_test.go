package pipeline_test

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/pipeline"
	"github.com/framelens/framelens/stages/stage"
)

// Annotate one document with the per-document stages, as a run does.
func ExampleProcessor() {
	p, err := pipeline.NewProcessor(pipeline.Config{}, pipeline.Options{})
	if err != nil {
		panic(err)
	}
	doc := &corpus.Document{ID: "d1", Raw: "In 2023 the United States tightened visa rules for researchers from China. Officials cited research security."}
	if err := p.Process(context.Background(), doc); err != nil {
		panic(err)
	}
	fmt.Println(len(doc.Sentences), "sentences")
	for _, e := range doc.Entities {
		fmt.Println(e.Label, e.Text)
	}
	// Output:
	// 2 sentences
	// DATE 2023
	// GPE United States
	// GPE China
}

// longWords is a corpus-level analysis: the share of words of at least ten
// letters in each group. Its partial is mergeable counts.
type longWords struct{}

type longPartial struct{ Long, All map[string]int64 }

func (p *longPartial) Merge(o stage.Partial) error {
	q := o.(*longPartial)
	for g, n := range q.Long {
		p.Long[g] += n
	}
	for g, n := range q.All {
		p.All[g] += n
	}
	return nil
}

func (longWords) Name() string { return "long_words" }
func (longWords) Config() any  { return struct{}{} }
func (longWords) NewPartial() stage.Partial {
	return &longPartial{Long: map[string]int64{}, All: map[string]int64{}}
}

// longRow is a row of its table: the table's schema comes from it.
type longRow struct {
	Group string  `col:"group,dict"`
	Share float64 `col:"share"`
}

func (longWords) Tables() []*output.Table {
	t, err := output.RowTable[longRow](output.Table{Name: "long_words", Description: "Share of words of ten letters or more, by group.", Layout: output.SingleFile},
		output.Describe("group", "The group."), output.Describe("share", "Long words / words."))
	if err != nil {
		panic(err)
	}
	return []*output.Table{t}
}
func (longWords) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	p := &longPartial{Long: map[string]int64{}, All: map[string]int64{in.Doc.Group: int64(len(in.Forms))}}
	for _, f := range in.Forms {
		if len([]rune(f)) >= 10 {
			p.Long[in.Doc.Group]++
		}
	}
	return p, nil
}
func (longWords) Reduce(_ context.Context, sp stage.Partial, env stage.Env) error {
	p := sp.(*longPartial)
	w, err := env.Writer("long_words")
	if err != nil {
		return err
	}
	rows, err := output.NewAppender[longRow](w)
	if err != nil {
		return err
	}
	for _, g := range env.Groups() {
		rows.Append(&longRow{Group: g, Share: float64(p.Long[g]) / float64(p.All[g])})
	}
	return nil
}

// Add a corpus-level analysis of your own: it runs on every worker, is
// saved with each block (so --resume and --shard work for it) and writes
// its own table.
func ExampleOptions_analyses() {
	out, cleanup := tempDir()
	defer cleanup()
	opts := pipeline.Options{Analyses: []stage.Registration{{
		Name: "long_words",
		New:  func(func(any) error) (stage.Corpus, error) { return longWords{}, nil },
	}}}
	sum, err := pipeline.Run(context.Background(), pipeline.Config{Out: out, SkipStages: []string{"topics"}}, opts)
	if err != nil {
		panic(err)
	}
	var groups []string
	for g := range sum.Groups {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	fmt.Println(strings.Join(groups, ", "))
	fmt.Println(exists(out, "long_words.parquet"))
	// Output:
	// emotion_retention, security_restriction
	// true
}
