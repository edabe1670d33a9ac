package pdf

import (
	"errors"
	"runtime"
	"time"
)

// budgetReader is the io.ReaderAt handed to ledongthuc/pdf. The library has loops it cannot
// stop by itself (a /Prev chain that points back at itself, object streams re-inflated for
// every object); each of them reads, so a budget on bytes read and on time, checked on every
// read, stops them all. It panics with a budgetError, which implements runtime.Error so that
// the library's own recover (which swallows parse errors and re-raises runtime errors) lets it
// through to our page boundary.
//
// It reads the file, mended when its trailer was damaged (mendSize): the file is not copied to
// change a few bytes at its end.
type budgetReader struct {
	f        *file
	read     int64
	limit    int64
	deadline time.Time
	calls    int
}

const maxStackDepth = 4000 // frames

// openTime is the least time opening a document and walking its page tree may take, whatever
// the page budget.
const openTime = 30 * time.Second

type budgetError struct{ what string }

func (e budgetError) Error() string { return e.what }
func (budgetError) RuntimeError()   {}

var _ runtime.Error = budgetError{}

func newBudgetReader(f *file) *budgetReader {
	if cut, skip, patch, ok := mendSize(f); ok {
		m := *f
		m.cut, m.skip, m.patch = cut, skip, patch
		f = &m
	}
	return &budgetReader{f: f}
}

// size is the length of the file the reader reads.
func (b *budgetReader) size() int64 { return b.f.size() }

// arm starts a new budget: limit bytes and d of time from now.
func (b *budgetReader) arm(limit int64, d time.Duration) {
	b.read, b.limit, b.calls = 0, limit, 0
	b.deadline = time.Now().Add(d)
}

// check panics when the time is spent; the interpreter calls it too.
func (b *budgetReader) check() {
	if !b.deadline.IsZero() && time.Now().After(b.deadline) {
		panic(budgetError{"took too long (time budget spent)"})
	}
}

func (b *budgetReader) ReadAt(p []byte, off int64) (int, error) {
	b.read += int64(len(p))
	if b.limit > 0 && b.read > b.limit {
		panic(budgetError{"read budget spent (a loop in the file's structure?)"})
	}
	if b.calls++; b.calls&15 == 0 {
		b.check()
	}
	// a reference cycle the library follows recursively reads at every level: stop it long
	// before the stack (1 GB) overflows, which no recover survives
	var pc [1]uintptr
	if runtime.Callers(maxStackDepth, pc[:]) > 0 {
		panic(budgetError{"object graph too deep (a reference cycle?)"})
	}
	return b.f.ReadAt(p, off)
}

func isRuntime(err error) bool {
	var re runtime.Error
	var be budgetError
	return errors.As(err, &re) && !errors.As(err, &be)
}
