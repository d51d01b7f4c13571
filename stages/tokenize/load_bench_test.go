package tokenize

import "testing"

// BenchmarkLoadModels measures what New would pay per Tokenizer without
// the process-wide models: decoding prose's tagger weights and reading
// golem's dictionary. BenchmarkNew is what it pays now.
func BenchmarkLoadModels(b *testing.B) {
	b.Run("decodeTagger", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeTagger(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("readLemmatizer", func(b *testing.B) {
		for b.Loop() {
			if _, err := readLemmatizer(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("New", func(b *testing.B) {
		if _, err := New(Config{}); err != nil { // the first call loads them
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := New(Config{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
