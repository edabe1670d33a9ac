//go:build !unix

package segment

// cpuTime is 0 where the process's CPU time is not known: benchmarks report no CPU time.
func cpuTime() int64 { return 0 }
