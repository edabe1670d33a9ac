package source

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"
)

// BytesInFlight bounds the bytes of the large files (more than WholeBytes: PDFs, since a larger
// text file is read in parts) that are read whole and not yet decoded, all together. A PDF
// needs about three times its size while it is read (a 65 MB one takes a run to about 270 MB);
// two of 58 and 65 MB read at once took one to 343 MB, past issue 9's 300. Read waits for its
// share before it reads such a file, and Decode gives it back: large PDFs are read one after
// another while the other workers go on with smaller files. A file larger than the budget
// (--max-bytes raised past it) takes all of it.
const BytesInFlight = 64 << 20

var inFlight = semaphore.NewWeighted(BytesInFlight)

// take waits until n bytes of the budget (at most all of it) are free and takes them; the
// function it returns gives them back, once, however often it is called.
func take(n int64) (release func()) {
	n = min(n, BytesInFlight)
	_ = inFlight.Acquire(context.Background(), n) // without a deadline it only waits
	var once sync.Once
	return func() { once.Do(func() { inFlight.Release(n) }) }
}
