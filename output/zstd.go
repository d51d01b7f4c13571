package output

import (
	"sync"

	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// arrow-go v17's zstd codec builds a new zstd encoder — megabytes of match
// tables — for every Parquet page it compresses (compress.zstdCodec's
// EncodeLevel). On a corpus run that was a third of all allocations and
// much of the time. pooledZstd keeps one encoder per level, built with the
// same options, so the bytes written are the same; zstd.Encoder.EncodeAll is
// safe for concurrent use.
//
// arrow-go keeps its codecs in a package-level registry; the only way to
// change the zstd codec is to register another, once per process.
type pooledZstd struct {
	compress.Codec // the original, for readers and streams

	mu  sync.Mutex
	enc map[int]*zstd.Encoder
}

var registerZstdOnce sync.Once

func registerZstd() {
	registerZstdOnce.Do(func() {
		orig, err := compress.GetCodec(compress.Codecs.Zstd)
		if err != nil {
			return
		}
		compress.RegisterCodec(compress.Codecs.Zstd, &pooledZstd{Codec: orig, enc: map[int]*zstd.Encoder{}})
	})
}

func (z *pooledZstd) encoder(level int) *zstd.Encoder {
	z.mu.Lock()
	defer z.mu.Unlock()
	if e, ok := z.enc[level]; ok {
		return e
	}
	l := zstd.SpeedDefault
	if level != compress.DefaultCompressionLevel {
		l = zstd.EncoderLevelFromZstd(level)
	}
	e, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(l))
	if err != nil {
		panic(err) // only for invalid options, which these are not
	}
	z.enc[level] = e
	return e
}

func (z *pooledZstd) EncodeLevel(dst, src []byte, level int) []byte {
	return z.encoder(level).EncodeAll(src, dst[:0])
}

func (z *pooledZstd) Encode(dst, src []byte) []byte {
	return z.encoder(compress.DefaultCompressionLevel).EncodeAll(src, dst[:0])
}
