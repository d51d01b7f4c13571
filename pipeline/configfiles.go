package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// ErrConfigFileChanged is wrapped by the refusals of --resume and merge to
// combine blocks made while a file the config names (a lexicon, a stop-word
// list, a gazetteer, a rules file) had other contents: their tables would
// mix two configs.
var ErrConfigFileChanged = errors.New("a file the config names has changed")

// configFile is a file the config names by path, with the SHA-256 of its
// contents: the config hash covers them, so that a run with an edited
// lexicon is another config for --resume and merge. run.json, shard.json
// and the state header list them (config_files).
type configFile struct {
	// Key is the setting that names it: frames.lexicon,
	// entities.rule_files[1], …
	Key  string `json:"key"`
	Path string `json:"path"`
	// SHA256 is "" when the file cannot be read (the stage that reads it
	// says why).
	SHA256 string `json:"sha256"`
}

// pinnedFiles are the digests a run read once, when it started.
type pinnedFiles struct{ files []configFile }

// namedFiles lists the files the stages of c read, by setting, in a fixed
// order, without their digests. A file of a skipped stage or disabled
// layer is not read, so it is not listed.
func (c Config) namedFiles() []configFile {
	var out []configFile
	add := func(key, path string) {
		if path != "" {
			out = append(out, configFile{Key: key, Path: path})
		}
	}
	add("tokenize.stop_words_file", c.Tokenize.StopWordsFile)
	add("tokenize.extra_stop_words_file", c.Tokenize.ExtraStopWordsFile)
	if e := c.Entities; !c.skip("entities") {
		if !e.DisableModel {
			add("entities.model_file", e.ModelFile)
		}
		if !e.DisableRules {
			for i, f := range e.RuleFiles {
				add(fmt.Sprintf("entities.rule_files[%d]", i), f)
			}
		}
		if !e.DisableGazetteer {
			for i, f := range e.GazetteerFiles {
				add(fmt.Sprintf("entities.gazetteer_files[%d]", i), f)
			}
		}
	}
	// A lexicon set in code replaces the file (frames.Config.Lexicon).
	if !c.skip("frames") && c.Frames.Lexicon == nil {
		add("frames.lexicon", c.Frames.LexiconPath)
	}
	if c.Compare.Reference != "" {
		add("compare.reference", filepath.Join(c.Compare.Reference, "terms.parquet"))
	}
	return out
}

// configFiles returns the files c names with their digests: those pinned
// when the run started (pinFiles), or read now.
func (c Config) configFiles() []configFile {
	named := c.namedFiles()
	if c.pinned != nil && slices.EqualFunc(c.pinned.files, named, func(a, b configFile) bool {
		return a.Key == b.Key && a.Path == b.Path
	}) {
		return c.pinned.files
	}
	for i := range named {
		named[i].SHA256 = fileDigest(named[i].Path)
	}
	return named
}

// pinFiles reads the digests of the files c names once, as a run starts
// and before its stages load them, so that every hash the run records
// (tables, block states, run.json) is of the contents it read, even if a
// file is edited while it runs.
func (c Config) pinFiles() Config {
	c.pinned = nil
	c.pinned = &pinnedFiles{files: c.configFiles()}
	return c
}

// fileDigest is the SHA-256 of a regular file's contents, or "" when it
// cannot be read. A FIFO or device is not opened: it would block or never
// end (the stage refuses it).
func fileDigest(path string) string {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fileChange is a file two lists name under the same setting and path
// with different contents.
type fileChange struct{ key, path, a, b string }

// changedFiles returns the files of a whose contents differ in b. A file
// only one of them names is a change of the config itself, which its
// hash tells.
func changedFiles(a, b []configFile) []fileChange {
	var out []fileChange
	for _, x := range a {
		for _, y := range b {
			if x.Key == y.Key && x.Path == y.Path && x.SHA256 != y.SHA256 {
				out = append(out, fileChange{x.Key, x.Path, x.SHA256, y.SHA256})
			}
		}
	}
	return out
}

// describe names the changed files, their contents called then and now:
// "frames.lexicon lex.yaml (sha256 0123456789ab then, unreadable now)".
func describe(changes []fileChange, then, now string) string {
	short := func(d string) string {
		if d == "" {
			return "unreadable"
		}
		return "sha256 " + d[:min(12, len(d))]
	}
	s := ""
	for i, c := range changes {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %s (%s %s, %s %s)", c.key, c.path, short(c.a), then, short(c.b), now)
	}
	return s
}
