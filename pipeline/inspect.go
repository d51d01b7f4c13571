package pipeline

import (
	"context"
	"io"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/stages/clean"
)

// Inspect writes corpus.Inspect's report (each document's sections and the
// lines cleaning removed) for the corpus of cfg, read and cleaned as Run
// would: the same corpus and reader options, the same clean settings and,
// with cfg.RepeatedLines, the same first pass counting lines per site (over
// the first cfg.Limit documents, as in a run). Every document is reported:
// cfg.Limit does not stop the report.
func Inspect(ctx context.Context, w io.Writer, cfg Config) error {
	if cfg.RepeatedLines {
		stats, err := countLines(ctx, cfg)
		if err != nil {
			return err
		}
		cfg.Clean.RepeatedLines = stats
	}
	cleaner, err := clean.New(cfg.Clean)
	if err != nil {
		return err
	}
	stream, err := openCorpus(cfg)
	if err != nil {
		return err
	}
	defer stream.Close()
	// A group column the corpus cannot have is refused as a run refuses it.
	if err := checkColumns(cfg, stream, false); err != nil {
		return err
	}
	if err := corpus.Inspect(w, stream, cleaner); err != nil {
		return err
	}
	return checkColumns(cfg, stream, true)
}
