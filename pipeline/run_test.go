package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func source(n int) Source {
	return func(ctx context.Context, emit func(*Doc) error) error {
		for i := 0; i < n; i++ {
			if err := emit(&Doc{ID: fmt.Sprint(i), Source: fmt.Sprintf("f%d.txt", i)}); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestRunOrder: documents reach the sink in input order whatever the workers' timing.
func TestRunOrder(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		var got []string
		process := func(d *Doc) { time.Sleep(time.Duration(rand.Intn(300)) * time.Microsecond) }
		err := Run(context.Background(), workers, source(200), process, func(d *Doc) error {
			got = append(got, d.ID)
			return nil
		})
		if err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		for i, id := range got {
			if id != fmt.Sprint(i) {
				t.Fatalf("workers %d: document %d arrived at position %d", workers, i, len(got))
			}
		}
		if len(got) != 200 {
			t.Errorf("workers %d: %d documents, want 200", workers, len(got))
		}
	}
}

// TestRunSourceSeq: a source that numbers its documents and emits the last one first gets
// them to the sink in its numbering, with every worker count, and the early one is processed
// while the others flow past it (it is processed first, not held back to the end).
func TestRunSourceSeq(t *testing.T) {
	const n = 60
	for _, workers := range []int{1, 2, 4} {
		src := func(ctx context.Context, emit func(*Doc) error) error {
			order := append([]int{n - 1}, make([]int, 0, n-1)...)
			for i := 0; i < n-1; i++ {
				order = append(order, i)
			}
			for _, i := range order {
				if err := emit(&Doc{ID: fmt.Sprint(i), Seq: i}); err != nil {
					return err
				}
			}
			return nil
		}
		// Document 0 waits until the early one is processed: were the early one held back
		// to its turn, document 0 would wait for nothing.
		early := make(chan struct{})
		var waited atomic.Bool
		process := func(d *Doc) {
			switch d.ID {
			case fmt.Sprint(n - 1):
				close(early)
			case "0":
				select {
				case <-early:
				case <-time.After(10 * time.Second):
					waited.Store(true)
				}
			}
			time.Sleep(time.Duration(rand.Intn(200)) * time.Microsecond)
		}
		var got []string
		err := RunWith(context.Background(), Options{Workers: workers, SourceSeq: true}, src, process, func(d *Doc) error {
			got = append(got, d.ID)
			return nil
		})
		if err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		if len(got) != n {
			t.Fatalf("workers %d: %d documents, want %d", workers, len(got), n)
		}
		for i, id := range got {
			if id != fmt.Sprint(i) {
				t.Fatalf("workers %d: the sink got %s at position %d", workers, id, i)
			}
		}
		if waited.Load() {
			t.Errorf("workers %d: document 0 was processed before the early document", workers)
		}
	}
}

// TestRunBoundedWindow: no more than the window of documents is in flight, however slow the sink.
func TestRunBoundedWindow(t *testing.T) {
	var inFlight, peak atomic.Int64
	src := func(ctx context.Context, emit func(*Doc) error) error {
		for i := 0; i < 100; i++ {
			n := inFlight.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			if err := emit(&Doc{ID: fmt.Sprint(i)}); err != nil {
				return err
			}
		}
		return nil
	}
	sink := func(d *Doc) error { time.Sleep(100 * time.Microsecond); inFlight.Add(-1); return nil }
	if err := Run(context.Background(), 2, src, func(*Doc) {}, sink); err != nil {
		t.Fatal(err)
	}
	// window (4 per worker) plus the one the source is emitting.
	if p := peak.Load(); p > 4*2+1 {
		t.Errorf("peak %d documents in flight, want at most %d", p, 4*2+1)
	}
}

// TestRunPanicFailsOneDocument: a panicking stage fails its document; the others go on.
func TestRunPanicFailsOneDocument(t *testing.T) {
	var failed, ok int
	process := func(d *Doc) {
		if d.ID == "3" {
			panic("boom")
		}
	}
	err := Run(context.Background(), 2, source(10), process, func(d *Doc) error {
		if d.Failed() {
			failed++
			if d.Stage != "process" || d.Error != "f3.txt: internal error: boom" {
				t.Errorf("failed doc: stage %q, error %q", d.Stage, d.Error)
			}
		} else if d.Status == StatusOK {
			ok++
		}
		return nil
	})
	if err != nil || failed != 1 || ok != 9 {
		t.Errorf("Run = %v, %d failed, %d ok; want nil, 1, 9", err, failed, ok)
	}
}

// TestRunCancel: cancelling the context stops the run and Run reports it.
func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	endless := func(ctx context.Context, emit func(*Doc) error) error {
		for i := 0; ; i++ {
			if err := emit(&Doc{ID: fmt.Sprint(i)}); err != nil {
				return err
			}
		}
	}
	err := Run(ctx, 2, endless, func(*Doc) {}, func(d *Doc) error {
		n++
		if n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

// TestRunSinkError: an output error stops the run and is returned.
func TestRunSinkError(t *testing.T) {
	boom := errors.New("disk full")
	err := Run(context.Background(), 2, source(100), func(*Doc) {}, func(d *Doc) error {
		if d.ID == "5" {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("Run = %v, want %v", err, boom)
	}
}

func TestOffsetMapRaw(t *testing.T) {
	m := NewOffsetMap([]int32{0, 1, 3}, []int32{1, 3, 4})
	for _, tc := range []struct{ s, e, rs, re int }{
		{0, 3, 0, 4}, {1, 2, 1, 3}, {2, 2, 3, 3}, {3, 3, 4, 4}, {0, 9, 0, 4},
	} {
		if rs, re := m.Raw(tc.s, tc.e); rs != tc.rs || re != tc.re {
			t.Errorf("Raw(%d, %d) = %d, %d; want %d, %d", tc.s, tc.e, rs, re, tc.rs, tc.re)
		}
	}
}

// TestOffsetMapOneToOne: without ends, each code point came from one raw code point; the
// identity map is one run.
func TestOffsetMapOneToOne(t *testing.T) {
	starts := []int32{0, 1, 2, 5, 6, 9}
	ends := []int32{1, 2, 3, 6, 7, 10}
	if a, b := NewOffsetMap(starts, nil), NewOffsetMap(starts, ends); !reflect.DeepEqual(a, b) {
		t.Errorf("NewOffsetMap(starts, nil) = %+v, want %+v", a, b)
	}
	id := IdentityMap(7)
	if id.Len() != 7 || len(id.runs) != 1 {
		t.Fatalf("IdentityMap(7): %d code points in %d runs", id.Len(), len(id.runs))
	}
	for i := range 7 {
		if s, e := id.At(i); s != i || e != i+1 {
			t.Errorf("IdentityMap(7).At(%d) = [%d,%d)", i, s, e)
		}
	}
	if z := IdentityMap(0); z.Len() != 0 {
		t.Errorf("IdentityMap(0).Len() = %d", z.Len())
	}
}

// TestOffsetMapRuns builds maps of random edits (code points removed, replaced by one, or
// replacing a longer span) and checks that every code point maps where it came from, that the
// runs are few, and CleanAt.
func TestOffsetMapRuns(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	for round := range 200 {
		var start, end []int32
		raw := int32(0)
		for range rnd.Intn(400) {
			switch rnd.Intn(20) {
			case 0: // a raw code point removed
				raw++
			case 1: // a longer raw span replaced by one code point
				start, end = append(start, raw), append(end, raw+2)
				raw += 2
			default:
				start, end = append(start, raw), append(end, raw+1)
				raw++
			}
		}
		m := NewOffsetMap(start, end)
		if m.Len() != len(start) {
			t.Fatalf("round %d: Len %d, want %d", round, m.Len(), len(start))
		}
		if len(m.runs) > 1+2*(len(start)/5+1) && len(start) > 100 {
			t.Errorf("round %d: %d runs for %d code points", round, len(m.runs), len(start))
		}
		for i := range start {
			if s, e := m.At(i); s != int(start[i]) || e != int(end[i]) {
				t.Fatalf("round %d: At(%d) = [%d,%d), want [%d,%d)", round, i, s, e, start[i], end[i])
			}
		}
		for r := range int(raw) + 2 {
			want := len(start)
			for i := range start {
				if int(start[i]) >= r {
					want = i
					break
				}
			}
			if got := m.CleanAt(r); got != want {
				t.Fatalf("round %d: CleanAt(%d) = %d, want %d", round, r, got, want)
			}
		}
	}
}

// TestRunDocTimeout: a document past its time budget reaches the sink in its place, as a
// timeout, and the run goes on without waiting for it.
func TestRunDocTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	process := func(d *Doc) {
		if d.ID == "3" {
			<-release // never ends while the run lasts
		}
		d.Facts = append(d.Facts, Fact{Kind: "number"})
	}
	var got []*Doc
	t0 := time.Now()
	err := RunWith(context.Background(), Options{Workers: 2, DocTimeout: 50 * time.Millisecond}, source(10), process, func(d *Doc) error {
		got = append(got, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(t0); took > 2*time.Second {
		t.Errorf("the run took %v", took)
	}
	if len(got) != 10 {
		t.Fatalf("%d documents, want 10", len(got))
	}
	for i, d := range got {
		if d.ID != fmt.Sprint(i) {
			t.Errorf("document %s at position %d", d.ID, i)
		}
		switch {
		case i == 3 && (d.Status != StatusTimeout || d.Stage != "process" || d.Source != "f3.txt" || len(d.Facts) != 0 ||
			!strings.Contains(d.Error, "f3.txt") || !strings.Contains(d.Error, "50ms")):
			t.Errorf("slow document = %+v", d)
		case i != 3 && (d.Status != StatusOK || len(d.Facts) != 1):
			t.Errorf("document %d = %+v", i, d)
		}
	}
}

// TestRunSkipsDecided: a document the source already failed or refused is not processed.
func TestRunSkipsDecided(t *testing.T) {
	src := func(ctx context.Context, emit func(*Doc) error) error {
		for _, st := range []string{"", StatusFailed, StatusTooLarge} {
			if err := emit(&Doc{ID: st, Status: st}); err != nil {
				return err
			}
		}
		return nil
	}
	var processed []string
	var mu sync.Mutex
	err := RunWith(context.Background(), Options{Workers: 2}, src, func(d *Doc) {
		mu.Lock()
		processed = append(processed, d.ID)
		mu.Unlock()
	}, func(*Doc) error { return nil })
	if err != nil || len(processed) != 1 || processed[0] != "" {
		t.Errorf("processed %q, %v; want only the undecided document", processed, err)
	}
}

// TestRunGCPercent: during a run the collector's target is RunGCPercent, raised while the heap
// is small so that its goal is at least RunHeapFloor; after the run it is as before. With GOGC
// set, the run leaves it alone.
func TestRunGCPercent(t *testing.T) {
	gcPercent := func() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }
	goal := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	for _, env := range []string{"", "200"} {
		t.Setenv("GOGC", env)
		before := debug.SetGCPercent(80)
		var during int
		var goalDuring uint64
		src := func(ctx context.Context, emit func(*Doc) error) error { return emit(&Doc{ID: "a"}) }
		err := Run(context.Background(), 2, src, func(d *Doc) { during, goalDuring = gcPercent(), goal() }, func(*Doc) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if env != "" {
			if during != 80 {
				t.Errorf("GOGC=%q: %d during the run, want 80 as set before it", env, during)
			}
		} else {
			if want := percentFor(RunGCPercent, liveHeap()); during < RunGCPercent || during != want {
				t.Errorf("GOGC unset: %d during the run, want %d (RunGCPercent raised by the floor)", during, want)
			}
			// Near the floor, not under it, nor far over it (the runtime's minimum heap grows
			// with GOGC: raised without a bound, the goal was four times the floor).
			if goalDuring < RunHeapFloor || goalDuring > RunHeapFloor+RunHeapFloor/4 {
				t.Errorf("GOGC unset: the heap goal during the run is %d MB, want about the floor of %d MB", goalDuring>>20, RunHeapFloor>>20)
			}
		}
		if after := gcPercent(); after != 80 {
			t.Errorf("GOGC=%q: %d after the run, want 80 as before it", env, after)
		}
		debug.SetGCPercent(before)
	}
}

// TestRunGCFloorFollowsHeap: once a collection finds more than RunHeapFloor live, the target
// falls back to RunGCPercent, and rises again when the heap is small.
func TestRunGCFloorFollowsHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	// waitFor polls for the hook, which runs from the finalizer goroutine after a collection;
	// a liveness bound, not a speed assertion.
	waitFor := func(want func(int) bool) int {
		p := 0
		for range 200 {
			runtime.GC()
			if p = gcPercentNow(); want(p) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		return p
	}
	var big [][]byte
	src := func(ctx context.Context, emit func(*Doc) error) error { return emit(&Doc{ID: "a"}) }
	err := Run(context.Background(), 1, src, func(d *Doc) {
		for range 80 { // 80 MB live, past the floor
			big = append(big, make([]byte, 1<<20))
		}
		if p := waitFor(func(p int) bool { return p == RunGCPercent }); p != RunGCPercent {
			t.Errorf("with 80 MB live: GOGC %d, want RunGCPercent %d", p, RunGCPercent)
		}
		big = nil
		if p := waitFor(func(p int) bool { return p > RunGCPercent }); p <= RunGCPercent {
			t.Errorf("with the 80 MB dropped: GOGC %d, want it raised over %d by the floor", p, RunGCPercent)
		}
	}, func(*Doc) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(big)
}

func gcPercentNow() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }

// TestPercentFor: the goal live × (1 + GOGC/100) reaches the floor, and GOGC never goes
// under the one asked for.
func TestPercentFor(t *testing.T) {
	for _, c := range []struct {
		percent int
		live    uint64
		want    int
	}{
		{75, 0, 1600},        // no collection yet: the runtime's minimum heap is the floor
		{75, 1 << 20, 1600},  // 1 MB × 17 = 17 MB, but the minimum heap at 1600 is 64 MB
		{75, 3 << 20, 1600},  // 3 MB × 22.3 would do; the minimum heap caps it
		{75, 5 << 20, 1180},  // rounded up: 5 MB × 12.8 ≥ 64 MB
		{75, 16 << 20, 300},  // 16 MB × 4
		{75, 32 << 20, 100},  // 32 MB × 2
		{75, 40 << 20, 75},   // 40 MB × 1.6 = 64 MB: 60 would do, 75 is asked for
		{75, 64 << 20, 75},   // at the floor
		{75, 100 << 20, 75},  // past the floor
		{-1, 1 << 20, -1},    // collection off stays off
		{200, 16 << 20, 300}, // a higher target asked for is kept when the floor needs more
		{500, 16 << 20, 500}, // or when it needs less
		{2000, 1 << 20, 2000},
	} {
		got := percentFor(c.percent, c.live)
		if got != c.want {
			t.Errorf("percentFor(%d, %d MB) = %d, want %d", c.percent, c.live>>20, got, c.want)
		}
		if c.percent >= 0 && got < c.percent {
			t.Errorf("percentFor(%d, %d) = %d, under the target asked for", c.percent, c.live, got)
		}
		// The runtime's goal: the larger of live × (1 + GOGC/100) and 4 MB × GOGC/100.
		if goal := max(float64(c.live)*(1+float64(got)/100), 4<<20*float64(got)/100); got > c.percent &&
			(goal < RunHeapFloor || goal > RunHeapFloor*1.01) {
			t.Errorf("percentFor(%d, %d MB) = %d: a goal of %.1f MB, not the floor", c.percent, c.live>>20, got, goal/(1<<20))
		}
	}
}

// TestRunDocTimeoutAbandons: the stages of a document past its budget see Abandoned and can
// stop, instead of using a core until the process ends.
func TestRunDocTimeoutAbandons(t *testing.T) {
	stopped := make(chan struct{})
	process := func(d *Doc) {
		if d.ID == "1" {
			for !d.Abandoned() { // a stage checking between sentences
				time.Sleep(time.Millisecond)
			}
			close(stopped)
		}
	}
	err := RunWith(context.Background(), Options{Workers: 2, DocTimeout: 20 * time.Millisecond}, source(3), process, func(d *Doc) error {
		if d.Abandoned() {
			t.Errorf("document %s reached the sink abandoned", d.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-stopped:
	case <-time.After(time.Minute): // a liveness bound, not a speed assertion
		t.Fatal("the abandoned document's stage never saw Abandoned")
	}
}

// TestRunMemoryLimit: a run has the soft memory limit RunMemoryLimit and the previous one
// after it, unless GOMEMLIMIT or GOGC is set; two runs at once share it.
func TestRunMemoryLimit(t *testing.T) {
	limit := func() int64 { return debug.SetMemoryLimit(-1) } // a negative value only reads it
	for _, tc := range []struct {
		gomemlimit, gogc string
		want             int64
	}{
		{"", "", RunMemoryLimit},
		{"1GiB", "", 5 << 30},
		{"", "100", 5 << 30},
	} {
		t.Setenv("GOMEMLIMIT", tc.gomemlimit)
		t.Setenv("GOGC", tc.gogc)
		before := debug.SetMemoryLimit(5 << 30)
		var during []int64
		var mu sync.Mutex
		src := func(ctx context.Context, emit func(*Doc) error) error { return emit(&Doc{ID: "a"}) }
		// The second run starts inside the first and ends before it.
		err := Run(context.Background(), 1, src, func(d *Doc) {
			err := Run(context.Background(), 1, src, func(d *Doc) {
				mu.Lock()
				during = append(during, limit())
				mu.Unlock()
			}, func(*Doc) error { return nil })
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			during = append(during, limit())
			mu.Unlock()
		}, func(*Doc) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		for i, got := range during {
			if got != tc.want {
				t.Errorf("GOMEMLIMIT=%q GOGC=%q: limit %d in run %d, want %d", tc.gomemlimit, tc.gogc, got, 2-i, tc.want)
			}
		}
		if after := limit(); after != 5<<30 {
			t.Errorf("GOMEMLIMIT=%q GOGC=%q: limit %d after the runs, want %d as before them", tc.gomemlimit, tc.gogc, after, int64(5<<30))
		}
		debug.SetMemoryLimit(before)
	}
}

// TestRunMemoryLimitFollowsHeap: once a collection finds more live than the limit leaves room
// for, the hook after it raises the limit to an eighth over what is live, so that the collector
// does not run without pause; after the run the limit is as before.
func TestRunMemoryLimitFollowsHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("holds 320 MB")
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	before := debug.SetMemoryLimit(5 << 30)
	defer debug.SetMemoryLimit(before)
	var big [][]byte
	src := func(ctx context.Context, emit func(*Doc) error) error { return emit(&Doc{ID: "a"}) }
	err := Run(context.Background(), 1, src, func(d *Doc) {
		for range 320 { // 320 MB live, past what RunMemoryLimit leaves room for
			big = append(big, make([]byte, 1<<20))
		}
		// The hook runs from the finalizer goroutine after a collection: a liveness bound,
		// not a speed assertion. The 320 MB held alone ask for a limit an eighth over them;
		// what else is live (the test binary's own heap) may add a little.
		const held = 320 << 20
		got := int64(0)
		for range 200 {
			runtime.GC()
			if got = limit(); got >= held+held/8 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if got < held+held/8 || got > 2*held {
			t.Errorf("with %d MB held: limit %d MB, want an eighth over what is live", held>>20, got>>20)
		}
	}, func(*Doc) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(big)
	if after := limit(); after != 5<<30 {
		t.Errorf("limit %d after the run, want %d as before it", after, int64(5<<30))
	}
}

func TestMemoryLimitFor(t *testing.T) {
	for _, tc := range []struct{ live, want int64 }{
		{0, RunMemoryLimit},
		{150 << 20, RunMemoryLimit},
		{RunMemoryLimit * 8 / 9, RunMemoryLimit},
		{400 << 20, 450 << 20},
		{2 << 30, 2<<30 + 256<<20},
		{RunMemoryLimit, RunMemoryLimit + RunMemoryLimit/8},
	} {
		if got := memoryLimitFor(tc.live); got != tc.want {
			t.Errorf("memoryLimitFor(%d MiB) = %d MiB, want %d MiB", tc.live>>20, got>>20, tc.want>>20)
		}
	}
}

// TestRunProcessBytes: documents whose sizes add up to more than ProcessBytes are never in
// process at once (two large ones wait for each other; one larger than the budget is alone),
// small ones run beside a large one, and every document is processed, in order.
func TestRunProcessBytes(t *testing.T) {
	const budget = 4 << 20
	sizes := []int64{3 << 20, 10 << 10, 3 << 20, 20 << 10, 9 << 20, 5 << 10, 3 << 20, 3 << 20, 1 << 10, 2 << 10}
	src := func(ctx context.Context, emit func(*Doc) error) error {
		for i, size := range sizes {
			if err := emit(&Doc{ID: fmt.Sprint(i), Size: size, Format: "text"}); err != nil {
				return err
			}
		}
		return nil
	}
	var mu sync.Mutex
	inProcess, peak := int64(0), int64(0)
	smallBesideLarge := false
	process := func(d *Doc) {
		w := min(d.Size, budget)
		mu.Lock()
		inProcess += w
		peak = max(peak, inProcess)
		if d.Size < 1<<20 && inProcess > w+(1<<20) {
			smallBesideLarge = true
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		inProcess -= w
		mu.Unlock()
	}
	var got []string
	err := RunWith(context.Background(), Options{Workers: 4, ProcessBytes: budget}, src, process, func(d *Doc) error {
		got = append(got, d.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak > budget {
		t.Errorf("%d bytes in process at once, budget %d", peak, budget)
	}
	if !smallBesideLarge {
		t.Error("no small document was processed beside a large one")
	}
	if strings.Join(got, " ") != "0 1 2 3 4 5 6 7 8 9" {
		t.Errorf("sink got %v", got)
	}
}

// TestRunProcessBytesAbandoned: a document abandoned at its time budget gives its share of
// ProcessBytes back, though its stages run on: the documents after it are processed.
func TestRunProcessBytesAbandoned(t *testing.T) {
	stuck := make(chan struct{})
	defer close(stuck)
	src := func(ctx context.Context, emit func(*Doc) error) error {
		for i, size := range []int64{8 << 20, 3 << 20, 3 << 20} {
			if err := emit(&Doc{ID: fmt.Sprint(i), Source: fmt.Sprintf("f%d.txt", i), Size: size}); err != nil {
				return err
			}
		}
		return nil
	}
	process := func(d *Doc) {
		if d.ID == "0" {
			<-stuck // a stage that never reaches its next sentence
		}
	}
	var got []string
	err := RunWith(context.Background(), Options{Workers: 2, ProcessBytes: 4 << 20, DocTimeout: 50 * time.Millisecond}, src, process, func(d *Doc) error {
		got = append(got, d.ID+":"+d.Status)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "0:timeout 1:ok 2:ok" {
		t.Errorf("sink got %v", got)
	}
}

// TestRunProcessBytesPDF: a PDF does not count against ProcessBytes (its file size says little
// about its text): a 30 MB PDF is processed while a 3 MB text holds most of the budget.
func TestRunProcessBytesPDF(t *testing.T) {
	textStarted, pdfStarted := make(chan struct{}), make(chan struct{})
	src := func(ctx context.Context, emit func(*Doc) error) error {
		if err := emit(&Doc{ID: "0", Size: 3 << 20, Format: "text"}); err != nil {
			return err
		}
		<-textStarted // the text holds its share before the PDF comes
		return emit(&Doc{ID: "1", Size: 30 << 20, Format: "pdf"})
	}
	beside := false
	process := func(d *Doc) {
		if d.Format == "pdf" {
			close(pdfStarted)
			return
		}
		close(textStarted)
		select { // the text waits, holding its share, for the PDF to start
		case <-pdfStarted:
			beside = true
		case <-time.After(2 * time.Second):
		}
	}
	err := RunWith(context.Background(), Options{Workers: 2, ProcessBytes: 4 << 20}, src, process, func(d *Doc) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !beside {
		t.Error("the PDF waited for the text's share of ProcessBytes")
	}
}

// TestRunParts: the parts of a file reach the sink one after the other, in order, between the
// files before and after it, whatever the workers' timing, each with the sums of the parts
// before it (Part.Before); the last part's File gives the whole file's totals and status. A
// part that fails or runs out of time keeps its raw length (counted by the source), so that
// the raw offsets of the parts after it stay right.
func TestRunParts(t *testing.T) {
	parts := []int{1, 2, 3, 2, 2} // file f has parts[f] parts
	slow := map[[2]int]bool{{3, 0}: true, {3, 1}: true, {4, 0}: true}
	for _, workers := range []int{1, 2, 8} {
		src := func(ctx context.Context, emit func(*Doc) error) error {
			for f, n := range parts {
				for p := 0; p < n; p++ {
					d := &Doc{ID: fmt.Sprint(f), Source: fmt.Sprintf("f%d.txt", f), Size: int64(100 + p), RawChars: 20 + p,
						Encoding: "gb18030", Part: Part{Index: p, More: p < n-1, Byte: int64(100 * p)}}
					if f == 2 && p == 1 {
						d.Fail("decode", errors.New("f2.txt: not valid GB18030 text"))
					}
					if err := emit(d); err != nil {
						return err
					}
				}
			}
			return nil
		}
		process := func(d *Doc) {
			if slow[[2]int{d.Seq, d.Part.Index}] {
				for !d.Abandoned() {
					time.Sleep(time.Millisecond)
				}
				return
			}
			time.Sleep(time.Duration(rand.Intn(300)) * time.Microsecond)
			if d.Failed() {
				return
			}
			d.Map = IdentityMap(10 + d.Part.Index) // 10, 11, 12 code points
			d.Articles = make([]Article, 2)
			d.Sentences = make([]Sentence, 3)
			d.Facts = make([]Fact, 1+d.Part.Index)
			d.Elapsed = time.Millisecond
		}
		var got []string
		var files []string
		err := RunWith(context.Background(), Options{Workers: workers, DocTimeout: 50 * time.Millisecond}, src, process, func(d *Doc) error {
			b := d.Part.Before
			got = append(got, fmt.Sprintf("%s.%d:%d/%d/%d/%d/%d", d.ID, d.Part.Index, b.Chars, b.RawChars, b.Articles, b.Facts, b.Failed))
			if !d.Part.More {
				tot, status, stage, _ := d.File()
				files = append(files, fmt.Sprintf("%s:%s:%s:%s:%d:%d:%d", d.ID, status, stage, d.Encoding, tot.Bytes, tot.RawChars, tot.Facts))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "0.0:0/0/0/0/0 1.0:0/0/0/0/0 1.1:10/20/2/1/0 2.0:0/0/0/0/0 2.1:10/20/2/1/0 2.2:10/41/2/1/1 " +
			"3.0:0/0/0/0/0 3.1:0/20/0/0/1 4.0:0/0/0/0/0 4.1:0/20/0/0/1"
		if g := strings.Join(got, " "); g != want {
			t.Errorf("workers %d: sink got\n%s\nwant\n%s", workers, g, want)
		}
		wantFiles := "0:ok::gb18030:100:20:1 1:ok::gb18030:201:41:3 2:partial:decode:gb18030:303:63:4 " +
			"3:timeout:process:gb18030:201:41:0 4:partial:process:gb18030:201:41:2"
		if g := strings.Join(files, " "); g != wantFiles {
			t.Errorf("workers %d: files\n%s\nwant\n%s", workers, g, wantFiles)
		}
	}
}

// TestFileStatus: what a file read in parts came to, from its parts' statuses: the stage and
// error given are those of a part that could not be read, else of one that ran out of time,
// else of the first that failed, so that the next run knows to try the file again.
func TestFileStatus(t *testing.T) {
	part := func(status, stage string) *Doc {
		d := &Doc{Status: status, Stage: stage, Size: 10, RawChars: 5}
		if stage != "" {
			d.Error = stage + " error"
		}
		return d
	}
	ok := func() *Doc { return part(StatusOK, "") }
	timeout := func() *Doc { return part(StatusTimeout, "process") }
	lost := func(why string) *Doc { d := part(StatusPartial, ""); d.Error = why; return d }
	for _, c := range []struct {
		name  string
		parts []*Doc
		want  string
	}{
		{"all ok", []*Doc{ok(), ok()}, "ok::"},
		{"one failed", []*Doc{part(StatusFailed, "decode"), ok()}, "partial:decode:decode error"},
		{"timeout after a decode error", []*Doc{part(StatusFailed, "decode"), timeout(), ok()}, "partial:process:process error"},
		{"read error after a timeout", []*Doc{ok(), timeout(), part(StatusFailed, "read")}, "partial:read:read error"},
		{"all failed, one ran out of time", []*Doc{timeout(), part(StatusFailed, "decode")}, "failed:process:process error"},
		{"all ran out of time", []*Doc{timeout(), timeout()}, "timeout:process:process error"},
		{"whole file", []*Doc{part(StatusFailed, "decode")}, "failed:decode:decode error"},
		// parts of a PDF processed with pages lost: partial, as the PDF read whole, with
		// every part's pages told, and no stage (nothing is missing from the tables)
		{"pages lost in two parts", []*Doc{lost("p.pdf:10: bad page"), ok(), lost("p.pdf:100: bad page")},
			"partial::p.pdf:10: bad page; p.pdf:100: bad page"},
		{"every part with pages lost", []*Doc{lost("p.pdf:1: needs OCR"), lost("p.pdf:70: needs OCR")},
			"partial::p.pdf:1: needs OCR; p.pdf:70: needs OCR"},
		{"pages lost, and a part that failed", []*Doc{lost("p.pdf:1: needs OCR"), part(StatusFailed, "decode")},
			"partial:decode:decode error"},
	} {
		var before Totals
		for i, d := range c.parts {
			d.Part = Part{Index: i, More: i < len(c.parts)-1, Before: before}
			before.Add(d)
		}
		tot, status, stage, err := c.parts[len(c.parts)-1].File()
		if got := status + ":" + stage + ":" + err; got != c.want || tot.Parts != len(c.parts) || tot.RawChars != 5*len(c.parts) {
			t.Errorf("%s: %s, %d parts, %d raw code points; want %s", c.name, got, tot.Parts, tot.RawChars, c.want)
		}
	}
}

// A run that is cancelled gives back what reading its documents took from a budget (Doc.Hold)
// for those it leaves unprocessed too: a source waiting for that budget would otherwise keep
// RunWith from returning.
func TestRunGivesBackHeldOnCancel(t *testing.T) {
	var held, released atomic.Int32
	hold := func(d *Doc) {
		held.Add(1)
		var once sync.Once
		d.Hold(func() { once.Do(func() { released.Add(1) }) })
	}
	ctx, cancel := context.WithCancel(context.Background())
	started, unblock := make(chan struct{}), make(chan struct{})
	const n = 4
	src := func(ctx context.Context, emit func(*Doc) error) error {
		for i := range n {
			d := &Doc{Source: fmt.Sprint("big", i), Bytes: []byte("x")}
			hold(d)
			if err := emit(d); err != nil {
				return err
			}
		}
		return nil
	}
	process := func(d *Doc) {
		if d.Source == "big0" {
			close(started)
			<-unblock
		}
		d.DropBytes() // as the command's stages do once a document is processed
	}
	go func() { <-started; cancel(); close(unblock) }()
	err := RunWith(ctx, Options{Workers: 1}, src, process, func(*Doc) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("RunWith = %v, want context.Canceled", err)
	}
	if got, want := released.Load(), held.Load(); got != want || want < 2 {
		t.Fatalf("%d of the %d documents read gave their share back", got, want)
	}
}

// A document abandoned past its time budget gives its share back at once, before its stages
// notice; and its Context is cancelled.
func TestAbandonGivesBack(t *testing.T) {
	var released atomic.Int32
	d := &Doc{Source: "slow.pdf", Bytes: []byte("x")}
	var once sync.Once
	d.Hold(func() { once.Do(func() { released.Add(1) }) })
	unblock := make(chan struct{})
	defer close(unblock)
	cancelled := make(chan bool, 1)
	process := func(d *Doc) {
		<-d.Context().Done()
		cancelled <- true
		<-unblock
	}
	out := processWithin(context.Background(), process, d, 50*time.Millisecond, func() {})
	if out.Status != StatusTimeout {
		t.Fatalf("status %q, want timeout", out.Status)
	}
	if released.Load() != 1 {
		t.Fatal("the abandoned document kept its share")
	}
	if !<-cancelled {
		t.Fatal("the abandoned document's Context was not cancelled")
	}
	d.DropBytes() // its stages end later: given back once only
	if released.Load() != 1 {
		t.Fatalf("given back %d times", released.Load())
	}
}
