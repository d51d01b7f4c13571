package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/collocations"
	"github.com/framelens/framelens/stages/compare/comparestage"
	"github.com/framelens/framelens/stages/entities/mentionstage"
	"github.com/framelens/framelens/stages/frames/framestats"
	"github.com/framelens/framelens/stages/keyphrases/groupkp"
	"github.com/framelens/framelens/stages/keyphrases/kpstage"
	"github.com/framelens/framelens/stages/similarity/simstage"
	"github.com/framelens/framelens/stages/stage"
	"github.com/framelens/framelens/stages/topics/topicstage"
	"github.com/framelens/framelens/stages/vectorize/tfidfstage"
)

// Analyses are the corpus-level stages framelens runs through the generic
// stage.Corpus lifecycle (map → partial → merge → reduce → tables). Adding
// an analysis is its package plus one line here; a library user adds one
// with Options.Analyses instead.
func Analyses() []stage.Registration {
	return []stage.Registration{
		collocations.Registration(),
	}
}

// AnalysisSettings are the config sections of the registered analyses,
// each under the analysis's name at the top level of the config file: the
// analysis decodes its own section (stage.Registration.New).
type AnalysisSettings map[string]yaml.Node

// MarshalJSON writes the sections with their YAML keys (shard.json).
func (s AnalysisSettings) MarshalJSON() ([]byte, error) {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(n)
		b.Write(k)
		b.WriteByte(':')
		node := s[n]
		if err := yamlToJSON(&b, &node); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON wrote (JSON is YAML).
func (s *AnalysisSettings) UnmarshalJSON(b []byte) error {
	var m map[string]yaml.Node
	if err := yaml.Unmarshal(b, &m); err != nil {
		return err
	}
	*s = m
	return nil
}

// registrations are the built-in analyses and a library user's.
func registrations(extra []stage.Registration) []stage.Registration {
	return append(Analyses(), extra...)
}

// buildAnalysis builds one registered analysis from its section of c.
func (c Config) buildAnalysis(r stage.Registration) (stage.Corpus, error) {
	node, ok := c.Analyses[r.Name]
	decode := func(v any) error {
		if !ok || node.Kind == 0 {
			return nil
		}
		// Encode and decode again: yaml.Node.Decode cannot refuse unknown
		// keys.
		b, err := yaml.Marshal(&node)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(v); err != nil {
			return fmt.Errorf("line %d: %w", node.Line, err)
		}
		return nil
	}
	a, err := r.New(decode)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.Name, err)
	}
	if a.Name() != r.Name {
		return nil, fmt.Errorf("analysis registered as %q names itself %q", r.Name, a.Name())
	}
	return a, nil
}

// checkAnalyses refuses config sections no analysis is registered for (a
// misspelt key) and builds every analysis once, so that its settings are
// checked before the corpus is read, skipped or not.
func (c Config) checkAnalyses(regs []stage.Registration) error {
	if err := c.checkAnalysisKeys(regs); err != nil {
		return err
	}
	for _, r := range regs {
		if _, err := c.buildAnalysis(r); err != nil {
			return err
		}
	}
	return nil
}

// checkAnalysisKeys refuses a section no analysis of regs is registered
// for, in the words yaml.v3 uses for an unknown field, sorted by line.
func (c Config) checkAnalysisKeys(regs []stage.Registration) error {
	var bad []string
	line := 0
	for name, node := range c.Analyses {
		if slices.ContainsFunc(regs, func(r stage.Registration) bool { return r.Name == name }) {
			continue
		}
		if line == 0 || node.Line < line {
			line, bad = node.Line, []string{name}
		}
	}
	if bad != nil {
		// The section's node starts on the line after its key.
		return fmt.Errorf("yaml: unmarshal errors:\n  line %d: field %s not found in type pipeline.Config (neither a setting nor a registered analysis; see docs/config.md)", max(line-1, 1), bad[0])
	}
	return nil
}

// resolveAnalyses records every built-in analysis's resolved settings in c.
func (c Config) resolveAnalyses() (AnalysisSettings, error) {
	out := AnalysisSettings{}
	for _, r := range Analyses() {
		a, err := c.buildAnalysis(r)
		if err != nil {
			return nil, err
		}
		var n yaml.Node
		if err := n.Encode(a.Config()); err != nil {
			return nil, err
		}
		out[r.Name] = n
	}
	for name, n := range c.Analyses { // a library user's, kept as given
		if _, ok := out[name]; !ok {
			out[name] = n
		}
	}
	return out, nil
}

// analysisTables are the tables the run's analyses declare.
func analysisTables(as []stage.Corpus) []*output.Table {
	var out []*output.Table
	for _, a := range as {
		out = append(out, a.Tables()...)
	}
	return out
}

// encodePartials gob-encodes partials by analysis name, for a block state.
func encodePartials(as []stage.Corpus, ps []stage.Partial) (map[string][]byte, error) {
	if len(as) == 0 {
		return nil, nil
	}
	out := make(map[string][]byte, len(as))
	for i, a := range as {
		var b bytes.Buffer
		if err := gob.NewEncoder(&b).Encode(ps[i]); err != nil {
			return nil, fmt.Errorf("%s: partial: %w", a.Name(), err)
		}
		out[a.Name()] = b.Bytes()
	}
	return out, nil
}

// decodePartials reads back what encodePartials wrote. A block saved
// without an analysis's partial (the analysis was added since) is refused
// by the config hash before this; here it is an error naming the block.
func decodePartials(as []stage.Corpus, enc map[string][]byte, path string) ([]stage.Partial, error) {
	out := make([]stage.Partial, len(as))
	for i, a := range as {
		b, ok := enc[a.Name()]
		if !ok {
			return nil, fmt.Errorf("%s: no partial of analysis %s; run without --resume", path, a.Name())
		}
		p := a.NewPartial()
		if err := gob.NewDecoder(bytes.NewReader(b)).Decode(p); err != nil {
			return nil, fmt.Errorf("%s: partial of %s: %w", path, a.Name(), err)
		}
		out[i] = p
	}
	return out, nil
}

// newPartials returns an empty partial of each analysis.
func newPartials(as []stage.Corpus) []stage.Partial {
	out := make([]stage.Partial, len(as))
	for i, a := range as {
		out[i] = a.NewPartial()
	}
	return out
}

// mergePartials merges src into dst, analysis by analysis.
func mergePartials(as []stage.Corpus, dst, src []stage.Partial) error {
	for i, a := range as {
		if err := dst[i].Merge(src[i]); err != nil {
			return fmt.Errorf("%s: merge: %w", a.Name(), err)
		}
	}
	return nil
}

// builtinStages are the corpus-level statistics of the document stages
// that run, each a stage.Corpus run like a registered analysis (partials
// saved by name in block states, merged in input order, reduced once). They
// are not registrations: they are on whenever their document stage is, take
// their settings from it and from the engine (lexicon, corpus path,
// bootstrap), so they have no config section; their tables are output's
// own. place says where each reduces (see reducer.stageSteps): right after
// the step where it ran before it was a stage, so that the log and the
// summary's warnings keep their order.
func (e *engine) builtinStages() (stages []stage.Corpus, place map[string]stagePlace) {
	place = map[string]stagePlace{}
	add := func(a stage.Corpus, p stagePlace) {
		stages = append(stages, a)
		place[a.Name()] = p
	}
	// The vocabulary and the tf-idf matrices, which the steps after it
	// read (reduceEnv.Vectors): the first step.
	add(tfidfstage.New(e.vec), stagePlace{after: reduceStart, apart: true})
	simAfter := tfidfstage.Name
	if !e.cfg.skip(topicstage.Name) {
		// Fitted to the tfidf stage's counts (reduceEnv.TermCounts), when
		// there is a vocabulary.
		add(topicstage.New(e.vec, e.cfg.Topics, e.cfg.TopicUnit), stagePlace{after: tfidfstage.Name,
			on: func(r *reducer) bool { return r.handed.Vocab.Len() > 0 }})
		simAfter = topicstage.Name
	}
	// Where the similarity table was written, after topics; it reads the
	// tfidf stage's weights (reduceEnv.Weights), and only them.
	add(simstage.New(e.cfg.Similarity), stagePlace{after: simAfter, needs: []string{tfidfstage.Name}})
	if e.fm != nil {
		lex := e.fm.Lexicon()
		// Where the frames table was written, beside the steps before it.
		add(framestats.NewScoresStage(lex, e.cfg.Bootstrap), stagePlace{after: "documents_table", apart: true})
		add(framestats.NewSuggestionsStage(lex), stagePlace{after: framestats.ScoresName})
		add(framestats.NewEntriesStage(lex, e.cfg.Corpus), stagePlace{after: framestats.ScoresName})
	}
	if e.kp != nil {
		// Where the keyphrases table was written; group_keyphrases reduces
		// after it.
		add(kpstage.New(e.kp), stagePlace{after: "similarity", apart: true})
		add(groupkp.NewGroupStage(), stagePlace{after: kpstage.Name})
	}
	if !e.cfg.skip("entities") {
		// Where entity_mentions was written, after key phrases.
		add(mentionstage.New(), stagePlace{after: "similarity", apart: true})
	}
	if !e.cfg.skip(comparestage.Name) {
		// After the comparisons' sides, which reduce after every result it
		// reads (reduceEnv.Earlier).
		add(comparestage.New(e.cfg.compareSettings()), stagePlace{after: "comparisons"})
	}
	return stages, place
}

// reduceStart is the place (stagePlace.after) of a built-in stage that
// reduces before every reduce step.
const reduceStart = "(start)"

// stagePlace is where a built-in stage reduces among the reduce steps.
type stagePlace struct {
	// after is the step (or built-in stage) it is declared right after:
	// its log lines and warnings come after that step's.
	after string
	// apart says it reads nothing of the steps before it, so it starts
	// as soon as a worker is free; else it needs after (and runs alone if
	// after does).
	apart bool
	// needs, when set, are the steps it reads the results of, in place of
	// after.
	needs []string
	// on, when set, says once its needs are done whether it runs at all.
	on func(r *reducer) bool
}

// addBuiltins puts the built-in stages before the registered analyses,
// refusing a registration that takes one's name (their partials are saved
// by name).
func (e *engine) addBuiltins() error {
	bs, place := e.builtinStages()
	for _, a := range e.analyses {
		if _, ok := place[a.Name()]; ok {
			return fmt.Errorf("analysis %q: the name is a built-in stage's; register it under another", a.Name())
		}
	}
	e.analyses, e.place = append(bs, e.analyses...), place
	return nil
}

// reduceEnv is what the reducer gives an analysis's Reduce.
type reduceEnv struct {
	r *reducer
	// stage is the reducing analysis's index in engine.analyses.
	stage  int
	ts     *tableSet
	sum    *Summary
	tables []string
	log    *slog.Logger
	warn   func(string)
	// builtin says the stage is a built-in one, which may read the
	// earlier reductions' results (Earlier).
	builtin bool
	// The groups and the comparison plan are made on first use (most
	// stages never ask); err is the plan's error, which fails the stage.
	planned bool
	groups  []string
	plan    []stage.Comparison
	err     error
}

func (e *reduceEnv) Groups() []string                { e.makePlan(); return e.groups }
func (e *reduceEnv) Comparisons() []stage.Comparison { e.makePlan(); return e.plan }
func (e *reduceEnv) Seed() int64                     { return e.r.eng.cfg.Seed }
func (e *reduceEnv) Workers() int                    { return e.r.eng.cfg.Workers }
func (e *reduceEnv) Logger() *slog.Logger            { return e.log }
func (e *reduceEnv) Warn(msg string)                 { e.warn(msg) }

func (e *reduceEnv) DocIDs() []string {
	ids := make([]string, len(e.r.states))
	for i, d := range e.r.states {
		ids[i] = d.ID
	}
	return ids
}

func (e *reduceEnv) Writer(table string) (*output.Writer, error) {
	if !slices.Contains(e.tables, table) {
		return nil, fmt.Errorf("table %q is not one this analysis declares (%s)", table, strings.Join(e.tables, ", "))
	}
	return e.ts.writer(table, nil)
}

func (e *reduceEnv) EachDoc(ctx context.Context, fn func(stage.DocForms) error) error {
	var forms []string
	return e.r.eachSide(sideForms, func(i int, d *docState, s docSide) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.Failed {
			return nil
		}
		forms = forms[:0]
		for _, f := range s.Forms {
			forms = append(forms, e.r.formNames[f])
		}
		return fn(stage.DocForms{Index: i, ID: d.ID, Group: d.Group, Forms: forms, Runs: s.FormRuns})
	})
}

// makePlan makes the groups of analysed documents and the plan the
// comparisons stage makes of them (none with fewer than two groups: it
// says why).
func (e *reduceEnv) makePlan() {
	if e.planned {
		return
	}
	e.planned = true
	seen := map[string]bool{}
	for _, d := range e.r.states {
		if !d.Failed && !seen[d.Group] {
			seen[d.Group] = true
			e.groups = append(e.groups, d.Group)
		}
	}
	sort.Strings(e.groups)
	ref := e.r.eng.cfg.Compare.Reference != ""
	cmps, err := e.r.eng.cfg.compareSettings().ComparablePlan(e.groups)
	if err != nil {
		e.err = err
		return
	}
	for _, c := range cmps {
		e.plan = append(e.plan, stage.Comparison{Label: c.Label(), A: c.A, B: c.B, Reference: len(c.B) == 0 && ref})
	}
}

// stageSteps are the reduce steps of the corpus stages that reduce after
// finish's step after, each followed by those that reduce after it: the
// built-in ones placed so (builtinStages), or, for after "", the
// registered analyses. The order is that of their log lines and warnings;
// they read nothing of the other steps. A built-in's warnings go to the
// log and the summary's warnings as the run's own; an analysis's are
// tagged with its name.
func (r *reducer) stageSteps(ts *tableSet, sum *Summary, after string, exclusive bool) []reduceStep {
	var steps []reduceStep
	for i, a := range r.eng.analyses {
		p, builtin := r.eng.place[a.Name()]
		if p.after != after || builtin != (after != "") {
			continue
		}
		st := reduceStep{name: a.Name(), on: func() bool { return p.on == nil || p.on(r) }, warnings: &sum.AnalysisWarnings}
		if builtin {
			st.warnings = &sum.Warnings
			if !p.apart {
				// A built-in stage may read the results of the step it
				// follows and of those before it (Earlier), and runs alone
				// if that step does: it holds as much memory.
				st.needs, st.exclusive = []string{after}, exclusive
				if p.needs != nil {
					st.needs = p.needs
				}
			}
		}
		st.run = func(se *stepEnv) error { return r.reduceStage(ts, sum, se, i, builtin) }
		steps = append(steps, st)
		if builtin {
			steps = append(steps, r.stageSteps(ts, sum, a.Name(), st.exclusive)...)
		}
	}
	return steps
}

// reduceStage runs the Reduce of analysis i (e.analyses) in a reduce step.
func (r *reducer) reduceStage(ts *tableSet, sum *Summary, se *stepEnv, i int, builtin bool) error {
	a := r.eng.analyses[i]
	env := &reduceEnv{r: r, stage: i, ts: ts, sum: sum, builtin: builtin, log: se.log, warn: func(msg string) {
		se.log.Warn(msg, "analysis", a.Name())
		se.warnings = append(se.warnings, a.Name()+": "+msg)
	}}
	if builtin {
		env.warn = func(msg string) {
			se.log.Warn(msg)
			se.warnings = append(se.warnings, msg)
		}
	}
	for _, t := range a.Tables() {
		env.tables = append(env.tables, t.Name)
	}
	// The partial is let go once reduced: the steps after it would
	// otherwise hold every stage's (whole UN corpus: keyness's n-gram
	// counts 99 MB, group_keyphrases' 69 MB).
	p := r.partials[i]
	r.partials[i] = nil
	if err := cmp.Or(a.Reduce(r.ctx, p, env), env.err); err != nil {
		return fmt.Errorf("%s: %w", a.Name(), err)
	}
	return nil
}

// Catalog is every table a run can write: output's and those of the
// built-in analyses (with their default settings). `framelens schema` and
// docs/tables.md print it.
func Catalog() (*output.Catalog, error) {
	var as []stage.Corpus
	for _, r := range Analyses() {
		a, err := Config{}.buildAnalysis(r)
		if err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	return output.NewCatalog().With(analysisTables(as)...)
}
