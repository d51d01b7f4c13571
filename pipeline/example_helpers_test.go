package pipeline_test

import (
	"os"
	"path/filepath"
)

func tempDir() (string, func()) {
	dir, err := os.MkdirTemp("", "framelens-example-")
	if err != nil {
		panic(err)
	}
	return filepath.Join(dir, "out"), func() { os.RemoveAll(dir) }
}

func exists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, name))
	return err == nil
}
