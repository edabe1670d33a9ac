//go:build !unix

package procstat

import "time"

// CPU, PeakRSS and ResetPeakRSS are measured on Unix only; elsewhere they report zeros.
func CPU() time.Duration { return 0 }
func PeakRSS() int64     { return 0 }
func ResetPeakRSS()      {}
