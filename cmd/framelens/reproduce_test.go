package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// `framelens run --config out/run.json` runs the recorded config again:
// every table file is the same, byte for byte, though the second run has
// another number of workers and output folder.
func TestRunJSONReproducesTheRun(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first"), filepath.Join(dir, "second")
	if code, _, msg := runExit(t, "run", "--quiet", "--seed", "5", "--workers", "1", "--out", first); code != exitOK {
		t.Fatalf("first run: exit %d %s", code, msg)
	}
	if code, _, msg := runExit(t, "run", "--quiet", "--config", filepath.Join(first, "run.json"), "--workers", "2", "--out", second); code != exitOK {
		t.Fatalf("run --config run.json: exit %d %s", code, msg)
	}
	var files int
	err := filepath.WalkDir(first, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "run.json" {
			return err
		}
		rel, _ := filepath.Rel(first, p)
		a, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(filepath.Join(second, rel))
		if err != nil {
			t.Errorf("%s: not written by the second run: %v", rel, err)
			return nil
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs (%d and %d bytes)", rel, len(a), len(b))
		}
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Errorf("compared %d table files, want every table", files)
	}
	type recorded struct {
		ConfigHash string         `json:"config_hash"`
		Config     map[string]any `json:"config"`
	}
	var a, b recorded
	for _, x := range []struct {
		dir string
		m   *recorded
	}{{first, &a}, {second, &b}} {
		raw, err := os.ReadFile(filepath.Join(x.dir, "run.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, x.m); err != nil {
			t.Fatal(err)
		}
	}
	if a.ConfigHash != b.ConfigHash || a.Config["seed"] != b.Config["seed"] || a.Config["format"] != "parquet" {
		t.Errorf("config hash %s then %s; seed %v then %v; format %v", a.ConfigHash, b.ConfigHash, a.Config["seed"], b.Config["seed"], a.Config["format"])
	}
}
