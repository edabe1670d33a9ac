// Package hugeheap asks Linux to back the Go heap with 2 MiB pages. On the virtual machines
// newsfacts runs on, the first touch of each 4 KiB page costs about 18 µs of CPU, and a run over
// the benchmark corpus touches some 180 MB: a fifth of its CPU went to page faults.
//
// The Go runtime asks for huge pages for its own metadata only, and most Linux systems give
// them to a process's memory only where it asks (transparent_hugepage "madvise"). Advise
// reserves a range of heap that is larger than a run's heap ever grows, asks for huge pages
// there, and hands the range back to the runtime unused; the heap then grows into it.
package hugeheap

// Reserve is the range of heap Advise asks huge pages for: more than a run's heap holds (about
// 200 MB with the benchmark corpus four times over). Address space that is never touched costs
// nothing, and a heap that grows past it gets small pages, as without Advise.
const Reserve = 512 << 20
