package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/framelens/framelens/pipeline"
)

// The generated key tables of docs/config.md sit between these lines.
const (
	configDocBegin = "<!-- Generated from pipeline/configdoc.go by `framelens config --markdown --update docs/config.md` (make docs): edit the keys there. -->\n"
	configDocEnd   = "<!-- End of the generated key tables. -->\n"
)

func configCommand() *cli.Command {
	return &cli.Command{
		Name:  "config",
		Usage: "print the config keys with their flags, defaults and meanings (the tables of docs/config.md)",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "markdown", Usage: "print the key tables as Markdown"},
			&cli.StringFlag{Name: "update", Usage: "instead of printing them, replace the generated tables in `FILE` (docs/config.md)"},
		},
		Action: func(c *cli.Context) error {
			if !c.Bool("markdown") {
				return fmt.Errorf("config: Markdown is the only format: framelens config --markdown [--update docs/config.md]")
			}
			var gen bytes.Buffer
			if err := pipeline.WriteConfigMarkdown(&gen); err != nil {
				return err
			}
			path := c.String("update")
			if path == "" {
				_, err := c.App.Writer.Write(gen.Bytes())
				return err
			}
			doc, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("config --update: %w", err)
			}
			out, err := spliceConfigDoc(doc, gen.Bytes(), path)
			if err != nil || bytes.Equal(out, doc) {
				return err
			}
			return os.WriteFile(path, out, 0o644)
		},
	}
}

// spliceConfigDoc replaces the generated part of doc (the file path) with gen.
func spliceConfigDoc(doc, gen []byte, path string) ([]byte, error) {
	i := bytes.Index(doc, []byte(configDocBegin))
	j := bytes.Index(doc, []byte(configDocEnd))
	if i < 0 || j < i {
		return nil, fmt.Errorf("config --update: %s lacks the lines that bound the generated tables; put\n%s\nbefore them and\n%s\nafter them", path, configDocBegin, configDocEnd)
	}
	var b bytes.Buffer
	b.Write(doc[:i+len(configDocBegin)])
	b.WriteByte('\n')
	b.Write(gen)
	b.WriteByte('\n')
	b.Write(doc[j:])
	return b.Bytes(), nil
}
