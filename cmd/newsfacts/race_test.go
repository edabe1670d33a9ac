//go:build race

package main

// The race detector makes the pipeline several times slower: tests with time budgets widen
// them.
func init() { raceEnabled = true }
