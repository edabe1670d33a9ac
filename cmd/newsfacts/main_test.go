package main

import (
	"os"
	"testing"
)

// TestMain lets the test binary stand in for the newsfacts binary: tests that need a real
// process (signals, exit codes) run it with NEWSFACTS_TEST_CLI=1.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSFACTS_TEST_CLI") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
