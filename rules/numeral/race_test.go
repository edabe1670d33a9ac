//go:build race

package numeral

// The race detector makes sync.Pool drop items at random, so allocation counts mean nothing.
func init() { raceEnabled = true }
