package source

import (
	"context"
	"runtime"
	"sync"

	"golang.org/x/sync/semaphore"
)

// BytesInFlight bounds the bytes of the large files (more than WholeBytes: PDFs, since a larger
// text file is read in parts) being read and not yet done with, all together. A large PDF is
// not held in memory (Doc.OnDisk), but reading it took about twice its size (its pages' lines,
// then its text: a 65 MB one took a run to about 270 MB read whole), and two of 58 and 65 MB
// read at once took one to 343 MB, past issue 9's 300. Read waits for its share before it
// hashes such a file; Decode gives it back, or, in a run, the stages once the document is
// processed (DecodeHeld), the source once it has read the parts of one read in parts, the
// runner for a document it drops, and Doc.Abandon for one past its time budget. Large PDFs are
// so read one after another, and the inputs after a large PDF wait while the one before it is
// read (and processed, when it is read whole). A file larger than the budget (--max-bytes
// raised past it) takes all of it.
const BytesInFlight = 64 << 20

var inFlight = semaphore.NewWeighted(BytesInFlight)

// collectFrom is the size from which giving back a share first collects the garbage: the
// file's bytes and what reading it left (the PDF's objects) are then free for the next large
// file to reuse, rather than still in the heap beside it, which took two PDFs of 58 and 65 MB
// to 308–309 MB in three runs of five (265–271 in the others), and 269–274 MB in five with
// it. A collection costs tens of ms; reading a file that large, seconds.
const collectFrom = 16 << 20

// take waits until n bytes of the budget (at most all of it) are free and takes them; the
// function it returns gives them back, once, however often it is called.
func take(n int64) (release func()) {
	n = min(n, BytesInFlight)
	_ = inFlight.Acquire(context.Background(), n) // without a deadline it only waits
	var once sync.Once
	return func() {
		once.Do(func() {
			if n >= collectFrom {
				runtime.GC()
			}
			inFlight.Release(n)
		})
	}
}
