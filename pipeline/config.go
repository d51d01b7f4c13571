package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/clean"
	"github.com/framelens/framelens/stages/compare"
	"github.com/framelens/framelens/stages/compare/comparestage"
	"github.com/framelens/framelens/stages/entities"
	"github.com/framelens/framelens/stages/frames"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/lang"
	"github.com/framelens/framelens/stages/similarity"
	"github.com/framelens/framelens/stages/tokenize"
	"github.com/framelens/framelens/stages/topics"
	"github.com/framelens/framelens/stages/vectorize"
)

// Config is everything that decides a run's output. Its zero value (with
// Corpus "" meaning the built-in sample) is a complete default run. It is
// read from YAML with LoadConfig; command-line flags override it.
type Config struct {
	// Corpus is a folder, manifest or row dump; "" is the built-in sample.
	Corpus string         `yaml:"corpus" json:"corpus"`
	Reader corpus.Options `yaml:"reader" json:"reader"`
	// Out is the output directory (default "out").
	Out string `yaml:"out" json:"out"`
	// Format is parquet (default), arrow or both.
	Format string `yaml:"format" json:"format"`
	// Seed seeds the topic model, bootstrap intervals and anything else random.
	Seed int64 `yaml:"seed" json:"seed"`
	// Workers is the number of document workers (0 = number of CPUs). It
	// changes speed, never output.
	Workers int `yaml:"workers" json:"workers"`
	// Limit stops after the first Limit documents of the corpus (0 = all):
	// a quick look at a large corpus before the full run.
	Limit int `yaml:"limit" json:"limit"`
	// BlockDocs is the number of consecutive documents per block: the unit
	// of part files, of resuming and of sharding (default 500).
	BlockDocs int `yaml:"block_docs" json:"block_docs"`
	// Resume keeps the blocks an interrupted run with the same config
	// completed in Out, and processes only the others.
	Resume bool `yaml:"-" json:"-"`
	// Shard, when Count > 1, processes only the blocks b with
	// b mod Count == Index into Out, for Merge to combine.
	Shard Shard `yaml:"-" json:"-"`
	// SkipStages names stages to leave out: entities, keyphrases, frames,
	// topics, keyness, tokens (the tokens table only).
	SkipStages []string `yaml:"skip_stages" json:"skip_stages"`

	Clean clean.Config `yaml:"clean" json:"clean"`
	// RepeatedLines makes a first pass over the corpus counting lines per
	// site (manifest column site, or the host of url), so that cleaning
	// drops lines found in at least clean.repeated_min_docs documents of
	// the same site: navigation and footers a site repeats on every page.
	RepeatedLines bool              `yaml:"repeated_lines" json:"repeated_lines"`
	Tokenize      tokenize.Config   `yaml:"tokenize" json:"tokenize"`
	Entities      entities.Config   `yaml:"entities" json:"entities"`
	Keyphrases    keyphrases.Config `yaml:"keyphrases" json:"keyphrases"`
	Vectorize     vectorize.Config  `yaml:"vectorize" json:"vectorize"`
	Topics        topics.Config     `yaml:"topics" json:"topics"`
	// TopicUnit is what the topic model sees as a document: "document",
	// "passage" (runs of sentences of about 80 words), or "auto" (the
	// default: passages for corpora of up to 200 documents); any other
	// value is a config error.
	TopicUnit string           `yaml:"topic_unit" json:"topic_unit"`
	Frames    frames.Config    `yaml:"frames" json:"frames"`
	Bootstrap frames.Bootstrap `yaml:"bootstrap" json:"bootstrap"`
	Compare   CompareConfig    `yaml:"compare" json:"compare"`
	// Similarity chooses the exact or an approximate nearest-documents search;
	// left out of run.json (and the config hash) while unset.
	Similarity similarity.Config `yaml:"similarity,omitempty" json:"similarity,omitzero"`
	// Lang decides each document's language (stages/lang): detected unless
	// the manifest or lang.lang gives it.
	Lang lang.Config `yaml:"lang" json:"lang"`
	// Analyses are the sections of the registered corpus-level analyses
	// (pipeline.Analyses), each at the top level under its name; the
	// analysis decodes and checks its own.
	Analyses AnalysisSettings `yaml:",inline" json:"analyses,omitempty"`

	// pinned are the digests of the files the config names, read once
	// when a run starts (pinFiles); nil: Hash reads them.
	pinned *pinnedFiles
}

// LoadConfig reads a YAML config file, or the config a run recorded in
// its run.json (a JSON file is YAML too): `framelens run --config
// out/run.json` runs it again. Unknown keys are errors, so a typo does not
// silently run with defaults.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if rec, ok, err := recordedConfig(b); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	} else if ok {
		b = rec
	}
	return parseConfig(b, path)
}

// parseConfig decodes the YAML of config file path. yaml.v3 refuses alias
// bombs ("excessive aliasing") and nesting deeper than 10,000 levels.
func parseConfig(b []byte, path string) (Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	// Keys that are no setting land in Analyses: one no built-in analysis
	// is registered for is a typo (a library user's own analyses' sections
	// are set in code, Config.Analyses).
	if err := cfg.checkAnalysisKeys(Analyses()); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// recordedConfig returns, when b is a run manifest (run.json: a mapping
// with framelens_version and config), its config as YAML.
func recordedConfig(b []byte) ([]byte, bool, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, false, nil // not a manifest: the decoder says what is wrong
	}
	top := doc.Content[0]
	var config *yaml.Node
	manifest := false
	for i := 0; i+1 < len(top.Content); i += 2 {
		switch top.Content[i].Value {
		case "framelens_version":
			manifest = true
		case "config":
			config = top.Content[i+1]
		}
	}
	if !manifest || config == nil {
		return nil, false, nil
	}
	out, err := yaml.Marshal(config)
	return out, true, err
}

func (c Config) withDefaults() Config {
	if c.Out == "" {
		c.Out = "out"
	}
	// Only 0 means "the default": a negative value is refused by
	// validate, not silently replaced.
	if c.BlockDocs == 0 {
		c.BlockDocs = 500
	}
	if c.Workers == 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.TopicUnit == "" {
		c.TopicUnit = UnitAuto
	}
	if c.Topics.Seed == 0 {
		c.Topics.Seed = c.Seed
	}
	if c.Bootstrap.Seed == 0 {
		c.Bootstrap.Seed = uint64(c.Seed)
	}
	return c
}

// Resolved returns the config with every default filled in that depends
// on no other setting and on no data, so that run.json says what ran:
// format parquet, block_docs 500, the reader's column names, each stage's
// settings. Settings whose default follows from another one stay 0,
// meaning automatic: compare.plan (by the number of groups), topics
// max_iter (by model), alpha (1/K of the K fitted), keyphrases window (by
// method), the topic and bootstrap seeds (the run's seed). Resolving twice
// gives the same config, and a resolved config runs exactly as the one it
// came from.
func (c Config) Resolved() (Config, error) {
	topicSeed, bootSeed := c.Topics.Seed, c.Bootstrap.Seed
	c = c.withDefaults()
	// withDefaults copies the run's seed into the stages' unset ones: they
	// stay 0, "the run's seed", so that --seed over a recorded config
	// takes effect.
	c.Topics.Seed, c.Bootstrap.Seed = topicSeed, bootSeed
	if c.Format == "" {
		c.Format = "parquet"
	}
	c.Reader = c.Reader.Resolved()
	c.Clean = c.Clean.Resolved()
	if c.Tokenize.Newlines == "" {
		c.Tokenize.Newlines = tokenize.NewlinesWrap
	}
	kp, err := keyphrases.New(c.Keyphrases)
	if err != nil {
		return c, err
	}
	window := c.Keyphrases.Window
	c.Keyphrases = kp.Config()
	c.Keyphrases.Window = window
	vec, err := vectorize.New(c.Vectorize)
	if err != nil {
		return c, err
	}
	c.Vectorize = vec.Config()
	if c.Topics, err = c.Topics.Resolved(); err != nil {
		return c, err
	}
	c.Frames = c.Frames.Resolved()
	c.Bootstrap = c.Bootstrap.Resolved()
	k := &c.Compare.Keyness
	if k.Alpha0 == 0 {
		k.Alpha0 = compare.DefaultAlpha0
	}
	if k.Prior == "" {
		k.Prior = compare.PriorPooled
	}
	if k.MinCount == 0 {
		k.MinCount = 1
	}
	if c.Compare.MaxFeatures == 0 {
		c.Compare.MaxFeatures = defaultMaxFeatures
	}
	if c.Analyses, err = c.resolveAnalyses(); err != nil {
		return c, err
	}
	return c, nil
}

// defaultMaxFeatures is compare.max_features's default (0): the keyness
// rows kept per comparison and feature kind.
const defaultMaxFeatures = 2000

// record is the resolved config as JSON with the YAML keys of
// docs/config.md, in the order of the Config struct: run.json's config,
// which LoadConfig reads back.
func (c Config) record() (json.RawMessage, error) {
	r, err := c.Resolved()
	if err != nil {
		return nil, err
	}
	return encodeConfig(r)
}

// encodeConfig writes c as JSON with its YAML keys.
func encodeConfig(c Config) (json.RawMessage, error) {
	var n yaml.Node
	if err := n.Encode(c); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := yamlToJSON(&b, &n); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// yamlToJSON writes a YAML node tree as JSON, keeping the order of keys.
func yamlToJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		return yamlToJSON(b, n.Content[0])
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			b.Write(k)
			b.WriteByte(':')
			if err := yamlToJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, e := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := yamlToJSON(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			b.WriteString("null")
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return err
			}
			out, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("config %s: %w", n.Value, err) // .inf, .nan
			}
			b.Write(out)
		default:
			out, _ := json.Marshal(n.Value)
			b.Write(out)
		}
	default:
		return fmt.Errorf("config: unexpected YAML node kind %v", n.Kind)
	}
	return nil
}

func (c Config) skip(stage string) bool {
	for _, s := range c.SkipStages {
		if s == stage {
			return true
		}
	}
	return false
}

// Hash is a short hash of the settings that decide the output: of the
// resolved config, so that a config and the one run.json recorded for it
// (its defaults filled in) have the same hash, of what code may set that
// YAML cannot (an inline lexicon, a reference corpus), and of the contents
// of the files it names (configFiles: lexicon, stop words, gazetteers,
// rules, model, reference terms). Workers and Out are left out: they
// change neither rows nor bytes.
func (c Config) Hash() string {
	var rec []byte
	r, err := c.Resolved()
	if err == nil {
		r.Workers, r.Topics.Workers, r.Out = 0, 0, ""
		rec, err = encodeConfig(r)
	}
	if err != nil {
		// A config that does not resolve never runs: hash what it says.
		rec, _ = json.Marshal(c)
	}
	code, _ := json.Marshal(struct {
		Lexicon   any
		Reference any
		Keep      int
	}{c.Frames.Lexicon, c.Compare.Keyness.Reference, c.Compare.Keyness.Keep})
	h := append(append(rec, '|'), code...)
	// Without files the hash is what it was before it covered them.
	if files := c.configFiles(); len(files) > 0 {
		fb, _ := json.Marshal(files)
		h = append(append(h, '|'), fb...)
	}
	sum := sha256.Sum256(h)
	return hex.EncodeToString(sum[:8])
}

// CompareConfig declares the group comparisons.
type CompareConfig struct {
	// Plan is "pair" (the corpus's two groups), "each_vs_rest" or
	// "all_pairs"; "" is pair for two groups and each_vs_rest otherwise.
	Plan string `yaml:"plan" json:"plan"`
	// Comparisons, when given, replace the plan: each names the groups of
	// side A and side B (B empty = every other group). An empty side A,
	// a group twice on one side or on both sides is a config error.
	Comparisons []ComparisonSpec `yaml:"comparisons" json:"comparisons"`
	// Keyness sets the Dirichlet prior and the count threshold.
	Keyness compare.Config `yaml:"keyness" json:"keyness"`
	// MaxFeatures bounds the keyness rows of each comparison and feature
	// kind: the MaxFeatures/2 features most over-used by each side are kept
	// (all of them when there are fewer). 0 means 2,000; -1 keeps every
	// feature. Adjusted p-values are computed over all features first. On a
	// large corpus compared group by group, every feature of the corpus is
	// a row of every comparison: 200 groups × a million n-grams would be
	// 200 million rows.
	MaxFeatures int `yaml:"max_features" json:"max_features"`
	// Reference is the output directory of an earlier framelens run over a
	// reference corpus. Its terms.parquet counts replace "the rest" in
	// term keyness (each group is compared with the reference corpus), and
	// keyness.prior: reference takes the Dirichlet prior from it.
	Reference string `yaml:"reference" json:"reference"`
	// MaxRows bounds the keyness table: when the plan's comparisons times
	// feature kinds times MaxFeatures rows (or each kind's features, when
	// fewer) would exceed it, each comparison and kind keeps fewer rows —
	// MaxRows shared among them, at least one a side — with a warning.
	// 0 means 2,000,000; -1 no bound. Each of 10,000 groups against the
	// rest would otherwise write 100 million rows.
	MaxRows int `yaml:"max_rows" json:"max_rows"`
}

// ComparisonSpec is one declared comparison: the groups of side A (at
// least one), and of side B (none = every group not on A). No group may be
// on both sides, or twice on one.
type ComparisonSpec struct {
	Name string   `yaml:"name" json:"name"`
	A    []string `yaml:"a" json:"a"`
	B    []string `yaml:"b" json:"b"`
}

// ParseComparison parses a comparison given on the command line: "A:B"
// (group A against group B), "A:rest" or "A" (A against every other
// group); a side of several groups joins them with "+"
// ("Democratic+Whig:Republican").
func ParseComparison(s string) (ComparisonSpec, error) {
	a, b, _ := strings.Cut(s, ":")
	split := func(side string) []string {
		var out []string
		for _, g := range strings.Split(side, "+") {
			if g = strings.TrimSpace(g); g != "" {
				out = append(out, g)
			}
		}
		return out
	}
	spec := ComparisonSpec{A: split(a)}
	if !strings.EqualFold(strings.TrimSpace(b), "rest") {
		spec.B = split(b)
	}
	if len(spec.A) == 0 {
		return spec, fmt.Errorf("--compare %q: want A:B, A:rest or A (groups joined with +), e.g. --compare Democratic:Republican", s)
	}
	return spec, nil
}

// Shard is one slice of a sharded run: blocks b with b mod Count == Index.
type Shard struct {
	Index, Count int
}

// ParseShard parses "i/n" (0 ≤ i < n).
func ParseShard(s string) (Shard, error) {
	var sh Shard
	if _, err := fmt.Sscanf(s, "%d/%d", &sh.Index, &sh.Count); err != nil || sh.Count < 1 || sh.Index < 0 || sh.Index >= sh.Count {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 0 <= i < n, e.g. 0/4", s)
	}
	return sh, nil
}

// RunID identifies a run by what decides its tables: the config (corpus
// path included), the framelens version and the table schema version. Two
// runs with the same id over the same input bytes write the same tables;
// run.json's input hashes say whether the input bytes were the same.
func (c Config) RunID() string {
	sum := sha256.Sum256([]byte(c.Hash() + "|" + Version + "|" + fmt.Sprint(output.SchemaVersion)))
	return hex.EncodeToString(sum[:8])
}

// optionalStages are the stages a run can leave out (Config.SkipStages).
var optionalStages = []string{"entities", "keyphrases", "frames", "topics", "keyness", "tokens"}

// skippable are the optional stages and the built-in analyses.
func skippable() []string {
	out := slices.Clone(optionalStages)
	for _, r := range Analyses() {
		out = append(out, r.Name)
	}
	return out
}

// SkipAllBut returns the optional stages not in keep, for SkipStages.
func SkipAllBut(keep []string) ([]string, error) {
	all := skippable()
	want := map[string]bool{}
	for _, k := range keep {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if !slices.Contains(all, k) {
			return nil, fmt.Errorf("unknown stage %q (optional stages: %s)", k, strings.Join(all, ", "))
		}
		want[k] = true
	}
	var skip []string
	for _, s := range all {
		if !want[s] {
			skip = append(skip, s)
		}
	}
	return skip, nil
}

// validate rejects what no corpus could make sense of, before a document
// is read or anything written: with repeated_lines, before its first pass
// over the corpus too. The values a stage accepts are checked by the
// stage's package, which owns their list.
func (c Config) validate() error {
	for _, n := range []struct {
		key, flag, zero string
		v               int
	}{
		{"workers", "--workers", "one per CPU", c.Workers},
		{"block_docs", "--block-docs", "500", c.BlockDocs},
		{"limit", "--limit", "every document", c.Limit},
	} {
		if n.v < 0 {
			return fmt.Errorf("%s (%s): %d is negative; want a positive number, or 0 for the default (%s)", n.key, n.flag, n.v, n.zero)
		}
	}
	for _, s := range c.SkipStages {
		if all := skippable(); !slices.Contains(all, s) {
			return fmt.Errorf("skip_stages: unknown stage %q (optional stages: %s)", s, strings.Join(all, ", "))
		}
	}
	if _, err := output.ParseFormat(c.Format); err != nil {
		return fmt.Errorf("format: %w", err)
	}
	if err := c.Reader.Validate(); err != nil {
		return err // "corpus: reader.max_doc_bytes = -5; want ..."
	}
	if !slices.Contains(topicUnits, c.TopicUnit) {
		return fmt.Errorf("topic_unit: unknown unit %q (want %s, %s or %s)", c.TopicUnit, UnitAuto, UnitDocument, UnitPassage)
	}
	// Settings of stages that are skipped are checked too: a mistake in
	// them is a mistake in the config all the same. vectorize.New and
	// keyphrases.New only check and fill defaults.
	if _, err := vectorize.New(c.Vectorize); err != nil {
		return err // "vectorize: unknown form ..."
	}
	if _, err := keyphrases.New(c.Keyphrases); err != nil {
		return err // "keyphrases: unknown method ..."
	}
	if err := c.Topics.Validate(); err != nil {
		return err // "topics: unknown model ..."
	}
	if err := c.Similarity.Validate(); err != nil {
		return err // "similarity config: similarity.lsh_bits 64: ..."
	}
	if err := c.Bootstrap.Validate(); err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	if err := compare.CheckPlan(c.Compare.Plan); err != nil {
		return fmt.Errorf("compare.plan: %w", err)
	}
	if err := c.Compare.Keyness.Validate(); err != nil {
		return fmt.Errorf("compare.keyness: %w", err)
	}
	if c.Compare.Keyness.Prior == compare.PriorReference && c.Compare.Reference == "" {
		return fmt.Errorf("compare.keyness: prior %q needs compare.reference (the output directory of a run over a reference corpus)", c.Compare.Keyness.Prior)
	}
	// Read once here so that a wrong folder stops the run before any table.
	if c.Compare.Reference != "" {
		if _, err := comparestage.ReadReference(c.Compare.Reference); err != nil {
			return err
		}
	}
	return c.Compare.checkComparisons()
}

// checkComparisons refuses declared comparisons that cannot be made.
func (cc CompareConfig) checkComparisons() error {
	labels := map[string]int{}
	for i, s := range cc.Comparisons {
		label := compare.Comparison{Name: s.Name, A: s.A, B: s.B}.Label()
		// Rows and per-comparison state are keyed by the label: two
		// comparisons with one label would overwrite each other's rows.
		if j, dup := labels[label]; dup {
			return fmt.Errorf("compare.comparisons[%d] %q: the same label as compare.comparisons[%d]; give them different names", i, label, j)
		}
		labels[label] = i
		// An empty side a compares nothing: keyness fails once every
		// document is read, frames and topics have no document on it.
		if len(s.A) == 0 {
			return fmt.Errorf("compare.comparisons[%d] %q: side a has no group", i, label)
		}
		// A group twice on one side: keyness would add its counts twice
		// (and take them twice from the rest), frame and topic
		// comparisons its documents once.
		for _, side := range []struct {
			name   string
			groups []string
		}{{"a", s.A}, {"b", s.B}} {
			for j, g := range side.groups {
				if slices.Contains(side.groups[:j], g) {
					return fmt.Errorf("compare.comparisons[%d] %q: group %q is twice on side %s", i, label, g, side.name)
				}
			}
		}
		// A group on both sides: keyness refuses it, and frame and topic
		// comparisons would count its documents on both.
		for _, g := range s.A {
			if slices.Contains(s.B, g) {
				return fmt.Errorf("compare.comparisons[%d] %q: group %q is on both side a and side b", i, label, g)
			}
		}
	}
	return nil
}
