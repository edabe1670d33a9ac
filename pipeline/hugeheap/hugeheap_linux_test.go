package hugeheap

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// touch writes a byte in every 4 KiB page of b, as the first use of fresh memory does.
func touch(b []byte) {
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
}

// hugeKB returns the kB of huge pages (AnonHugePages in /proc/self/smaps) in the mapping that
// holds p.
func hugeKB(t *testing.T, p unsafe.Pointer) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	addr := uint64(uintptr(p))
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = l <= addr && addr < h
				continue
			}
		}
		if in && fields[0] == "AnonHugePages:" {
			n, err := strconv.Atoi(fields[1])
			if err != nil {
				t.Fatalf("smaps: %q: %v", sc.Text(), err)
			}
			return n
		}
	}
	t.Fatalf("no mapping of /proc/self/smaps holds %#x", addr)
	return 0
}

// After Advise, a large part of the heap is first touched in huge pages; a mapping advised
// directly shows first that the kernel has huge pages to give at all.
func TestAdvise(t *testing.T) {
	if m := mode(); m != "madvise" {
		t.Skipf("transparent huge pages are %q here, not madvise", m)
	}
	ctl, err := syscall.Mmap(-1, 0, 8<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(ctl)
	if err := syscall.Madvise(ctl, syscall.MADV_HUGEPAGE); err != nil {
		t.Skip(err)
	}
	touch(ctl)
	if hugeKB(t, unsafe.Pointer(&ctl[0])) == 0 {
		t.Skip("the kernel gives no huge pages now, even where asked")
	}

	Advise()
	heap := make([]byte, 64<<20)
	touch(heap)
	if kb := hugeKB(t, unsafe.Pointer(&heap[0])); kb < 32<<10 {
		t.Errorf("64 MiB of heap touched after Advise: %d kB in huge pages, want at least half", kb)
	}
	runtime.KeepAlive(heap)
}

func TestMode(t *testing.T) {
	if _, err := os.Stat(thpMode); err != nil {
		t.Skip(err)
	}
	switch m := mode(); m {
	case "always", "madvise", "never":
	default:
		t.Errorf("mode() = %q, want always, madvise or never", m)
	}
}
