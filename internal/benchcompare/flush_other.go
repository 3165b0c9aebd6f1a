//go:build !unix

package main

// flush does nothing where sync(2) is not available.
func flush() {}
