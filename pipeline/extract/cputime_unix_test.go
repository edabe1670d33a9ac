//go:build unix

package extract

import (
	"syscall"
	"time"
)

// cpuTime is the process's user and system CPU time so far: benchmarks report it besides wall
// time, which on a shared machine says more about the neighbours than about the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
