package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/entities"
	"github.com/framelens/framelens/stages/keyphrases"
	"github.com/framelens/framelens/stages/tokenize"
)

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:  "eval",
		Usage: "measure a stage against a gold standard",
		Subcommands: []*cli.Command{
			{
				Name:  "ner",
				Usage: "entity-level precision, recall and F1 on a CoNLL-2003 or Universal NER .iob2 file (conlleval semantics)",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "conll", Required: true, Usage: "CoNLL-2003-format `FILE` (token … NER tag; blank line between sentences), or Universal NER .iob2 (index, token, tag; # comments)"},
					&cli.StringFlag{Name: "map", Usage: "label `MAP` GOLD=PRED|PRED,… (default " + entities.DefaultLabelMap + ")"},
					&cli.BoolFlag{Name: "prose", Usage: "also score prose's default extractor, side by side"},
					&cli.StringFlag{Name: "model", Usage: "entity model `FILE` written by 'framelens train ner' (default: the shipped model)"},
				},
				Action: func(c *cli.Context) error {
					rec, err := entities.New(entities.Config{ModelFile: c.String("model")})
					if err != nil {
						return err
					}
					opts := entities.EvalOptions{Map: c.String("map")}
					rep, err := entities.Evaluate(c.Context, rec, c.String("conll"), opts)
					if err != nil {
						return err
					}
					fmt.Fprintln(c.App.Writer, "framelens entity stage:")
					if err := rep.Write(c.App.Writer); err != nil {
						return err
					}
					if !c.Bool("prose") {
						return nil
					}
					prose, err := entities.EvaluateProse(c.Context, c.String("conll"), entities.EvalOptions{})
					if err != nil {
						return err
					}
					fmt.Fprintln(c.App.Writer, "\nprose default extractor:")
					return prose.Write(c.App.Writer)
				},
			},
			{
				Name:  "segmentation",
				Usage: "sentence splitting against pragmatic_segmenter-style cases (Golden Rules); with --lang zh, Chinese word segmentation (SIGHAN 2005 word P/R/F1)",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "rules", Usage: "JSONL `FILE` of cases: id, name, doc_type, input, expected (required without --lang zh)"},
					&cli.StringFlag{Name: "lang", Usage: "`LANG` zh: score Chinese word segmentation on --test/--gold instead"},
					&cli.StringFlag{Name: "test", Value: "../shared/eval/segmentation/sighan2005/pku_test.utf8", Usage: "with --lang zh: raw test `FILE`, a paragraph a line"},
					&cli.StringFlag{Name: "gold", Value: "../shared/eval/segmentation/sighan2005/pku_test_gold.utf8", Usage: "with --lang zh: gold `FILE`, the same lines with words separated by spaces"},
					&cli.BoolFlag{Name: "by-doc-type", Usage: "treat a single newline as a boundary except in cases of doc_type pdf, as pragmatic_segmenter does (default: framelens's line-wrap mode for every case)"},
					&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print the pass count only"},
				},
				Action: func(c *cli.Context) error {
					switch c.String("lang") {
					case "":
					case "zh":
						tk, err := tokenize.New(tokenize.Config{})
						if err != nil {
							return err
						}
						rep, err := tk.EvalChineseSegmentation(c.Context, c.String("test"), c.String("gold"))
						if err != nil {
							return err
						}
						fmt.Fprintln(c.App.Writer, "framelens Chinese word segmentation (gse dictionary, shortest path):")
						return rep.Write(c.App.Writer)
					default:
						return fmt.Errorf("eval segmentation: --lang %q: only zh (Chinese word segmentation) is scored; without --lang, sentence splitting", c.String("lang"))
					}
					if c.String("rules") == "" {
						return fmt.Errorf("eval segmentation: --rules FILE is required (or --lang zh)")
					}
					f, err := os.Open(c.String("rules"))
					if err != nil {
						return err
					}
					defer f.Close()
					cases, err := tokenize.ReadSegCases(f, c.String("rules"))
					if err != nil {
						return err
					}
					rep, err := tokenize.EvalSegmentation(cases, c.Bool("by-doc-type"))
					if err != nil {
						return err
					}
					if c.Bool("quiet") {
						rep.Failures = nil
					}
					return rep.Write(c.App.Writer)
				},
			},
			{
				Name:  "keyphrases",
				Usage: "precision, recall and F1 at 5 and 10 (lower-case, Porter-stemmed, exact match)",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "docs", Required: true, Usage: "`DIR` of documents <id>.txt (Inspec layout: title, blank line, abstract; SemEval-2010 and NUS papers alike)"},
					&cli.StringFlag{Name: "gold", Required: true, Usage: "gold key phrases `FILE` (JSONL: id, split, keyphrases)"},
					&cli.StringFlag{Name: "split", Value: "test", Usage: "`SPLIT` to score: train, dev, test, or all (every document: NUS has no splits)"},
					&cli.StringFlag{Name: "method", Usage: "`METHOD`: ensemble (default), yake, positionrank, textrank, singlerank, tfidf, or all (one report each)"},
					&cli.StringFlag{Name: "predictions", Usage: "write each scored document's ranked phrases to `FILE` (JSON lines: id, pred, gold), to re-score them outside Go"},
					&cli.BoolFlag{Name: "tune", Usage: "instead of scoring, fit the ensemble's weights on the train split (with and without groups of rank features) and print each fit's weights and scores on --split (default dev)"},
					&cli.BoolFlag{Name: "df-split-only", Usage: "with --tune: document frequencies from --split alone (default: --split and train)"},
				},
				Action: evalKeyphrases,
			},
			{
				Name:  "lemmas",
				Usage: "lemma and Penn tag accuracy on a CoNLL-U file (gold words; punctuation and symbols not scored)",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "conllu", Required: true, Usage: "CoNLL-U `FILE` (Universal Dependencies, e.g. en_ewt-ud-test.conllu)"},
					&cli.IntFlag{Name: "errors", Usage: "list the `N` most frequent lemma errors"},
					&cli.StringFlag{Name: "predictions", Usage: "write every word's tag and lemma to `FILE` (TSV: sentence, word, form, tag, lemma) for bench/peers/lemmas.py"},
				},
				Action: func(c *cli.Context) error { return evalLemmas(c) },
			},
		},
	}
}

// allKeyphraseMethods are the methods --method all reports, in the order
// of docs/eval-keyphrases.md.
var allKeyphraseMethods = []string{keyphrases.MethodYAKE, keyphrases.MethodTextRank, keyphrases.MethodSingleRank, keyphrases.MethodPositionRank, keyphrases.MethodTFIDF, keyphrases.MethodEnsemble}

func evalKeyphrases(c *cli.Context) error {
	docs, gold, split := c.String("docs"), c.String("gold"), c.String("split")
	if c.Bool("tune") {
		// Weights are chosen on dev; test stays unseen unless asked for.
		if !c.IsSet("split") {
			split = "dev"
		}
		if c.IsSet("method") || c.IsSet("predictions") {
			return fmt.Errorf("eval keyphrases: --tune fits the ensemble and writes no predictions; drop --method and --predictions")
		}
		return keyphrases.TuneEnsemble(c.Context, docs, gold, split, c.Bool("df-split-only"), c.App.Writer)
	}
	methods := []string{c.String("method")}
	if methods[0] == "all" {
		if c.IsSet("predictions") {
			return fmt.Errorf("eval keyphrases: --predictions takes one method; --method all would write several")
		}
		methods = allKeyphraseMethods
	}
	var pred io.Writer
	if path := c.String("predictions"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("eval keyphrases: --predictions: %w", err)
		}
		defer f.Close()
		pred = f
	}
	for _, m := range methods {
		rep, err := keyphrases.EvalInspecPredictions(c.Context, docs, gold, split, keyphrases.Config{Method: m}, pred)
		if err != nil {
			return err
		}
		if err := rep.Write(c.App.Writer); err != nil {
			return err
		}
	}
	if f, ok := pred.(*os.File); ok {
		if err := f.Close(); err != nil {
			return fmt.Errorf("eval keyphrases: --predictions: %w", err)
		}
	}
	return nil
}

func trainCommand() *cli.Command {
	return &cli.Command{
		Name:  "train",
		Usage: "train a model of a stage",
		Subcommands: []*cli.Command{{
			Name:  "ner",
			Usage: "train the entity model (averaged perceptron) on a CoNLL file",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "conll", Required: true, Usage: "training `FILE` in CoNLL format"},
				&cli.StringFlag{Name: "dev", Usage: "development `FILE` for early stopping"},
				&cli.StringFlag{Name: "out", Required: true, Usage: "model `FILE` to write (use it with entities.model_file)"},
				&cli.IntFlag{Name: "epochs", Usage: "passes over the data", DefaultText: "12"},
				&cli.Int64Flag{Name: "seed", Usage: "order of the sentences", DefaultText: "1"},
			},
			Action: func(c *cli.Context) error {
				train, err := os.Open(c.String("conll"))
				if err != nil {
					return err
				}
				defer train.Close()
				opts := entities.TrainOptions{Epochs: c.Int("epochs"), Seed: c.Int64("seed"), Logger: logger(c)}
				if d := c.String("dev"); d != "" {
					dev, err := os.Open(d)
					if err != nil {
						return err
					}
					defer dev.Close()
					opts.Dev = dev
				}
				m, err := entities.Train(train, opts)
				if err != nil {
					return err
				}
				return output.WriteFileAtomic(c.String("out"), 0o666, m.Save)
			},
		}},
	}
}

func evalLemmas(c *cli.Context) error {
	path := c.String("conllu")
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sents, err := tokenize.ReadCoNLLU(f, path)
	if err != nil {
		return err
	}
	tk, err := tokenize.New(tokenize.Config{})
	if err != nil {
		return err
	}
	var (
		each func(tokenize.LemmaPrediction)
		buf  strings.Builder
	)
	if c.String("predictions") != "" {
		buf.WriteString("sentence\tword\tform\ttag\tlemma\n")
		each = func(p tokenize.LemmaPrediction) {
			fmt.Fprintf(&buf, "%d\t%d\t%s\t%s\t%s\n", p.Sentence, p.Word, sents[p.Sentence].Words[p.Word].Form, p.Tag, p.Lemma)
		}
	}
	rep, err := tokenize.EvalLemmas(tk, sents, c.Int("errors"), each)
	if err != nil {
		return err
	}
	if out := c.String("predictions"); out != "" {
		if err := output.WriteFileAtomic(out, 0o666, func(w io.Writer) error {
			_, err := io.WriteString(w, buf.String())
			return err
		}); err != nil {
			return err
		}
	}
	return rep.Write(c.App.Writer)
}
