//go:build unix

package source

import "syscall"

// openFlags opens without waiting: a named pipe swapped in after openRegular's Stat opens at
// once (and is then refused) instead of blocking until a writer comes.
const openFlags = syscall.O_NONBLOCK
