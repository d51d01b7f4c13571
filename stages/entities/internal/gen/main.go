// Command gen retrains the shipped NER model (see data/PROVENANCE.md for
// the exact command):
//
//	go run ./stages/entities/internal/gen \
//	    -train A.conll,B.iob2,B.iob2 -lowercase A.conll \
//	    -out stages/entities/data/model.bin.gz
//
// -train files are read in order (a file named twice counts twice);
// -lowercase files are then added once more with every word lower-cased,
// so that the model also learns names from their context when a writer
// does not capitalise them (web text). The lead's `framelens train ner`
// trains on one file through entities.Train.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/framelens/framelens/stages/entities"
)

func main() {
	train := flag.String("train", "", "comma-separated CoNLL or .iob2 training files, in order")
	lower := flag.String("lowercase", "", "comma-separated training files added again with words lower-cased")
	dev := flag.String("dev", "", "CoNLL development file for early stopping (default: none, all epochs)")
	out := flag.String("out", "model.bin.gz", "output model file")
	epochs := flag.Int("epochs", 0, "epochs (0 = default)")
	flag.Parse()
	if err := run(*train, *lower, *dev, *out, *epochs); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func split(list string) []string {
	var out []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(train, lower, dev, out string, epochs int) error {
	var all bytes.Buffer
	for _, f := range split(train) {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		all.Write(b)
		all.WriteString("\n\n")
	}
	for _, f := range split(lower) {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		all.Write(lowerWords(b))
		all.WriteString("\n\n")
	}
	if all.Len() == 0 {
		return fmt.Errorf("no -train files")
	}
	opts := entities.TrainOptions{Epochs: epochs, Logger: slog.Default()}
	if dev != "" {
		d, err := os.Open(dev)
		if err != nil {
			return err
		}
		defer d.Close()
		opts.Dev = d
	}
	m, err := entities.Train(&all, opts)
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

// lowerWords lower-cases the word column of a CoNLL ("word … tag") or
// .iob2 ("index<TAB>word<TAB>tag…") file, leaving comments, -DOCSTART-
// and tags alone.
func lowerWords(b []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "-DOCSTART-"):
		case strings.Count(line, "\t") >= 2:
			f := strings.Split(line, "\t")
			f[1] = strings.ToLower(f[1])
			line = strings.Join(f, "\t")
		default:
			if w, rest, ok := strings.Cut(line, " "); ok {
				line = strings.ToLower(w) + " " + rest
			}
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}
