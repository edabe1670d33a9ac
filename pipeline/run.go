package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
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

// Run moves documents from src through process to sink with the given number of workers.
// At most window documents are in flight at once, so memory is bounded whatever the input size,
// and the sink sees them in input order, so output does not depend on the number of workers.
// A panic inside process fails that document only.
func Run(ctx context.Context, workers int, src Source, process Process, sink Sink) error {
	if workers < 1 {
		workers = 1
	}
	window := 4 * workers
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
				return ctx.Err()
			}
			d.Seq = seq
			seq++
			select {
			case in <- d:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	})

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for d := range in {
				processSafely(process, d)
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
		pending := map[int]*Doc{}
		next := 0
		for d := range out {
			pending[d.Seq] = d
			for {
				p, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
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

// PanicHook is called with the stack of a panic that failed a document; the command sets it
// to log the stack, so that a bug can be reported without stopping the run.
var PanicHook = func(d *Doc, r any, stack []byte) {}

func processSafely(process Process, d *Doc) {
	t0 := time.Now()
	defer func() {
		d.Elapsed = time.Since(t0)
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
