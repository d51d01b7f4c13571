package pipeline

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
)

// manifest is run.json: what was run, on what, with which versions, and
// what came out. It is written last; its presence marks a complete run.
type manifest struct {
	Framelens     string            `json:"framelens_version"`
	SchemaVersion int               `json:"schema_version"`
	GoVersion     string            `json:"go_version"`
	Modules       map[string]string `json:"modules"`
	ConfigHash    string            `json:"config_hash"`
	// ConfigFiles are the files the config names, with their digests.
	ConfigFiles  []configFile       `json:"config_files,omitempty"`
	RunID        string             `json:"run_id"`
	Config       json.RawMessage    `json:"config"` // Config.record: `framelens run --config run.json` runs it again
	Corpus       string             `json:"corpus"`
	Inputs       []corpus.InputFile `json:"inputs"`
	Started      string             `json:"started"`
	Seconds      float64            `json:"seconds"`
	StageSeconds map[string]float64 `json:"stage_seconds"`
	// DocStageSeconds is the time each per-document step took, summed over
	// the workers (so it can exceed the wall time).
	DocStageSeconds map[string]float64 `json:"doc_stage_seconds"`
	// Tokens is the number of tokens this run analysed (blocks completed
	// by an earlier run that was resumed are not counted).
	Tokens         int64               `json:"tokens"`
	Rows           map[string]int64    `json:"rows"`
	Tables         map[string][]string `json:"tables"`
	DocumentErrors []string            `json:"document_errors"`
	// Languages counts the documents per language (documents.lang);
	// LanguageWarning says when the groups differ in language.
	Languages       map[string]int `json:"languages,omitempty"`
	LanguageWarning string         `json:"language_warning,omitempty"`
	// MailHeaderWarning says when many documents start with a mail or
	// news header block that the email preset would remove.
	MailHeaderWarning string `json:"mail_header_warning,omitempty"`
	// columns are the corpus's columns, for the message of a run that
	// analysed no document.
	columns []string
	// ComparisonWarnings are comparisons.warnings, "label: warning".
	ComparisonWarnings []string `json:"comparison_warnings"`
	// AnalysisWarnings are the registered analyses' warnings.
	AnalysisWarnings []string `json:"analysis_warnings,omitempty"`
}

func newManifest(cfg Config, start time.Time) *manifest {
	// cfg was validated, so it resolves; an error leaves config null.
	rec, _ := cfg.record()
	m := &manifest{
		Framelens: Version, SchemaVersion: output.SchemaVersion, GoVersion: runtime.Version(),
		Modules: map[string]string{}, ConfigHash: cfg.Hash(), ConfigFiles: cfg.configFiles(), RunID: cfg.RunID(), Config: rec, Corpus: cfg.Corpus,
		Started: start.UTC().Format(time.RFC3339), StageSeconds: map[string]float64{},
		Tables: map[string][]string{},
	}
	if m.Corpus == "" {
		m.Corpus = "built-in sample"
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			m.Modules[d.Path] = d.Version
		}
	}
	format, _ := output.ParseFormat(cfg.Format)
	cat, err := Catalog()
	if err != nil {
		cat = output.NewCatalog()
	}
	for _, t := range cat.Tables() {
		m.Tables[t.Name] = t.Paths(format)
	}
	return m
}

// write writes run.json atomically (temporary file, then rename).
func (m *manifest) write(path string) error {
	for name := range m.Tables {
		if _, ok := m.Rows[name]; !ok {
			delete(m.Tables, name) // skipped stages write no table
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := output.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	}); err != nil {
		return fmt.Errorf("run manifest: %w", err)
	}
	return nil
}
