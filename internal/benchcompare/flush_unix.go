//go:build unix

package main

import "syscall"

// flush writes every dirty page of the file systems to disk (sync(2)).
func flush() { syscall.Sync() }
