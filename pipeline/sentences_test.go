package pipeline

import (
	"sync/atomic"
	"testing"
)

// TestEachSentence: every sentence once, serially or in parallel; a panic reaches the caller.
func TestEachSentence(t *testing.T) {
	for _, n := range []int{0, 1, ParallelMin - 1, ParallelMin, 5*ParallelMin + 7} {
		seen := make([]atomic.Int32, n)
		EachSentence(n, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: sentence %d handled %d times", n, i, c)
			}
		}
	}
	defer func() {
		if r := recover(); r != "sentence 1500" {
			t.Errorf("panic %v, want the one of sentence 1500", r)
		}
	}()
	EachSentence(2*ParallelMin, func(i int) {
		if i == 1500 {
			panic("sentence 1500")
		}
	})
}
