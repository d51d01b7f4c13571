package corpus

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/clean"
)

// readAllDocs drains a stream, failing on any error.
func readAllDocs(t testing.TB, s *Stream) []*Document {
	t.Helper()
	var docs []*Document
	for {
		d, err := s.Next()
		if err == io.EOF {
			return docs
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		docs = append(docs, d)
	}
}

func cleanAll(t testing.TB, docs []*Document) {
	t.Helper()
	c, err := clean.New(clean.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := c.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
}

func sampleDocs(t testing.TB) []*Document {
	t.Helper()
	s, err := OpenSample()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs := readAllDocs(t, s)
	cleanAll(t, docs)
	return docs
}

func TestSampleMetadataAndInputs(t *testing.T) {
	s, err := OpenSample()
	if err != nil {
		t.Fatal(err)
	}
	docs := readAllDocs(t, s)
	z := docs[1]
	if z.Group != "security_restriction" || z.Year != 2024 || len(z.Authors) != 2 || z.Authors[1] != "Wang Yunle" ||
		z.Meta["doi"] != "10.47772/IJRISS.2024.8110186" || z.Meta["full_text"] != true || z.Meta["published"] != "2024-12-16" {
		t.Errorf("zhang2024 metadata: %+v %v", z.Meta, z.Authors)
	}
	if docs[0].Group != "emotion_retention" || docs[0].Year != 2025 || docs[0].Meta["full_text"] != false || docs[0].Seq != 0 || z.Seq != 1 {
		t.Errorf("sun2025 metadata: %+v", docs[0])
	}
	in := s.Inputs()
	if len(in) != 3 || in[0].Path != "manifest.yaml" || in[1].Path != "sun2025.txt" || in[2].Bytes != 53660 || in[1].SHA256 != docs[0].RawSHA256 {
		t.Errorf("inputs = %+v", in)
	}
}

// The shipped copies are byte-identical to the project's source texts.
func TestSampleIdenticalToShared(t *testing.T) {
	for name, shared := range map[string]string{
		"sun2025.txt":   "corpus/papers/000_c3658848d10d6e72.txt",
		"zhang2024.txt": "corpus/papers/001_bc78b1a299ded242.txt",
	} {
		want, err := os.ReadFile(sharedtest.Path(t, shared))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile("sample/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("sample/%s differs from shared %s", name, shared)
		}
	}
}
