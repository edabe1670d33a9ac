package hugeheap

import (
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
)

// thpMode is where Linux says when it gives a process huge pages.
const thpMode = "/sys/kernel/mm/transparent_hugepage/enabled"

var once sync.Once

// Advise asks for huge pages over Reserve bytes of fresh heap, once per process. Call it at the
// start of a command that processes much text, before the heap grows: it costs about 10 ms (a
// collection while the heap is small, and the release of the range). It does nothing when the
// system gives huge pages without asking ("always"), never gives them ("never"), or GODEBUG
// has disablethp=1.
func Advise() {
	once.Do(func() {
		if mode() != "madvise" || strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
			return
		}
		advise()
	})
}

// mode returns the selected transparent huge page mode: always, madvise or never ("" when the
// kernel has none).
func mode() string {
	b, err := os.ReadFile(thpMode)
	if err != nil {
		return ""
	}
	s := string(b)
	i, j := strings.IndexByte(s, '['), strings.IndexByte(s, ']')
	if i < 0 || j < i {
		return ""
	}
	return s[i+1 : j]
}

func advise() {
	if adviseRange() {
		// Release the range at once. Left as freed memory, the runtime's scavenger would
		// release it piecemeal later, in 64 KiB pieces that split the huge pages the heap has
		// started to use.
		debug.FreeOSMemory()
	}
}

// adviseRange allocates Reserve bytes, asks for huge pages over them and drops them; it
// reports whether the kernel took the advice.
func adviseRange() bool {
	// A fresh allocation this large is new address space that nothing has touched: the
	// runtime knows it is zero and does not clear it.
	b := make([]byte, Reserve)
	return syscall.Madvise(b, syscall.MADV_HUGEPAGE) == nil // a hint: the heap works as well without it
}
