package pdf

import (
	"errors"
	"io"
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
// It reads data, or data[:len(head)] followed by tail when a damaged trailer was mended
// (mendSize): the file is not copied to change a few bytes at its end.
type budgetReader struct {
	head     []byte
	tail     []byte
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

func newBudgetReader(data []byte) *budgetReader {
	if from, tail, ok := mendSize(data); ok {
		return &budgetReader{head: data[:from], tail: tail}
	}
	return &budgetReader{head: data}
}

// size is the length of the file the reader reads.
func (b *budgetReader) size() int64 { return int64(len(b.head) + len(b.tail)) }

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
	if off < 0 || off >= b.size() {
		return 0, io.EOF
	}
	n := 0
	if off < int64(len(b.head)) {
		n = copy(p, b.head[off:])
	}
	n += copy(p[n:], b.tail[max(0, off-int64(len(b.head))):])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func isRuntime(err error) bool {
	var re runtime.Error
	var be budgetError
	return errors.As(err, &re) && !errors.As(err, &be)
}
