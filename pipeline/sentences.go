package pipeline

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ParallelMin is the number of sentences from which a document's sentences are handled by
// several goroutines: a single large file (an archive of a thousand articles) would otherwise
// keep one core busy at the end of a run while the others wait.
const ParallelMin = 1000

// EachSentence calls fn for 0 ≤ i < n, on every CPU when n is large. Each call must touch
// sentence i only. A panic in fn is raised again in the caller, where the runner catches it.
func EachSentence(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < ParallelMin || workers < 2 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	const chunk = 64
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		once    sync.Once
		panicky any
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { panicky = r })
				}
			}()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
	if panicky != nil {
		panic(panicky)
	}
}
