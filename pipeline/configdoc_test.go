package pipeline

import (
	"maps"
	"strings"
	"testing"
)

// The catalog covers Config exactly: a key without an entry, an entry
// without a key and a section that is not a field each stop the tables.
func TestConfigDocCoversConfig(t *testing.T) {
	var b strings.Builder
	if err := WriteConfigMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| `reader.text_column` | `--text-column` | `text` |", // default from the resolved config
		"| `block_docs` | `--block-docs` | 500 |",
		"| | `--resume` | off |", // a flag-only setting
		"| `lang.lang` | `--lang` | detect |",
		"| `compare` | `pipeline.CompareConfig` |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the tables lack %q", want)
		}
	}

	keys := configKeys()
	delete(keys, "reader.max_gzip_ratio")
	keys["reader.max_gzip_ration"] = keyDoc{Default: "100"}
	stages := stageSections()
	stages["lexicon"] = "…"
	_, _, err := configTables(keys, stages)
	for _, want := range []string{
		"reader.max_gzip_ratio has no entry in configKeys",
		"configKeys documents reader.max_gzip_ration, which Config does not have",
		"stageSections documents lexicon, which is not a struct field of Config",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to say %q", err, want)
		}
	}

	keys = maps.Clone(configKeys())
	d := keys["out"]
	d.Default = ""
	keys["reader.encoding"] = d // no default given and none resolved
	if _, _, err := configTables(keys, stageSections()); err == nil || !strings.Contains(err.Error(), "reader.encoding: its resolved default is empty") {
		t.Errorf("an entry without a default for an empty setting: %v", err)
	}
}
