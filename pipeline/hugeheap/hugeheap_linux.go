package hugeheap

import (
	"math"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// thpMode is where Linux says when it gives a process huge pages.
const thpMode = "/sys/kernel/mm/transparent_hugepage/enabled"

var once sync.Once

// Advise asks for huge pages over Reserve bytes of fresh heap, once per process. Call it at the
// start of a command that processes much text, before the heap grows: it costs about 10 ms (a
// collection while the heap is small, and the release of the range). It does nothing unless
// asking would both help and be safe (see skip).
func Advise() {
	once.Do(func() {
		if skip(mode(), os.Getenv("GODEBUG"), limited(), overcommit()) == "" {
			advise()
		}
	})
}

// skip returns why Advise must not reserve its range, or "" when it may: huge pages are
// given without asking ("always") or never; GODEBUG has disablethp=1 (the runtime's switch
// for huge pages off); the address space or data segment is limited (ulimit -v or -d, a
// cluster's memory limit), or the kernel refuses to overcommit (mode 2), so that a reserve of
// Reserve bytes could be refused, and the Go runtime ends a process whose allocation is
// refused; or a 32-bit process, whose address space Reserve would take a quarter of.
func skip(thp, godebug string, limited bool, overcommit string) string {
	switch {
	case thp != "madvise":
		return "transparent huge pages are " + thp
	case strings.Contains(godebug, "disablethp=1"):
		return "GODEBUG has disablethp=1"
	case limited:
		return "the address space or data segment is limited"
	case overcommit == "2":
		return "the kernel does not overcommit"
	case unsafe.Sizeof(uintptr(0)) < 8:
		return "a 32-bit process"
	}
	return ""
}

// limited reports whether ulimit bounds the process's address space or data segment.
func limited() bool {
	for _, res := range []int{syscall.RLIMIT_AS, syscall.RLIMIT_DATA} {
		var l syscall.Rlimit
		if err := syscall.Getrlimit(res, &l); err != nil || uint64(l.Cur) != math.MaxUint64 { // RLIM_INFINITY
			return true
		}
	}
	return false
}

// overcommit returns the kernel's overcommit mode: 0 (heuristic), 1 (always) or 2 (never).
func overcommit() string {
	b, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
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
