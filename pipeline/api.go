package pipeline

import (
	"context"
	"io"
	"log/slog"

	"github.com/framelens/framelens/corpus"
)

// Processor runs the per-document stages of a config on one document at a
// time: the map side of a run, for a library user or a distributed runner
// that schedules documents itself. It is safe for concurrent use.
type Processor struct {
	eng *engine
}

// NewProcessor loads the stages of cfg (their models once) and checks the
// config, registered analyses included.
func NewProcessor(cfg Config, opts Options) (*Processor, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	regs := registrations(opts.Analyses)
	if err := cfg.checkAnalyses(regs); err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	eng, err := newEngine(cfg, log, regs)
	if err != nil {
		return nil, err
	}
	return &Processor{eng: eng}, nil
}

// Process annotates doc — cleaned text, language, sections, sentences,
// tokens, entities, frame hits and key phrases — as a run does, and
// returns the document's error: a *StageError when a stage failed on it.
func (p *Processor) Process(ctx context.Context, doc *corpus.Document) error {
	res := p.eng.process(ctx, doc)
	return res.err
}
