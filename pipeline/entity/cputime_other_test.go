//go:build !unix

package entity

import "time"

// cpuTime returns 0 where the process's CPU time is not read: benchmarks report none.
func cpuTime() time.Duration { return 0 }
