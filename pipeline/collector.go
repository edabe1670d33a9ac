package pipeline

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// RunGCPercent is the garbage collector's target (GOGC) while RunWith runs, once the heap is
// past RunHeapFloor, unless the GOGC environment variable sets one. A long document (the 2.9
// MB news file) keeps about 120 MB live while it is processed, and the default of 100 lets the
// heap grow to twice that before collecting. It was 50 while first touches of memory were
// dear; with the heap in huge pages (hugeheap), 75 costs about 10 MB more at peak for 4-7%
// less CPU (docs/performance.md).
const RunGCPercent = 75

// RunMemoryLimit is the soft memory limit (as GOMEMLIMIT) while RunWith runs, unless the
// GOMEMLIMIT or GOGC environment variable is set: past it the collector runs more often instead
// of letting the heap grow, so that a large input does not take the process past the 300 MB
// budget of issue 9. It counts the Go runtime's memory only; a process also holds about 60 MB
// that is not: the segmentation dictionary (27 MB, mapped outside the heap) and the program's
// own pages. Text runs stay well under it (their live heap is 50–110 MB); what reached it was a
// large PDF read whole: at 320 MB a 65 MB PDF of 1,800 pages peaked at 297–314 MB of RSS, at
// 224 MB at 267–270 MB, with as many collections in runs over the corpus (docs/performance.md).
// Large PDFs are now read from disk in parts of pages (178–189 MB for that one).
const RunMemoryLimit = 224 << 20

// RunHeapFloor is the heap below which the collector does not run while RunWith runs, unless
// the GOGC environment variable is set. A run starts with a heap of a few MB that grows within
// half a second to the hundred MB a long document needs; at RunGCPercent alone the collector ran
// at 4, 6, 8, 13, 19, 27, 32 and 38 MB on the way, each time marking the engine's tables again
// (nine of a run's sixteen collections). 64 MB is well under a run's peak (about 200 MB over
// the corpus), so the peak does not move.
const RunHeapFloor = 64 << 20

// collector holds the garbage collector's settings while runs are under way, for them all: GOGC
// as they ask (RunGCPercent), raised after every collection as far as the heap floor needs
// (percentFor), and, unless GOMEMLIMIT is set, the soft memory limit, raised after every
// collection as far as the live heap needs (memoryLimitFor). One hook after each collection
// sets both: the live heap changes only then. What was set before the first run is put back
// after the last.
var collector struct {
	sync.Mutex
	runs          int   // RunWith calls under way with these settings
	percent       int   // GOGC the runs ask for
	limit         bool  // the runs set the memory limit
	beforePercent int   // GOGC before the first run
	beforeLimit   int64 // the memory limit before the first run
	armed         bool  // a hook waits for the next collection
}

// holdCollector sets the collector's target to percent, raised by the floor, and, with limit,
// the memory limit, until the returned function is called; the runs in process share them.
func holdCollector(percent int, limit bool) (release func()) {
	c := &collector
	c.Lock()
	defer c.Unlock()
	if c.runs++; c.runs == 1 {
		c.percent, c.limit = percent, limit
		live := liveHeap()
		c.beforePercent = debug.SetGCPercent(percentFor(percent, live))
		if limit {
			c.beforeLimit = debug.SetMemoryLimit(memoryLimitFor(int64(live)))
		}
	}
	if !c.armed {
		c.armed = true
		afterEachGC(func() bool {
			c.Lock()
			defer c.Unlock()
			if c.runs == 0 {
				c.armed = false
				return false
			}
			live := liveHeap()
			debug.SetGCPercent(percentFor(c.percent, live))
			if c.limit {
				debug.SetMemoryLimit(memoryLimitFor(int64(live)))
			}
			return true
		})
	}
	return func() {
		c.Lock()
		defer c.Unlock()
		if c.runs--; c.runs == 0 {
			debug.SetGCPercent(c.beforePercent)
			if c.limit {
				debug.SetMemoryLimit(c.beforeLimit)
			}
		}
	}
}

// percentFor is the GOGC at which the collector's next goal, for a heap of live bytes marked
// by the last collection, is RunHeapFloor (the goal is about live × (1 + GOGC/100)), and never
// less than percent. The runtime also keeps the goal at least 4 MB × GOGC/100 (its minimum
// heap), so GOGC is raised to maxFloorPercent at most, where that minimum is the floor: with
// less than 4 MB live, the goal is the floor, not up to four times it. A negative percent
// (collection off) is returned as it is.
func percentFor(percent int, live uint64) int {
	if percent < 0 || live >= RunHeapFloor {
		return percent
	}
	live = max(live, 1)
	need := min((100*uint64(RunHeapFloor)+live-1)/live-100, maxFloorPercent) // before int: 32 bits hold 1600, not 6.7e9
	return max(percent, int(need))
}

// maxFloorPercent is the GOGC at which the runtime's minimum heap, 4 MB × GOGC/100, is
// RunHeapFloor.
const maxFloorPercent = 100 * RunHeapFloor / (4 << 20)

// liveHeap is the heap the last collection marked live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// afterEachGC calls f soon after each collection, from the finalizer goroutine, until f
// returns false: the finalizer of an object nothing refers to runs once a collection has found
// it unreachable, and arms the next one.
func afterEachGC(f func() bool) {
	s := new(gcSentinel)
	runtime.SetFinalizer(s, func(*gcSentinel) {
		if f() {
			afterEachGC(f)
		}
	})
}

// gcSentinel is larger than the allocator's 16-byte tiny blocks, which hold several objects
// and are freed only when all of them are.
type gcSentinel struct{ _ [32]byte }

// memoryLimitFor is the soft limit for a live heap of the given size: RunMemoryLimit, or an
// eighth more than what is live when that is larger. Near the limit the collector runs
// whenever the heap grows by the headroom left; an input whose processing alone needs more
// than the limit (a document of tens of MB) keeps at least an eighth of headroom, so the
// run goes on at a bounded cost instead of collecting all the time.
func memoryLimitFor(live int64) int64 {
	return max(RunMemoryLimit, live+live/8)
}
