package output

import (
	"runtime"
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
// process, with a 1 MiB window. parquet.Zstd keeps a pool of encoders with the default 8 MiB
// window, 16 MB of history buffer each, which every garbage collection may empty and the next
// pages fill again. The format is zstd's default, so any
// reader decodes it; reading uses parquet.Zstd.
//
// The level is zstd's fastest: over the benchmark corpus it compresses with 40% less CPU than
// the default level (0.13 s against 0.23 s a pass of BenchmarkWrite, 4% of a run) for files
// 12% larger (9.2 MB against 8.2 MB for 8.4 MB of text).
//
// The four tables of a document are written at once, but their pages compress on at most as
// many encoders as there are CPUs (GOMAXPROCS, at most four): more could not run at once
// anyway, and fewer encoders keep their hash tables (256 KiB each) and history warm in the
// cache. On 2 CPUs, two encoders instead of four took 9% less CPU a BenchmarkWrite pass (one
// encoder 14% less, but the four tables' last pages would wait for each other). Which encoder
// compresses a page does not change its bytes.
type zstdCodec struct{}

var zstdEncoder = sync.OnceValues(func() (*zstd.Encoder, error) {
	return zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithEncoderConcurrency(min(len(Tables), runtime.GOMAXPROCS(0))),
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
