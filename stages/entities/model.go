package entities

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
)

// Model is a linear-chain averaged perceptron over hashed features. Tags are
// BIO tags ("O", "B-PER", "I-PER", …). A Model is read-only after Train or
// LoadModel and safe for concurrent use.
type Model struct {
	tags []string // tag index → name; tags[0] is "O"
	bits uint     // log2 of the number of feature buckets
	// w holds one row of len(tags) weights per bucket.
	w []float32
	// trans[p*n+t] scores tag t after tag p; row n is the sentence start.
	trans []float32
	// allowed[p*n+t] is false for I-X after anything but B-X/I-X.
	allowed []bool
	pool    sync.Pool // *scratch
}

// featureVersion changes whenever the feature templates change, so that a
// model file trained with other features is refused rather than misread.
const featureVersion = 3

const modelMagic = "FLNERPC1"

func (m *Model) nTags() int { return len(m.tags) }

// Tags returns the model's tag set (BIO tags).
func (m *Model) Tags() []string { return append([]string(nil), m.tags...) }

func newModel(tags []string, bits uint) *Model {
	m := &Model{tags: tags, bits: bits}
	n := len(tags)
	m.w = make([]float32, (1<<bits)*n)
	m.trans = make([]float32, (n+1)*n)
	m.initAllowed()
	return m
}

func (m *Model) initAllowed() {
	n := len(m.tags)
	m.allowed = make([]bool, (n+1)*n)
	for p := 0; p <= n; p++ {
		for t := 0; t < n; t++ {
			tt := m.tags[t]
			ok := true
			if strings.HasPrefix(tt, "I-") {
				ok = false
				if p < n {
					pt := m.tags[p]
					ok = len(pt) > 2 && pt[2:] == tt[2:]
				}
			}
			m.allowed[p*n+t] = ok
		}
	}
}

// scratch holds per-call buffers so that tagging allocates nothing.
type scratch struct {
	feats []uint32 // bucket indices, flattened: nFeat per token
	nf    []int    // feature count per token
	emit  []float32
	score []float32
	back  []int32
	out   []int
	wh    []wordHashes
}

func (m *Model) getScratch() *scratch {
	if s, ok := m.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{}
}

// maxFeat bounds the number of features of one token.
const maxFeat = 48

// Tag returns the BIO tag index of every word of one sentence.
func (m *Model) tagIndices(words []string, s *scratch) []int {
	n := len(words)
	if n == 0 {
		return s.out[:0]
	}
	m.extract(words, s)
	m.emissions(n, s)
	return m.viterbi(n, s)
}

// TagSentence returns the BIO tags of the words of one sentence.
func (m *Model) TagSentence(words []string) []string {
	return m.TagDocument([][]string{words})[0]
}

// TagDocument returns the BIO tags of the words of every sentence.
func (m *Model) TagDocument(sents [][]string) [][]string {
	s := m.getScratch()
	defer m.pool.Put(s)
	out := make([][]string, len(sents))
	for si, words := range sents {
		idx := m.tagIndices(words, s)
		out[si] = make([]string, len(idx))
		for i, t := range idx {
			out[si][i] = m.tags[t]
		}
	}
	return out
}

func (m *Model) emissions(n int, s *scratch) {
	nt := m.nTags()
	s.emit = grow(s.emit, n*nt)
	for i := 0; i < n; i++ {
		row := s.emit[i*nt : (i+1)*nt]
		for k := range row {
			row[k] = 0
		}
		for _, b := range s.feats[i*maxFeat : i*maxFeat+s.nf[i]] {
			wr := m.w[int(b)*nt : int(b)*nt+nt]
			for k := range row {
				row[k] += wr[k]
			}
		}
	}
}

func (m *Model) viterbi(n int, s *scratch) []int {
	nt := m.nTags()
	s.score = grow(s.score, n*nt)
	if cap(s.back) < n*nt {
		s.back = make([]int32, n*nt)
	}
	s.back = s.back[:n*nt]
	if cap(s.out) < n {
		s.out = make([]int, n)
	}
	s.out = s.out[:n]
	neg := float32(math.Inf(-1))
	for t := 0; t < nt; t++ {
		if m.allowed[nt*nt+t] {
			s.score[t] = s.emit[t] + m.trans[nt*nt+t]
		} else {
			s.score[t] = neg
		}
		s.back[t] = -1
	}
	for i := 1; i < n; i++ {
		prev := s.score[(i-1)*nt : i*nt]
		cur := s.score[i*nt : (i+1)*nt]
		for t := 0; t < nt; t++ {
			best, arg := neg, int32(0)
			for p := 0; p < nt; p++ {
				if !m.allowed[p*nt+t] || prev[p] == neg {
					continue
				}
				v := prev[p] + m.trans[p*nt+t]
				if v > best {
					best, arg = v, int32(p)
				}
			}
			if best == neg {
				cur[t] = neg
			} else {
				cur[t] = best + s.emit[i*nt+t]
			}
			s.back[i*nt+t] = arg
		}
	}
	last := s.score[(n-1)*nt : n*nt]
	bt := 0
	for t := 1; t < nt; t++ {
		if last[t] > last[bt] {
			bt = t
		}
	}
	for i := n - 1; i >= 0; i-- {
		s.out[i] = bt
		bt = int(s.back[i*nt+bt])
	}
	return s.out
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

// Save writes the model as gzip-compressed binary: a header, the transition
// scores as float32 and the non-zero feature rows with weights quantised to
// int16 under one scale. Quantisation changes F1 by less than 0.001.
func (m *Model) Save(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	nt := m.nTags()
	var maxAbs float32
	for _, v := range m.w {
		if a := float32(math.Abs(float64(v))); a > maxAbs {
			maxAbs = a
		}
	}
	scale := maxAbs / 32767
	if scale == 0 {
		scale = 1
	}
	bw.WriteString(modelMagic)
	putU := func(v uint64) {
		var buf [binary.MaxVarintLen64]byte
		bw.Write(buf[:binary.PutUvarint(buf[:], v)])
	}
	putF := func(f float32) {
		var buf [4]byte
		binary.LittleEndian.PutUint32(buf[:], math.Float32bits(f))
		bw.Write(buf[:])
	}
	putU(featureVersion)
	putU(uint64(m.bits))
	putU(uint64(nt))
	for _, t := range m.tags {
		putU(uint64(len(t)))
		bw.WriteString(t)
	}
	for _, v := range m.trans {
		putF(v)
	}
	putF(scale)
	// Rows: count, then (delta bucket, nt int16) per non-zero row. Rows whose
	// quantised weights are all zero are dropped.
	q := make([]int16, nt)
	type row struct {
		b uint64
		q []int16
	}
	var rows []row
	for b := 0; b < 1<<m.bits; b++ {
		nz := false
		for k := 0; k < nt; k++ {
			q[k] = int16(math.Round(float64(m.w[b*nt+k] / scale)))
			if q[k] != 0 {
				nz = true
			}
		}
		if nz {
			rows = append(rows, row{uint64(b), append([]int16(nil), q...)})
		}
	}
	putU(uint64(len(rows)))
	last := uint64(0)
	for _, r := range rows {
		putU(r.b - last)
		last = r.b
	}
	// Weights column by column compress better than row by row.
	for k := 0; k < nt; k++ {
		for _, r := range rows {
			var buf [2]byte
			binary.LittleEndian.PutUint16(buf[:], uint16(r.q[k]))
			bw.Write(buf[:])
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// LoadModel reads a model written by Save.
func LoadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("ner model: %w", err)
	}
	br := bufio.NewReader(zr)
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("ner model: not a framelens NER model file")
	}
	getU := func() uint64 {
		v, e := binary.ReadUvarint(br)
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	getF := func() float32 {
		var buf [4]byte
		if _, e := io.ReadFull(br, buf[:]); e != nil && err == nil {
			err = e
		}
		return math.Float32frombits(binary.LittleEndian.Uint32(buf[:]))
	}
	if v := getU(); v != featureVersion {
		return nil, fmt.Errorf("ner model: feature version %d, this build needs %d (retrain the model)", v, featureVersion)
	}
	bits := uint(getU())
	nt := int(getU())
	if err != nil || bits < 8 || bits > 26 || nt < 1 || nt > 64 {
		return nil, fmt.Errorf("ner model: bad header (bits %d, tags %d): %v", bits, nt, err)
	}
	tags := make([]string, nt)
	for i := range tags {
		l := getU()
		if l > 64 {
			return nil, errors.New("ner model: bad tag name")
		}
		b := make([]byte, l)
		if _, e := io.ReadFull(br, b); e != nil {
			return nil, fmt.Errorf("ner model: %w", e)
		}
		tags[i] = string(b)
	}
	m := newModel(tags, bits)
	for i := range m.trans {
		m.trans[i] = getF()
	}
	scale := getF()
	nrows := int(getU())
	if err != nil || nrows > 1<<bits {
		return nil, fmt.Errorf("ner model: bad row count: %v", err)
	}
	buckets := make([]int, nrows)
	last := uint64(0)
	for i := range buckets {
		last += getU()
		if last >= 1<<bits {
			return nil, errors.New("ner model: bucket out of range")
		}
		buckets[i] = int(last)
	}
	var buf [2]byte
	for k := 0; k < nt; k++ {
		for _, b := range buckets {
			if _, e := io.ReadFull(br, buf[:]); e != nil {
				return nil, fmt.Errorf("ner model: truncated weights: %w", e)
			}
			m.w[b*nt+k] = float32(int16(binary.LittleEndian.Uint16(buf[:]))) * scale
		}
	}
	if err != nil {
		return nil, fmt.Errorf("ner model: %w", err)
	}
	return m, nil
}
