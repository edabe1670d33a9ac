package pipeline

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

// Source emits the documents of a run in input order. It stops and returns ctx.Err() when
// ctx is cancelled, and returns an error only for a problem that must stop the run.
type Source func(ctx context.Context, emit func(*Doc) error) error

// Process runs the stages over one document. It is called from several goroutines at once,
// one document each, so it must not share mutable state between documents.
type Process func(*Doc)

// Sink receives processed documents one at a time, in input order. A returned error (an
// output I/O error) stops the run.
type Sink func(*Doc) error

// Statuses the batch runner gives, besides those of document.go: the input was refused
// unread because it is larger than the size budget, or its processing ran past the time
// budget and was abandoned.
const (
	StatusTooLarge = "too_large"
	StatusTimeout  = "timeout"
)

// Options tune Run.
type Options struct {
	Workers int // documents processed at once (at least 1)

	// DocTimeout, when positive, is the time budget of one document. A document still in
	// process after it is abandoned: the sink gets, in its place, a copy of what the source
	// had filled in, with StatusTimeout and an error naming the file. Stages are plain
	// functions with no context to watch, so they cannot be stopped; the goroutine running
	// them is left to finish on its own (RE2 patterns end in time linear in the input) and
	// its result is dropped. Its worker goes on with the next document at once.
	DocTimeout time.Duration

	// SourceSeq says the source numbers the documents itself (Doc.Seq): 0, 1, 2 … each once,
	// the order the sink gets them in (the parts of one file share its number and come in the
	// order of Part.Index, one after the other). It may emit one out of order early — a large
	// document started first, so that it does not run alone at the end of a run — as long as
	// fewer than 4 × Workers documents are ever emitted ahead of the lowest one not yet
	// emitted (the sink holds the early ones until their turn). Without it, the runner numbers
	// the documents in the order they are emitted.
	SourceSeq bool

	// ProcessBytes bounds the input bytes of the documents in process at once (0:
	// DefaultProcessBytes). A document holds some forty bytes of memory per input byte while it
	// is processed (runes, offsets, tokens), so two large ones at once would take a run past its
	// memory budget; a document counts for at most ProcessBytes, so one larger than that is
	// processed alone. Little is lost: the stages share a large document's sentences among every
	// CPU (EachSentence). A PDF is not counted: its size says little about the text it holds (a
	// scanned page is megabytes of image and a few KB of text), which is only known once the
	// stages have read it.
	ProcessBytes int64
}

// DefaultProcessBytes is Options.ProcessBytes's default: one 2.9 MB file (the THUCNews sample,
// about 120 MB while processed) beside small pages, never two of them (two took a run to 337 MB).
const DefaultProcessBytes = 4 << 20

// Run moves documents from src through process to sink with the given number of workers.
// At most window documents are in flight at once, so memory is bounded whatever the input size,
// and the sink sees them in input order, so output does not depend on the number of workers.
// A panic inside process fails that document only.
func Run(ctx context.Context, workers int, src Source, process Process, sink Sink) error {
	return RunWith(ctx, Options{Workers: workers}, src, process, sink)
}

// RunWith is Run with a time budget per document (see Options). A document that arrives with
// a status (the source failed it, or refused it as too large) is passed on unprocessed, unless
// it is partial (a part of a PDF the source read, some of whose pages could not be read).
func RunWith(ctx context.Context, opt Options, src Source, process Process, sink Sink) error {
	if os.Getenv("GOGC") == "" {
		defer holdCollector(RunGCPercent, os.Getenv("GOMEMLIMIT") == "")()
	}
	workers := opt.Workers
	if workers < 1 {
		workers = 1
	}
	window := 4 * workers
	budget := opt.ProcessBytes
	if budget <= 0 {
		budget = DefaultProcessBytes
	}
	gate := semaphore.NewWeighted(budget)
	g, ctx := errgroup.WithContext(ctx)
	in := make(chan *Doc, workers)
	out := make(chan *Doc, workers)
	slots := make(chan struct{}, window) // a slot per document in flight

	g.Go(func() error {
		defer close(in)
		seq := 0
		return src(ctx, func(d *Doc) error {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				d.DropBytes() // what reading it took from a budget: the source may wait for it
				return ctx.Err()
			}
			if !opt.SourceSeq {
				d.Seq = seq
				if !d.Part.More {
					seq++ // the next document is another file's
				}
			}
			select {
			case in <- d:
				return nil
			case <-ctx.Done():
				d.DropBytes()
				return ctx.Err()
			}
		})
	})

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			// On the way out (the run was cancelled or failed) the documents left unprocessed
			// give back what reading them took from a budget, which the source, still reading,
			// may be waiting for; the loop ends when the source has closed in.
			defer func() {
				for d := range in {
					d.DropBytes()
				}
			}()
			for d := range in {
				weight := int64(0)
				if d.Status == "" && d.Format != "pdf" { // text to be processed
					weight = min(max(d.Size, 1), budget)
				}
				if err := gate.Acquire(ctx, weight); err != nil {
					d.DropBytes()
					return err
				}
				d = processWithin(ctx, process, d, opt.DocTimeout, func() { gate.Release(weight) })
				select {
				case out <- d:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}
	go func() { wg.Wait(); close(out) }()

	g.Go(func() error {
		pending := map[place]*Doc{}
		var next place
		var before Totals // the parts of the current file written so far
		for d := range out {
			pending[place{d.Seq, d.Part.Index}] = d
			for {
				p, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				p.Part.Before = before
				if p.Part.More {
					before.Add(p)
					next.part++
				} else {
					before = Totals{}
					next = place{seq: next.seq + 1}
				}
				if err := sink(p); err != nil {
					return err
				}
				<-slots
			}
		}
		return nil
	})
	return g.Wait()
}

// place is where a document goes in the sink's order: its input's number, then its part's.
type place struct{ seq, part int }

// PanicHook is called with the stack of a panic that failed a document; the command sets it
// to log the stack, so that a bug can be reported without stopping the run.
var PanicHook = func(d *Doc, r any, stack []byte) {}

// processWithin processes d, within the time budget when there is one, and returns the
// document for the sink: d, or its timeout stand-in. It calls done once, when the stages have
// finished with d or when d is abandoned: a stage that never reaches its next sentence (a
// 50 MB line) must not keep other documents waiting for its share of ProcessBytes.
func processWithin(ctx context.Context, process Process, d *Doc, timeout time.Duration, done func()) *Doc {
	if d.Status != "" && d.Status != StatusPartial { // partial: a part of a PDF with pages lost
		done()
		return d
	}
	if timeout <= 0 {
		processSafely(process, d)
		done()
		return d
	}
	// What the stand-in keeps is copied before the stages start writing to d.
	stub := &Doc{Seq: d.Seq, ID: d.ID, Source: d.Source, Format: d.Format, Size: d.Size,
		Pages: d.Pages, Page: d.Page, PubDate: d.PubDate, Part: d.Part, Encoding: d.Encoding, RawChars: d.RawChars}
	finished := make(chan struct{})
	d.Watch()
	done = sync.OnceFunc(done)
	go func() {
		defer done()
		defer close(finished)
		processSafely(process, d)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-finished:
		return d
	case <-timer.C:
	case <-ctx.Done():
	}
	d.Abandon() // the stages stop at their next sentence instead of running on unseen
	done()
	stub.Status = StatusTimeout
	stub.Stage = "process"
	stub.Error = fmt.Sprintf("%s: processing took longer than %v, abandoned", d.Source, timeout)
	stub.Elapsed = timeout
	return stub
}

func processSafely(process Process, d *Doc) {
	t0 := time.Now()
	defer func() {
		d.Elapsed += time.Since(t0) // after what reading it took, when the source did (a part of a PDF)
		if r := recover(); r != nil {
			d.Fail("process", fmt.Errorf("%s: internal error: %v", d.Source, r))
			PanicHook(d, r, debug.Stack())
		}
	}()
	process(d)
	if d.Status == "" {
		d.Status = StatusOK
	}
}
