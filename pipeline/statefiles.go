package pipeline

import (
	"bufio"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/framelens/framelens/output"
	// The same gzip format as compress/gzip, in about two thirds of the
	// time both ways (UN block states, BestSpeed): block states are
	// written once and their side state read by several reductions.
	"github.com/klauspost/compress/gzip"
)

func blockPath(dir string, block int) string {
	return filepath.Join(dir, stateDir, fmt.Sprintf("block-%05d.gob.gz", block))
}

// save writes the block's texts, then its state (the completion marker),
// each atomically; the state holds no texts. The files are written one
// after the other: each gob is encoded whole in memory first, and side by
// side they raised the run's peak RSS (UN 1,000 on two workers).
func (b *blockState) save(dir string) error {
	path := blockPath(dir, b.Block)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	texts := make([]string, len(b.Docs))
	for i, d := range b.Docs {
		texts[i] = d.Row.Clean
		d.Row.Clean = ""
	}
	if err := writeGob(textsPath(path), texts); err != nil {
		return fmt.Errorf("saving block %d texts: %w", b.Block, err)
	}
	parts, err := encodePartials(b.analyses, b.parts)
	if err != nil {
		return fmt.Errorf("saving block %d: %w", b.Block, err)
	}
	b.Partials = parts
	defer func() { b.Partials = nil }() // b.parts holds them until absorbed
	// The partials go on as decoded from what was saved, not as mapped: a
	// string a Map kept (a form, a phrase) may be a window on a document's
	// text and would keep the whole text alive until the run ends (the
	// whole UN corpus: 194 MB of texts live at the reduce steps, half the
	// heap they add). A resumed run reads them so too.
	if b.parts, err = decodePartials(b.analyses, parts, path); err != nil {
		return fmt.Errorf("saving block %d: %w", b.Block, err)
	}
	for _, kind := range sideKinds {
		if err := writeGob(sidePath(path, kind), b.memSides(kind)); err != nil {
			return fmt.Errorf("saving block %d %s: %w", b.Block, kind, err)
		}
	}
	if err := b.saveRecords(path); err != nil {
		return err
	}
	err = writeGob(path, b) // without the side state: it is unexported
	for i, d := range b.Docs {
		d.Row.Clean = texts[i]
	}
	if err != nil {
		return fmt.Errorf("saving block %d state: %w", b.Block, err)
	}
	b.path = path
	return nil
}

func writeGob(path string, v any) error {
	return writeGobs(path, func(enc *gob.Encoder) error { return enc.Encode(v) })
}

// writeGobs writes the values encode encodes as one gzipped gob stream,
// atomically.
func writeGobs(path string, encode func(*gob.Encoder) error) error {
	return output.WriteFileAtomic(path, 0o666, func(f io.Writer) error {
		bw := bufio.NewWriter(f)
		zw, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
		if err := encode(gob.NewEncoder(zw)); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		return bw.Flush()
	})
}

func readGob(path string, v any) error {
	return readGobs(path, func(dec *gob.Decoder) error { return dec.Decode(v) })
}

// readGobs reads back a stream writeGobs wrote; decode's error is given
// the file's path.
func readGobs(path string, decode func(*gob.Decoder) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := decode(gob.NewDecoder(zr)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func loadBlock(path string) (*blockState, error) {
	var b blockState
	if err := readGob(path, &b); err != nil {
		return nil, fmt.Errorf("block state: %w", err)
	}
	if b.Format != stateFormat {
		return nil, fmt.Errorf("block state %s has format %d, this framelens %s reads format %d: it was saved by another version; process its blocks again (run without --resume, or rerun the shard)", path, b.Format, Version, stateFormat)
	}
	b.path = path
	b.textsDropped = true
	b.spilled = true
	return &b, nil
}

// savedBlocks lists the complete blocks of a directory.
func savedBlocks(dir string) (map[int]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, stateDir, "block-*.gob.gz"))
	if err != nil {
		return nil, err
	}
	out := map[int]string{}
	for _, p := range paths {
		var n int
		if _, err := fmt.Sscanf(strings.TrimPrefix(filepath.Base(p), "block-"), "%05d", &n); err == nil {
			out[n] = p
		}
	}
	return out, nil
}

// stateHeaderFile, in the state directory, says which config and state
// format its block states are made with. A run writes it when it starts
// the directory (and a resumed run keeps it), so that --resume can refuse
// another config's blocks before a document is read.
const stateHeaderFile = "state.json"

// stateHeader is the content of stateHeaderFile.
type stateHeader struct {
	Framelens   string `json:"framelens_version"`
	StateFormat int    `json:"state_format"`
	ConfigHash  string `json:"config_hash"`
	// ConfigFiles are the files the config names, with their digests.
	ConfigFiles []configFile `json:"config_files,omitempty"`
}

// writeStateHeader writes the state header of cfg in dir's state directory.
func writeStateHeader(dir string, cfg Config) error {
	p := filepath.Join(dir, stateDir, stateHeaderFile)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(stateHeader{Framelens: Version, StateFormat: stateFormat, ConfigHash: cfg.Hash(), ConfigFiles: cfg.configFiles()}, "", "  ")
	if err != nil {
		return err
	}
	return output.WriteFileAtomic(p, 0o644, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// readStateHeader returns the state header of dir, whose saved blocks are
// saved: its state.json or, in a state directory saved before there was
// one, the header of its first block state. It returns the file read.
func readStateHeader(dir string, saved map[int]string) (stateHeader, string, error) {
	p := filepath.Join(dir, stateDir, stateHeaderFile)
	b, err := os.ReadFile(p)
	if err == nil {
		var h stateHeader
		if err := json.Unmarshal(b, &h); err != nil {
			return h, p, fmt.Errorf("%s: %w", p, err)
		}
		return h, p, nil
	}
	if !errors.Is(err, os.ErrNotExist) || len(saved) == 0 {
		return stateHeader{}, p, err
	}
	first := -1
	for n := range saved {
		if first < 0 || n < first {
			first = n
		}
	}
	p = saved[first]
	// Only the fields of a blockState named here are decoded.
	var bh struct {
		Format     int
		ConfigHash string
	}
	if err := readGob(p, &bh); err != nil {
		return stateHeader{}, p, fmt.Errorf("block state: %w", err)
	}
	return stateHeader{StateFormat: bh.Format, ConfigHash: bh.ConfigHash}, p, nil
}

// checkResume refuses, before a document is read and before anything is
// written, to resume into an output directory whose saved blocks were made
// with another config (an interrupted run with other settings, or another
// corpus's run) or saved in another state format.
func checkResume(cfg Config) error {
	saved, err := savedBlocks(cfg.Out)
	if err != nil || len(saved) == 0 {
		return err // no completed block: nothing to keep, nothing to check
	}
	h, path, err := readStateHeader(cfg.Out, saved)
	if err != nil {
		return fmt.Errorf("--resume: %w", err)
	}
	if h.StateFormat != stateFormat {
		return fmt.Errorf("--resume: %s holds block states in format %d (%s), this framelens %s reads format %d: they were saved by another version; run without --resume to process every block again", cfg.Out, h.StateFormat, path, Version, stateFormat)
	}
	if h.ConfigHash != cfg.Hash() {
		if ch := changedFiles(h.ConfigFiles, cfg.configFiles()); len(ch) > 0 {
			return fmt.Errorf("--resume: %s holds %d completed block(s) made with other contents of %s: %w (config hash %s, this run %s); put the file back as it was to resume, or run without --resume to start again",
				cfg.Out, len(saved), describe(ch, "then", "now"), ErrConfigFileChanged, h.ConfigHash, cfg.Hash())
		}
		return fmt.Errorf("--resume: %s holds %d completed block(s) of a run with another config (config hash %s, this run %s): resume with the config that run was started with, or run without --resume to start again", cfg.Out, len(saved), h.ConfigHash, cfg.Hash())
	}
	return nil
}

func sortedBlocks(blocks []*blockState) {
	sort.Slice(blocks, func(i, j int) bool { return blocks[i].Block < blocks[j].Block })
}
