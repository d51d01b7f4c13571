package pipeline

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
)

// A document of more than half a million tokens, whose sentences the
// stages split over two workers and whose statistics and analyses' maps
// run side by side, gives the tables of a run on one worker, byte for
// byte: real sentences (the State of the Union addresses, or the sample's
// papers) on one line of 3 MB, beside a short document.
func TestLongDocumentSameTables(t *testing.T) {
	skipShort(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	sents := realSentences(t)
	var b strings.Builder
	for k := 0; b.Len() < 3<<20; k++ {
		b.WriteString(sents[k%len(sents)])
		b.WriteByte(' ')
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "long.txt"), []byte(b.String()+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "short.txt"), []byte(strings.Join(sents[len(sents)/2:len(sents)/2+40], " ")+"\n"), 0o644)
	outs := map[int]string{}
	for _, workers := range []int{1, 2} {
		cfg := Config{Corpus: dir, Out: t.TempDir(), Workers: workers, Seed: 3, Reader: corpus.Options{MaxDocBytes: 4 << 20}}
		if _, err := Run(context.Background(), cfg, Options{}); err != nil {
			t.Fatal(err)
		}
		outs[workers] = cfg.Out
	}
	if m := readManifest(t, outs[2]); m.Tokens < longDocTokens {
		t.Fatalf("%d tokens: not a long document", m.Tokens)
	}
	sameTables(t, outs[1], outs[2])
}

// The steps after the stages (term counts, key-phrase candidates, frame
// summaries) and the analyses' maps give the same results run side by
// side as one after the other, on the sample's documents.
func TestStepsTogetherAsInTurn(t *testing.T) {
	s, err := corpus.OpenSample()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inTurn, err := NewProcessor(Config{Workers: 2, Seed: 3}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	side, err := NewProcessor(Config{Workers: 2, Seed: 3}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	inTurn.eng.longTokens, side.eng.longTokens = 0, 1
	n := 0
	for {
		d, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		d2 := *d
		a := inTurn.eng.process(context.Background(), d)
		b := side.eng.process(context.Background(), &d2)
		if a.err != nil || b.err != nil {
			t.Fatalf("%s: %v, %v", d.ID, a.err, b.err)
		}
		if len(a.partials) == 0 || len(a.counts) == 0 {
			t.Fatalf("%s: no partials or terms", d.ID)
		}
		a.doc, b.doc = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: results differ side by side", d.ID)
		}
		if !reflect.DeepEqual(d.Keyphrases, d2.Keyphrases) || !reflect.DeepEqual(d.Warnings, d2.Warnings) {
			t.Errorf("%s: the document differs side by side", d.ID)
		}
		n++
	}
	if n < 2 {
		t.Fatalf("%d sample documents", n)
	}
}
