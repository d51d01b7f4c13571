// Command gen retrains the shipped NER model:
//
//	go run ./stages/entities/internal/gen \
//	    -train ../shared/eval/ner/conll2003/eng.train \
//	    -dev ../shared/eval/ner/conll2003/eng.testa \
//	    -out stages/entities/data/model.bin.gz
//
// The lead's `framelens train ner` does the same through entities.Train.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/framelens/framelens/stages/entities"
)

func main() {
	train := flag.String("train", "", "CoNLL training file")
	dev := flag.String("dev", "", "CoNLL development file for early stopping")
	out := flag.String("out", "model.bin.gz", "output model file")
	epochs := flag.Int("epochs", 0, "epochs (0 = default)")
	flag.Parse()
	if err := run(*train, *dev, *out, *epochs); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(train, dev, out string, epochs int) error {
	tr, err := os.Open(train)
	if err != nil {
		return err
	}
	defer tr.Close()
	opts := entities.TrainOptions{Epochs: epochs, Logger: slog.Default()}
	if dev != "" {
		d, err := os.Open(dev)
		if err != nil {
			return err
		}
		defer d.Close()
		opts.Dev = d
	}
	m, err := entities.Train(tr, opts)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := m.Save(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
