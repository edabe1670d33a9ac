// Package output is the one place that maps a finished pipeline.Doc onto the contracts of design.md,
// the Parquet dataset of `newsfacts run` and the JSON Lines or table output of `newsfacts extract`.
package output
