package hugeheap

import (
	"bufio"
	"os"
	"os/exec"
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

// After Advise, a large part of the heap is first touched in huge pages; a mapping of the same
// size advised directly shows first what the kernel can give at all.
func TestAdvise(t *testing.T) {
	if why := skip(mode(), os.Getenv("GODEBUG"), limited(), overcommit()); why != "" {
		t.Skip("Advise does nothing here: " + why)
	}
	const size = 64 << 20
	ctl, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(ctl)
	if err := syscall.Madvise(ctl, syscall.MADV_HUGEPAGE); err != nil {
		t.Skip(err)
	}
	touch(ctl)
	can := hugeKB(t, unsafe.Pointer(&ctl[0]))
	if can < 8<<10 {
		t.Skipf("the kernel gives %d kB of huge pages now, even where asked", can)
	}

	Advise()
	heap := make([]byte, size)
	touch(heap)
	if kb := hugeKB(t, unsafe.Pointer(&heap[0])); kb < can/2 {
		t.Errorf("64 MiB of heap touched after Advise: %d kB in huge pages; a mapping asked directly got %d kB", kb, can)
	}
	runtime.KeepAlive(heap)
}

func TestSkip(t *testing.T) {
	for _, tc := range []struct {
		thp, godebug string
		limited      bool
		overcommit   string
		advise       bool
	}{
		{"madvise", "", false, "0", true},
		{"madvise", "gctrace=1", false, "1", true},
		{"madvise", "", false, "", true}, // no /proc/sys: nothing says it is refused
		{"always", "", false, "0", false},
		{"never", "", false, "0", false},
		{"", "", false, "0", false},
		{"madvise", "gctrace=1,disablethp=1", false, "0", false},
		{"madvise", "", true, "0", false},
		{"madvise", "", false, "2", false},
	} {
		why := skip(tc.thp, tc.godebug, tc.limited, tc.overcommit)
		if (why == "") != tc.advise {
			t.Errorf("skip(%q, %q, %v, %q) = %q, want advise %v", tc.thp, tc.godebug, tc.limited, tc.overcommit, why, tc.advise)
		}
	}
}

// A process whose address space is limited below the reserve still runs Advise without being
// stopped (the Go runtime ends a process whose allocation the kernel refuses).
func TestAdviseUnderLimit(t *testing.T) {
	if os.Getenv("HUGEHEAP_CHILD") == "1" {
		if !limited() {
			t.Fatal("the child's address space is not limited")
		}
		Advise()
		return
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// 1.5 GB of address space: what the test binary needs, not a 512 MiB reserve on top.
	cmd := exec.Command("sh", "-c", `ulimit -v 1500000 && exec "$0" -test.run '^TestAdviseUnderLimit$' -test.count 1`, exe)
	cmd.Env = append(os.Environ(), "HUGEHEAP_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("Advise under ulimit -v: %v\n%s", err, out)
	}
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
