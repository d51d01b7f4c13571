package tokenize

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// functionWords are the words the issue found among the top terms of
// corpora nobody had tuned for (State of the Union by party, UN speeches).
var functionWords = []string{"us", "we", "also", "would", "must", "upon", "may", "shall", "one", "however", "ca", "wo", "'re", "n't", "'s", "'ve", "'ll", "'d", "'m"}

// topTerms counts what vectorize counts by default (lemmas of tokens that
// are not punctuation nor stop words, with a letter, two characters or
// more) per group, and returns each group's n most frequent.
func topTerms(t *testing.T, tk *Tokenizer, docs []*document.Document, group []string, n int) map[string][]string {
	t.Helper()
	counts := map[string]map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			local := map[string]map[string]int{}
			for i := range next {
				if err := tk.Process(context.Background(), docs[i]); err != nil {
					t.Error(err)
					continue
				}
				g := local[group[i]]
				if g == nil {
					g = map[string]int{}
					local[group[i]] = g
				}
				for _, tok := range docs[i].Tokens {
					if tok.IsPunct || tok.IsStop || utf8.RuneCountInString(tok.Lemma) < 2 || !strings.ContainsFunc(tok.Lemma, unicode.IsLetter) {
						continue
					}
					g[tok.Lemma]++
				}
				docs[i].Tokens, docs[i].Sentences = nil, nil
			}
			mu.Lock()
			for gr, m := range local {
				if counts[gr] == nil {
					counts[gr] = map[string]int{}
				}
				for w, c := range m {
					counts[gr][w] += c
				}
			}
			mu.Unlock()
		})
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	top := map[string][]string{}
	for gr, m := range counts {
		words := make([]string, 0, len(m))
		for w := range m {
			words = append(words, w)
		}
		slices.SortFunc(words, func(a, b string) int {
			if m[a] != m[b] {
				return m[b] - m[a]
			}
			return strings.Compare(a, b)
		})
		top[gr] = words[:min(n, len(words))]
	}
	return top
}

func checkTopTerms(t *testing.T, name string, top map[string][]string, mustHave string) {
	t.Helper()
	for gr, words := range top {
		for _, w := range functionWords {
			if i := slices.Index(words, w); i >= 0 {
				t.Errorf("%s, group %s: %q is term #%d of the top %d: %v", name, gr, w, i+1, len(words), words)
			}
		}
		if !slices.Contains(words, mustHave) {
			t.Errorf("%s, group %s: %q is not among the top %d terms %v: the counting is off", name, gr, mustHave, len(words), words)
		}
	}
}

// State of the Union addresses by party (Democratic, Republican): the top
// 30 terms of each side hold no function word.
func TestSOTUTopTermsHoldNoFunctionWords(t *testing.T) {
	if testing.Short() {
		t.Skip("tokenizes 182 addresses")
	}
	dir := sharedtest.Path(t, "bench/sotu")
	f, err := os.Open(filepath.Join(dir, "meta.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []*document.Document
	var group []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m struct{ ID, Party string }
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		if m.Party != "Democratic" && m.Party != "Republican" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "txt", m.ID+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &document.Document{ID: m.ID, Clean: string(b)})
		group = append(group, m.Party)
	}
	if len(docs) < 150 {
		t.Fatalf("%d addresses of the two parties", len(docs))
	}
	top := topTerms(t, newTokenizer(t, Config{}), docs, group, 30)
	t.Logf("Democratic: %v\nRepublican: %v", top["Democratic"], top["Republican"])
	checkTopTerms(t, "SOTU", top, "government")
}

// The first 300 UN General Debate speeches, by country: the top 30 terms
// of each hold no function word ("us" was Andorra's second term).
func TestUNTopTermsHoldNoFunctionWords(t *testing.T) {
	if testing.Short() {
		t.Skip("tokenizes 300 speeches")
	}
	f, err := os.Open(sharedtest.Path(t, "bench/ungdc.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var docs []*document.Document
	var group []string
	for len(docs) < 300 && sc.Scan() {
		var row struct{ ID, ISO3, Text string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &document.Document{ID: row.ID, Clean: row.Text})
		group = append(group, row.ISO3)
	}
	if len(docs) != 300 {
		t.Fatalf("%d speeches", len(docs))
	}
	top := topTerms(t, newTokenizer(t, Config{}), docs, group, 30)
	t.Logf("AND: %v", top["AND"])
	checkTopTerms(t, "UN", top, "country")
}
