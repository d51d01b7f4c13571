package flbeam

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"reflect"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/pipeline"
)

// wireBlock is a Block as gob carries it. gob sends an empty slice or map
// as nothing, which decodes as nil; a table may tell an empty list from a
// null one, so Empty names, per document, the slice and map fields that
// were empty and not nil.
type wireBlock struct {
	N     int
	Docs  []*corpus.Document
	Empty [][]string
}

func encodeBlock(b Block) ([]byte, error) {
	w := wireBlock{N: b.N, Docs: b.Docs, Empty: make([][]string, len(b.Docs))}
	for i, d := range b.Docs {
		v := reflect.ValueOf(d).Elem()
		for j := 0; j < v.NumField(); j++ {
			f := v.Field(j)
			if (f.Kind() == reflect.Slice || f.Kind() == reflect.Map) && !f.IsNil() && f.Len() == 0 {
				w.Empty[i] = append(w.Empty[i], v.Type().Field(j).Name)
			}
		}
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(w)
	return buf.Bytes(), err
}

func decodeBlock(p []byte) (Block, error) {
	var w wireBlock
	if err := gob.NewDecoder(bytes.NewReader(p)).Decode(&w); err != nil {
		return Block{}, err
	}
	for i, names := range w.Empty {
		v := reflect.ValueOf(w.Docs[i]).Elem()
		for _, name := range names {
			f := v.FieldByName(name)
			switch f.Kind() {
			case reflect.Slice:
				f.Set(reflect.MakeSlice(f.Type(), 0, 0))
			case reflect.Map:
				f.Set(reflect.MakeMap(f.Type()))
			}
		}
	}
	return Block{N: w.N, Docs: w.Docs}, nil
}

func encodeInfo(ci pipeline.CorpusInfo) ([]byte, error) { return json.Marshal(ci) }

func decodeInfo(p []byte) (pipeline.CorpusInfo, error) {
	var ci pipeline.CorpusInfo
	err := json.Unmarshal(p, &ci)
	return ci, err
}
