package corpus

import (
	"embed"
	"io/fs"
)

// sampleFS holds the built-in sample corpus: two papers on international
// talent mobility and their manifest (see sample/README.md).
//
//go:embed sample/manifest.yaml sample/README.md sample/*.txt
var sampleFS embed.FS

// OpenSample opens the built-in sample corpus (manifest-driven: ids
// sun2025 and zhang2024, groups emotion_retention and security_restriction).
func OpenSample() (*Stream, error) {
	sub, err := fs.Sub(sampleFS, "sample")
	if err != nil {
		return nil, err
	}
	in := &inputs{seen: map[string]bool{}}
	fsys := &fileSys{fsys: sub, in: in}
	src, err := newRowSource(fsys, "manifest.yaml", "yaml", Options{})
	if err != nil {
		return nil, err
	}
	return &Stream{src: src, inputs: in, fsys: fsys}, nil
}

// SampleFS returns the files of the built-in sample corpus (manifest.yaml,
// README.md and the texts), for writing them out or deriving test inputs.
func SampleFS() fs.FS {
	sub, _ := fs.Sub(sampleFS, "sample")
	return sub
}
