package tokenize

// FuzzTokenize runs the cleaner and the tokenizer on any text (`make fuzz`
// runs it for FUZZTIME) and checks the invariants every table relies on
// (checkInvariants): exact offsets, consistent sentence and token indices.

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/clean"
)

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"Dr. Smith went to Washington, D.C. on Jan. 5th. He said: \"No!\" (Really?) U.S.-China ties...",
		"Inter-\nnational talent\u2014mobility; e.g. visas, i.e. rules. 3.5% of $1,000.",
		"\u202Eevil\u202C \u00AD\u200Bhidden \ufb01ne 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 日本語のテキスト。中文文本。",
		strings.Repeat("a", 600) + " " + strings.Repeat("-", 100) + " " + strings.Repeat(".", 100), // small: the fuzzer minimises every input it keeps
		"Abstract\nWe study it.\n\n1 Introduction\nText here.\n\nReferences\n[1] A. B.",
		"",
	} {
		f.Add(s)
	}
	tk, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	cl, err := clean.New(clean.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		defer time.AfterFunc(10*time.Second, func() { panic("one input took longer than 10s") }).Stop()
		if !utf8.ValidString(raw) {
			raw = strings.ToValidUTF8(raw, "\uFFFD")
		}
		doc := &document.Document{ID: "f", Raw: raw}
		if err := cl.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		if err := tk.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, doc)
	})
}
