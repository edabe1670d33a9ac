package segment

import (
	"io"
	"os"
	"syscall"
)

// readFile reads the file at path into memory of its own, and returns its bytes and the
// function that frees them once nothing uses them.
//
// The memory is an anonymous mapping, not the Go heap, asked for in huge pages: a fresh
// process then faults in the 27 MB cache a few 2 MiB pages at a time instead of 6,600 small
// ones (first touches of memory are slow on virtual machines), and the garbage collector
// never looks at it. It is a copy, not a mapping of the file: a cache file truncated or
// replaced under a running process (cp over it, a shared network folder where another machine
// writes its own) cannot pull the lexicon's memory away. It is made read-only once read.
func readFile(path string) (data []byte, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := st.Size()
	if size <= 0 || size != int64(int(size)) {
		return nil, nil, syscall.EINVAL
	}
	data, err = syscall.Mmap(-1, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, nil, err
	}
	release = func() { _ = syscall.Munmap(data) }
	_ = syscall.Madvise(data, syscall.MADV_HUGEPAGE) // a hint: without huge pages it works as well
	if _, err := io.ReadFull(f, data); err != nil {
		release()
		return nil, nil, err
	}
	_ = syscall.Mprotect(data, syscall.PROT_READ)
	return data, release, nil
}
