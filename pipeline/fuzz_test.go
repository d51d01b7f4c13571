package pipeline

// FuzzConfig decodes and validates any config file (`make fuzz` runs it
// for FUZZTIME): an error or a config, never a panic or a hang.

import (
	"testing"
	"time"
)

func FuzzConfig(f *testing.F) {
	for _, s := range []string{
		"corpus: data\nreader: {text_column: body, max_doc_bytes: 1000, allow_outside_paths: true}\nworkers: 2\nblock_docs: 10\n",
		"compare:\n  comparisons:\n    - {name: x, a: [g1], b: [g2]}\n    - {a: [g1, g1]}\ntopics: {k: 5}\n",
		"unknown_key: 1\n",
		"workers: many\n",
		"reader: {max_doc_bytes: -5}\n",
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nskip_stages: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
		"clean: {extra_chrome: ['(', 'a{1000}{1000}']}\n",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer time.AfterFunc(10*time.Second, func() { panic("one input took longer than 10s") }).Stop()
		cfg, err := parseConfig(b, "fuzz.yaml")
		if err != nil {
			return
		}
		_ = cfg.withDefaults().validate()
	})
}
