//go:build unix

package main

import "syscall"

// mkfifo makes a named pipe at path, for the inputs that must fail without blocking a run.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
