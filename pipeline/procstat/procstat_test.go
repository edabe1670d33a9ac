package procstat

import (
	"runtime"
	"testing"
	"time"
)

// CPU grows while the process computes, and PeakRSS is at least what the heap holds.
func TestCPUAndPeak(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("measured on Linux")
	}
	before := CPU()
	x := 0
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
		x++
	}
	if after := CPU(); after-before < 10*time.Millisecond {
		t.Errorf("CPU grew by %v over 50 ms of work (%d loops)", after-before, x)
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = 1
	}
	if p := PeakRSS(); p < 64<<20 {
		t.Errorf("PeakRSS = %d bytes, under the 64 MiB just touched", p)
	}
	runtime.KeepAlive(buf)
}
