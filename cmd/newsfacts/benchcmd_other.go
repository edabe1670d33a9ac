//go:build !unix

package main

import "time"

// cpuTime, peakRSS and resetPeakRSS are measured on Unix only; bench prints zeros elsewhere.
func cpuTime() time.Duration { return 0 }
func peakRSS() int64         { return 0 }
func resetPeakRSS()          {}
