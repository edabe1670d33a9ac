// Command newsfacts turns Chinese newspaper pages into a Parquet dataset of structured facts.
//
// This file only hands the process's arguments and streams to cli and exits with its code; all
// of the command line lives in cli.go so that tests can run it in-process.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
