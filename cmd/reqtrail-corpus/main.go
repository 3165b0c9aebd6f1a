// Command reqtrail-corpus writes a generated reqtrail repository for benchmarks:
//
//	go run ./cmd/reqtrail-corpus DIR N
//
// N requirements, N/10 change requests and N/10 acceptance records.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/reqtrail/reqtrail/pkg/corpus"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: reqtrail-corpus DIR N")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 1 {
		fmt.Fprintf(os.Stderr, "reqtrail-corpus: N must be a positive number, not %q\n", os.Args[2])
		os.Exit(2)
	}
	if err := corpus.Generate(os.Args[1], n, corpus.Options{Seed: 1}); err != nil {
		fmt.Fprintln(os.Stderr, "reqtrail-corpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d requirements, %d change requests and %d acceptance records to %s\n", n, n/10, n/10, os.Args[1])
}
