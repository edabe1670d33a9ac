// Package procstat reads what this process has used so far, CPU time and peak memory, for
// `newsfacts bench` and the stage benchmarks: on a shared machine CPU time says more about the
// code than wall time, which depends on the neighbours.
package procstat
