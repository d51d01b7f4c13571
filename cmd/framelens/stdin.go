package main

import (
	"fmt"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/pipeline"
)

// checkStdin refuses, for a corpus read from standard input (--corpus -),
// what needs the corpus more than once or in more than one process, before
// anything is read: a pipe can be read once, by one reader.
func checkStdin(cfg pipeline.Config) error {
	if cfg.Corpus != corpus.StdinPath {
		return nil
	}
	switch {
	case cfg.Resume:
		return fmt.Errorf("--resume with --corpus -: %w; resuming checks the corpus against the interrupted run's, so write it to a file and run on that", corpus.ErrReadOnce)
	case cfg.Shard.Count > 1:
		return fmt.Errorf("--shard with --corpus -: %w, by one process, while every shard reads the whole corpus; write it to a file and shard that", corpus.ErrReadOnce)
	case cfg.RepeatedLines:
		return fmt.Errorf("repeated_lines with --corpus -: %w, and repeated_lines reads the corpus twice (a first pass counts the lines a site repeats); write it to a file, or set repeated_lines: false", corpus.ErrReadOnce)
	}
	return nil
}
