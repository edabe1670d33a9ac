//go:build !unix

package source

// openFlags: no named pipes to wait on outside Unix.
const openFlags = 0
