package output

import (
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// zstdWindow is the compression window of the pages the dataset writes. Pages hold at most
// a few hundred KiB of values (the writer's page buffer), so a larger window finds no more
// matches, except in a page that holds one very long article; the encoder's history buffer
// is twice the window.
const zstdWindow = 1 << 20

// zstdCodec is the zstd codec of the files the dataset writes: one encoder for the whole
// process (four pages at once, one per table), with a 1 MiB window. parquet.Zstd keeps a pool
// of encoders with the default 8 MiB window, 16 MB of history buffer each, which every garbage
// collection may empty and the next pages fill again. Level and format are zstd's defaults, so any reader decodes it;
// reading uses parquet.Zstd.
type zstdCodec struct{}

var zstdEncoder = sync.OnceValues(func() (*zstd.Encoder, error) {
	return zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedDefault),
		zstd.WithEncoderConcurrency(4), // the four tables of a document are written at once
		zstd.WithWindowSize(zstdWindow),
		zstd.WithZeroFrames(true),
		zstd.WithEncoderCRC(false),
	)
})

func (zstdCodec) String() string                            { return "ZSTD" }
func (zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

func (zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	e, err := zstdEncoder()
	if err != nil {
		return dst[:0], err
	}
	return e.EncodeAll(src, dst[:0]), nil
}

func (zstdCodec) Decode(dst, src []byte) ([]byte, error) { return parquet.Zstd.Decode(dst, src) }
