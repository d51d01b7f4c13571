package pipeline

import (
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// The key tables of docs/config.md are written from the Config type and
// the catalog below (framelens config --markdown; a test fails when the
// file differs), so that a key added to Config without a line here, or a
// line left for a key that is gone, fails the build's tests instead of
// leaving the documentation behind.

// keyDoc documents one setting of the top-level table.
type keyDoc struct {
	// Flags are the run command's flags that set it ("--shard i/n": the
	// flag and its argument).
	Flags []string
	// Default as written in the table; "" writes the value of the resolved
	// zero Config (a string in backticks), so that the two cannot differ.
	Default string
	Meaning string
}

// configKeys documents the top-level settings: every YAML key of Config
// outside the stage sections of stageSections, by its dotted path, and the
// flag-only settings (yaml:"-") by their Config field name.
func configKeys() map[string]keyDoc {
	return map[string]keyDoc{
		"corpus":                     {Flags: []string{"--corpus"}, Default: "built-in sample", Meaning: "a folder, a manifest (.yaml/.csv/.jsonl) or a row dump (.jsonl/.csv/.tsv/.parquet, `.gz` too); `-`: an Arrow IPC stream or JSONL on standard input ([corpus.md](corpus.md#standard-input---corpus--))"},
		"reader.format":              {Default: "detect", Meaning: "folder, yaml, csv, tsv, jsonl, parquet, txt"},
		"reader.text_column":         {Flags: []string{"--text-column"}, Meaning: "row dumps: the column with the text"},
		"reader.id_column":           {Flags: []string{"--id-column"}, Meaning: "the column with the document id"},
		"reader.group_column":        {Flags: []string{"--group-column"}, Meaning: "the column with the comparison group"},
		"reader.column_types":        {Default: "none", Meaning: "the type of metadata columns by name (`string`, `int`, `float`, `bool`), e.g. `{year: int}`, instead of the type of the first non-empty value; a value that does not fit is dropped with a warning on its document"},
		"reader.no_folder_groups":    {Meaning: "a folder's files that its manifest does not list take their first-level folder's name as group; `true` leaves them without one"},
		"reader.encoding":            {Flags: []string{"--encoding"}, Default: "none", Meaning: "the legacy encoding (`windows-1252`, `gb18030`, `shift_jis`, … any WHATWG label) of files and CSV/TSV cells that are not valid UTF-8; valid UTF-8 is always read as UTF-8; without it invalid bytes become U+FFFD with a warning (HTML follows its `<meta>` charset); see [corpus.md](corpus.md#text-decoding)"},
		"reader.max_doc_bytes":       {Flags: []string{"--max-doc-bytes"}, Default: "8 MB (8388608)", Meaning: "the largest document, in bytes (the flag also takes `8MB`, `200MB`, `1GB`, 1024-based): a file after decompression, a row's text, a Parquet cell. A larger one is a document error naming its file or row (listed in run.json's `document_errors`), never truncated: a cut text would be counted as if whole. A JSONL line and a CSV/TSV record may be twice as long (escapes, other columns), a YAML manifest (read whole) twice as large; see [corpus.md](corpus.md#bounds-and-untrusted-input) for why the default is 8 MB and what a document costs in memory"},
		"reader.max_gzip_ratio":      {Flags: []string{"--max-gzip-ratio"}, Default: "100", Meaning: "a `.gz` input that expands more than this many times its compressed size, once past 16 MB, is refused as a decompression bomb: a document error for a `.gz` document, a fatal error naming the file for a `.gz` manifest or row dump. Text compresses 3–10 times"},
		"reader.allow_outside_paths": {Flags: []string{"--allow-outside-paths"}, Meaning: "let a manifest's `path` column name files outside the manifest's folder (or `reader.root`): `../`, absolute paths, symbolic links that lead out. Without it such a row is a document error naming the row"},
		"reader.root":                {Default: "the corpus folder", Meaning: "the folder every document file must resolve inside, for manifests kept apart from their texts (`meta/manifest.csv` naming `../texts/a.txt` with `root: .`)"},
		"out":                        {Flags: []string{"--out"}, Meaning: "output directory"},
		"format":                     {Flags: []string{"--format"}, Meaning: "`parquet`, `arrow` (Arrow IPC files) or `both`"},
		"seed":                       {Flags: []string{"--seed"}, Meaning: "seeds the topic model, the bootstrap intervals and `similarity.approximate: lsh`'s hyperplanes"},
		"workers":                    {Flags: []string{"--workers"}, Default: "CPUs", Meaning: "document workers; the CLI also keeps the whole process to that many cores (`GOMAXPROCS`), so a job given N cores by a scheduler uses N"},
		"skip_stages":                {Flags: []string{"--skip", "--stages"}, Default: "none", Meaning: "`entities`, `keyphrases`, `frames`, `topics`, `keyness`, `tokens` (the tokens table only), and the registered analyses (`collocations`); `--stages a,b` runs only the optional stages listed"},
		"limit":                      {Flags: []string{"--limit"}, Default: "0 (all)", Meaning: "analyse only the first N documents: a quick look at a large corpus"},
		"block_docs":                 {Flags: []string{"--block-docs"}, Meaning: "documents per block: the unit of part files, of `--resume` and of `--shard`"},
		"Resume":                     {Flags: []string{"--resume"}, Default: "off", Meaning: "keep the blocks an interrupted run of the same config completed in `--out`, process the rest; when `--out` holds blocks of another config (the config hash differs: another seed, corpus, `limit`, an edited file the config names, …) it fails at once, before reading a document or writing anything, naming the directory and both config hashes, and the file whose contents changed"},
		"Shard":                      {Flags: []string{"--shard i/n"}, Default: "off", Meaning: "process only the blocks b with b mod n = i into `--out`; combine the shards with `framelens merge --out DIR SHARD_DIR...`"},
		"repeated_lines":             {Default: "off", Meaning: "a first pass over the corpus counts lines per site (manifest column `site`, or the host of `url`); cleaning then drops lines found in at least `clean.repeated_min_docs` (3) documents of the same site: navigation and footers repeated on every page"},
		"lang.lang":                  {Flags: []string{"--lang"}, Default: "detect", Meaning: "every document's language, an ISO 639-1 code (`en`, `zh`, `de`, …); without it the manifest's `lang` column (`en-GB`, `zh-Hans`, `deu`, `German` are understood) or, when empty, detection decides; see [README](../README.md#languages) for what each language gets"},
		"topic_unit":                 {Meaning: "what the topic model sees as a document: `document`, `passage` (runs of sentences of about 80 words within a section), or `auto` (passages for corpora of up to 200 documents, where a model over documents says little; any other value is an error). Over passages, a document's `doc_topics` weights are the word-weighted mean of those of its passages with a term in the vocabulary; a passage without one (only numbers or stop words: a paragraph of figures) gets 1/K everywhere from the model, a placeholder, and is left out, and a document none of whose passages has a term is a document without a term (1/K placeholder, left out of the topic comparisons)"},
	}
}

// stageSections documents the stage sections of Config (the struct-typed
// fields documented by their package), by YAML key: their main settings.
// Every other struct-typed field's keys go into the top-level table.
func stageSections() map[string]string {
	return map[string]string{
		"clean":      "switch rules off (`disable_chrome`, `disable_sections`, `disable_hyphenation`, `disable_stage_directions`, `disable_binary`, …); `presets` (`--clean`): `transcript`, `email`/`usenet`; `extra_chrome`: regular expressions, each matched against a whole trimmed line, for lines to drop (see [corpus.md](corpus.md#cleaning-rules))",
		"tokenize":   "`no_tags`, `no_lemma`, `no_stem`, `stop_words_file` (`--stop-words`: a file, one word a line, `#` comments, that replaces the default English list), `extra_stop_words_file` (`--add-stop-words`: words added to the list), `newlines`; the default list and its sources: [Stop words](#stop-words)",
		"entities":   "`disable_model`, `disable_rules`, `disable_gazetteer`, `rule_files` (YAML rules in the spirit of spaCy's EntityRuler: `phrases`, or token `patterns` whose `op` is `?`, `+` or `*`; a pattern runs as an automaton, in time linear in the sentence whatever its ops, and the longest match from each token wins; a pattern that does not compile stops the run naming the file and the key, e.g. `rules[0].patterns[0][1]): regex: …`), `gazetteer_files`, `model_file`, `keep_citations`",
		"keyphrases": "`method` (`--keyphrases`), `top_n`, `max_words`",
		"vectorize":  "`form` (lemma, lower, stem, text), `ngram_max`, `min_df`, `max_df`, `max_terms`, `scheme` (sklearn, sublinear, idf_plain, bm25), `keep_stopwords`",
		"topics":     "`model` (`--topic-model`: nmf, lda, lsa), `topics` (`--topics`), `max_iter`, `alpha`, `beta`, `lda_shards` (2: LDA's parallel shards, part of the model; the output never depends on `workers`)",
		"frames":     "`lexicon` (`--frames`), `negation_window`, `negators`",
		"bootstrap":  "`b` replicates (1000), `level` (0.95; a fraction in (0, 1), not a percentage), `min_docs` (5: smaller groups resample sentences), `exact_docs` (1000: larger sides draw replicates from the normal approximation of the document bootstrap; -1 always resamples; a side that is the rest of more than 1,000 groups takes that approximation's variance, and topic prevalence its means and variances, from corpus sums less side A's — equal up to rounding in the last digits — so that 10,000 groups each against the rest cost 10,000 × side A, not 10,000 × the corpus)",
		"similarity": "the nearest-documents search of the `similarity` table: `exact_docs` (5,000: corpora of up to this many documents are searched exactly, all pairs; -1 always exact), `approximate` (the search above: `prune`, the default — the exact search over each document's `prune_terms` (100) heaviest TF-IDF terms proposes `candidates` (50), rescored by their cosine on the whole rows — or `lsh`, random-hyperplane hashing seeded by `seed`: `lsh_tables` (128) tables keyed by `lsh_bits` (8) bits each gather a pool (`lsh_probes`: -1, the default, a document's own bucket; 1 the buckets one bit away too), whose `lsh_candidates` (100) nearest by Hamming distance over all `lsh_bits` × `lsh_tables` signature bits (at most 4,096) are rescored by their cosine). Recall and time of each: [EVAL.md](EVAL.md#nearest-documents), [methods.md](methods.md#nearest-documents)",
		"compare":    "`plan` (pair, each_vs_rest, all_pairs), `comparisons` (explicit `{name, a, b}` lists; `b` empty = the rest; an empty `a`, a group twice on one side or on both `a` and `b` of a comparison, or two comparisons with one label (name, or groups when unnamed) stops the run before a document is read, with an error naming the comparison and the group, e.g. `compare.comparisons[0] \"x vs x+y\": group \"x\" is on both side a and side b`; a side whose groups have no analysed document — a misspelt group, or one whose documents all failed — gives a warning, no keyness, frame or topic rows and a null `jsd_terms`), `keyness.alpha0`, `keyness.prior` (pooled or reference; reference needs `reference`), `keyness.min_count`, `keyness.test` (`documents`, the default: keyness rows are kept, ordered and sided by the document-level Welch's t of per-document rates; `tokens`: by the token-level z; see docs/methods.md), `keyness.permutations` (0, the default: the document-level `doc_p` is Welch's t-test; B > 0: a seeded permutation test over documents of at most B permutations per feature), `max_features` (2,000 keyness rows per comparison and feature kind, half per side; -1 keeps all), `max_rows` (2,000,000: when comparisons × feature kinds × `max_features` — or each kind's features, when fewer — would write more keyness rows, each comparison and kind keeps an equal share, at least one row a side, with a warning naming both keys; -1 no bound; 10,000 groups each against the rest keep 40 rows per comparison and kind), `reference` (the output directory of an earlier run over a reference corpus: each group's terms are compared with its `terms.parquet` instead of with the rest)",
	}
}

// WriteConfigMarkdown writes the key tables of docs/config.md (the
// top-level settings, then the stage sections) as Markdown. It fails when
// Config and the catalog in configdoc.go disagree.
func WriteConfigMarkdown(w io.Writer) error {
	rows, sections, err := configTables(configKeys(), stageSections())
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("## Top level\n\n| key | flag | default | meaning |\n|---|---|---|---|\n")
	for _, r := range rows {
		b.WriteString(mdRow(r))
	}
	b.WriteString("\n## Stages\n\nEach stage has a typed config section; its Go doc comment in the package is the reference.\n\n")
	b.WriteString("| key | package | main settings |\n|---|---|---|\n")
	for _, s := range sections {
		b.WriteString(mdRow(s))
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// mdRow is a Markdown table row; an empty cell is "| |".
func mdRow(cells []string) string {
	row := "|"
	for _, c := range cells {
		if c != "" {
			row += " " + c
		}
		row += " |"
	}
	return row + "\n"
}

// configTables walks Config in field order: the rows of the top-level
// table (key, flags, default, meaning) and of the stage table (key,
// package, settings).
func configTables(keys map[string]keyDoc, stages map[string]string) (rows, sections [][]string, err error) {
	resolved, err := Config{}.Resolved()
	if err != nil {
		return nil, nil, err
	}
	used := map[string]bool{}
	var problems []string
	add := func(name, key string, v reflect.Value) {
		d, ok := keys[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s has no entry in configKeys", name))
			return
		}
		used[name] = true
		def := d.Default
		if def == "" {
			def = formatDefault(v)
			if def == "" {
				problems = append(problems, fmt.Sprintf("%s: its resolved default is empty; give configKeys a Default", name))
			}
		}
		var flags []string
		for _, f := range d.Flags {
			flags = append(flags, "`"+f+"`")
		}
		if key != "" {
			key = "`" + key + "`"
		}
		rows = append(rows, []string{key, strings.Join(flags, ", "), def, d.Meaning})
	}
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name := yamlName(f)
			switch {
			case !f.IsExported():
			case f.Type == reflect.TypeFor[AnalysisSettings]():
				rows, err := analysisSections()
				if err != nil {
					problems = append(problems, err.Error())
				}
				sections = append(sections, rows...)
			case name == "-":
				if prefix == "" {
					add(f.Name, "", v.Field(i))
				}
			case f.Type.Kind() == reflect.Struct && prefix == "" && stages[name] != "":
				used["section "+name] = true
				sections = append(sections, []string{"`" + name + "`", "`" + f.Type.String() + "`", stages[name]})
			case f.Type.Kind() == reflect.Struct:
				walk(v.Field(i), prefix+name+".")
			default:
				add(prefix+name, prefix+name, v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(resolved), "")
	for name := range keys {
		if !used[name] {
			problems = append(problems, fmt.Sprintf("configKeys documents %s, which Config does not have", name))
		}
	}
	for name := range stages {
		if !used["section "+name] {
			problems = append(problems, fmt.Sprintf("stageSections documents %s, which is not a struct field of Config", name))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, nil, fmt.Errorf("config docs (pipeline/configdoc.go): %s", strings.Join(problems, "; "))
	}
	return rows, sections, nil
}

// analysisSections documents the sections of the built-in analyses, each
// from its own package (ConfigDoc), so that adding one touches only its
// package and its registration.
func analysisSections() ([][]string, error) {
	var out [][]string
	for _, r := range Analyses() {
		a, err := Config{}.buildAnalysis(r)
		if err != nil {
			return nil, err
		}
		d, ok := a.(interface{ ConfigDoc() string })
		if !ok {
			return nil, fmt.Errorf("analysis %s has no ConfigDoc method documenting its section", r.Name)
		}
		out = append(out, []string{"`" + r.Name + "`", "`" + reflect.TypeOf(a.Config()).String() + "` (an analysis: `pipeline.Analyses`)", d.ConfigDoc()})
	}
	return out, nil
}

// yamlName is a field's YAML key: its tag's name, or the lower-cased field
// name as yaml.v3 takes it.
func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

// formatDefault writes a resolved value as the table shows defaults:
// strings in backticks ("" when empty), numbers and booleans plain.
func formatDefault(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			return ""
		}
		return "`" + v.String() + "`"
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return fmt.Sprint(v.Interface())
	}
	return ""
}
